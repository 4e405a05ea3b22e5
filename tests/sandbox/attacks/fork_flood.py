"""A fork flood of long-lived sleepers, and a double-forked setsid escapee."""
import os
import time


def attack(**ctx):
    started = 0
    for _ in range(300):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(3600)
            os._exit(0)
        started += 1
    return started


def attack_escape(**ctx):
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            os.closerange(0, 64)
            time.sleep(3600)
        os._exit(0)
    os.waitpid(pid, 0)
    return 1
