# Misconception clip-norm-type-ignored: the 2-norm is used whatever norm_type says
# (for norm_type=inf the total must be the largest |entry|).
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = float(np.sqrt(sum(np.sum(g * g) for g in arrays)))
    c = max_norm / (total + 1e-6)
    return [g * c if c < 1.0 else g.copy() for g in arrays], total
