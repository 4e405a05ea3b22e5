# Misconception sigmoid-grad-sigmoid-twice: σ is applied to σ(x) before using s(1 - s).
def sigmoid_grad(x):
    x = np.asarray(x, dtype=np.float64)
    s = sigmoid(sigmoid(x))
    return s * (1.0 - s)
