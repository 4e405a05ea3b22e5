# Misconception xavier-variance-as-std: the variance 2/(fan_in + fan_out) passed as the scale.
def xavier_normal(shape, gain=1.0, rng=None):
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    var = gain * 2.0 / (fan_in + fan_out)
    return _generator(rng).normal(0.0, var, size=dims)
