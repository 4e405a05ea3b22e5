# Misconception ln-dgamma-first-axis-only: dγ and dβ summed over axis 0 only, which is right
# for (N, D) inputs but leaves a (T, D) array for (N, T, D) inputs.
def layernorm_backward(dout, cache):
    dout = _f64(dout)
    x_hat, inv_std, gamma = cache
    d = dout.shape[-1]
    g = dout * gamma
    dx = (inv_std / d) * (d * g - g.sum(axis=-1, keepdims=True)
                          - x_hat * (g * x_hat).sum(axis=-1, keepdims=True))
    dgamma = (dout * x_hat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    return dx, dgamma, dbeta
