# Misconception elu-grad-keeps-minus-one: the derivative of α(e^x − 1) written as
# α(e^x − 1), i.e. the forward value, instead of α e^x.
def elu_grad(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    neg = alpha * np.expm1(np.minimum(x, 0.0))
    return np.where(x > 0, 1.0, neg)
