# Misconception he-uniform-mode-ignored: fan_in is used whatever mode says.
def he_uniform(shape, mode="fan_in", rng=None):
    dims = _dims(shape)
    fan_in, _ = fan_in_and_fan_out(dims)
    bound = math.sqrt(6.0 / fan_in)
    return _generator(rng).uniform(-bound, bound, size=dims)
