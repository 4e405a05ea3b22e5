# Misconception xavier-squared-gain: the gain applied to the variance, so the std gets gain².
def xavier_normal(shape, gain=1.0, rng=None):
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    std = gain**2 * math.sqrt(2.0 / (fan_in + fan_out))
    return _generator(rng).normal(0.0, std, size=dims)
