# Misconception clip-value-in-place: the caller's arrays are clipped in place (as PyTorch's
# clip_grad_value_ does with .grad) and returned; the contract asks for new arrays.
def clip_grad_value(grads, clip_value):
    out = []
    for g in grads:
        np.clip(g, -clip_value, clip_value, out=g)
        out.append(g)
    return out
