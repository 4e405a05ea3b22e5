"""Kill the grader, the zygote, their process groups, and everything (kill(-1))."""
import os
import signal


def attack(grader_pid, zygote_pid, **ctx):
    done = []
    for what, fn in (
        ("grader", lambda: os.kill(grader_pid, signal.SIGKILL)),
        ("zygote", lambda: os.kill(zygote_pid, signal.SIGKILL)),
        ("ppid", lambda: os.kill(os.getppid() or 2**22 + 1, signal.SIGKILL)),
        ("grader group", lambda: os.killpg(os.getpgid(grader_pid), signal.SIGKILL)),
        ("zygote group", lambda: os.killpg(zygote_pid, signal.SIGKILL)),
        ("own group", lambda: os.kill(0, signal.SIGTERM)),
        ("everyone", lambda: os.kill(-1, signal.SIGKILL)),
    ):
        try:
            fn()
            done.append(what)
        except OSError:
            pass
    return done
