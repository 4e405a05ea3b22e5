# Misconception ln-backward-no-gamma: dx computed from dout instead of g = dout ⊙ γ.
def layernorm_backward(dout, cache):
    dout = _f64(dout)
    x_hat, inv_std, gamma = cache
    d = dout.shape[-1]
    g = dout
    dx = (inv_std / d) * (d * g - g.sum(axis=-1, keepdims=True)
                          - x_hat * (g * x_hat).sum(axis=-1, keepdims=True))
    dgamma = (dout * x_hat).reshape(-1, d).sum(axis=0)
    dbeta = dout.reshape(-1, d).sum(axis=0)
    return dx, dgamma, dbeta
