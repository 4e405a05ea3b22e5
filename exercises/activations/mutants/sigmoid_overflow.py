# Misconception sigmoid-overflow: e^x / (1 + e^x) evaluated for every x.
# For x > 709.78, e^x overflows to inf and the quotient inf/inf is NaN.
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x)
    return e / (1.0 + e)
