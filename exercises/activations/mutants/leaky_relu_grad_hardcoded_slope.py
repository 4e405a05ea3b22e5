# Misconception leaky-relu-grad-hardcoded-slope: the default 0.01 is written into the
# derivative, so another negative_slope gives the wrong gradient.
def leaky_relu_grad(x, negative_slope=0.01):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, 0.01)
