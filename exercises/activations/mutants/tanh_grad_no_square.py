# Misconception tanh-grad-no-square: 1 - tanh(x), the square forgotten.
def tanh_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return 1.0 - np.tanh(x)
