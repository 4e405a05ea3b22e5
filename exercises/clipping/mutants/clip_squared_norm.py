# Misconception clip-squared-norm: the sum of squares used as the 2-norm (the root forgotten).
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = float(sum(np.sum(g * g) for g in arrays))
    c = max_norm / (total + 1e-6)
    return [g * c if c < 1.0 else g.copy() for g in arrays], total
