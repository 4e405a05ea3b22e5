"""Spin with SIGXCPU ignored under a CPU limit (lowered by itself, so that the kernel's
hard-limit SIGKILL comes before the wall-time kill)."""
import resource
import signal


def attack(**ctx):
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CPU, (1, 1))
    n = 0
    while True:
        n += 1
