# Misconception gelu-sigmoid-approx: GELU replaced by x·σ(1.702x).
def gelu(x):
    x = np.asarray(x, dtype=np.float64)
    return x * sigmoid(1.702 * x)
