"""The wire format between the trusted parent and the sandboxed child: strict, pickle-free.

Both directions use the same framing. A *frame* is::

    b"GWF1" | u32 header length | u32 blob bytes | header (UTF-8 JSON) | blobs

The header is a JSON object; arrays travel as raw little-endian bytes in the blob area
and are described in the header by ``["a", dtype, shape, offset]``. Raw bytes with a
whitelisted dtype string are stricter than ``.npy`` (no header parser in the loop, no
object or structured dtypes expressible at all) and are read with ``np.frombuffer``
into a fresh copy.

Every other node of a tree is tagged, so that a decoder never guesses:

=====================  =================================================
JSON                   meaning
=====================  =================================================
``null`` / ``true``    ``None`` / ``True`` (``false`` alike)
integer                a Python ``int`` (at most :attr:`Limits.int_digits` digits)
string                 a Python ``str`` (at most :attr:`Limits.text`)
``["f", "0x1.8p+1"]``  a Python ``float`` (``float.hex``: exact, NaN and ±inf included)
``["t", [...]]``       a tuple; ``["l", [...]]`` a list
``["d", {...}]``       a dict with ``str`` keys
``["a", ...]``         an array (see above)
``["rng", seed]``      plan only: :class:`~grader.sandbox.plan.Rng`
``["tgen", seed]``     plan only: :class:`~grader.sandbox.plan.TorchGenerator`
``["tensor", a, dt, g]``  plan only: :class:`~grader.sandbox.plan.Tensor`
``["ref", id, index]`` plan only: :class:`~grader.sandbox.plan.Ref`
=====================  =================================================

JSON floats are refused (``parse_float``/``parse_constant`` raise), so a value is never
rounded through a decimal string. Anything malformed, oversized or of the wrong type
raises :class:`WireError`, which the executor turns into a ``bad-output`` or ``crashed``
outcome: the grader never raises because of what a child sent.

Messages (the ``"m"`` key of a header):

- parent → child: ``plan`` (source, names, rules and calls);
- child → parent: ``loaded``, ``load-failure``, ``outcome`` (one per call, in plan
  order), ``done``.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np

from grader.i18n import msg
from grader.sandbox.plan import (
    Arg,
    Call,
    CallError,
    Outcome,
    Ref,
    ReturnKind,
    Returns,
    Rng,
    Tensor,
    TorchGenerator,
    Value,
)
from grader.sandbox.runner import LoadFailure, Rules

__all__ = [
    "MAGIC",
    "FrameReader",
    "Limits",
    "PlanMessage",
    "WireError",
    "decode_child_message",
    "decode_plan",
    "encode_done",
    "encode_load_failure",
    "encode_loaded",
    "encode_outcome",
    "encode_plan",
]

MAGIC = b"GWF1"
_PREFIX = struct.Struct("<4sII")

#: dtype strings an array may have on the wire (little-endian, numeric only).
DTYPES = frozenset(
    {"|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f4", "<f8"}
)
_CALL_ERROR_KINDS = frozenset(
    {"exception", "missing", "bad-output", "timeout", "memory", "crashed",
     "output-limit", "not-run"}
)
_RETURNS = frozenset({"array", "array-list", "raw", "skip"})


class WireError(ValueError):
    """A frame or message that the strict decoder refuses."""


@dataclass(frozen=True)
class Limits:
    """Caps on what one frame (and one evaluation's stream) may hold."""

    header: int = 8 << 20  #: bytes of JSON header per frame
    frame: int = 256 << 20  #: bytes of blobs per frame
    total: int = 1 << 30  #: bytes of all frames a reader accepts
    arrays: int = 4096  #: arrays per frame
    ndim: int = 8
    dim: int = 1 << 26  #: largest single dimension
    elements: int = 1 << 25  #: elements of one array
    text: int = 4 << 20  #: characters of one string (the plan carries the source)
    depth: int = 32  #: nesting depth of a tree
    nodes: int = 200_000  #: nodes per frame
    int_digits: int = 40


DEFAULT_LIMITS = Limits()


# --------------------------------------------------------------------------- framing


def _frame(header: Mapping[str, Any], blobs: Sequence[bytes], *,
           _dumps: Callable[..., str] = json.dumps) -> bytes:
    # ASCII JSON: a lone surrogate (which UTF-8 cannot encode) travels as an escape.
    # json.dumps is bound at import, before a submission could replace it.
    head = _dumps(header, ensure_ascii=True, separators=(",", ":"),
                  allow_nan=False).encode("ascii")
    body = b"".join(blobs)
    return _PREFIX.pack(MAGIC, len(head), len(body)) + head + body


class FrameReader:
    """Incremental decoder of a byte stream into ``(header, blobs)`` frames.

    ``feed`` accepts whatever a pipe delivered; ``frames`` yields each complete frame.
    Sizes are checked from the prefix, before the bytes are buffered.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._buf = bytearray()
        self._total = 0

    def feed(self, data: bytes) -> None:
        self._total += len(data)
        if self._total > self.limits.total:
            raise WireError(f"the stream is larger than {self.limits.total} bytes")
        self._buf += data
        if len(self._buf) >= _PREFIX.size:
            self._check_prefix()

    def _check_prefix(self) -> tuple[int, int]:
        magic, head_len, body_len = _PREFIX.unpack_from(self._buf)
        if magic != MAGIC:
            raise WireError("not a gradwell frame (bad magic bytes)")
        if head_len > self.limits.header:
            raise WireError(f"a header of {head_len} bytes exceeds {self.limits.header}")
        if body_len > self.limits.frame:
            raise WireError(f"a frame of {body_len} bytes exceeds {self.limits.frame}")
        return head_len, body_len

    @property
    def pending(self) -> int:
        """Bytes of an incomplete frame still buffered."""
        return len(self._buf)

    def frames(self) -> Iterator[tuple[dict[str, Any], memoryview]]:
        while len(self._buf) >= _PREFIX.size:
            head_len, body_len = self._check_prefix()
            end = _PREFIX.size + head_len + body_len
            if len(self._buf) < end:
                return
            raw = bytes(self._buf[_PREFIX.size : end])
            del self._buf[:end]
            header = _parse_header(raw[:head_len])
            yield header, memoryview(raw)[head_len:]


def _refuse_constant(token: str) -> Any:
    raise WireError(f"JSON constant {token} is not allowed (floats travel as hex)")


def _refuse_float(token: str) -> Any:
    raise WireError("JSON floats are not allowed (floats travel as hex)")


def _parse_header(raw: bytes) -> dict[str, Any]:
    try:
        header = json.loads(raw.decode("utf-8"), parse_float=_refuse_float,
                            parse_constant=_refuse_constant)
    except WireError:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"unreadable header ({type(exc).__name__})") from None
    except ValueError as exc:  # int() of too many digits
        raise WireError(f"unreadable header ({exc})") from None
    if not isinstance(header, dict) or not isinstance(header.get("m"), str):
        raise WireError("a header must be an object with a message type 'm'")
    return header


# --------------------------------------------------------------------------- trees


class _Encoder:
    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.size = 0

    def array(self, arr: np.ndarray) -> list[Any]:
        dt = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
        if dt.str not in DTYPES:
            raise WireError(f"dtype {arr.dtype} cannot be sent (numeric dtypes only)")
        data = np.ascontiguousarray(arr, dtype=dt).tobytes()
        node = ["a", dt.str, list(arr.shape), self.size]
        self.blobs.append(data)
        self.size += len(data)
        return node

    def value(self, obj: Any, depth: int = 0, *, plan: bool = False) -> Any:
        if depth > 64:
            raise WireError("a tree nested too deeply to send")
        kind = type(obj)
        if obj is None or kind is bool or kind is str or kind is int:
            return obj
        if kind is float:
            return ["f", obj.hex()]
        if kind is np.ndarray:
            return self.array(obj)
        if kind is tuple or kind is list:
            return ["t" if kind is tuple else "l",
                    [self.value(o, depth + 1, plan=plan) for o in obj]]
        if kind is dict:
            if not all(type(k) is str for k in obj):
                raise WireError("dict keys must be str")
            return ["d", {k: self.value(v, depth + 1, plan=plan) for k, v in obj.items()}]
        if plan:
            if isinstance(obj, (np.bool_, np.integer, np.floating)):
                return self.value(obj.item(), depth, plan=plan)  # a scalar from the grader
            if kind is Rng:
                return ["rng", int(obj.seed)]
            if kind is TorchGenerator:
                return ["tgen", int(obj.seed)]
            if kind is Tensor:
                return ["tensor", self.array(np.asarray(obj.data)), obj.dtype,
                        bool(obj.requires_grad)]
            if kind is Ref:
                return ["ref", obj.call_id, obj.index]
        raise WireError(f"a {kind.__qualname__} cannot be sent")


class _Decoder:
    def __init__(self, body: memoryview, limits: Limits, *, plan: bool) -> None:
        self.body = body
        self.limits = limits
        self.plan = plan
        self.arrays = 0
        self.nodes = 0
        self.used: list[tuple[int, int]] = []

    def value(self, node: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            raise WireError(f"more than {self.limits.nodes} values in one frame")
        if depth > self.limits.depth:
            raise WireError(f"nested deeper than {self.limits.depth}")
        kind = type(node)
        if node is None or kind is bool:
            return node
        if kind is int:
            if len(str(abs(node))) > self.limits.int_digits:
                raise WireError(f"an int of more than {self.limits.int_digits} digits")
            return node
        if kind is str:
            return self.text(node)
        if kind is not list or not node or type(node[0]) is not str:
            raise WireError(f"unexpected JSON {kind.__name__} in a value tree")
        tag, rest = node[0], node[1:]
        if tag == "f":
            return self.float(rest)
        if tag in ("t", "l"):
            if len(rest) != 1 or type(rest[0]) is not list:
                raise WireError(f"malformed {tag!r} node")
            items = [self.value(n, depth + 1) for n in rest[0]]
            return tuple(items) if tag == "t" else items
        if tag == "d":
            if len(rest) != 1 or type(rest[0]) is not dict:
                raise WireError("malformed 'd' node")
            return {self.text(k): self.value(v, depth + 1) for k, v in rest[0].items()}
        if tag == "a":
            return self.array(rest)
        if self.plan:
            return self.recipe(tag, rest)
        raise WireError(f"unknown node tag {tag!r}")

    def text(self, raw: Any) -> str:
        if type(raw) is not str:
            raise WireError("expected a string")
        s: str = raw
        if len(s) > self.limits.text:
            raise WireError(f"a string longer than {self.limits.text} characters")
        if not self.plan:
            try:
                s.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: never hand them to a renderer
                s = s.encode("utf-8", "replace").decode("utf-8")
        return s

    def float(self, rest: list[Any]) -> float:
        if len(rest) != 1 or type(rest[0]) is not str or len(rest[0]) > 32:
            raise WireError("malformed 'f' node")
        try:
            return float.fromhex(rest[0])
        except (ValueError, OverflowError):
            raise WireError(f"{rest[0]!r} is not a hex float") from None

    def int(self, v: Any, what: str) -> int:
        if type(v) is not int or len(str(abs(v))) > self.limits.int_digits:
            raise WireError(f"{what} must be an int")
        return v

    def array(self, rest: list[Any]) -> np.ndarray:
        self.arrays += 1
        if self.arrays > self.limits.arrays:
            raise WireError(f"more than {self.limits.arrays} arrays in one frame")
        if len(rest) != 3:
            raise WireError("malformed 'a' node")
        dtype, shape, offset = rest
        if type(dtype) is not str or dtype not in DTYPES:
            raise WireError(f"dtype {dtype!r} is not allowed (numeric dtypes only)")
        if type(shape) is not list or len(shape) > self.limits.ndim:
            raise WireError(f"a shape must be a list of at most {self.limits.ndim} dims")
        count = 1
        for d in shape:
            if type(d) is not int or not 0 <= d <= self.limits.dim:
                raise WireError(f"dimension {d!r} is out of range")
            count *= d
        if count > self.limits.elements:
            raise WireError(f"an array of {count} elements exceeds {self.limits.elements}")
        dt = np.dtype(dtype)
        nbytes = count * dt.itemsize
        offset = self.int(offset, "an array offset")
        if offset < 0 or offset + nbytes > len(self.body):
            raise WireError("an array points outside its frame")
        self.used.append((offset, nbytes))
        flat = np.frombuffer(self.body[offset : offset + nbytes], dtype=dt, count=count)
        return flat.reshape(shape).astype(dt.newbyteorder("="), copy=True)

    def recipe(self, tag: str, rest: list[Any]) -> Any:
        if tag == "rng" and len(rest) == 1:
            return Rng(self.int(rest[0], "a seed"))
        if tag == "tgen" and len(rest) == 1:
            return TorchGenerator(self.int(rest[0], "a seed"))
        if tag == "tensor" and len(rest) == 3:
            data = self.value(rest[0])
            if type(data) is not np.ndarray or rest[1] not in ("float64", "float32"):
                raise WireError("malformed 'tensor' node")
            if type(rest[2]) is not bool:
                raise WireError("malformed 'tensor' node")
            return Tensor(data, rest[1], rest[2])
        if tag == "ref" and len(rest) == 2:
            index = None if rest[1] is None else self.int(rest[1], "a ref index")
            return Ref(self.text(rest[0]), index)
        raise WireError(f"unknown or malformed node {tag!r}")

    def check_body(self) -> None:
        """Every blob byte must belong to exactly one array (no smuggled bytes)."""
        pos = 0
        for offset, nbytes in sorted(self.used):
            if offset != pos:
                raise WireError("arrays overlap or leave gaps in their frame")
            pos += nbytes
        if pos != len(self.body):
            raise WireError("a frame carries bytes no array uses")


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class PlanMessage:
    """What the child needs: the source, its names, the rules and the calls."""

    source: str
    filename: str
    module_name: str
    calls: tuple[Call, ...]
    rules: Rules = Rules()  # noqa: RUF009 - frozen, so one shared default is safe


def _returns_node(r: Returns) -> Any:
    if isinstance(r, tuple):
        return [_returns_node(x) for x in r]
    if r not in _RETURNS:
        raise WireError(f"unknown returns rule {r!r}")
    return r


def _is_return_kind(node: Any) -> TypeGuard[ReturnKind]:
    return type(node) is str and node in _RETURNS


def _returns_value(node: Any, depth: int = 0) -> Returns:
    if depth > 16:
        raise WireError("returns nested too deeply")
    if type(node) is list:
        return tuple(_returns_value(n, depth + 1) for n in node)
    if _is_return_kind(node):
        return node
    raise WireError(f"unknown returns rule {node!r}")


def encode_plan(plan: PlanMessage) -> bytes:
    enc = _Encoder()
    calls = []
    for c in plan.calls:
        calls.append({
            "id": c.id, "target": c.target,
            "args": [enc.value(a, plan=True) for a in c.args],
            "kwargs": {k: enc.value(v, plan=True) for k, v in c.kwargs.items()},
            "returns": _returns_node(c.returns), "keep": bool(c.keep), "group": c.group,
        })
    rules = plan.rules
    header = {
        "m": "plan", "source": plan.source, "filename": plan.filename,
        "module_name": plan.module_name, "calls": calls,
        "rules": {"forbidden_calls": list(rules.forbidden_calls),
                  "forbid_torch": bool(rules.forbid_torch),
                  "forbidden_aten_ops": list(rules.forbidden_aten_ops)},
    }
    return _frame(header, enc.blobs)


def _only(header: Mapping[str, Any], keys: set[str]) -> None:
    extra = set(header) - keys
    if extra:
        raise WireError(f"unexpected keys {sorted(extra)}")


def _strs(dec: _Decoder, v: Any, what: str) -> tuple[str, ...]:
    if type(v) is not list:
        raise WireError(f"{what} must be a list")
    return tuple(dec.text(s) for s in v)


def decode_plan(data: bytes, limits: Limits = DEFAULT_LIMITS) -> PlanMessage:
    """Decode one plan frame (the child's side). Raises :class:`WireError`."""
    reader = FrameReader(limits)
    reader.feed(data)
    frames = list(reader.frames())
    if len(frames) != 1 or reader.pending:
        raise WireError("a plan is exactly one frame")
    header, body = frames[0]
    if header["m"] != "plan":
        raise WireError(f"expected a plan, got {header['m']!r}")
    _only(header, {"m", "source", "filename", "module_name", "calls", "rules"})
    dec = _Decoder(body, limits, plan=True)
    rules_node = header.get("rules")
    if type(rules_node) is not dict:
        raise WireError("malformed rules")
    _only(rules_node, {"forbidden_calls", "forbid_torch", "forbidden_aten_ops"})
    if type(rules_node.get("forbid_torch")) is not bool:
        raise WireError("malformed rules")
    rules = Rules(_strs(dec, rules_node.get("forbidden_calls"), "forbidden_calls"),
                  rules_node["forbid_torch"],
                  _strs(dec, rules_node.get("forbidden_aten_ops"), "forbidden_aten_ops"))
    calls_node = header.get("calls")
    if type(calls_node) is not list:
        raise WireError("calls must be a list")
    calls = []
    for c in calls_node:
        if type(c) is not dict:
            raise WireError("a call must be an object")
        _only(c, {"id", "target", "args", "kwargs", "returns", "keep", "group"})
        if type(c.get("args")) is not list or type(c.get("kwargs")) is not dict:
            raise WireError("malformed call arguments")
        if type(c.get("keep")) is not bool:
            raise WireError("malformed call")
        args: tuple[Arg, ...] = tuple(dec.value(a) for a in c["args"])
        kwargs: dict[str, Arg] = {dec.text(k): dec.value(v) for k, v in c["kwargs"].items()}
        calls.append(Call(dec.text(c.get("id")), dec.text(c.get("target")), args, kwargs,
                          _returns_value(c.get("returns")), c["keep"],
                          dec.text(c.get("group"))))
    dec.check_body()
    return PlanMessage(dec.text(header.get("source")), dec.text(header.get("filename")),
                       dec.text(header.get("module_name")), tuple(calls), rules)


# --------------------------------------------------------------------------- child → parent


def encode_loaded() -> bytes:
    return _frame({"m": "loaded"}, [])


def encode_done() -> bytes:
    return _frame({"m": "done"}, [])


def encode_load_failure(f: LoadFailure) -> bytes:
    return _frame({"m": "load-failure", "type": f.type, "message": f.message,
                   "lineno": f.lineno, "offset": f.offset, "text": f.text}, [])


def encode_outcome(call_id: str, outcome: Outcome) -> bytes:
    """Encode one outcome; a value the wire refuses becomes a ``bad-output`` error."""
    enc = _Encoder()
    error = outcome.error
    try:
        value = enc.value(outcome.value)
    except (WireError, RecursionError) as exc:
        enc = _Encoder()
        value = None
        reason = msg("detail.unsendable", error=exc)
        error = CallError("bad-output", message=reason.en, message_ko=reason.ko)
    err = None if error is None else {
        "kind": error.kind, "type": error.type, "message": error.message,
        "message_ko": error.message_ko, "lineno": error.lineno,
    }
    seconds = outcome.seconds if math.isfinite(outcome.seconds) else 0.0
    header = {
        "m": "outcome", "id": call_id, "value": value, "error": err,
        "mutated": list(outcome.mutated), "warnings": list(outcome.warnings),
        "forbidden": list(outcome.forbidden), "seconds": ["f", float(seconds).hex()],
    }
    return _frame(header, enc.blobs)


def _opt_int(dec: _Decoder, v: Any, what: str) -> int | None:
    return None if v is None else dec.int(v, what)


def _opt_text(dec: _Decoder, v: Any) -> str | None:
    return None if v is None else dec.text(v)


def decode_child_message(
    header: dict[str, Any], body: memoryview, limits: Limits = DEFAULT_LIMITS
) -> tuple[str, Any]:
    """Decode one frame from the child into ``(kind, payload)``.

    ``("loaded", None)``, ``("done", None)``, ``("load-failure", LoadFailure)`` or
    ``("outcome", (call_id, Outcome))``. Raises :class:`WireError`.
    """
    m = header["m"]
    dec = _Decoder(body, limits, plan=False)
    if m in ("loaded", "done"):
        _only(header, {"m"})
        dec.check_body()
        return m, None
    if m == "load-failure":
        _only(header, {"m", "type", "message", "lineno", "offset", "text"})
        dec.check_body()
        return m, LoadFailure(dec.text(header.get("type")), dec.text(header.get("message")),
                              _opt_int(dec, header.get("lineno"), "lineno"),
                              _opt_int(dec, header.get("offset"), "offset"),
                              _opt_text(dec, header.get("text")))
    if m != "outcome":
        raise WireError(f"unknown message {m!r}")
    _only(header, {"m", "id", "value", "error", "mutated", "warnings", "forbidden",
                   "seconds"})
    call_id = dec.text(header.get("id"))
    value: Value = dec.value(header.get("value"))
    err_node = header.get("error")
    error = None
    if err_node is not None:
        if type(err_node) is not dict:
            raise WireError("malformed error")
        _only(err_node, {"kind", "type", "message", "message_ko", "lineno"})
        kind = err_node.get("kind")
        if kind not in _CALL_ERROR_KINDS:
            raise WireError(f"unknown error kind {kind!r}")
        error = CallError(kind, dec.text(err_node.get("type")),
                          dec.text(err_node.get("message")),
                          _opt_int(dec, err_node.get("lineno"), "lineno"),
                          dec.text(err_node.get("message_ko", "")))
        if value is not None:
            raise WireError("an outcome has either a value or an error")
    mutated_node = header.get("mutated")
    if type(mutated_node) is not list or len(mutated_node) > 256:
        raise WireError("malformed mutated list")
    mutated = tuple(dec.int(v, "a position") if type(v) is int else dec.text(v)
                    for v in mutated_node)
    warnings = _strs(dec, header.get("warnings"), "warnings")
    forbidden = _strs(dec, header.get("forbidden"), "forbidden")
    if len(warnings) > 64 or len(forbidden) > 256:
        raise WireError("too many warnings or forbidden names")
    seconds_node = header.get("seconds")
    if type(seconds_node) is not list or not seconds_node or seconds_node[0] != "f":
        raise WireError("malformed seconds")
    seconds = dec.float(seconds_node[1:])
    dec.check_body()
    return m, (call_id, Outcome(value, error, mutated, warnings, forbidden, seconds))
