# Misconception xavier-uniform-missing-sqrt3: the standard deviation used as the bound.
def xavier_uniform(shape, gain=1.0, rng=None):
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    a = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return _generator(rng).uniform(-a, a, size=dims)
