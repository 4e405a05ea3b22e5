# Misconception bn-backward-missing-mean-term: the −Σdy term (the path through μ) is dropped.
def batchnorm_backward(dout, cache):
    dout = _f64(dout)
    x_hat, inv_std, gamma, training = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (gamma * inv_std / n) * (n * dout - x_hat * dgamma)
    return dx, dgamma, dbeta
