"""Neutral harness procedures that a plan can call as ``probe:<name>``.

A probe drives the student's code through a protocol that one function call cannot
express (build a torch module, run it in train then eval mode, backpropagate, read
its gradients and buffers) and returns plain arrays. Probes hold no expected values:
they run in the sandboxed child and in the parent alike.

``watch`` (the runner's tripwire modes) is entered around the student's code only —
construction, forward, backward, the initialiser — not around the probe's own tensor
conversions: a Python ``TorchDispatchMode`` costs microseconds per ATen op, and the
probe's bookkeeping would otherwise be half of what it sees.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

__all__ = ["PROBES", "describe_result", "torch_init", "torch_module"]


def _student_callable(module: types.ModuleType, name: str) -> Any:
    obj = module.__dict__.get(name)
    if obj is None or not callable(obj):
        raise NameError(f"name {name!r} is not defined")
    return obj


def describe_result(module: types.ModuleType, fn_name: str, *args: Any,
                    watch: Watch = contextlib.nullcontext, **kwargs: Any) -> dict[str, Any]:
    """Call ``fn_name(*args, **kwargs)`` and report what it returned: its type, dtype and
    shape (the contract asks the initialisers for float64 arrays, which the usual
    float64 conversion of a result would hide)."""
    with watch():
        result = _student_callable(module, fn_name)(*args, **kwargs)
    kind = type(result)
    try:
        shape = [int(s) for s in result.shape] if kind is np.ndarray else []
    except (TypeError, ValueError):
        shape = []
    return {
        "type": f"{kind.__module__}.{kind.__qualname__}"[:200],
        "dtype": str(result.dtype)[:50] if kind is np.ndarray else "",
        "shape": shape,
    }


def _array(tensor: Any) -> np.ndarray | None:
    """A NumPy copy of a tensor (``None`` stays ``None``)."""
    import torch

    if tensor is None:
        return None
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"expected a torch.Tensor, got {type(tensor).__name__}")
    return np.array(tensor.detach().cpu().numpy(), copy=True)


def torch_module(
    module: types.ModuleType,
    class_name: str,
    init_kwargs: Sequence[tuple[str, Any]] = (),
    params: Sequence[tuple[str, np.ndarray]] = (),
    steps: Sequence[tuple[str, np.ndarray, np.ndarray | None]] = (),
    *,
    watch: Watch = contextlib.nullcontext,
) -> dict[str, Any]:
    """Build ``class_name(**init_kwargs)`` in float64, set parameters, run ``steps``.

    Each step is ``(mode, x, grad_out)``: the module is put in ``mode`` ("train" or
    "eval"), called on a fresh ``requires_grad`` tensor ``x``, and the output is
    backpropagated with ``grad_out`` (a ``None`` ``grad_out`` runs the forward only:
    the perturbed steps of a finite difference need nothing else). Returned, as plain
    arrays: the parameters and buffers right after construction, and per step the
    output, ``x.grad``, each parameter's ``.grad`` and each buffer after the step
    (``None`` where a gradient does not exist; ``backward_error`` when ``backward()``
    raised).
    """
    import torch

    with watch():
        layer = _student_callable(module, class_name)(**dict(init_kwargs))
        layer = layer.double()
    report: dict[str, Any] = {
        "parameters": {n: _array(p) for n, p in layer.named_parameters()},
        "buffers": {n: _array(b) for n, b in layer.named_buffers()},
    }
    with torch.no_grad():
        for name, value in params:
            getattr(layer, name).copy_(torch.tensor(value, dtype=torch.float64))
    records = []
    watched: set[tuple[str, tuple[int, ...], bool]] = set()
    for mode, x, grad_out in steps:
        layer.train(mode == "train")
        for p in layer.parameters():
            p.grad = None
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        # Watched once per (mode, shape, backward): the code path a module takes is a
        # matter of mode and shape, and a finite difference's dozen forwards of one
        # shape would otherwise pay the dispatch mode a dozen times.
        kind = (mode, tuple(x.shape), grad_out is not None)
        step_watch = watch if kind not in watched else contextlib.nullcontext
        watched.add(kind)
        with step_watch():
            out = layer(xt)
        record: dict[str, Any] = {"out": _array(out), "backward_error": ""}
        if grad_out is not None:
            g = torch.tensor(grad_out, dtype=out.dtype)
            try:
                with step_watch():
                    out.backward(g)
            except Exception as exc:
                record["backward_error"] = f"{type(exc).__name__}: {exc}"[:300]
        record["x_grad"] = _array(xt.grad)
        record["grads"] = {n: _array(p.grad) for n, p in layer.named_parameters()}
        record["buffers"] = {n: _array(b) for n, b in layer.named_buffers()}
        records.append(record)
    report["steps"] = records
    return report


def torch_init(
    module: types.ModuleType,
    fn_name: str,
    shape: tuple[int, ...],
    kwargs: Sequence[tuple[str, Any]] = (),
    seed: int = 0,
    other_seed: int = 1,
    parameter: bool = False,
    repeat: bool = True,
    *,
    watch: Watch = contextlib.nullcontext,
) -> dict[str, Any]:
    """Call an in-place initialiser ``fn_name(tensor, **kwargs, generator=g)``.

    The tensor is a fresh float64 ``torch.empty(shape)`` filled with NaN (so that a
    function that does not fill it is seen, whatever the memory held), wrapped in an
    ``nn.Parameter`` when ``parameter``; ``g`` is ``torch.Generator().manual_seed(seed)``.
    Returned: whether the result ``is`` that tensor, its values after the call, and
    (when ``repeat``) the values of a second call with the same seed and of one with
    ``other_seed``.
    """
    import torch

    fn = _student_callable(module, fn_name)

    def run(s: int) -> tuple[Any, Any]:
        tensor = torch.empty(shape, dtype=torch.float64).fill_(float("nan"))
        if parameter:
            tensor = torch.nn.Parameter(tensor)
        generator = torch.Generator().manual_seed(s)
        with watch():
            result = fn(tensor, **dict(kwargs), generator=generator)
        return tensor, result

    tensor, result = run(seed)
    report = {"returned_same": result is tensor, "values": _array(tensor)}
    if repeat:
        report["again"] = _array(run(seed)[0])
        report["other"] = _array(run(other_seed)[0])
    return report


Watch = Callable[[], AbstractContextManager[Any]]


#: ``name -> probe(module, *args, watch=..., **kwargs)``.
PROBES: dict[str, Callable[..., Any]] = {
    "describe_result": describe_result,
    "torch_module": torch_module,
    "torch_init": torch_init,
}
