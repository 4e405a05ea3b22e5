# Misconception he-variance-as-std: 2/fan passed to normal() as its standard deviation.
def he_normal(shape, mode="fan_in", rng=None):
    dims = _dims(shape)
    fan = _fan(dims, mode)
    return _generator(rng).normal(0.0, 2.0 / fan, size=dims)
