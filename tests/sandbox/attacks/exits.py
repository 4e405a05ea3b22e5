"""Leave early: sys.exit, os._exit, KeyboardInterrupt raised or signalled."""
import os
import signal
import sys


def attack_sys_exit(**ctx):
    sys.exit(0)


def attack_keyboard(**ctx):
    raise KeyboardInterrupt


def attack_sigint(**ctx):
    os.kill(os.getpid(), signal.SIGINT)
    import time
    time.sleep(5)


def attack(**ctx):
    os._exit(7)
