"""Bilingual text: every user-facing message exists in English and Korean.

A :class:`Text` carries both languages; renderers pick one with :meth:`Text.get`.
Messages that the grader itself produces live in :data:`MESSAGES`, keyed by a stable
id, and are formatted with :func:`msg`, so a test can check that no message is
missing a language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["LANGS", "MESSAGES", "Lang", "Text", "default_lang", "msg"]

Lang = Literal["en", "ko"]
LANGS: tuple[Lang, ...] = ("en", "ko")


@dataclass(frozen=True)
class Text:
    """A message in English and Korean."""

    en: str
    ko: str

    def get(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def __add__(self, other: Text) -> Text:
        return Text(self.en + other.en, self.ko + other.ko)

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "ko": self.ko}

    @classmethod
    def same(cls, s: str) -> Text:
        """Text that reads the same in both languages (a number, a code snippet)."""
        return cls(s, s)

    @classmethod
    def join(cls, parts: list[Text], sep: str = "\n") -> Text:
        return cls(sep.join(p.en for p in parts), sep.join(p.ko for p in parts))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Text:
        return cls(str(data["en"]), str(data["ko"]))


def default_lang() -> Lang:
    """The language of the user's locale: ``GRADWELL_LANG``, then ``LANG``; English otherwise."""
    for var in ("GRADWELL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def msg(key: str, **fields: Any) -> Text:
    """The message ``key`` with ``fields`` formatted into both languages."""
    en, ko = MESSAGES[key]
    return Text(en.format(**fields), ko.format(**fields))


#: id -> (English, Korean). Placeholders are ``str.format`` fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- exercise files -------------------------------------------------------------
    "exercise.missing-file": (
        "{path}: file not found. Fix: create it, or correct the exercise directory.",
        "{path}: 파일이 없습니다. 해결: 파일을 만들거나 과제 디렉터리 경로를 고치세요.",
    ),
    "exercise.bad-toml": (
        "{path}: not valid TOML ({error}). Fix: correct the syntax at that line.",
        "{path}: 올바른 TOML이 아닙니다 ({error}). 해결: 해당 줄의 문법을 고치세요.",
    ),
    "exercise.missing-field": (
        "{path}: field '{field}' is missing. Fix: add {fix}.",
        "{path}: '{field}' 필드가 없습니다. 해결: {fix}을(를) 추가하세요.",
    ),
    "exercise.bad-field": (
        "{path}: field '{field}' {problem}, got {got!r}. Fix: {fix}.",
        "{path}: '{field}' 필드가 잘못되었습니다 ({problem}, 받은 값 {got!r}). 해결: {fix}.",
    ),
    "exercise.unknown-field": (
        "{path}: unknown field '{field}'. Fix: remove it, or use one of: {allowed}.",
        "{path}: 알 수 없는 필드 '{field}'. 해결: 지우거나 다음 중 하나를 쓰세요: {allowed}.",
    ),
    "exercise.unknown-exercise": (
        "unknown exercise {id!r}. Use one of: {known}.",
        "알 수 없는 과제 {id!r}입니다. 다음 중 하나를 쓰세요: {known}.",
    ),
    # -- grading feedback -----------------------------------------------------------
    "grade.passed": ("'{function}' looks good.", "'{function}'은(는) 잘 동작합니다."),
    "grade.hidden-failed": (
        "A hidden check failed ({reason}); its inputs are not shown.",
        "숨겨진 검사가 실패했습니다 ({reason}). 입력값은 공개되지 않습니다.",
    ),
    "grade.missing": (
        "'{function}' is not defined in {file}. Define it with the signature from the starter file.",
        "{file}에 '{function}'이(가) 정의되어 있지 않습니다. 시작 파일의 시그니처대로 정의하세요.",
    ),
    "grade.exception": (
        "'{function}' raised {type}: {message}{where}.",
        "'{function}'에서 {type} 예외가 발생했습니다: {message}{where}.",
    ),
    "grade.exception-hidden": (
        "'{function}' raised {type} on a hidden input{where}.",
        "'{function}'이(가) 숨겨진 입력에서 {type} 예외를 일으켰습니다{where}.",
    ),
    "grade.where-line": (" (line {line} of {file})", " ({file} {line}번째 줄)"),
    "grade.timeout": (
        "'{function}' did not finish in time ({message}). Look for an infinite loop or a Python-level loop over a large array.",
        "'{function}'이(가) 제한 시간 안에 끝나지 않았습니다 ({message}). 무한 루프나 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    ),
    "grade.memory": (
        "'{function}' ran out of memory ({message}).",
        "'{function}'이(가) 메모리 한도를 넘었습니다 ({message}).",
    ),
    "grade.crashed": (
        "'{function}' crashed the Python process ({message}).",
        "'{function}'이(가) 파이썬 프로세스를 비정상 종료시켰습니다 ({message}).",
    ),
    "grade.output-limit": (
        "'{function}' printed more output than allowed ({message}).",
        "'{function}'이(가) 허용된 양보다 많이 출력했습니다 ({message}).",
    ),
    "grade.not-run": (
        "'{function}' was not checked here: {message}.",
        "'{function}'은(는) 여기서 검사되지 않았습니다: {message}.",
    ),
    "grade.bad-output": (
        "'{function}' returned something that is not a float64 array of the right kind: {message}.",
        "'{function}'의 반환값이 올바른 float64 배열이 아닙니다: {message}.",
    ),
    "grade.wrong-shape": (
        "'{function}' returned shape {got} for {case}; expected {expected}.",
        "'{function}'이(가) {case}에 대해 모양 {got}을(를) 반환했습니다. 기대한 모양은 {expected}입니다.",
    ),
    "grade.not-finite": (
        "'{function}' returned inf or NaN for {case}, where the answer is finite.",
        "'{function}'이(가) {case}에서 inf 또는 NaN을 반환했습니다. 정답은 유한한 값입니다.",
    ),
    "grade.inaccurate": (
        "'{function}' is inaccurate for {case}: max |error| {err:.3g} at input {where} (tolerance: rtol {rtol:g}, atol {atol:g}).",
        "'{function}'의 값이 {case}에서 부정확합니다: 최대 |오차| {err:.3g}, 입력 {where} (허용 오차: rtol {rtol:g}, atol {atol:g}).",
    ),
    "grade.inaccurate-hidden": (
        "'{function}' is inaccurate on a hidden case: max |error| {err:.3g}.",
        "'{function}'의 값이 숨겨진 사례에서 부정확합니다: 최대 |오차| {err:.3g}.",
    ),
    "grade.mutated": (
        "'{function}' modified its input array '{arg}' in place; return a new array instead.",
        "'{function}'이(가) 입력 배열 '{arg}'을(를) 직접 수정했습니다. 새 배열을 반환하세요.",
    ),
    "grade.not-mutated": (
        "'{function}' leaves its inputs untouched.",
        "'{function}'은(는) 입력을 수정하지 않습니다.",
    ),
    "grade.forbidden": (
        "'{function}' uses {names}, which this exercise does not allow: write it with NumPy.",
        "'{function}'이(가) 이 과제에서 허용되지 않는 {names}을(를) 사용합니다. NumPy로 직접 작성하세요.",
    ),
    "grade.forbidden-torch": (
        "'{function}' uses {names}, which this exercise does not allow: build it from differentiable tensor operations.",
        "'{function}'이(가) 이 과제에서 허용되지 않는 {names}을(를) 사용합니다. 미분 가능한 텐서 연산으로 직접 만드세요.",
    ),
    "grade.warning-advice": (
        "Advice: '{function}' raised warnings ({warnings}). They cost nothing, but a numerically stable formula avoids them.",
        "조언: '{function}'에서 경고가 발생했습니다 ({warnings}). 감점은 없지만, 수치적으로 안정한 식을 쓰면 경고가 사라집니다.",
    ),
    "grade.misconception": (
        "Likely misconception [{id}]: {explanation} Hint: {hint}",
        "예상되는 오개념 [{id}]: {explanation} 힌트: {hint}",
    ),
    "grade.load-syntax": (
        "{file} has a syntax error at line {line}: {message}. Nothing could be graded; fix it and submit again.",
        "{file} {line}번째 줄에 문법 오류가 있습니다: {message}. 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.load-exception": (
        "Importing {file} raised {type}: {message}{where}. Nothing could be graded; fix it and submit again.",
        "{file}을(를) 불러오는 중 {type} 예외가 발생했습니다: {message}{where}. 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.expected-error": (
        "'{function}' should raise {expected} for {case}, but {got}.",
        "'{function}'은(는) {case}에 대해 {expected}을(를) 발생시켜야 하지만, {got}.",
    ),
    "grade.fd-mismatch": (
        "'{function}' does not match the slope of your own '{forward}': at x = {x:.6g} it returns {got:.6g}, but the central difference of '{forward}' there is {numeric:.6g}.",
        "'{function}'이(가) 직접 작성한 '{forward}'의 기울기와 맞지 않습니다: x = {x:.6g}에서 {got:.6g}을(를) 반환했지만, 그 점에서 '{forward}'의 중심 차분은 {numeric:.6g}입니다.",
    ),
    "grade.fd-consistent": (
        "'{function}' matches the finite-difference slope of your '{forward}'.",
        "'{function}'이(가) 직접 작성한 '{forward}'의 유한 차분 기울기와 일치합니다.",
    ),
    "grade.fd-backward": (
        "'{function}' does not match your own '{forward}': output {output} at index {index} is {got:.6g}, but the central difference of Σ out·dout there is {numeric:.6g}.",
        "'{function}'이(가) 직접 작성한 '{forward}'와 맞지 않습니다: 출력 {output}의 인덱스 {index} 값은 {got:.6g}이지만, 그 점에서 Σ out·dout의 중심 차분은 {numeric:.6g}입니다.",
    ),
    "grade.kink-range": (
        "'{function}' returns {got:g} at x = 0; any value from {low:g} to {high:g} is accepted there.",
        "'{function}'이(가) x = 0에서 {got:g}을(를) 반환합니다. 그 점에서는 {low:g}부터 {high:g}까지의 값만 인정됩니다.",
    ),
    "grade.kink-near": (
        "'{function}' is wrong next to the kink: at x = {x:g} it returns {got:g}, expected {want:g}. Check which side of 0 each branch covers.",
        "'{function}'이(가) 꺾이는 점 근처에서 틀립니다: x = {x:g}에서 {got:g}을(를) 반환했고, 기대값은 {want:g}입니다. 각 분기가 0의 어느 쪽을 맡는지 확인하세요.",
    ),
    "grade.batch-dependent": (
        "'{function}' gives sample {i} a different output alone than inside the batch: layer normalisation must use each sample's own statistics.",
        "'{function}'이(가) 샘플 {i}에 대해 배치 안에서와 혼자일 때 다른 출력을 냅니다. 층 정규화는 각 샘플 자신의 통계만 써야 합니다.",
    ),
    "grade.batch-independent": (
        "'{function}' treats every sample independently of the batch.",
        "'{function}'은(는) 각 샘플을 배치와 무관하게 처리합니다.",
    ),
    "grade.float-lists": (
        "'{function}' should return a tuple of two lists of Python floats (use float(...) on NumPy scalars, or .tolist()).",
        "'{function}'은(는) 파이썬 float 리스트 두 개의 튜플을 반환해야 합니다 (NumPy 스칼라에는 float(...)을, 배열에는 .tolist()를 쓰세요).",
    ),
    "grade.got-returned": ("it returned a value", "값을 반환했습니다"),
    "grade.got-raised": ("it raised {type}", "{type}을(를) 발생시켰습니다"),
    # -- statistics of random initialisers (grader/checks/statistics.py) ------------
    "grade.stat-ok": (
        "'{function}' looks good: for {case} your samples' std is {got:.4g} ({name}'s is {want:.4g} for {context}) and they pass every statistical test against {dist}.",
        "'{function}'은(는) 잘 동작합니다: {case}에서 표본의 표준편차는 {got:.4g}이고 ({context}일 때 {name} 초기화의 표준편차는 {want:.4g}), {dist}에 대한 모든 통계 검정을 통과합니다.",
    ),
    "grade.stat-scale": (
        "'{function}' draws at the wrong scale for {case}: your samples' std is {got:.4g}, {name}'s is {want:.4g} for {context} (a correct implementation lands between {low:.4g} and {high:.4g}).",
        "'{function}'의 분포 크기가 {case}에서 틀립니다: 표본의 표준편차는 {got:.4g}인데, {context}일 때 {name} 초기화의 표준편차는 {want:.4g}입니다 (올바른 구현이면 {low:.4g}에서 {high:.4g} 사이가 나옵니다).",
    ),
    "grade.stat-above-bound": (
        "'{function}' returned a value beyond the bound for {case}: max |w| = {got:.6g}, but {name}'s bound is {bound:.6g} for {context}.",
        "'{function}'이(가) {case}에서 경계를 넘는 값을 반환했습니다: max |w| = {got:.6g}인데, {context}일 때 {name} 초기화의 경계는 {bound:.6g}입니다.",
    ),
    "grade.stat-below-bound": (
        "'{function}' never comes near the bound for {case}: max |w| = {got:.6g}, but {n} samples from U(−{bound:.4g}, {bound:.4g}) ({name}, {context}) reach at least {low:.6g}. Is your bound too small?",
        "'{function}'의 값이 {case}에서 경계 근처에 오지 않습니다: max |w| = {got:.6g}인데, U(−{bound:.4g}, {bound:.4g}) ({name}, {context})에서 뽑은 표본 {n}개라면 최댓값이 {low:.6g} 이상이 됩니다. 경계를 너무 작게 잡지 않았나요?",
    ),
    "grade.stat-ks": (
        "'{function}' does not draw from {dist} for {case}: the Kolmogorov–Smirnov distance is {d:.4f} (p = {p:.2g}, below {alpha:.2g}). Check normal against uniform, and the scale.",
        "'{function}'이(가) {case}에서 {dist}를 따르지 않습니다: 콜모고로프–스미르노프 거리가 {d:.4f}입니다 (p = {p:.2g}, 기준 {alpha:.2g} 미만). 정규분포와 균등분포를 바꿔 쓰지 않았는지, 크기는 맞는지 확인하세요.",
    ),
    "grade.stat-mean": (
        "'{function}' is not centred at 0 for {case}: the sample mean is {got:.4g}, beyond ±{high:.3g}.",
        "'{function}'의 분포가 {case}에서 0을 중심으로 하지 않습니다: 표본 평균이 {got:.4g}로 ±{high:.3g}을(를) 벗어납니다.",
    ),
    "plot.init-histogram": (
        "{function}: your samples against {dist}",
        "{function}: 제출한 표본과 {dist} 비교",
    ),
    "grade.not-int": (
        "'{function}' returned {got} for {case}; the fans must be Python ints, not floats.",
        "'{function}'이(가) {case}에 대해 {got}을(를) 반환했습니다. fan 값은 float가 아니라 파이썬 int여야 합니다.",
    ),
    "grade.wrong-value": (
        "'{function}' returned {got} for {case}; expected {expected}.",
        "'{function}'이(가) {case}에 대해 {got}을(를) 반환했습니다. 기대값은 {expected}입니다.",
    ),
    "grade.wrong-dtype": (
        "'{function}' returned {got} for {case}; expected a float64 NumPy array of shape {expected}.",
        "'{function}'이(가) {case}에 대해 {got}을(를) 반환했습니다. 모양이 {expected}인 float64 NumPy 배열이어야 합니다.",
    ),
    "grade.shape-ok": (
        "'{function}' returns float64 arrays of the requested shape.",
        "'{function}'은(는) 요청한 모양의 float64 배열을 반환합니다.",
    ),
    "grade.not-reproducible": (
        "'{function}' returned different values for two generators with the same seed ({case}): take every random number from the generator you are given, not from a global random state.",
        "'{function}'이(가) 같은 시드의 생성기 두 개에 대해 다른 값을 반환했습니다 ({case}). 전역 난수 상태가 아니라 인자로 받은 생성기에서 모든 난수를 뽑으세요.",
    ),
    "grade.ignores-seed": (
        "'{function}' returned the same values for two different seeds ({case}): draw from the generator you are given instead of a fixed one.",
        "'{function}'이(가) 서로 다른 시드에 대해 같은 값을 반환했습니다 ({case}). 고정된 생성기가 아니라 인자로 받은 생성기에서 뽑으세요.",
    ),
    "grade.reproducible": (
        "'{function}' is reproducible: the same seed gives the same values, another seed other values.",
        "'{function}'은(는) 재현 가능합니다: 같은 시드는 같은 값을, 다른 시드는 다른 값을 줍니다.",
    ),
    "grade.not-in-place": (
        "'{function}' did not fill the tensor it was given ({case}): write into it in place (e.g. tensor.uniform_(...) under torch.no_grad()).",
        "'{function}'이(가) 받은 텐서를 채우지 않았습니다 ({case}). torch.no_grad() 안에서 tensor.uniform_(...)처럼 그 텐서에 직접 값을 써 넣으세요.",
    ),
    "grade.returned-other": (
        "'{function}' must return the very tensor it filled, as torch.nn.init does, but returned another object ({case}).",
        "'{function}'은(는) torch.nn.init처럼 자신이 채운 바로 그 텐서를 반환해야 하지만, 다른 객체를 반환했습니다 ({case}).",
    ),
    "grade.in-place": (
        "'{function}' fills its tensor in place and returns it.",
        "'{function}'은(는) 텐서를 제자리에서 채우고 그 텐서를 반환합니다.",
    ),
    # -- torch modules (grader/suites/torch_layers.py) ----------------------------------
    "grade.module-missing": (
        "'{function}' has no {kind} called '{name}'; torch.nn.{function} has one of shape {shape}.",
        "'{function}'에 '{name}'이라는 {kind}이(가) 없습니다. torch.nn.{function}에는 모양이 {shape}인 {kind}이(가) 있습니다.",
    ),
    "grade.module-kind": (
        "'{function}.{name}' should be a {expected}, but it is registered as a {got}. Use {fix}.",
        "'{function}.{name}'은(는) {expected}여야 하는데 {got}(으)로 등록되어 있습니다. {fix}을(를) 쓰세요.",
    ),
    "grade.module-initial": (
        "'{function}.{name}' starts as {got}; torch.nn.{function} starts it as {expected}.",
        "'{function}.{name}'의 초깃값이 {got}입니다. torch.nn.{function}에서는 {expected}입니다.",
    ),
    "grade.module-ok": (
        "'{function}' has the parameters (and buffers) of torch.nn.{function}, with the right initial values.",
        "'{function}'에는 torch.nn.{function}과 같은 파라미터(와 버퍼)가 있고 초깃값도 맞습니다.",
    ),
    "grade.module-mismatch": (
        "'{function}' differs from torch.nn.{function} in {mode} mode, step {step} ({case}): {what} is off by up to {err:.3g} (tolerance: rtol {rtol:g}, atol {atol:g}).",
        "'{function}'이(가) {mode} 모드 {step}단계({case})에서 torch.nn.{function}과 다릅니다: {what}의 오차가 최대 {err:.3g}입니다 (허용 오차: rtol {rtol:g}, atol {atol:g}).",
    ),
    "grade.module-mismatch-hidden": (
        "'{function}' differs from torch.nn.{function} on a hidden case: {what} is off by up to {err:.3g}.",
        "'{function}'이(가) 숨겨진 사례에서 torch.nn.{function}과 다릅니다: {what}의 오차가 최대 {err:.3g}입니다.",
    ),
    "grade.module-missing-value": (
        "'{function}' in {mode} mode, step {step} ({case}): {what} is missing; after backward() it should exist. Compute the output from x, weight and bias with differentiable tensor operations.",
        "'{function}'의 {mode} 모드 {step}단계({case})에서 {what}이(가) 없습니다. backward() 뒤에는 있어야 합니다. 출력을 x, weight, bias로부터 미분 가능한 텐서 연산으로 계산하세요.",
    ),
    "grade.module-matches": (
        "'{function}' matches torch.nn.{function} at every step checked: outputs, gradients and any running statistics.",
        "'{function}'은(는) 검사한 모든 단계에서 출력, 기울기, 이동 통계까지 torch.nn.{function}과 일치합니다.",
    ),
}
