# Misconception gf-derivative-of-output: the activation's derivative evaluated at the
# layer's output h = act(z) instead of at its input z (σ'(σ(z)), 1 − tanh²(tanh z), ...).
def layer_statistics(x, weights, activation):
    act = _FORWARD[activation]
    hs, zs = [np.asarray(x, dtype=np.float64)], []
    for w in weights:
        zs.append(hs[-1] @ np.asarray(w, dtype=np.float64))
        hs.append(act(zs[-1]))
    stds = [float(np.std(h)) for h in hs[1:]]
    norms = [0.0] * len(weights)
    dh = hs[-1] / hs[0].shape[0]
    for i in reversed(range(len(weights))):
        h = hs[i + 1]
        wrong_grad = _BACKWARD[activation](h, act(h))
        delta = dh * wrong_grad
        norms[i] = float(np.linalg.norm(hs[i].T @ delta))
        dh = delta @ np.asarray(weights[i], dtype=np.float64).T
    return stds, norms
