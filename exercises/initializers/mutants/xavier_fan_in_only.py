# Misconception xavier-fan-in-only: a = gain·√(3/fan_in) (Caffe's XavierFiller default),
# which keeps only the forward variance and ignores fan_out.
def xavier_uniform(shape, gain=1.0, rng=None):
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    a = gain * math.sqrt(3.0 / fan_in)
    return _generator(rng).uniform(-a, a, size=dims)
