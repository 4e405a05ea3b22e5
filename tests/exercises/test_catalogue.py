"""The misconception catalogue: it loads, it is bilingual, and every mutant is wrong.

Each mutant is composed the way the grader composes it (reference source + "\\n\\n" +
mutant source), executed into a fresh module, and probed on inputs crafted to expose
the classic mistakes: edge values and exact zeros, small batches whose features have
distinct means and scales, σ ≈ 1e-2 features, non-square and convolutional weights.
A mutant must differ from the reference on its function's probe, and from every other
mutant of the same function, so that a diagnosis can name exactly one.
"""

from __future__ import annotations

import importlib
import itertools
import math
import re
import tomllib
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.exercise import EXERCISES_DIR, _misconceptions, load_all

#: exercise id -> (reference module, the contract's names for that exercise)
EXERCISES: dict[str, tuple[str, tuple[str, ...]]] = {
    "activations": ("reference.activations", (
        "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
        "leaky_relu_grad", "elu", "elu_grad", "gelu", "gelu_grad")),
    "initializers": ("reference.initializers", (
        "fan_in_and_fan_out", "calculate_gain", "xavier_uniform", "xavier_normal",
        "he_uniform", "he_normal")),
    "gradient_flow": ("reference.gradient_flow", ("layer_statistics",)),
    "batchnorm": ("reference.normalization", ("batchnorm_forward", "batchnorm_backward")),
    "layernorm": ("reference.normalization", ("layernorm_forward", "layernorm_backward")),
    "clipping": ("reference.clipping", ("clip_grad_norm", "clip_grad_value")),
    "torch_layers": ("reference.torch_layers", (
        "BatchNorm1d", "LayerNorm", "xavier_uniform_", "kaiming_normal_")),
}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _entries() -> Iterator[tuple[str, Any]]:
    for ex_id, (_, functions) in EXERCISES.items():
        for spec in _misconceptions(EXERCISES_DIR / ex_id, set(functions)):
            yield ex_id, spec


ENTRIES = list(_entries())


def _source(module: str) -> str:
    return Path(importlib.import_module(module).__file__ or "").read_text(encoding="utf-8")


def _compose(ex_id: str, mutant: Path | None) -> types.ModuleType:
    """The module the grader builds: the reference, then (optionally) the mutant."""
    source = _source(EXERCISES[ex_id][0])
    name = f"gradwell_probe_{ex_id}"
    if mutant is not None:
        source += "\n\n" + mutant.read_text(encoding="utf-8")
        name += "_" + mutant.stem
    module = types.ModuleType(name)
    module.__file__ = str(mutant or name)
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


# -- probes: what a function returns on the crafted inputs ----------------------------
# Each probe returns a list of (value, rtol): arrays compared with NaN == NaN and
# |a − b| ≤ 1e-12 + rtol·|b|. Random initialisers are summarised by statistics.

Probe = list[tuple[Any, float]]
EXACT = 1e-7


def _activation_inputs() -> np.ndarray:
    rng = np.random.default_rng(3)
    edges = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 20.0, -20.0, 710.0, -710.0,
             1000.0, -1000.0, 1e4, -1e4]
    return np.concatenate([rng.normal(0.0, 3.0, 40), np.zeros(4), edges])


_ACT_KWARGS = {
    "leaky_relu": [{}, {"negative_slope": 0.2}],
    "elu": [{}, {"alpha": 0.5}, {"alpha": 2.0}],
}


def _probe_activation(mod: types.ModuleType, function: str) -> Probe:
    out: Probe = []
    for kw in _ACT_KWARGS.get(function.removesuffix("_grad"), [{}]):
        x = _activation_inputs()
        before = x.copy()
        with np.errstate(all="ignore"):
            y = np.asarray(getattr(mod, function)(x, **kw), dtype=np.float64)
        out += [(y, EXACT), (np.array_equal(x, before), 0.0)]
    return out


def _init_stats(w: np.ndarray) -> list[tuple[Any, float]]:
    w = np.asarray(w, dtype=np.float64)
    return [(w.shape, 0.0), (w.std(), 0.03), (np.abs(w).max(), 0.03)]


def _probe_initializer(mod: types.ModuleType, function: str) -> Probe:
    f = getattr(mod, function)
    shapes = [(512, 128), (64, 16, 3, 3), (128, 512)]
    if function == "fan_in_and_fan_out":
        return [(f(s), 0.0) for s in [*shapes, (20, 10)]]
    if function == "calculate_gain":
        names = ["linear", "conv2d", "sigmoid", "tanh", "relu", "selu"]
        gains = [f(n) for n in names]
        gains += [f("leaky_relu"), f("leaky_relu", 0.2), f("leaky_relu", 1.0)]
        return [(np.array(gains), EXACT)]
    options: list[dict[str, Any]]
    if function.startswith("xavier"):
        options = [{}, {"gain": 5.0 / 3.0}]
    else:
        options = [{}, {"mode": "fan_out"}]
    out: Probe = []
    for shape, kw in itertools.product(shapes, options):
        out += _init_stats(f(shape, rng=np.random.default_rng(11), **kw))
    # Reproducible with the same seed, different with another one.
    a = f((64, 32), rng=np.random.default_rng(1))
    b = f((64, 32), rng=np.random.default_rng(1))
    c = f((64, 32), rng=np.random.default_rng(2))
    out += [(np.array_equal(a, b), 0.0), (np.array_equal(a, c), 0.0)]
    return out


def _probe_gradient_flow(mod: types.ModuleType, function: str) -> Probe:
    rng = np.random.default_rng(5)
    x = rng.normal(0.0, 1.0, (16, 24))
    dims = [24, 32, 32, 16, 8]
    weights = [rng.normal(0.0, 1.5 / math.sqrt(a), (a, b)) for a, b in itertools.pairwise(dims)]
    out: Probe = []
    for activation in ("sigmoid", "tanh", "relu"):
        stds, norms = mod.layer_statistics(x.copy(), [w.copy() for w in weights], activation)
        out += [(np.array(stds), EXACT), (np.array(norms), EXACT)]
    return out


def _bn_batch(seed: int, n: int = 6) -> np.ndarray:
    """Features with distinct means and scales, one of them with σ ≈ 1e-2."""
    rng = np.random.default_rng(seed)
    means = np.array([-3.0, 0.0, 1.0, 5.0, 0.5])
    scales = np.array([0.01, 0.5, 1.0, 3.0, 10.0])
    return means + scales * rng.normal(size=(n, 5))


def _probe_batchnorm(mod: types.ModuleType, function: str) -> Probe:
    ref = _compose("batchnorm", None)
    rng = np.random.default_rng(7)
    gamma, beta = rng.uniform(0.5, 2.0, 5), rng.normal(size=5)
    rm, rv = rng.normal(size=5), rng.uniform(0.5, 2.0, 5)
    x, x_eval = _bn_batch(1), _bn_batch(2, n=4) * 2.0 + 1.0
    if function == "batchnorm_forward":
        out: Probe = []
        for data, training in ((x, True), (x_eval, False)):
            y, new_rm, new_rv, _ = mod.batchnorm_forward(
                data, gamma, beta, rm, rv, training=training)
            out += [(y, EXACT), (new_rm, EXACT), (new_rv, EXACT)]
        return out
    _, _, _, cache = ref.batchnorm_forward(x, gamma, beta, rm, rv, training=True)
    dout = rng.normal(size=x.shape)
    return [(v, EXACT) for v in mod.batchnorm_backward(dout, cache)]


def _ln_batch() -> np.ndarray:
    """(2, 3, 8): samples of very different scales, one with σ ≈ 1e-2."""
    rng = np.random.default_rng(9)
    scales = np.array([0.01, 1.0, 4.0, 0.3, 2.0, 10.0]).reshape(2, 3, 1)
    return rng.normal(size=(2, 3, 8)) * scales + rng.normal(size=(2, 3, 1))


def _probe_layernorm(mod: types.ModuleType, function: str) -> Probe:
    ref = _compose("layernorm", None)
    rng = np.random.default_rng(10)
    gamma, beta = rng.uniform(0.5, 2.0, 8), rng.normal(size=8)
    x = _ln_batch()
    if function == "layernorm_forward":
        out: Probe = []
        for data in (x, x[0], x[0, :1]):
            y, _ = mod.layernorm_forward(data, gamma, beta)
            out.append((y, EXACT))
        return out
    _, cache = ref.layernorm_forward(x, gamma, beta)
    dout = rng.normal(size=x.shape)
    return [(v, EXACT) for v in mod.layernorm_backward(dout, cache)]


def _grads(scale: float) -> list[np.ndarray]:
    rng = np.random.default_rng(12)
    return [scale * rng.normal(size=(3, 4)), 0.1 * scale * rng.normal(size=5),
            np.array([-4.0 * scale, 0.5 * scale])]


def _probe_clipping(mod: types.ModuleType, function: str) -> Probe:
    out: Probe = []
    if function == "clip_grad_value":
        grads = _grads(1.0)
        before = [g.copy() for g in grads]
        clipped = mod.clip_grad_value(grads, 0.5)
        out += [(np.concatenate([np.ravel(c) for c in clipped]), EXACT)]
        out.append((all(np.array_equal(g, b) for g, b in zip(grads, before, strict=False)), 0.0))
        return out
    cases = [(5.0, 1.0, 2.0), (0.05, 100.0, 2.0), (0.02, 0.01, 2.0), (5.0, 1.0, math.inf),
             (5.0, 2.0, 1.0)]
    for scale, max_norm, p in cases:
        grads = _grads(scale)
        before = [g.copy() for g in grads]
        clipped, total = mod.clip_grad_norm(grads, max_norm, norm_type=p)
        out += [(np.concatenate([np.ravel(c) for c in clipped]), EXACT), (float(total), EXACT)]
        out.append((all(np.array_equal(g, b) for g, b in zip(grads, before, strict=False)), 0.0))
    return out


def _probe_torch(mod: types.ModuleType, function: str) -> Probe:
    import torch

    f64 = torch.float64
    out: Probe = []
    if function == "BatchNorm1d":
        bn = mod.BatchNorm1d(5, dtype=f64)
        with torch.no_grad():
            bn.weight.copy_(torch.tensor([0.5, 1.0, 1.5, 2.0, 0.7], dtype=f64))
        x = torch.tensor(_bn_batch(1), dtype=f64, requires_grad=True)
        y = bn(x)
        (y * torch.arange(30, dtype=f64).reshape(6, 5).sin()).sum().backward()
        assert x.grad is not None
        out += [(y.detach().numpy(), EXACT), (x.grad.numpy(), EXACT),
                (bn.running_mean.numpy().copy(), EXACT), (bn.running_var.numpy().copy(), EXACT)]
        bn.eval()
        y_eval = bn(torch.tensor(_bn_batch(2, n=4) * 2.0 + 1.0, dtype=f64))
        out.append((y_eval.detach().numpy(), EXACT))
        return out
    if function == "LayerNorm":
        ln = mod.LayerNorm(8, dtype=f64)
        x = torch.tensor(_ln_batch().reshape(6, 8), dtype=f64, requires_grad=True)
        y = ln(x)
        (y * torch.arange(48, dtype=f64).reshape(6, 8).cos()).sum().backward()
        assert x.grad is not None
        return [(y.detach().numpy(), EXACT), (x.grad.numpy(), EXACT)]
    fill = getattr(mod, function)
    for shape in ((512, 128), (64, 16, 3, 3)):
        tensor = torch.zeros(shape, dtype=f64)
        returned = fill(tensor, generator=torch.Generator().manual_seed(4))
        out += [(returned is tensor, 0.0), *_init_stats(tensor.numpy())]
    return out


PROBES: dict[str, Callable[[types.ModuleType, str], Probe]] = {
    "activations": _probe_activation,
    "initializers": _probe_initializer,
    "gradient_flow": _probe_gradient_flow,
    "batchnorm": _probe_batchnorm,
    "layernorm": _probe_layernorm,
    "clipping": _probe_clipping,
    "torch_layers": _probe_torch,
}


def _same(a: Probe, b: Probe) -> bool:
    """Whether two probes agree, the tolerance of each entry taken from ``b``."""
    if len(a) != len(b):
        return False
    for (va, _), (vb, rtol) in zip(a, b, strict=False):
        if isinstance(vb, (bool, tuple)) or isinstance(va, (bool, tuple)):
            if va != vb:
                return False
            continue
        xa, xb = np.asarray(va, dtype=np.float64), np.asarray(vb, dtype=np.float64)
        if xa.shape != xb.shape:
            return False
        if not np.allclose(xa, xb, rtol=rtol, atol=1e-12, equal_nan=True):
            return False
    return True


_PROBE_CACHE: dict[tuple[str, str, str], Probe] = {}


def _probe(ex_id: str, function: str, mutant: Path | None) -> Probe:
    key = (ex_id, function, str(mutant))
    if key not in _PROBE_CACHE:
        _PROBE_CACHE[key] = PROBES[ex_id](_compose(ex_id, mutant), function)
    return _PROBE_CACHE[key]


# -- tests -------------------------------------------------------------------------


def test_catalogue_has_at_least_40_entries_with_unique_ids() -> None:
    ids = [spec.id for _, spec in ENTRIES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    for ex_id in EXERCISES:
        assert any(e == ex_id for e, _ in ENTRIES), f"{ex_id} has no misconception"


def test_mutant_files_are_named_after_their_ids() -> None:
    for _, spec in ENTRIES:
        assert spec.mutant.name == spec.id.replace("-", "_") + ".py", spec.id
        assert f"Misconception {spec.id}:" in spec.mutant.read_text(encoding="utf-8")


def test_every_mutant_file_is_catalogued() -> None:
    catalogued = {spec.mutant.resolve() for _, spec in ENTRIES}
    for ex_id in EXERCISES:
        for path in (EXERCISES_DIR / ex_id / "mutants").glob("*.py"):
            assert path.resolve() in catalogued, f"{path} is not in misconceptions.toml"


@pytest.mark.parametrize("ex_id,spec", ENTRIES, ids=[s.id for _, s in ENTRIES])
def test_texts_are_bilingual(ex_id: str, spec: Any) -> None:
    for text in (spec.info.title, spec.info.explanation, spec.info.hint):
        assert text.en.strip() and text.ko.strip()
        assert HANGUL.search(text.ko), f"{spec.id}: Korean text has no Hangul: {text.ko!r}"
        assert not HANGUL.search(text.en), f"{spec.id}: English text contains Hangul"
        assert text.en != text.ko


def test_every_catalogue_loads_through_load_all() -> None:
    """The public loader validates every catalogue against its exercise.toml, and every
    misconception concerns a function that the exercise tests."""
    exercises = load_all()
    assert "quiz_vanishing" in exercises
    for ex_id in EXERCISES:
        exercise = exercises[ex_id]
        assert exercise.kind == "code"
        assert [s.id for s in exercise.misconceptions] == [s.id for e, s in ENTRIES if e == ex_id]
        for spec in exercise.misconceptions:
            assert spec.function in exercise.functions, spec.id


def test_the_reference_reproduces_itself() -> None:
    """The probes are deterministic: two compositions of the reference agree."""
    for ex_id, (_, functions) in EXERCISES.items():
        for function in functions:
            fresh = PROBES[ex_id](_compose(ex_id, None), function)
            assert _same(fresh, _probe(ex_id, function, None)), (ex_id, function)


@pytest.mark.parametrize("ex_id,spec", ENTRIES, ids=[s.id for _, s in ENTRIES])
def test_mutant_differs_from_the_reference(ex_id: str, spec: Any) -> None:
    mutant = _probe(ex_id, spec.function, spec.mutant)
    reference = _probe(ex_id, spec.function, None)
    assert not _same(mutant, reference), f"{spec.id} behaves like the reference"


@pytest.mark.parametrize("ex_id,spec", ENTRIES, ids=[s.id for _, s in ENTRIES])
def test_mutant_redefines_only_its_own_function(ex_id: str, spec: Any) -> None:
    """Every other contract name still behaves as the reference's (the grader can only
    name one misconception per function if the others stay right)."""
    for function in EXERCISES[ex_id][1]:
        if function == spec.function:
            continue
        if ex_id in ("batchnorm", "layernorm") and function.endswith("_backward"):
            continue  # backward probes use the reference forward's cache by design
        if ex_id == "initializers" and spec.function == "fan_in_and_fan_out":
            continue  # the initialisers call fan_in_and_fan_out, as the contract defines them
        assert _same(_probe(ex_id, function, spec.mutant), _probe(ex_id, function, None)), (
            f"{spec.id} also changes {function}")


def test_mutants_of_one_function_are_pairwise_distinct() -> None:
    by_function: dict[tuple[str, str], list[Any]] = {}
    for ex_id, spec in ENTRIES:
        by_function.setdefault((ex_id, spec.function), []).append(spec)
    for (ex_id, function), specs in by_function.items():
        for a, b in itertools.combinations(specs, 2):
            pa, pb = _probe(ex_id, function, a.mutant), _probe(ex_id, function, b.mutant)
            assert not _same(pa, pb) and not _same(pb, pa), f"{a.id} and {b.id} look alike"


def test_toml_has_no_keys_beyond_the_loader_format() -> None:
    allowed = {"id", "function", "mutant", "title", "explanation", "hint"}
    for ex_id in EXERCISES:
        with (EXERCISES_DIR / ex_id / "misconceptions.toml").open("rb") as fh:
            data = tomllib.load(fh)
        assert set(data) == {"misconception"}
        for entry in data["misconception"]:
            assert set(entry) == allowed


#: Mutants whose misconception *is* a numerically unsafe formula: their warnings are
#: part of what the student sees. Every other mutant must run warning-free.
WARNING_IS_THE_POINT = {"sigmoid-overflow", "tanh-overflow"}


def test_only_overflow_mutants_emit_numpy_warnings() -> None:
    import warnings

    def warns(mutant: Path | None, function: str) -> bool:
        module = _compose("activations", mutant)
        with warnings.catch_warnings(record=True) as caught, np.errstate(
                over="warn", invalid="warn", divide="warn", under="ignore"):
            warnings.simplefilter("always")
            for kw in _ACT_KWARGS.get(function.removesuffix("_grad"), [{}]):
                getattr(module, function)(_activation_inputs(), **kw)
        return bool(caught)

    for function in EXERCISES["activations"][1]:
        assert not warns(None, function), function
    noisy = {spec.id for ex_id, spec in ENTRIES
             if ex_id == "activations" and warns(spec.mutant, spec.function)}
    assert noisy == WARNING_IS_THE_POINT
