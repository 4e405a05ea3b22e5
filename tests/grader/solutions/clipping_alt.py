"""An independent correct solution of `clipping`, with explicit loops."""

import math

import numpy as np


def clip_grad_norm(grads, max_norm, norm_type=2.0):
    if len(grads) == 0:
        return [], 0.0
    if math.isinf(norm_type):
        total = max(float(np.max(np.abs(g))) if np.size(g) else 0.0 for g in grads)
    else:
        acc = 0.0
        for g in grads:
            acc += float(np.sum(np.abs(g) ** norm_type))
        total = acc ** (1.0 / norm_type)
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        return [np.array(g, dtype=float) * coef for g in grads], total
    return [np.array(g, dtype=float) for g in grads], total


def clip_grad_value(grads, clip_value):
    return [np.minimum(np.maximum(g, -clip_value), clip_value) for g in grads]
