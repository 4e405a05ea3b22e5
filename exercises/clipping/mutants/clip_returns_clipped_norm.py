# Misconception clip-returns-clipped-norm: the norm after clipping is returned instead of
# the norm before clipping.
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    norms = np.array([_vector_norm(g, float(norm_type)) for g in arrays])
    total = _vector_norm(norms, float(norm_type)) if arrays else 0.0
    c = max_norm / (total + 1e-6)
    if c < 1.0:
        return [g * c for g in arrays], total * c
    return [g.copy() for g in arrays], total
