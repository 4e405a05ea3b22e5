# Misconception gf-sample-std: the sample std (ddof=1) instead of the population std.
def layer_statistics(x, weights, activation):
    act, act_grad = _FORWARD[activation], _BACKWARD[activation]
    hs, zs = [np.asarray(x, dtype=np.float64)], []
    for w in weights:
        zs.append(hs[-1] @ np.asarray(w, dtype=np.float64))
        hs.append(act(zs[-1]))
    stds = [float(np.std(h, ddof=1)) for h in hs[1:]]
    norms = [0.0] * len(weights)
    dh = hs[-1] / hs[0].shape[0]
    for i in reversed(range(len(weights))):
        delta = dh * act_grad(zs[i], hs[i + 1])
        norms[i] = float(np.linalg.norm(hs[i].T @ delta))
        dh = delta @ np.asarray(weights[i], dtype=np.float64).T
    return stds, norms
