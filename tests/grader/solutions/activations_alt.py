"""An independent correct solution of `activations` (a student's, not the reference's).

Different formulations on purpose: exp(-|x|) for sigmoid and tanh, masks by
multiplication, math.erf through np.vectorize, loops where a student would loop.
"""

import math

import numpy as np

_erf = np.vectorize(math.erf, otypes=[float])


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-2.0 * np.abs(x))
    return np.sign(x) * (-np.expm1(-2.0 * np.abs(x))) / (1.0 + e)


def tanh_grad(x):
    t = tanh(x)
    return 1.0 - t * t


def relu(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0)


def relu_grad(x):
    return (np.asarray(x, dtype=float) > 0).astype(float)


def leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x, negative_slope=0.01):
    x = np.asarray(x, dtype=float)
    out = np.full(x.shape, float(negative_slope))
    out[x > 0] = 1.0
    return out


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def gelu_grad(x):
    x = np.asarray(x, dtype=float)
    cdf = 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return cdf + x * pdf
