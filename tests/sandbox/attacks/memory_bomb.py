"""Allocate far more memory than allowed, at once and bit by bit."""
import numpy as np


def attack(**ctx):
    return np.ones(10**11)


def attack_slow(**ctx):
    hoard = []
    while True:
        hoard.append(np.ones(1 << 24))
