"""The ``torch_layers`` suite: torch.nn behaviour through the probes, gradients against
finite differences of the student's own forward, in-place initialisers judged
statistically, and the forbidden library routines refused even when their values are
right (by name and by the ATen kernel they reach).

Most tests run the child's work in-process, with the run-time tripwires installed as
the child installs them (and restored afterwards); two grade through the real sandbox.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

import grader.exercise
from grader import engine
from grader.cases import Cases
from grader.checks.base import Judging
from grader.exercise import EXERCISES_DIR, Exercise, load_exercise
from grader.result import Result
from grader.sandbox.executor import EvalRequest, Evaluation
from grader.sandbox.probes import torch_init, torch_module
from grader.sandbox.runner import LoadFailure, Tripwires, _resolve_owner, execute, load_module

REFERENCE = Path(__import__("reference.torch_layers").torch_layers.__file__).read_text(
    encoding="utf-8")
BN_TESTS = {"BatchNorm1d: parameters and buffers", "BatchNorm1d: training mode",
            "BatchNorm1d: momentum and eps", "BatchNorm1d: eval mode",
            "BatchNorm1d: gradients match finite differences"}
LN_TESTS = {"LayerNorm: parameters", "LayerNorm: values and gradients", "LayerNorm: eps",
            "LayerNorm: batch independence", "LayerNorm: gradients match finite differences"}


class InProcessWithTripwires:
    """What the sandboxed child does (tripwires, load, execute), in this process; the
    patched library attributes are restored by ``monkeypatch`` after the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def evaluate(self, request: EvalRequest, *, on_outcome: object = None) -> Evaluation:
        for name in request.rules.forbidden_calls:
            owner, attr = _resolve_owner(name)
            if owner is not None and hasattr(owner, attr):
                self.monkeypatch.setattr(owner, attr, getattr(owner, attr))
        tripwires = Tripwires(request.rules)
        tripwires.install()
        module = load_module(request.source, request.module_name, request.filename,
                             register=False)
        if isinstance(module, LoadFailure):
            return Evaluation(module, {}, "", "", 0.0, 0)
        return Evaluation(None, execute(module, request.calls, tripwires=tripwires),
                          "", "", 0.0, 0)


@pytest.fixture(scope="module")
def exercise(tmp_path_factory: pytest.TempPathFactory) -> Exercise:
    directory = tmp_path_factory.mktemp("torch_layers") / "torch_layers"
    shutil.copytree(EXERCISES_DIR / "torch_layers", directory)
    for name in ("statement.en.md", "statement.ko.md", "starter.py"):
        if not (directory / name).exists():
            (directory / name).write_text("placeholder\n", encoding="utf-8")
    return load_exercise(directory)


def _grade(ex: Exercise, source: str, monkeypatch: pytest.MonkeyPatch,
           sandbox: object = None) -> Result:
    monkeypatch.setattr(grader.exercise, "get", lambda exercise_id, root=None: ex)
    return engine.grade(ex.id, source,
                        sandbox=sandbox or InProcessWithTripwires(monkeypatch))  # type: ignore[arg-type]


def _by_name(result: Result) -> dict[str, tuple[float, float, tuple[str, ...], str]]:
    return {t.name: (t.score, t.max_score, tuple(m.id for m in t.misconceptions), t.output.en)
            for t in result.tests}


def _lost(result: Result) -> dict[str, str]:
    return {t.name: t.output.en for t in result.tests if t.score < t.max_score}


def test_reference_scores_full_marks(exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _grade(exercise, REFERENCE, monkeypatch)
    assert _lost(result) == {}
    assert result.score == result.max_score == 31


# -- a student's own modules -----------------------------------------------------------

STUDENT = '''
import math
import torch
from torch import nn


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = x.var(dim=0, unbiased=False)
            with torch.no_grad():
                m = self.momentum
                self.running_mean.copy_((1 - m) * self.running_mean + m * mean)
                self.running_var.copy_((1 - m) * self.running_var + m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        centred = x - mean
        var = (centred * centred).mean(dim=-1, keepdim=True)
        return centred * torch.rsqrt(var + self.eps) * self.weight + self.bias


def _fans(tensor):
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def xavier_uniform_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a, generator=generator)
    return tensor


def kaiming_normal_(tensor, mode="fan_in", generator=None):
    fan_in, fan_out = _fans(tensor)
    fan = {"fan_in": fan_in, "fan_out": fan_out}[mode]
    with torch.no_grad():
        tensor.normal_(0.0, math.sqrt(2.0 / fan), generator=generator)
    return tensor
'''


def _variant(*replacements: tuple[str, str]) -> str:
    source = STUDENT
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


def test_a_students_own_correct_solution_scores_full_marks(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _lost(_grade(exercise, STUDENT, monkeypatch)) == {}


#: name -> (source, {test lost: misconception expected or None}); all else full marks.
CASES: dict[str, tuple[str, dict[str, str | None]]] = {
    "bn-detached-stats": (_variant(
        ("            mean = x.mean(dim=0)\n            var = x.var(dim=0, unbiased=False)",
         "            mean = x.detach().mean(dim=0)\n"
         "            var = x.detach().var(dim=0, unbiased=False)")), {
        "BatchNorm1d: training mode": "torch-bn-detached-stats",
        "BatchNorm1d: momentum and eps": "torch-bn-detached-stats",
        "BatchNorm1d: eval mode": "torch-bn-detached-stats",
        "BatchNorm1d: gradients match finite differences": "torch-bn-detached-stats",
    }),
    "bn-unbiased-normalisation": (_variant(
        ("var = x.var(dim=0, unbiased=False)", "var = x.var(dim=0)"),
        ("m * var * n / (n - 1)", "m * var")), {
        "BatchNorm1d: training mode": "torch-bn-unbiased-normalisation",
        "BatchNorm1d: momentum and eps": "torch-bn-unbiased-normalisation",
        "BatchNorm1d: eval mode": "torch-bn-unbiased-normalisation",
    }),
    "bn-running-var-biased": (_variant(("m * var * n / (n - 1)", "m * var")), {
        "BatchNorm1d: training mode": "torch-bn-running-var-biased",
        "BatchNorm1d: momentum and eps": "torch-bn-running-var-biased",
        "BatchNorm1d: eval mode": "torch-bn-running-var-biased",
    }),
    "bn-momentum-flipped": (_variant(
        ("(1 - m) * self.running_mean + m * mean", "m * self.running_mean + (1 - m) * mean"),
        ("(1 - m) * self.running_var + m * var * n / (n - 1)",
         "m * self.running_var + (1 - m) * var * n / (n - 1)")), {
        "BatchNorm1d: training mode": None, "BatchNorm1d: momentum and eps": None,
        "BatchNorm1d: eval mode": None,
    }),
    "bn-batch-stats-in-eval": (_variant(
        ("        else:\n            mean, var = self.running_mean, self.running_var\n"
         "        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias",
         "        else:\n            mean, var = x.mean(dim=0), x.var(dim=0, unbiased=False)\n"
         "        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias")), {
        "BatchNorm1d: eval mode": "torch-bn-eval-batch-stats",
    }),
    "bn-running-mean-parameter": (_variant(
        ('self.register_buffer("running_mean", torch.zeros(num_features))',
         "self.running_mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)")), {
        "BatchNorm1d: parameters and buffers": None, "BatchNorm1d: training mode": None,
        "BatchNorm1d: momentum and eps": None, "BatchNorm1d: eval mode": None,
    }),
    "ln-eps-outside-sqrt": (_variant(
        ("centred * torch.rsqrt(var + self.eps)", "centred / (torch.sqrt(var) + self.eps)")), {
        "LayerNorm: values and gradients": "torch-ln-eps-outside-sqrt",
        "LayerNorm: eps": "torch-ln-eps-outside-sqrt",
    }),
    "ln-over-batch": (_variant(
        ("mean = x.mean(dim=-1, keepdim=True)", "mean = x.mean(dim=0, keepdim=True)"),
        ("var = (centred * centred).mean(dim=-1, keepdim=True)",
         "var = (centred * centred).mean(dim=0, keepdim=True)")), {
        "LayerNorm: values and gradients": "torch-ln-over-batch-dim",
        "LayerNorm: eps": "torch-ln-over-batch-dim",
        "LayerNorm: batch independence": "torch-ln-over-batch-dim",
    }),
    "ln-detached-stats": (_variant(
        ("mean = x.mean(dim=-1, keepdim=True)\n        centred = x - mean\n"
         "        var = (centred * centred).mean(dim=-1, keepdim=True)",
         "mean = x.mean(dim=-1, keepdim=True).detach()\n        centred = x - mean\n"
         "        var = (centred * centred).mean(dim=-1, keepdim=True).detach()")), {
        "LayerNorm: values and gradients": None,
        "LayerNorm: eps": None,
        "LayerNorm: gradients match finite differences": None,
    }),
    "xavier-new-tensor": (_variant(
        ("        tensor.uniform_(-a, a, generator=generator)\n    return tensor",
         "        return torch.empty_like(tensor).uniform_(-a, a, generator=generator)")), {
        "xavier_uniform_: in place": "torch-xavier-not-in-place",
        "xavier_uniform_: distribution": None,
        "xavier_uniform_: gain": None,
        "xavier_uniform_: reproducible with a generator": "torch-xavier-not-in-place",
    }),
    "xavier-returns-none": (_variant(
        ("        tensor.uniform_(-a, a, generator=generator)\n    return tensor",
         "        tensor.uniform_(-a, a, generator=generator)")), {
        "xavier_uniform_: in place": None,
    }),
    "xavier-global-rng": (_variant(
        ("tensor.uniform_(-a, a, generator=generator)", "tensor.uniform_(-a, a)")), {
        "xavier_uniform_: reproducible with a generator": None,
    }),
    "kaiming-modes-swapped": (_variant(
        ('{"fan_in": fan_in, "fan_out": fan_out}', '{"fan_in": fan_out, "fan_out": fan_in}')), {
        "kaiming_normal_: distribution": "torch-kaiming-fan-out-default",
        "kaiming_normal_: modes fan_out and fan_in": "torch-kaiming-fan-out-default",
    }),
    "kaiming-without-no-grad": (_variant(
        ("    with torch.no_grad():\n        tensor.normal_(0.0, math.sqrt(2.0 / fan), "
         "generator=generator)",
         "    tensor.normal_(0.0, math.sqrt(2.0 / fan), generator=generator)")), {
        "kaiming_normal_: in place": None,
    }),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mistake_loses_the_right_tests_and_is_named(
        case: str, exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    source, expected = CASES[case]
    results = _by_name(_grade(exercise, source, monkeypatch))
    lost = {name for name, (score, most, _, _) in results.items() if score < most}
    assert lost == set(expected), {n: results[n][3] for n in lost ^ set(expected)}
    for name, misconception in expected.items():
        found = results[name][2]
        assert (misconception in found) if misconception else found == (), (name, found)


def test_feedback_says_which_quantity_and_step_differ(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    lost = _lost(_grade(exercise, CASES["bn-running-var-biased"][0], monkeypatch))
    assert "running_var is off by up to" in lost["BatchNorm1d: training mode"]
    assert "train mode, step 1 (x of shape (4, 5))" in lost["BatchNorm1d: training mode"]
    lost = _lost(_grade(exercise, CASES["bn-batch-stats-in-eval"][0], monkeypatch))
    assert "eval mode, step 3" in lost["BatchNorm1d: eval mode"]
    assert "the output is off" in lost["BatchNorm1d: eval mode"]


def test_a_detached_forward_is_caught_by_finite_differences_of_its_own_forward(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    lost = _lost(_grade(exercise, CASES["ln-detached-stats"][0], monkeypatch))
    message = lost["LayerNorm: gradients match finite differences"]
    assert "does not match your own 'LayerNorm.forward'" in message
    assert "central difference of Σ out·dout" in message


def test_a_registered_parameter_is_not_a_buffer(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    lost = _lost(_grade(exercise, CASES["bn-running-mean-parameter"][0], monkeypatch))
    assert "should be a buffer" in lost["BatchNorm1d: parameters and buffers"]
    assert "register_buffer('running_mean', ...)" in lost["BatchNorm1d: parameters and buffers"]


def test_initialiser_feedback_names_the_numbers_and_has_a_histogram(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _grade(exercise, CASES["kaiming-modes-swapped"][0], monkeypatch)
    test = next(t for t in result.tests if t.name == "kaiming_normal_: distribution")
    assert "He's is 0.125 for fan_in=128" in test.output.en
    assert test.extra["plot"]["kind"] == "histogram"
    assert sum(test.extra["plot"]["counts"]) == 512 * 128


# -- forbidden routines --------------------------------------------------------------

LN_LIBRARY = '''

class LayerNorm(LayerNorm):
    def forward(self, x):
        return torch.nn.functional.layer_norm(x, self.normalized_shape, self.weight,
                                              self.bias, self.eps)
'''
LN_ATEN = '''

class LayerNorm(LayerNorm):
    def forward(self, x):
        return torch.ops.aten.native_layer_norm(x, list(self.normalized_shape), self.weight,
                                                self.bias, self.eps)[0]
'''
BN_MODULE = '''

class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        return torch.nn.functional.batch_norm(
            x, self.running_mean, self.running_var, self.weight, self.bias,
            self.training, self.momentum, self.eps)
'''
KAIMING_LIBRARY = '''

def kaiming_normal_(tensor, mode="fan_in", generator=None):
    return torch.nn.init.kaiming_normal_(tensor, mode=mode, generator=generator)
'''


def test_library_layer_norm_fails_even_though_its_values_are_right(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    lost = _lost(_grade(exercise, REFERENCE + LN_LIBRARY, monkeypatch))
    assert set(lost) == LN_TESTS - {"LayerNorm: parameters"}  # construction is the student's
    for output in lost.values():
        assert "uses aten.native_layer_norm" in output or "torch.nn.functional.layer_norm" in output
        assert "build it from differentiable tensor operations" in output
    # and the values were right: without the tripwires the same source passes
    monkeypatch.undo()

    class NoTripwires(InProcessWithTripwires):
        def evaluate(self, request: EvalRequest, *, on_outcome: object = None) -> Evaluation:
            module = load_module(request.source, request.module_name, request.filename,
                                 register=False)
            assert not isinstance(module, LoadFailure)
            return Evaluation(None, execute(module, request.calls), "", "", 0.0, 0)

    assert _lost(_grade(exercise, REFERENCE + LN_LIBRARY, monkeypatch,
                        NoTripwires(monkeypatch))) == {}


@pytest.mark.parametrize("source, tests, name", [
    (LN_ATEN, LN_TESTS - {"LayerNorm: parameters"}, "aten.native_layer_norm"),
    (BN_MODULE, BN_TESTS - {"BatchNorm1d: parameters and buffers"}, "aten.native_batch_norm"),
    (KAIMING_LIBRARY, {"kaiming_normal_: in place", "kaiming_normal_: distribution",
                       "kaiming_normal_: modes fan_out and fan_in",
                       "kaiming_normal_: reproducible with a generator"},
     "torch.nn.init.kaiming_normal_"),
], ids=["aten-layer-norm", "functional-batch-norm", "init-kaiming"])
def test_every_route_to_a_forbidden_routine_is_seen(
        source: str, tests: set[str], name: str, exercise: Exercise,
        monkeypatch: pytest.MonkeyPatch) -> None:
    lost = _lost(_grade(exercise, REFERENCE + source, monkeypatch))
    assert set(lost) == tests
    assert all(name in output for output in lost.values()), lost


BN_EVAL_ONLY = '''

class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        if self.training:
            return super().forward(x)
        return torch.ops.aten.native_batch_norm(
            x, self.weight, self.bias, self.running_mean, self.running_var, False, 0.0,
            self.eps)[0]
'''
LN_3D_ONLY = '''

class LayerNorm(LayerNorm):
    def forward(self, x):
        if x.dim() != 3:
            return super().forward(x)
        return torch.ops.aten.native_layer_norm(x, list(self.normalized_shape), self.weight,
                                                self.bias, self.eps)[0]
'''


@pytest.mark.parametrize("source, test, name", [
    (BN_EVAL_ONLY, "BatchNorm1d: eval mode", "aten.native_batch_norm"),
    (LN_3D_ONLY, "LayerNorm: values and gradients", "aten.native_layer_norm"),
], ids=["batch-norm-in-eval-only", "layer-norm-for-3d-only"])
def test_a_forbidden_routine_on_one_mode_or_shape_only_is_seen(
        source: str, test: str, name: str, exercise: Exercise,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe watches the first step of each (mode, shape) of a call, so a student
    who reaches for the fused kernel in eval mode only, or for 3-d inputs only, is
    still caught on the tests that run that mode or shape."""
    lost = _lost(_grade(exercise, REFERENCE + source, monkeypatch))
    assert test in lost and name in lost[test], lost


def test_the_reference_dispatches_no_forbidden_aten_op(exercise: Exercise) -> None:
    """A hand-written BatchNorm/LayerNorm reaches none of the fused kernels, so the
    ATen list cannot fail an honest submission."""
    from torch.utils._python_dispatch import TorchDispatchMode

    seen: set[str] = set()

    class Record(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
            seen.add(func._schema.name.split("::")[-1])
            return func(*args, **(kwargs or {}))

    module = load_module(REFERENCE, "torch_layers_ref", "<reference>", register=False)
    assert not isinstance(module, LoadFailure)
    x, g = np.random.default_rng(0).normal(size=(2, 4, 3))
    with Record():
        torch_module(module, "BatchNorm1d", (("num_features", 3),), (),
                     (("train", x, g), ("eval", x, g)))
        torch_module(module, "LayerNorm", (("normalized_shape", 3),), (), (("train", x, g),))
        torch_init(module, "xavier_uniform_", (4, 3), (), 1, 2)
        torch_init(module, "kaiming_normal_", (4, 3), (), 1, 2, True)
    assert seen and not seen & set(exercise.rules.forbidden_aten_ops)
    # ...while the library routine does reach one of them
    seen.clear()
    with Record():
        torch.nn.functional.layer_norm(torch.ones(2, 3, dtype=torch.float64), (3,))
    assert "native_layer_norm" in seen & set(exercise.rules.forbidden_aten_ops)


def test_the_real_sandbox_refuses_layer_norm_and_grades_the_rest(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.sandbox import default_sandbox

    # One grading (the sandbox is slow to start on a busy machine): every test but the
    # LayerNorm ones keeps full marks, and those fail for the library call.
    lost = _lost(_grade(exercise, REFERENCE + LN_LIBRARY, monkeypatch, default_sandbox()))
    assert set(lost) == LN_TESTS - {"LayerNorm: parameters"}
    assert all("build it from differentiable tensor operations" in o for o in lost.values())


# -- the probes and the statistics ---------------------------------------------------


def test_probes_report_plain_data_only() -> None:
    module = load_module(REFERENCE, "torch_layers_ref2", "<reference>", register=False)
    assert not isinstance(module, LoadFailure)
    x, g = np.random.default_rng(1).normal(size=(2, 4, 3))
    report = torch_module(module, "BatchNorm1d", (("num_features", 3),), (), (("train", x, g),))
    assert set(report) == {"parameters", "buffers", "steps"}
    step = report["steps"][0]
    assert isinstance(step["out"], np.ndarray) and step["out"].dtype == np.float64
    assert set(step["grads"]) == {"weight", "bias"} and step["backward_error"] == ""
    init = torch_init(module, "xavier_uniform_", (5, 4), (("gain", 2.0),), 7, 8, True)
    assert init["returned_same"] is True
    assert np.array_equal(init["values"], init["again"])
    assert not np.array_equal(init["values"], init["other"])


STATISTICAL_TESTS = [
    "xavier_uniform_: distribution", "xavier_uniform_: gain", "kaiming_normal_: distribution",
    "kaiming_normal_: modes fan_out and fan_in",
]


def _fractions(exercise: Exercise, name: str, seeds: range) -> list[float]:
    spec = next(t for t in exercise.tests if t.name == name)
    check = engine.check_for(exercise, spec)
    module = load_module(REFERENCE, "torch_layers_ref3", "<reference>", register=False)
    assert not isinstance(module, LoadFailure)
    fractions = []
    for seed in seeds:
        calls = [c for _, c in check.calls(spec, Cases(seed))]
        outcomes = execute(module, calls)
        j = Judging(spec, exercise.file, calls, {}, outcomes, outcomes)
        fractions.append(check.judge(j).fraction)
    return fractions


@pytest.mark.parametrize("name", STATISTICAL_TESTS)
def test_a_correct_initialiser_passes_for_many_seeds(name: str, exercise: Exercise) -> None:
    assert _fractions(exercise, name, range(8)) == [1.0] * 8


@pytest.mark.slow
@pytest.mark.parametrize("name", STATISTICAL_TESTS)
def test_a_correct_initialiser_passes_for_200_seeds(name: str, exercise: Exercise) -> None:
    assert _fractions(exercise, name, range(500, 700)) == [1.0] * 200
