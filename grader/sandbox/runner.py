"""Execute a plan against a module: the code that runs next to the student's code.

This module is neutral harness code: it holds no expected value, tolerance or seed,
so it is safe to have it loaded in the zygote and in the sandboxed child. The same
functions run trusted modules (the reference, the misconception mutants) in the
parent, which is what makes the three sets of values comparable.

Nothing here decides a score. What the child computes is only data; the student's
code shares this process and could tamper with anything in it, so every verdict is
taken in the parent from the returned values (design.md, invariant 1).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import re
import sys
import time
import traceback
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.i18n import Text, msg
from grader.sandbox.plan import (
    Arg,
    Call,
    CallError,
    Outcome,
    Ref,
    Returns,
    Rng,
    Tensor,
    TorchGenerator,
    Value,
)

__all__ = [
    "LoadFailure",
    "Rules",
    "Tripwires",
    "execute",
    "iter_execute",
    "load_module",
]

#: Largest array (in elements) a call may return; bigger results are ``bad-output``.
MAX_RESULT_ELEMENTS = 1 << 24
_MAX_WARNINGS = 8
_MAX_TEXT = 500


@dataclass(frozen=True)
class Rules:
    """What the student's code may not use (from the exercise's ``[rules]`` table).

    Attributes:
        forbidden_calls: dotted names of library functions (``"scipy.special.expit"``,
            ``"torch.nn.init.xavier_uniform_"``, ``"torch.Tensor.sigmoid"``) wrapped
            with tripwires before the student's module is loaded.
        forbid_torch: record any torch function reached from the student's code (the
            NumPy exercises), through a ``TorchFunctionMode``.
        forbidden_aten_ops: ATen operator names (``"native_batch_norm"``) recorded
            through a ``TorchDispatchMode``: whatever Python route the student takes to
            a fused kernel, the kernel itself is seen.
    """

    forbidden_calls: tuple[str, ...] = ()
    forbid_torch: bool = False
    forbidden_aten_ops: tuple[str, ...] = ()


@dataclass
class Tripwires:
    """Run-time detectors of forbidden calls, installed in the process that runs the
    student's code (never in the parent: they patch library modules)."""

    rules: Rules
    log: list[str] = field(default_factory=list)
    _modes: list[Callable[[], Any]] = field(default_factory=list)
    #: id(original) -> (the owner module's name + ".", its tripwire)
    _aliases: dict[int, tuple[str, Callable[..., Any]]] = field(default_factory=dict)

    def install(self) -> None:
        for name in self.rules.forbidden_calls:
            self._wrap(name)
        self._wire_aliases()
        if self.rules.forbid_torch or self.rules.forbidden_aten_ops:
            self._modes = _torch_modes(self.rules, self.log)

    def _wrap(self, dotted: str) -> None:
        owner, attr = _resolve_owner(dotted)
        if owner is None:
            return
        original = getattr(owner, attr, None)
        if original is None or getattr(original, "__gradwell_tripwire__", False):
            return
        log = self.log

        def tripwire(*args: Any, **kwargs: Any) -> Any:
            log.append(dotted)
            return original(*args, **kwargs)

        # The name and docstring only: functools.update_wrapper would also set
        # __wrapped__, the documented way around a wrapper (inspect.unwrap).
        for name in ("__name__", "__qualname__", "__doc__", "__module__"):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(tripwire, name, getattr(original, name))
        tripwire.__gradwell_tripwire__ = True  # type: ignore[attr-defined]
        try:
            setattr(owner, attr, tripwire)
        except (AttributeError, TypeError):
            return  # a C type that refuses new attributes: the dispatch mode still sees it
        # The same object in the owner's submodules (scipy.special.expit is
        # scipy.special._ufuncs.expit) is wired too, by ``_wire_aliases``. Only a
        # package has submodules (torch.nn.functional has none: scanning sys.modules
        # for it touched every module object and cost each forked child 6 ms of
        # copy-on-write faults). Not below a top-level package: scanning all of torch
        # would cost 40 ms, and torch's kernels are watched by the dispatch mode.
        if (isinstance(owner, types.ModuleType) and "." in owner.__name__
                and hasattr(owner, "__path__")):
            self._aliases[id(original)] = (owner.__name__ + ".", tripwire)

    def _wire_aliases(self) -> None:
        if not self._aliases:
            return
        prefixes = tuple({prefix for prefix, _ in self._aliases.values()})
        for module_name, module in _modules_under(prefixes):
            if module is None:
                continue
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            for key, value in list(namespace.items()):
                found = self._aliases.get(id(value))
                if found is not None and module_name.startswith(found[0]):
                    with contextlib.suppress(AttributeError, TypeError):
                        setattr(module, key, found[1])

    def watching(self) -> Any:
        """A context manager that records torch usage while the student's code runs."""
        import contextlib

        stack = contextlib.ExitStack()
        for make in self._modes:
            stack.enter_context(make())
        return stack


#: (len(sys.modules), every module name on a line of one string), taken by the zygote
#: once warm; see :func:`index_modules`
_module_index: tuple[int, str] | None = None


def index_modules() -> None:
    """Remember which modules are loaded, as one string (the zygote calls this once).

    A forked child looking for a package's submodules would otherwise iterate
    ``sys.modules``, bumping the reference count of every module object: each is a
    copy-on-write page fault, 6-9 ms per child. Searching one string touches one object.
    """
    global _module_index
    _module_index = (len(sys.modules), "\n".join(sys.modules) + "\n")


def _modules_under(prefixes: tuple[str, ...]) -> list[tuple[str, Any]]:
    index = _module_index
    if index is None or index[0] != len(sys.modules):
        # not a warm child, or a module was imported since: the whole table
        return [(n, m) for n, m in list(sys.modules.items()) if n.startswith(prefixes)]
    text = index[1]
    pattern = "|".join(re.escape(p) for p in prefixes)
    return [(n, sys.modules.get(n)) for n in re.findall(f"^(?:{pattern})[^\n]*$", text, re.M)]


def _resolve_owner(dotted: str) -> tuple[Any, str]:
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for part in parts[split:-1]:
                obj = getattr(obj, part)
        except AttributeError:
            return None, ""
        return obj, parts[-1]
    return None, ""


def _torch_modes(rules: Rules, log: list[str]) -> list[Callable[[], Any]]:
    from torch.overrides import TorchFunctionMode
    from torch.utils._python_dispatch import TorchDispatchMode

    modes: list[Callable[[], Any]] = []
    if rules.forbid_torch:

        class _AnyTorch(TorchFunctionMode):
            def __torch_function__(
                self, func: Any, types: Any, args: Any = (), kwargs: Any = None
            ) -> Any:
                name = getattr(func, "__name__", repr(func))
                entry = f"torch.{name}"
                if not log or log[-1] != entry:
                    log.append(entry)
                return func(*args, **(kwargs or {}))

        modes.append(_AnyTorch)
    if rules.forbidden_aten_ops:
        banned = frozenset(rules.forbidden_aten_ops)

        # torch's TorchDispatchMode.__init_subclass__ is unannotated
        class _AtenOps(TorchDispatchMode):  # type: ignore[no-untyped-call]
            @classmethod
            def _should_skip_dynamo(cls) -> bool:
                # torch's hook for modes that need no Dynamo guard: without it every
                # op goes through torch._dynamo.disable, which imports Dynamo (70 MB
                # in each warm zygote) and adds a frame per ATen op
                return False

            def __torch_dispatch__(
                self, func: Any, types: Any, args: Any = (), kwargs: Any = None
            ) -> Any:
                name = func._schema.name.split("::")[-1]
                if name in banned:
                    log.append(f"aten.{name}")
                return func(*args, **(kwargs or {}))

        modes.append(_AtenOps)
    return modes


@dataclass(frozen=True)
class LoadFailure:
    """The module could not be loaded: a syntax error or an exception at import time."""

    type: str
    message: str
    lineno: int | None = None
    offset: int | None = None
    text: str | None = None


def load_module(
    source: str, name: str, filename: str, *, register: bool = True
) -> types.ModuleType | LoadFailure:
    """Compile and execute ``source`` as a fresh module called ``name``.

    ``filename`` is what tracebacks show (the student's file name), so that line
    numbers in feedback point into the file the student wrote.
    """
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return LoadFailure(
            type(exc).__name__, _text(exc.msg), exc.lineno, exc.offset,
            (exc.text or "").rstrip("\n")[:_MAX_TEXT] or None,
        )
    except (ValueError, MemoryError, RecursionError) as exc:  # NUL bytes, huge sources
        return LoadFailure(type(exc).__name__, _text(str(exc)))
    module = types.ModuleType(name)
    module.__file__ = filename
    if register:
        sys.modules[name] = module
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(code, module.__dict__)
    except BaseException as exc:
        return LoadFailure(type(exc).__name__, _text(_message(exc)), _student_line(exc, filename))
    return module


def _build(arg: Arg, kept: Mapping[str, Any]) -> Any:
    if isinstance(arg, np.ndarray):
        return arg.copy()
    if isinstance(arg, tuple):
        return tuple(_build(a, kept) for a in arg)
    if isinstance(arg, list):
        return [_build(a, kept) for a in arg]
    if isinstance(arg, Rng):
        return np.random.default_rng(arg.seed)
    if isinstance(arg, Tensor):
        import torch

        dtype = torch.float64 if arg.dtype == "float64" else torch.float32
        return torch.tensor(arg.data, dtype=dtype, requires_grad=arg.requires_grad)
    if isinstance(arg, TorchGenerator):
        import torch

        return torch.Generator().manual_seed(arg.seed)
    if isinstance(arg, Ref):
        if arg.call_id not in kept:
            raise _MissingRef(f"needs the result of {arg.call_id!r}, which failed")
        obj = kept[arg.call_id]
        if arg.index is None:
            return obj
        try:
            return obj[arg.index]
        except Exception as exc:
            raise _MissingRef(f"result of {arg.call_id!r} has no item {arg.index}") from exc
    return arg


def _digests(
    args: tuple[Any, ...], kwargs: Mapping[str, Any], *,
    _blake2b: Any = hashlib.blake2b, _contiguous: Any = np.ascontiguousarray,
    _ndarray: type = np.ndarray, _isinstance: Any = isinstance, _repr: Any = repr,
) -> dict[int | str, bytes]:
    """A digest of every array argument, to tell whether the call modified one.

    The library functions it uses are bound when this module is imported — before any
    submission is loaded — so a submission that patches ``hashlib.blake2b``,
    ``np.ascontiguousarray``, ``isinstance`` or this module's attributes does not
    change what is reported (``ndarray.tobytes`` is a C method and cannot be patched).
    """
    out: dict[int | str, bytes] = {}
    items: list[tuple[int | str, Any]] = [*enumerate(args), *kwargs.items()]
    for key, value in items:
        arrays = [value] if _isinstance(value, _ndarray) else (
            [v for v in value if _isinstance(v, _ndarray)]
            if _isinstance(value, (list, tuple)) else []
        )
        if arrays:
            h = _blake2b(digest_size=16)
            for a in arrays:
                h.update(_repr((a.shape, a.dtype.str)).encode())
                h.update(_contiguous(a).tobytes())
            out[key] = h.digest()
    return out


def _convert(result: Any, returns: Returns) -> Value:
    if isinstance(returns, tuple):
        if not isinstance(result, (tuple, list)) or len(result) != len(returns):
            raise _BadOutput(msg("detail.tuple-arity", n=len(returns), got=_describe(result)))
        return tuple(_convert(r, spec) for r, spec in zip(result, returns, strict=True))
    if returns == "skip":
        return None
    if returns == "array":
        return _as_float_array(result)
    if returns == "array-list":
        if not isinstance(result, (list, tuple)):
            raise _BadOutput(msg("detail.not-a-list", got=_describe(result)))
        return [_as_float_array(r) for r in result]
    return _as_raw(result, depth=0)


def _as_float_array(obj: Any) -> np.ndarray:
    # an exact float64 ndarray (most results) is already what is sent: nothing to convert
    arr = obj if type(obj) is np.ndarray and obj.dtype == np.float64 else _converted(obj)
    if arr.size > MAX_RESULT_ELEMENTS:
        raise _BadOutput(msg("detail.too-large", n=arr.size))
    return np.array(arr, dtype=np.float64, copy=True, subok=False)


def _converted(obj: Any) -> np.ndarray:
    if type(obj).__module__.startswith("torch") and hasattr(obj, "detach"):
        obj = obj.detach().cpu().numpy()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(obj, dtype=np.float64)
    except Exception as exc:
        raise _BadOutput(msg("detail.not-float",
                             error=f"{type(exc).__name__}: {_text(str(exc))}")) from None
    if arr.dtype != np.float64:  # a subclass dtype trick
        raise _BadOutput(msg("detail.dtype", dtype=arr.dtype))
    return arr


def _as_raw(obj: Any, depth: int) -> Value:
    if depth > 8:
        raise _BadOutput(msg("detail.too-deep"))
    kind = type(obj)
    if obj is None or kind in (bool, int, float, str):
        plain: bool | int | float | str | None = obj
        if isinstance(plain, str) and len(plain) > _MAX_TEXT:
            return plain[:_MAX_TEXT]
        return plain
    if isinstance(obj, np.generic) and kind.__module__ == "numpy":
        return _as_raw(obj.item(), depth + 1)
    if kind is np.ndarray:
        return _as_float_array(obj) if obj.dtype.kind not in "biu" else np.array(obj)
    if kind in (tuple, list):
        items = [_as_raw(o, depth + 1) for o in obj]
        return tuple(items) if kind is tuple else items
    if kind is dict:
        return {str(k): _as_raw(v, depth + 1) for k, v in obj.items()}
    # A subclass of int or float, a tensor, an object with a lying __eq__: described,
    # never passed on (the parent must never call a method of the student's objects).
    raise _BadOutput(msg("detail.not-plain", got=_describe(obj)))


def _describe(obj: Any) -> Text:
    kind = type(obj)
    name = kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(obj, (tuple, list)):
        return msg("describe.sized", type=name, n=len(obj))
    return msg("describe.object", type=name)


def _message(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return "<unprintable>"


def _text(s: str) -> str:
    return s if len(s) <= _MAX_TEXT else s[: _MAX_TEXT - 1] + "…"


def _student_line(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    return line


def _warning_texts(caught: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    texts: list[str] = []
    for w in caught:
        text = _text(f"{w.category.__name__}: {w.message}")
        if text not in texts:
            texts.append(text)
        if len(texts) == _MAX_WARNINGS:
            break
    return tuple(texts)


def _forbidden_since(tripwires: Tripwires | None, marker: int) -> tuple[str, ...]:
    if tripwires is None:
        return ()
    return tuple(dict.fromkeys(tripwires.log[marker:]))


# -- the loop (last: it binds the helpers above as defaults, so that a submission
# patching this module's attributes after import does not change what it reports)


def _run_one(
    module: types.ModuleType,
    call: Call,
    kept: dict[str, Any],
    filename: str,
    tripwires: Tripwires | None,
    probes: Mapping[str, Callable[..., Any]],
    *,
    _digests: Callable[..., dict[int | str, bytes]] = _digests,
) -> Outcome:
    start = time.perf_counter()
    if call.target.startswith("probe:"):
        probe = probes.get(call.target.removeprefix("probe:"))
        if probe is None:
            raise KeyError(f"unknown probe {call.target!r}")  # a grader bug, not the student's
        fn: Any = functools.partial(probe, module)
        if tripwires is not None:  # a probe watches the student's parts only
            fn = functools.partial(probe, module, watch=tripwires.watching)
    else:
        fn = module.__dict__.get(call.target)
        if fn is None or not callable(fn):
            return Outcome(error=CallError("missing", message=call.target))
    try:
        args = tuple(_build(a, kept) for a in call.args)
        kwargs = {k: _build(v, kept) for k, v in call.kwargs.items()}
    except _MissingRef as exc:
        return Outcome(error=CallError("not-run", message=str(exc)))
    before = _digests(args, kwargs)
    marker = len(tripwires.log) if tripwires else 0
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught_list, np.errstate(
            over="warn", invalid="warn", divide="warn", under="ignore"
        ):
            warnings.simplefilter("always")
            if tripwires is not None and not call.target.startswith("probe:"):
                with tripwires.watching():
                    result = fn(*args, **kwargs)
            else:
                result = fn(*args, **kwargs)
            caught = list(caught_list)
    except BaseException as exc:
        return Outcome(
            error=CallError("exception", type(exc).__name__, _text(_message(exc)),
                            _student_line(exc, filename)),
            forbidden=_forbidden_since(tripwires, marker),
            seconds=time.perf_counter() - start,
        )
    seconds = time.perf_counter() - start
    mutated = tuple(k for k, d in _digests(args, kwargs).items() if before.get(k) != d)
    if call.keep:
        kept[call.id] = result
    try:
        value = _convert(result, call.returns)
    except _BadOutput as exc:
        return Outcome(
            error=CallError("bad-output", message=_text(exc.reason.en),
                            message_ko=_text(exc.reason.ko)),
            mutated=mutated, forbidden=_forbidden_since(tripwires, marker), seconds=seconds,
        )
    return Outcome(
        value=value,
        mutated=mutated,
        warnings=_warning_texts(caught),
        forbidden=_forbidden_since(tripwires, marker),
        seconds=seconds,
    )


class _MissingRef(Exception):
    pass


class _BadOutput(Exception):
    """Why a result cannot be sent, in both languages."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason.en)
        self.reason = reason


def iter_execute(
    module: types.ModuleType,
    calls: Sequence[Call],
    *,
    tripwires: Tripwires | None = None,
    probes: Mapping[str, Callable[..., Any]] | None = None,
    _run_one: Callable[..., Outcome] = _run_one,
) -> Iterator[tuple[str, Outcome]]:
    """Run ``calls`` in order against ``module``, yielding ``(call_id, outcome)``.

    Each outcome is yielded as soon as it exists, so a caller that streams them keeps
    every finished result even if a later call kills the process.
    """
    if probes is None:
        from grader.sandbox.probes import PROBES

        probes = PROBES
    kept: dict[str, Any] = {}
    filename = getattr(module, "__file__", None) or "<submission>"
    for call in calls:
        yield call.id, _run_one(module, call, kept, filename, tripwires, probes)


def execute(
    module: types.ModuleType,
    calls: Sequence[Call],
    *,
    tripwires: Tripwires | None = None,
    probes: Mapping[str, Callable[..., Any]] | None = None,
) -> dict[str, Outcome]:
    """:func:`iter_execute`, collected into a dict."""
    return dict(iter_execute(module, calls, tripwires=tripwires, probes=probes))
