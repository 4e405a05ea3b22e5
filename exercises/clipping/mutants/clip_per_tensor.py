# Misconception clip-per-tensor: each gradient clipped by its own norm; total_norm is the
# norm of all of them together (so only the clipping is wrong).
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    norms = [_vector_norm(g, float(norm_type)) for g in arrays]
    total = _vector_norm(np.array(norms), float(norm_type)) if arrays else 0.0
    out = []
    for g, n in zip(arrays, norms):
        c = max_norm / (n + 1e-6)
        out.append(g * c if c < 1.0 else g.copy())
    return out, total
