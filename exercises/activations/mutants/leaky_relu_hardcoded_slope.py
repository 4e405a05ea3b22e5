# Misconception leaky-relu-hardcoded-slope: 0.01 is written into the formula, so the
# negative_slope argument has no effect.
def leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, 0.01 * x)
