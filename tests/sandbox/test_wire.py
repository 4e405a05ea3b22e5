"""The wire format: exact round trips, and refusal of every malformed frame."""

from __future__ import annotations

import contextlib
import json
import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.sandbox import wire
from grader.sandbox.plan import Call, CallError, Outcome, Ref, Rng, Tensor, TorchGenerator
from grader.sandbox.runner import LoadFailure, Rules


def _frames(data: bytes, limits: wire.Limits = wire.DEFAULT_LIMITS) -> list[tuple[str, object]]:
    reader = wire.FrameReader(limits)
    reader.feed(data)
    return [wire.decode_child_message(h, b, limits) for h, b in reader.frames()]


def _same(a: object, b: object) -> bool:
    """Equal values *and* equal types, all the way down (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, float):
        assert isinstance(b, float)
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                      math.copysign(1, b))
    if isinstance(a, (tuple, list)):
        assert isinstance(b, (tuple, list))
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


_dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_])
_arrays = _dtypes.flatmap(lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=4,
                                                                        min_side=0, max_side=5)))
_leaves = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) |
           st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20) | _arrays)
_values = st.recursive(
    _leaves,
    lambda kids: (st.lists(kids, max_size=4) | st.lists(kids, max_size=4).map(tuple) |
                  st.dictionaries(st.text(max_size=5), kids, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(value=_values, seconds=st.floats(0, 100))
def test_outcome_round_trip_is_exact(value: object, seconds: float) -> None:
    out = Outcome(value=value, mutated=(0, "x"), warnings=("RuntimeWarning: overflow",),
                  forbidden=("scipy.special.expit",), seconds=seconds)
    [(kind, (cid, back))] = _frames(wire.encode_outcome("c1", out))
    assert kind == "outcome" and cid == "c1"
    assert _same(back.value, value)
    assert (back.mutated, back.warnings, back.forbidden) == (out.mutated, out.warnings,
                                                             out.forbidden)
    assert back.seconds == seconds and back.error is None


def test_errors_load_failures_and_markers_round_trip() -> None:
    err = Outcome(error=CallError("exception", "ZeroDivisionError", "division by zero", 7))
    stream = (wire.encode_loaded() + wire.encode_outcome("a", err) +
              wire.encode_load_failure(LoadFailure("SyntaxError", "invalid syntax", 3, 5, "x ="))
              + wire.encode_done())
    msgs = _frames(stream)
    assert msgs[0] == ("loaded", None)
    assert msgs[1][1][1].error == err.error and msgs[1][1][1].value is None
    assert msgs[2] == ("load-failure", LoadFailure("SyntaxError", "invalid syntax", 3, 5, "x ="))
    assert msgs[3] == ("done", None)


def test_stream_fed_byte_by_byte_decodes_the_same() -> None:
    data = wire.encode_outcome("a", Outcome(value=(np.arange(5.0), [1, 2.5])))
    reader = wire.FrameReader()
    got = []
    for i in range(len(data)):
        reader.feed(data[i : i + 1])
        got.extend(reader.frames())
    assert len(got) == 1 and reader.pending == 0
    _, (_, out) = wire.decode_child_message(*got[0])
    assert _same(out.value, (np.arange(5.0), [1, 2.5]))


def test_plan_round_trip_with_recipes() -> None:
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    calls = (
        Call("f", "batchnorm_forward", (x, np.ones(4), np.zeros(4)), {"training": True,
             "momentum": 0.1}, returns=("array", "array", "array", "skip"), keep=True),
        Call("b", "batchnorm_backward", (x, Ref("f", 3)), returns=("array",) * 3, group="bn"),
        Call("i", "xavier_uniform", ((3, 4),), {"rng": Rng(7)}),
        Call("t", "probe:train", (Tensor(x.astype(np.float32), "float32", True),
                                  TorchGenerator(3), [x, (1, None, "relu")]), returns="raw"),
        Call("s", "sigmoid", (np.float64(2.0),)),
    )
    rules = Rules(("scipy.special.expit",), True, ("native_batch_norm",))
    plan = wire.decode_plan(wire.encode_plan(wire.PlanMessage("src ✓", "bn.py", "bn", calls,
                                                              rules)))
    assert (plan.source, plan.filename, plan.module_name, plan.rules) == ("src ✓", "bn.py",
                                                                         "bn", rules)
    for a, b in zip(calls, plan.calls, strict=True):
        assert (a.id, a.target, a.returns, a.keep, a.group) == (b.id, b.target, b.returns,
                                                                b.keep, b.group)
    assert _same(plan.calls[0].args[0], x) and plan.calls[0].kwargs == {"training": True,
                                                                       "momentum": 0.1}
    assert plan.calls[1].args[1] == Ref("f", 3)
    assert plan.calls[2].kwargs["rng"] == Rng(7)
    tensor = plan.calls[3].args[0]
    assert isinstance(tensor, Tensor) and tensor.dtype == "float32" and tensor.requires_grad
    assert tensor.data.dtype == np.float32 and np.array_equal(tensor.data, x.astype(np.float32))
    assert plan.calls[3].args[1] == TorchGenerator(3)
    assert plan.calls[4].args == (2.0,) and type(plan.calls[4].args[0]) is float


def test_unsendable_values_become_bad_output_not_exceptions() -> None:
    class Liar(float):
        def __eq__(self, other: object) -> bool:
            return True

    for value in (Liar(1.0), np.array([object()]), np.array(["a"]), {1: 2}, 1 + 2j,
                  np.zeros(2, dtype=np.complex128)):
        [(_, (_, out))] = _frames(wire.encode_outcome("a", Outcome(value=value)))
        assert out.value is None and out.error is not None
        assert out.error.kind == "bad-output"


def _raw_frame(header: object, body: bytes = b"", *, head: bytes | None = None) -> bytes:
    h = head if head is not None else json.dumps(header).encode()
    return struct.pack("<4sII", wire.MAGIC, len(h), len(body)) + h + body


def _nested(n: int) -> object:
    return None if n == 0 else ["l", [_nested(n - 1)]]


_GOOD = {"m": "outcome", "id": "a", "value": None, "error": None, "mutated": [],
         "warnings": [], "forbidden": [], "seconds": ["f", "0x0.0p+0"]}


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (b"XXXX" + b"\0" * 8, "magic"),
        (struct.pack("<4sII", wire.MAGIC, 1 << 30, 0), "header"),
        (struct.pack("<4sII", wire.MAGIC, 10, 1 << 31), "exceeds"),
        (_raw_frame(None, head=b"\xff\xfe"), "unreadable"),
        (_raw_frame(None, head=b"[1]"), "message type"),
        (_raw_frame({**_GOOD, "value": 1.5}), "floats"),
        (_raw_frame({**_GOOD, "value": ["f", "NaN"]}, head=b'{"m":"outcome","value":NaN}'),
         "constant"),
        (_raw_frame({**_GOOD, "value": ["a", "|O", [1], 0]}, b"\0" * 8), "dtype"),
        (_raw_frame({**_GOOD, "value": ["a", "<U1", [1], 0]}, b"\0" * 4), "dtype"),
        (_raw_frame({**_GOOD, "value": ["a", "<f8", [2], 0]}, b"\0" * 8), "outside"),
        (_raw_frame({**_GOOD, "value": ["a", "<f8", [1], 0]}, b"\0" * 16), "no array"),
        (_raw_frame({**_GOOD, "value": ["a", "<f8", [-1], 0]}), "dimension"),
        (_raw_frame({**_GOOD, "value": ["a", "<f8", [1] * 9, 0]}, b"\0" * 8), "shape"),
        (_raw_frame({**_GOOD, "value": ["a", "<f8", [1 << 20, 1 << 20], 0]}), "elements"),
        (_raw_frame({**_GOOD, "value": ["pickle", "cos\nsystem"]}), "tag"),
        (_raw_frame({**_GOOD, "value": ["rng", 1]}), "tag"),
        (_raw_frame({**_GOOD, "value": ["d", {"k": ["x"]}]}), "tag"),
        (_raw_frame({**_GOOD, "value": 10**50}), "digits"),
        (_raw_frame({**_GOOD, "value": "x" * 5000}), "longer"),
        (_raw_frame({**_GOOD, "value": _nested(6)}), "deeper"),
        (_raw_frame({**_GOOD, "error": {"kind": "passed"}}), "kind"),
        (_raw_frame({**_GOOD, "extra": 1}), "unexpected keys"),
        (_raw_frame({"m": "exec", "code": "print(1)"}), "unknown message"),
        (_raw_frame({**_GOOD, "value": ["f", "0x1p+99999"]}), "hex float"),
    ],
)
def test_malformed_frames_are_refused(frame: bytes, reason: str) -> None:
    limits = wire.Limits(text=4096, depth=4, header=1 << 20, frame=1 << 20)
    with pytest.raises(wire.WireError, match=reason):
        _frames(frame, limits)


def test_total_stream_cap() -> None:
    reader = wire.FrameReader(wire.Limits(total=100))
    with pytest.raises(wire.WireError, match="larger than 100"):
        reader.feed(b"x" * 101)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_wire_error(data: bytes) -> None:
    try:
        _frames(wire.MAGIC + data)
        _frames(data)
    except wire.WireError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_valid_frames_never_raise_anything_but_wire_error(data: st.DataObject) -> None:
    frame = bytearray(wire.encode_outcome("a", Outcome(value=[np.arange(3.0), (1, "s")])))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(frame) - 1))
        frame[i] = data.draw(st.integers(0, 255))
    with contextlib.suppress(wire.WireError):
        _frames(bytes(frame))
