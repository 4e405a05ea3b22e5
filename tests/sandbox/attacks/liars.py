"""Objects with lying __eq__/__array__, float subclasses: refused or converted, never passed."""
import numpy as np


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class LyingObject:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.array([self], dtype=object)


def attack_array_subclass(x, **ctx):
    return np.zeros_like(x).view(LyingArray)


def attack_float_subclass(x=None, **ctx):
    return LyingFloat(0.0)


def attack_object(x=None, **ctx):
    return LyingObject()


def attack_tuple_with_liar(x, **ctx):
    return (np.zeros_like(x), LyingFloat(1.0))
