# Misconception leaky-relu-grad-slope-ignored: the ReLU derivative (0 for x <= 0) is
# reused, as if the leak did not reach the gradient.
def leaky_relu_grad(x, negative_slope=0.01):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, 0.0)
