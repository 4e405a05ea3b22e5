# Misconception bn-unbiased-normalisation: the unbiased variance (ddof=1) used to normalise;
# PyTorch normalises with the biased one and uses the unbiased one only for running_var.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True,
                      momentum=0.1, eps=1e-5):
    x, gamma, beta = _f64(x), _f64(gamma), _f64(beta)
    running_mean, running_var = _f64(running_mean), _f64(running_var)
    n = x.shape[0]
    if training:
        if n < 2:
            raise ValueError("need at least 2 samples when training")
        mu = x.mean(axis=0)
        var = x.var(axis=0, ddof=1)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mu) * inv_std
        new_rm = (1 - momentum) * running_mean + momentum * mu
        new_rv = (1 - momentum) * running_var + momentum * var
    else:
        inv_std = 1.0 / np.sqrt(running_var + eps)
        x_hat = (x - running_mean) * inv_std
        new_rm, new_rv = running_mean.copy(), running_var.copy()
    out = gamma * x_hat + beta
    return out, new_rm, new_rv, BatchNormCache(x_hat, inv_std, gamma, training)
