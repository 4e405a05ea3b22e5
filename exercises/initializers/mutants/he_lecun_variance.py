# Misconception he-lecun-variance: Var(w) = 1/fan (LeCun) instead of 2/fan for ReLU.
def he_normal(shape, mode="fan_in", rng=None):
    dims = _dims(shape)
    fan = _fan(dims, mode)
    std = math.sqrt(1.0 / fan)
    return _generator(rng).normal(0.0, std, size=dims)
