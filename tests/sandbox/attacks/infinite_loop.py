"""An infinite loop that ignores SIGTERM, SIGALRM, SIGXCPU and SIGINT."""
import signal


def attack(**ctx):
    for sig in (signal.SIGTERM, signal.SIGALRM, signal.SIGXCPU, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    n = 0
    while True:
        n += 1
