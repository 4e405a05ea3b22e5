# Misconception torch-xavier-not-in-place: a new tensor is drawn and returned; the tensor
# passed in is left as it was.
def xavier_uniform_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    fresh = torch.empty(tensor.shape, dtype=tensor.dtype)
    with torch.no_grad():
        fresh.uniform_(-a, a, generator=generator)
    return fresh
