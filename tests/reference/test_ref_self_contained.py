"""Each reference module is a valid submission: self-contained imports, the contract's
names and signatures, working when loaded from its source text alone, honest examples."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import re
import sys
from typing import Any

import numpy as np
import pytest
import torch
from _submission import EXERCISE_SOURCES, REFERENCE_DIR, load_source, reference_source

# Imports each exercise file may use (contract §1 and the helpers' brief); the standard
# library is always allowed.
ALLOWED_THIRD_PARTY: dict[str, set[str]] = {
    "activations.py": {"numpy", "numpy.typing", "scipy.special"},
    "initializers.py": {"numpy", "numpy.typing"},
    "gradient_flow.py": {"numpy", "numpy.typing"},
    "normalization.py": {"numpy", "numpy.typing"},
    "clipping.py": {"numpy", "numpy.typing"},
    "torch_layers.py": {"torch"},
}
SCIPY_SPECIAL_NAMES = {"erf"}

# (name, [(parameter, default or EMPTY)]) from contract.md §1; extra trailing parameters
# are allowed only with defaults.
EMPTY = inspect.Parameter.empty
CONTRACT: dict[str, list[tuple[str, list[tuple[str, Any]]]]] = {
    "activations": [
        *[(n, [("x", EMPTY)]) for n in ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu",
                                        "relu_grad", "gelu", "gelu_grad"]],
        *[(n, [("x", EMPTY), ("negative_slope", 0.01)]) for n in ["leaky_relu", "leaky_relu_grad"]],
        *[(n, [("x", EMPTY), ("alpha", 1.0)]) for n in ["elu", "elu_grad"]],
    ],
    "initializers": [
        ("fan_in_and_fan_out", [("shape", EMPTY)]),
        ("calculate_gain", [("nonlinearity", EMPTY), ("param", None)]),
        *[(n, [("shape", EMPTY), ("gain", 1.0), ("rng", None)])
          for n in ["xavier_uniform", "xavier_normal"]],
        *[(n, [("shape", EMPTY), ("mode", "fan_in"), ("rng", None)])
          for n in ["he_uniform", "he_normal"]],
    ],
    "gradient_flow": [
        ("layer_statistics", [("x", EMPTY), ("weights", EMPTY), ("activation", EMPTY)]),
    ],
    "batchnorm": [
        ("batchnorm_forward", [("x", EMPTY), ("gamma", EMPTY), ("beta", EMPTY),
                               ("running_mean", EMPTY), ("running_var", EMPTY),
                               ("training", True), ("momentum", 0.1), ("eps", 1e-5)]),
        ("batchnorm_backward", [("dout", EMPTY), ("cache", EMPTY)]),
    ],
    "layernorm": [
        ("layernorm_forward", [("x", EMPTY), ("gamma", EMPTY), ("beta", EMPTY), ("eps", 1e-5)]),
        ("layernorm_backward", [("dout", EMPTY), ("cache", EMPTY)]),
    ],
    "clipping": [
        ("clip_grad_norm", [("grads", EMPTY), ("max_norm", EMPTY), ("norm_type", 2.0)]),
        ("clip_grad_value", [("grads", EMPTY), ("clip_value", EMPTY)]),
    ],
    "torch_layers": [
        ("BatchNorm1d", [("num_features", EMPTY), ("eps", 1e-5), ("momentum", 0.1)]),
        ("LayerNorm", [("normalized_shape", EMPTY), ("eps", 1e-5)]),
        ("xavier_uniform_", [("tensor", EMPTY), ("gain", 1.0), ("generator", None)]),
        ("kaiming_normal_", [("tensor", EMPTY), ("mode", "fan_in"), ("generator", None)]),
    ],
}  # fmt: skip

FILES = sorted(set(EXERCISE_SOURCES.values()))
# Attribute names whose use would be a forbidden library one-liner in torch_layers.
TORCH_FORBIDDEN_ATTRS = {"batch_norm", "layer_norm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
                         "LayerNorm", "init", "xavier_uniform_", "kaiming_normal_"}  # fmt: skip


def _imports(tree: ast.Module) -> list[tuple[str, list[str], int]]:
    """(module, imported names, level) for every import statement."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", [a.name for a in node.names], node.level))
    return found


@pytest.mark.parametrize("filename", FILES)
def test_imports_are_self_contained(filename: str) -> None:
    tree = ast.parse((REFERENCE_DIR / filename).read_text(encoding="utf-8"))
    for module, names, level in _imports(tree):
        assert level == 0, f"{filename}: relative import of {module!r}"
        top = module.split(".")[0]
        assert top != "reference", f"{filename} imports {module}: not self-contained"
        if top in sys.stdlib_module_names or module == "__future__":
            continue
        allowed = ALLOWED_THIRD_PARTY[filename]
        assert (
            module in allowed
            or (top == "torch" and "torch" in allowed)
            or (module in {f"{m}.{n}" for m in allowed for n in names})
        ), f"{filename} imports {module} {names}, allowed: {sorted(allowed)}"
        if module == "scipy.special":
            assert set(names) <= SCIPY_SPECIAL_NAMES, f"{filename}: scipy.special {names}"


def test_torch_layers_use_no_forbidden_library_layer() -> None:
    tree = ast.parse((REFERENCE_DIR / "torch_layers.py").read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not used & TORCH_FORBIDDEN_ATTRS, f"forbidden: {sorted(used & TORCH_FORBIDDEN_ATTRS)}"
    imported = {n for _, names, _ in _imports(tree) for n in names}
    assert not imported & (TORCH_FORBIDDEN_ATTRS | {"functional", "F"})


def test_activations_do_not_use_expit_or_torch() -> None:
    text = (REFERENCE_DIR / "activations.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "expit" not in names | attrs and "torch" not in names


@pytest.mark.parametrize("exercise", sorted(CONTRACT))
def test_contract_names_and_signatures(exercise: str) -> None:
    module = load_source(reference_source(exercise), exercise)
    for name, params in CONTRACT[exercise]:
        obj = getattr(module, name, None)
        assert obj is not None, f"{exercise}: {name} missing"
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
        actual = [p for p in sig.parameters.values() if p.name != "self"]
        assert [(p.name, p.default) for p in actual[: len(params)]] == params, f"{name}{sig}"
        assert all(p.default is not EMPTY for p in actual[len(params) :]), f"{name}{sig}"


@pytest.mark.parametrize("exercise", sorted(EXERCISE_SOURCES))
def test_source_loaded_alone_computes_what_the_package_computes(exercise: str) -> None:
    """The submitted text (no package, no reference import) gives the imported results."""
    sub = load_source(reference_source(exercise), "student")
    ref = importlib.import_module(f"reference.{EXERCISE_SOURCES[exercise].removesuffix('.py')}")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 4))
    if exercise == "activations":
        for name in ("sigmoid", "tanh_grad", "gelu", "elu_grad", "softplus"):
            np.testing.assert_array_equal(getattr(sub, name)(x), getattr(ref, name)(x))
    elif exercise == "initializers":
        np.testing.assert_array_equal(
            sub.he_normal((5, 3), rng=np.random.default_rng(1)),
            ref.he_normal((5, 3), rng=np.random.default_rng(1)),
        )
    elif exercise == "gradient_flow":
        ws = [rng.standard_normal((4, 4)) for _ in range(3)]
        assert sub.layer_statistics(x, ws, "tanh") == ref.layer_statistics(x, ws, "tanh")
    elif exercise == "batchnorm":
        args = (x, np.ones(4), np.zeros(4), np.zeros(4), np.ones(4))
        out, _, _, cache = sub.batchnorm_forward(*args)
        np.testing.assert_array_equal(out, ref.batchnorm_forward(*args)[0])
        ref_cache = ref.batchnorm_forward(*args)[3]
        np.testing.assert_array_equal(
            sub.batchnorm_backward(x, cache)[0], ref.batchnorm_backward(x, ref_cache)[0]
        )
    elif exercise == "layernorm":
        out, cache = sub.layernorm_forward(x, np.ones(4), np.zeros(4))
        np.testing.assert_array_equal(out, ref.layernorm_forward(x, np.ones(4), np.zeros(4))[0])
        sub.layernorm_backward(x, cache)
    elif exercise == "clipping":
        assert sub.clip_grad_norm([x], 1.0)[1] == ref.clip_grad_norm([x], 1.0)[1]
    else:
        xt = torch.tensor(x)
        expected = ref.BatchNorm1d(4, dtype=torch.float64)(xt)
        torch.testing.assert_close(sub.BatchNorm1d(4, dtype=torch.float64)(xt), expected)


@pytest.mark.parametrize("filename", FILES)
def test_docstring_examples_run(filename: str) -> None:
    module = importlib.import_module(f"reference.{filename.removesuffix('.py')}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("filename", FILES)
def test_every_public_function_documents_formula_and_example(filename: str) -> None:
    module = importlib.import_module(f"reference.{filename.removesuffix('.py')}")
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = inspect.getdoc(obj) or ""
        assert ">>>" in doc, f"{name}: no example"
        assert any(s in doc for s in "=~←"), f"{name}: no formula"
        assert re.search(r"\b(19|20)\d\d\b", doc), f"{name}: no paper (year) cited"
