# Misconception fans-swapped: the shape read as (in, out, *kernel), numpy's x @ W layout.
def fan_in_and_fan_out(shape):
    dims = _dims(shape)
    if len(dims) < 2:
        raise ValueError(f"need at least 2 dimensions, got {dims}")
    receptive = math.prod(dims[2:])
    return dims[0] * receptive, dims[1] * receptive
