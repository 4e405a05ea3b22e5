# Misconception gelu-grad-missing-x-pdf: the product rule stops after its first term,
# giving Φ(x) instead of Φ(x) + x·φ(x).
def gelu_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
