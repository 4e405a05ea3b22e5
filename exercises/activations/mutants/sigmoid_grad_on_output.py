# Misconception sigmoid-grad-on-output: s(1 - s) applied to the input x itself,
# as if x were already σ(x) (the cached-output form used in many backprop notes).
def sigmoid_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return x * (1.0 - x)
