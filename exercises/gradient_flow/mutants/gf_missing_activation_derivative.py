# Misconception gf-missing-activation-derivative: the backward pass goes through the
# matrix products only, as if every layer were linear.
def layer_statistics(x, weights, activation):
    act = _FORWARD[activation]
    hs = [np.asarray(x, dtype=np.float64)]
    for w in weights:
        hs.append(act(hs[-1] @ np.asarray(w, dtype=np.float64)))
    stds = [float(np.std(h)) for h in hs[1:]]
    norms = [0.0] * len(weights)
    dh = hs[-1] / hs[0].shape[0]
    for i in reversed(range(len(weights))):
        norms[i] = float(np.linalg.norm(hs[i].T @ dh))
        dh = dh @ np.asarray(weights[i], dtype=np.float64).T
    return stds, norms
