# Misconception tanh-grad-on-output: 1 - t² applied to the input x instead of t = tanh(x).
def tanh_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return 1.0 - x * x
