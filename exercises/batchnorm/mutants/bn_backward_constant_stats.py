# Misconception bn-backward-constant-stats: μ and σ² treated as constants, dx = γ·dy/√(σ² + ε),
# which is only right in evaluation mode.
def batchnorm_backward(dout, cache):
    dout = _f64(dout)
    x_hat, inv_std, gamma, training = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = gamma * inv_std * dout
    return dx, dgamma, dbeta
