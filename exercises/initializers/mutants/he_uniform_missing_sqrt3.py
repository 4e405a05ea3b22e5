# Misconception he-uniform-missing-sqrt3: bound = √(2/fan), the std, instead of √(6/fan).
def he_uniform(shape, mode="fan_in", rng=None):
    dims = _dims(shape)
    fan = _fan(dims, mode)
    bound = math.sqrt(2.0 / fan)
    return _generator(rng).uniform(-bound, bound, size=dims)
