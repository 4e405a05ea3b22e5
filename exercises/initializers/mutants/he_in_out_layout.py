# Misconception he-in-out-layout: the weight read as (in, out), so shape[0] is taken as fan_in.
def he_normal(shape, mode="fan_in", rng=None):
    dims = _dims(shape)
    receptive = math.prod(dims[2:])
    fan_in, fan_out = dims[0] * receptive, dims[1] * receptive
    fan = fan_in if mode == "fan_in" else fan_out
    return _generator(rng).normal(0.0, math.sqrt(2.0 / fan), size=dims)
