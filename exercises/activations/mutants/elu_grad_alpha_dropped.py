# Misconception elu-grad-alpha-dropped: e^x for x <= 0, the factor α forgotten.
def elu_grad(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))
