"""Print 2 GB."""
import os
import sys


def attack(**ctx):
    chunk = "x" * (1 << 20)
    for _ in range(1024):
        sys.stdout.write(chunk)
    block = b"y" * (1 << 20)
    for _ in range(1024):
        os.write(2, block)
