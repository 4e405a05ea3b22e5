"""JUnit XML for CI test reporters (GitHub, GitLab, Jenkins).

One ``<testsuite>`` per exercise and one ``<testcase>`` per test; a test that lost
points has a ``<failure>`` whose message is the first line of the feedback and whose
text is all of it. An ungradable submission's tests carry ``<error>`` instead (nothing
ran). Points travel as ``<properties>`` (``score``, ``max_score``, ``tags``), the way
pytest's ``record_property`` writes them. Per-test time is not measured: each testcase
says ``time="0"`` and the suite carries the grading's wall time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from grader.result import Result, TestResult

__all__ = ["junit_suite", "render_junit"]


# Characters XML 1.0 forbids (a student's exception text may hold any of them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _num(x: float) -> str:
    return f"{x:g}"


def _properties(parent: ET.Element, items: Sequence[tuple[str, str]]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in items:
        ET.SubElement(props, "property", name=name, value=value)


def _case(suite: ET.Element, result: Result, test: TestResult, lang: str) -> None:
    case = ET.SubElement(
        suite, "testcase", name=_xml_safe(test.name),
        classname=f"gradwell.{result.exercise}.{test.function}", time="0",
    )
    _properties(case, [
        ("score", _num(test.score)), ("max_score", _num(test.max_score)),
        ("tags", ",".join(test.tags)),
    ])
    if test.passed:
        return
    feedback = _xml_safe(test.feedback(lang))
    first = feedback.splitlines()[0] if feedback else ""
    if result.status == "ungradable":
        bad = ET.SubElement(case, "error", message=first, type="ungradable")
    else:
        bad = ET.SubElement(
            case, "failure", message=first,
            type=",".join(test.tags) if test.tags else "failed",
        )
    bad.text = feedback


def junit_suite(result: Result, lang: str = "en") -> ET.Element:
    """The ``<testsuite>`` element of one result."""
    failed = sum(1 for t in result.tests if not t.passed)
    ungradable = result.status == "ungradable"
    suite = ET.Element(
        "testsuite", name=f"gradwell.{result.exercise}", tests=str(len(result.tests)),
        failures="0" if ungradable else str(failed), errors=str(failed) if ungradable else "0",
        skipped="0", time=f"{result.execution_time:.3f}",
    )
    _properties(suite, [
        ("exercise", result.exercise), ("score", _num(result.score)),
        ("max_score", _num(result.max_score)), ("status", result.status),
    ])
    for test in result.tests:
        _case(suite, result, test, lang)
    return suite


def render_junit(results: Result | Sequence[Result], lang: str = "en") -> str:
    """A ``<testsuites>`` document for one result or several (UTF-8, with declaration)."""
    items = [results] if isinstance(results, Result) else list(results)
    root = ET.Element("testsuites", name="gradwell")
    suites = [junit_suite(r, lang) for r in items]
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", f"{sum(r.execution_time for r in items):.3f}")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
