# Misconception init-rng-ignored: the rng argument is not used; the function makes its own
# generator with a fixed seed, so every call returns the same numbers whatever rng is passed.
def xavier_normal(shape, gain=1.0, rng=None):
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    own = np.random.default_rng(0)
    return own.normal(0.0, std, size=dims)
