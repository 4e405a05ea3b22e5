# Misconception torch-kaiming-fan-out-default: fan_out is used for mode="fan_in" (the
# modes read the wrong way round).
def kaiming_normal_(tensor, mode="fan_in", generator=None):
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    fan = fan_out if mode == "fan_in" else fan_in
    std = math.sqrt(2.0 / fan)
    with torch.no_grad():
        return tensor.normal_(0, std, generator=generator)
