# Misconception gain-tanh-one: tanh treated like sigmoid/linear, with gain 1 instead of 5/3.
def calculate_gain(nonlinearity, param=None):
    if nonlinearity == "tanh":
        return 1.0
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity!r}")
