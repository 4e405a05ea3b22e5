# Misconception relu-grad-sign: the derivative taken as sign(x), like that of |x|:
# -1 instead of 0 on the negative side.
def relu_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x)
