# Misconception ln-over-batch-axis: statistics over the batch axis (axis 0), as batch norm does.
def layernorm_forward(x, gamma, beta, eps=1e-5):
    x, gamma, beta = _f64(x), _f64(gamma), _f64(beta)
    mu = x.mean(axis=0, keepdims=True)
    var = x.var(axis=0, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    return gamma * x_hat + beta, LayerNormCache(x_hat, inv_std, gamma)
