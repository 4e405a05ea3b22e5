"""An independent correct solution of `batchnorm` and `layernorm`: a student's
"staged" computation graph with a dict cache, as in CS231n's step-by-step backward."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True,
                      momentum=0.1, eps=1e-5):
    if not training:
        xhat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * xhat + beta, running_mean.copy(), running_var.copy(), None
    n = x.shape[0]
    if n < 2:
        raise ValueError("need more than one sample per feature in training")
    mu = x.sum(axis=0) / n
    xc = x - mu
    var = (xc ** 2).sum(axis=0) / n
    std = np.sqrt(var + eps)
    xhat = xc / std
    out = gamma * xhat + beta
    new_mean = running_mean + momentum * (mu - running_mean)
    new_var = running_var + momentum * (var * n / (n - 1) - running_var)
    cache = {"xc": xc, "std": std, "gamma": gamma, "xhat": xhat}
    return out, new_mean, new_var, cache


def batchnorm_backward(dout, cache):
    xc, std, gamma, xhat = cache["xc"], cache["std"], cache["gamma"], cache["xhat"]
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dstd = -(dxhat * xc).sum(axis=0) / std ** 2
    dvar = 0.5 * dstd / std
    dxc = dxhat / std + 2.0 * xc * dvar / n
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / n
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, eps=1e-5):
    d = x.shape[-1]
    mu = x.sum(axis=-1, keepdims=True) / d
    xc = x - mu
    var = (xc * xc).sum(axis=-1, keepdims=True) / d
    inv = 1.0 / np.sqrt(var + eps)
    xhat = xc * inv
    return gamma * xhat + beta, (xhat, inv, gamma)


def layernorm_backward(dout, cache):
    xhat, inv, gamma = cache
    d = dout.shape[-1]
    lead = tuple(range(dout.ndim - 1))
    dgamma = (dout * xhat).sum(axis=lead)
    dbeta = dout.sum(axis=lead)
    g = dout * gamma
    dx = inv / d * (d * g - g.sum(axis=-1, keepdims=True)
                    - xhat * (g * xhat).sum(axis=-1, keepdims=True))
    return dx, dgamma, dbeta
