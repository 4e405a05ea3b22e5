# Misconception elu-alpha-misplaced: α e^x − 1 instead of α (e^x − 1); the parentheses
# are lost, so elu(0⁻) is α − 1 and the curve no longer meets the identity at 0.
def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    neg = alpha * np.exp(np.minimum(x, 0.0)) - 1.0
    return np.where(x > 0, x, neg)
