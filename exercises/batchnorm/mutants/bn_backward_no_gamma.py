# Misconception bn-backward-no-gamma: dx computed as if γ were 1.
def batchnorm_backward(dout, cache):
    dout = _f64(dout)
    x_hat, inv_std, gamma, training = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (inv_std / n) * (n * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta
