# Misconception conv-fan-no-receptive-field: only the channel counts, not the kernel.
def fan_in_and_fan_out(shape):
    dims = _dims(shape)
    if len(dims) < 2:
        raise ValueError(f"need at least 2 dimensions, got {dims}")
    return dims[1], dims[0]
