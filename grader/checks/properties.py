"""Property checks: what must hold whatever the values (inputs left untouched)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from grader.cases import Cases
from grader.checks.base import Check, Judging, Verdict, precheck
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Outcome

__all__ = ["NoMutation"]


class NoMutation(Check):
    """The function must not modify its input arrays (contract §1)."""

    def __init__(self, build: Callable[[TestSpec, Cases], list[tuple[Text, Call]]],
                 arg_names: tuple[str, ...]) -> None:
        self._build = build
        self.arg_names = arg_names

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return self._build(spec, cases)

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        for call in j.calls:
            mutated = j.student[call.id].mutated
            if mutated:
                first = mutated[0]
                name = self.arg_names[first] if isinstance(first, int) and first < len(
                    self.arg_names) else str(first)
                return Verdict(0.0, msg("grade.mutated", function=j.spec.function, arg=name))
        return Verdict(1.0, msg("grade.not-mutated", function=j.spec.function))

    def agrees(self, j: Judging, other: Mapping[str, Outcome]) -> bool:
        """A mutant that modifies the same arguments in place (the reference never does)."""
        return all(
            j.student[c.id].mutated and j.student[c.id].mutated == other[c.id].mutated
            for c in j.calls
        )
