# Misconception gf-activation-grad-norm: reports ‖∂Loss/∂h_{i+1}‖ (the gradient reaching
# the layer's output) instead of ‖∂Loss/∂W_i‖.
def layer_statistics(x, weights, activation):
    act, act_grad = _FORWARD[activation], _BACKWARD[activation]
    hs, zs = [np.asarray(x, dtype=np.float64)], []
    for w in weights:
        zs.append(hs[-1] @ np.asarray(w, dtype=np.float64))
        hs.append(act(zs[-1]))
    stds = [float(np.std(h)) for h in hs[1:]]
    norms = [0.0] * len(weights)
    dh = hs[-1] / hs[0].shape[0]
    for i in reversed(range(len(weights))):
        norms[i] = float(np.linalg.norm(dh))
        delta = dh * act_grad(zs[i], hs[i + 1])
        dh = delta @ np.asarray(weights[i], dtype=np.float64).T
    return stds, norms
