"""The evaluation plan: what the trusted parent asks the untrusted child to compute.

A plan is an ordered tuple of :class:`Call`. The parent builds it from the exercise's
cases; the child (``grader.sandbox.runner``) executes it against the student's module
and streams back one :class:`Outcome` per call. Only *data* crosses in either
direction (design.md, invariant 2): arguments are arrays, scalars, strings and a few
recipes the child turns into objects (a NumPy ``Generator`` from a seed, a torch tensor
from an array); results are converted to :class:`Value` trees of arrays and scalars.

The same plan is executed in-process, in the parent, against trusted modules (the
reference and the misconception mutants), so that expected values, the student's
values and each mutant's values are produced by exactly the same calls.

Argument encodings (``Arg``):

- ``numpy.ndarray`` (bool, integer or floating dtype): passed as a fresh copy;
- ``None``, ``bool``, ``int``, ``float``, ``str``: passed as is;
- ``tuple`` / ``list`` of Args: passed as a tuple / list (shapes, lists of arrays);
- :class:`Rng`: ``numpy.random.default_rng(seed)``;
- :class:`TorchGenerator`: ``torch.Generator().manual_seed(seed)``;
- :class:`Tensor`: ``torch.tensor(array, dtype=..., requires_grad=...)``;
- :class:`Ref`: the raw result of an earlier call in the same plan (``keep=True``),
  optionally indexed (``Ref("fwd", 3)`` is ``result_of_fwd[3]``). Refs never cross the
  boundary as data: the object stays in the process that made it (a batch-norm cache).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import numpy as np

__all__ = [
    "CPU_TIME",
    "Arg",
    "Call",
    "CallError",
    "Outcome",
    "Ref",
    "ReturnKind",
    "Returns",
    "Rng",
    "Tensor",
    "TorchGenerator",
    "Value",
]


@dataclass(frozen=True)
class Rng:
    """A ``numpy.random.Generator`` built in the child as ``default_rng(seed)``."""

    seed: int


@dataclass(frozen=True)
class TorchGenerator:
    """A ``torch.Generator`` built in the child and seeded with ``manual_seed(seed)``."""

    seed: int


@dataclass(frozen=True, eq=False)
class Tensor:
    """A torch tensor built in the child from ``data``.

    ``dtype`` is ``"float64"`` or ``"float32"``; ``requires_grad`` makes it a leaf that
    collects gradients.
    """

    data: np.ndarray
    dtype: Literal["float64", "float32"] = "float64"
    requires_grad: bool = False


@dataclass(frozen=True)
class Ref:
    """The raw result of the call ``call_id`` (which must have ``keep=True``), indexed."""

    call_id: str
    index: int | None = None


#: What a call may take: arrays, scalars, strings, the builders above, and tuples or
#: lists of those (a ``Sequence`` for typing: a ``list[np.ndarray]`` is an argument).
Arg: TypeAlias = (
    "np.ndarray | bool | int | float | str | Rng | TorchGenerator | Tensor | Ref"
    " | tuple[Arg, ...] | Sequence[Arg] | None"
)

#: What comes back: arrays (numeric dtypes only), Python scalars, strings, ``None``,
#: and tuples/lists/str-keyed dicts of those. Anything else is refused by the wire.
Value: TypeAlias = (
    "np.ndarray | bool | int | float | str | tuple[Value, ...] | list[Value]"
    " | dict[str, Value] | None"
)


#: How a call's result is converted before it is sent back:
#:
#: - ``"array"``: ``np.asarray(result, dtype=np.float64)`` (the contract's rule for
#:   outputs: a list, a float32 array or a 0-d tensor are accepted, an object dtype is
#:   a ``bad-output`` error);
#: - ``"array-list"``: a list or tuple whose items are each converted as ``"array"``;
#: - ``"raw"``: kept as it is if it is already a :class:`Value` (ints stay ints, tuples
#:   stay tuples: ``fan_in_and_fan_out`` must return ints);
#: - ``"skip"``: not sent (a batch-norm cache, an in-place initialiser's return value
#:   checked by a probe instead);
#: - a tuple of these: the result must be a tuple or list of exactly that length, and
#:   each item is converted by its own rule.
ReturnKind: TypeAlias = Literal["array", "array-list", "raw", "skip"]
#: A :data:`ReturnKind`, or a tuple of :data:`Returns` (nested as deeply as needed).
Returns: TypeAlias = "ReturnKind | tuple[Returns, ...]"


@dataclass(frozen=True, eq=False)
class Call:
    """One thing to compute in the child.

    Attributes:
        id: unique within the plan; outcomes are keyed by it.
        target: a top-level name in the student's module (``"sigmoid"``,
            ``"BatchNorm1d"``), or ``"probe:<name>"`` for a neutral harness procedure
            from ``grader.sandbox.probes`` (e.g. training a torch module and reading its
            gradients), which receives the student's module as its first argument.
        args, kwargs: encoded arguments (see the module docstring).
        returns: how the result is converted (see :data:`Returns`).
        keep: hold the raw result in the child so later calls can ``Ref`` it.
        group: calls that share a group stop together: once one of them hangs or
            kills the child, the rest of the group is not attempted again (one slow
            function must not cost the time budget of the others). Defaults to the
            target.
    """

    id: str
    target: str
    args: tuple[Arg, ...] = ()
    kwargs: Mapping[str, Arg] = field(default_factory=dict)
    returns: Returns = "array"
    keep: bool = False
    group: str = ""

    @property
    def group_key(self) -> str:
        return self.group or self.target


#: ``CallError.type`` of a ``"timeout"`` that the CPU-time limit (``RLIMIT_CPU``) ended
CPU_TIME = "cpu-time"


@dataclass(frozen=True)
class CallError:
    """Why a call produced no value.

    ``kind`` is one of:

    - ``"exception"``: the student's code raised ``type``: ``message`` (``lineno`` is
      the innermost line of the student's file in the traceback, when there is one);
    - ``"missing"``: the target is not defined in the module (or is not callable);
    - ``"bad-output"``: the result could not be converted (object dtype, too large,
      a type the wire refuses); ``message`` says why, and ``message_ko`` says it in
      Korean (the sandbox writes both from the ``detail.*`` messages);
    - ``"timeout"``, ``"memory"``, ``"crashed"``, ``"output-limit"``: the child died
      or was killed while running this call (``message`` says how: signal, exit code);
      a ``"timeout"`` whose ``type`` is :data:`CPU_TIME` was the kernel's CPU-time
      limit (which counts every thread, and which the code may have lowered itself),
      not a wall-clock limit of the grader's;
    - ``"not-run"``: an earlier call of the same group made the child die, so this one
      was skipped;
    - forbidden library calls are not an error: they are reported in
      :attr:`Outcome.forbidden` while the value is still returned.
    """

    kind: Literal[
        "exception", "missing", "bad-output", "timeout", "memory", "crashed",
        "output-limit", "not-run",
    ]
    type: str = ""
    message: str = ""
    lineno: int | None = None
    message_ko: str = ""


@dataclass(frozen=True, eq=False)
class Outcome:
    """The result of one :class:`Call`.

    Attributes:
        value: the converted result (``None`` when ``error`` is set; the items of a
            ``"skip"`` return are ``None``).
        error: why there is no value, or ``None``.
        mutated: positions (ints) and keyword names (strs) of array arguments whose
            contents changed during the call.
        warnings: ``"Category: message"`` strings raised while the call ran
            (NumPy overflow and the like), capped in number and length.
        forbidden: dotted names of forbidden library functions the call reached
            (``"scipy.special.expit"``), recorded by run-time tripwires.
        seconds: wall time of the call in the process that ran it.
    """

    value: Value = None
    error: CallError | None = None
    mutated: tuple[int | str, ...] = ()
    warnings: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None
