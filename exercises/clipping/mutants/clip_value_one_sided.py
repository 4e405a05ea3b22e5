# Misconception clip-value-one-sided: only the upper bound is applied, large negative
# gradients pass unchanged.
def clip_grad_value(grads, clip_value):
    return [np.minimum(np.asarray(g, dtype=np.float64), clip_value) for g in grads]
