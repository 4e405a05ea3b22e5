# Misconception relu-in-place: negative entries are zeroed in the caller's array,
# which is then returned (the values are right, the input is destroyed).
def relu(x):
    if not isinstance(x, np.ndarray):
        x = np.asarray(x, dtype=np.float64)
    x[x < 0] = 0.0
    return x
