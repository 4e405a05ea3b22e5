# Misconception bn-per-sample-axis: statistics over the features of each sample (axis=1)
# instead of over the batch for each feature (axis=0).
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True,
                      momentum=0.1, eps=1e-5):
    x, gamma, beta = _f64(x), _f64(gamma), _f64(beta)
    running_mean, running_var = _f64(running_mean), _f64(running_var)
    if not training:
        inv_std = 1.0 / np.sqrt(running_var + eps)
        x_hat = (x - running_mean) * inv_std
        return (gamma * x_hat + beta, running_mean.copy(), running_var.copy(),
                BatchNormCache(x_hat, inv_std, gamma, False))
    n = x.shape[0]
    if n < 2:
        raise ValueError("need at least 2 samples when training")
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    d = x.shape[1]
    new_rm = (1 - momentum) * running_mean + momentum * mu.mean()
    new_rv = (1 - momentum) * running_var + momentum * var.mean() * d / (d - 1)
    return gamma * x_hat + beta, new_rm, new_rv, BatchNormCache(x_hat, inv_std, gamma, True)
