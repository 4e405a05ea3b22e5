# Misconception clip-no-epsilon: c = max_norm/total, without PyTorch's + 1e-6.
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    norms = np.array([_vector_norm(g, float(norm_type)) for g in arrays])
    total = _vector_norm(norms, float(norm_type)) if arrays else 0.0
    if total == 0.0:
        return [g.copy() for g in arrays], total
    c = max_norm / total
    return [g * c if c < 1.0 else g.copy() for g in arrays], total
