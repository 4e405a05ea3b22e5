# Misconception gf-std-of-preactivation: the std of z_{i+1} = h_i W_i (before the
# activation) is reported instead of the std of h_{i+1}.
def layer_statistics(x, weights, activation):
    act, act_grad = _FORWARD[activation], _BACKWARD[activation]
    hs, zs = [np.asarray(x, dtype=np.float64)], []
    for w in weights:
        zs.append(hs[-1] @ np.asarray(w, dtype=np.float64))
        hs.append(act(zs[-1]))
    stds = [float(np.std(z)) for z in zs]
    norms = [0.0] * len(weights)
    dh = hs[-1] / hs[0].shape[0]
    for i in reversed(range(len(weights))):
        delta = dh * act_grad(zs[i], hs[i + 1])
        norms[i] = float(np.linalg.norm(hs[i].T @ delta))
        dh = delta @ np.asarray(weights[i], dtype=np.float64).T
    return stds, norms
