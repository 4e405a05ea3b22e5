# Misconception ln-backward-missing-var-term: the −x̂·Σ(g·x̂) term (the path through σ²) dropped.
def layernorm_backward(dout, cache):
    dout = _f64(dout)
    x_hat, inv_std, gamma = cache
    d = dout.shape[-1]
    g = dout * gamma
    dx = (inv_std / d) * (d * g - g.sum(axis=-1, keepdims=True))
    dgamma = (dout * x_hat).reshape(-1, d).sum(axis=0)
    dbeta = dout.reshape(-1, d).sum(axis=0)
    return dx, dgamma, dbeta
