# Misconception he-squared-gain: the ReLU gain √2 squared, std = 2/√fan.
def he_normal(shape, mode="fan_in", rng=None):
    dims = _dims(shape)
    fan = _fan(dims, mode)
    gain = math.sqrt(2.0)
    std = gain**2 / math.sqrt(fan)
    return _generator(rng).normal(0.0, std, size=dims)
