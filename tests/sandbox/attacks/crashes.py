"""A segfault, unbounded recursion, and a C stack overflow."""
import ctypes
import sys


def attack(**ctx):
    return ctypes.string_at(0)


def attack_recursion(**ctx):
    def f(n):
        return f(n + 1)
    return f(0)


def attack_stack(**ctx):
    sys.setrecursionlimit(10**8)

    def f(n):
        return list(map(f, [n + 1]))  # through C: each level takes C stack
    return f(0)
