"""The result renderers: golden Markdown and JUnit, parsed XML, Gradescope schema, text."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from grader.i18n import Text
from grader.render import FORMATS, gradescope_dict, render
from grader.render.json import for_gradescope
from grader.render.markdown import escape, render_markdown, render_markdown_summary
from grader.render.messages import UI_MESSAGES
from grader.render.text import render_text
from grader.result import Misconception, Result, TestResult
from grader.schemas import gradescope_results_schema

OVERFLOW = Misconception(
    id="sigmoid-overflow", function="sigmoid",
    title=Text("Overflow in exp", "exp 오버플로"),
    explanation=Text("exp(-x) overflows for x = -1e4.", "x = -1e4에서 exp(-x)가 넘칩니다."),
    hint=Text("Split by sign.", "부호로 나누세요."),
)


def make_result() -> Result:
    return Result("activations", (
        TestResult("sigmoid: values", "sigmoid", 2.0, 2.0,
                   Text("'sigmoid' looks good.", "'sigmoid'은(는) 잘 동작합니다.")),
        TestResult("sigmoid: stability at ±1e4", "sigmoid", 0.0, 2.0,
                   Text("'sigmoid' returned inf | NaN for x = [-1e4].",
                        "'sigmoid'이(가) inf | NaN을 반환했습니다."),
                   misconceptions=(OVERFLOW,)),
        TestResult("relu_grad: values", "relu_grad", 0.5, 1.0,
                   Text("'relu_grad' is inaccurate for <edge> & co.", "부정확합니다."),
                   visibility="hidden"),
    ), execution_time=0.0812)


def ungradable() -> Result:
    why = Text("activations.py has a syntax error at line 3: invalid syntax.",
               "activations.py 3번째 줄에 문법 오류가 있습니다.")
    return Result("activations", (
        TestResult("sigmoid: values", "sigmoid", 0.0, 2.0, why),
        TestResult("tanh: values", "tanh", 0.0, 1.0, why),
    ), 0.01, status="ungradable", messages=(why,))


def test_ui_messages_exist_in_both_languages_with_the_same_fields() -> None:
    import string

    for key, (en, ko) in UI_MESSAGES.items():
        assert en.strip() and ko.strip(), key
        fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
        assert fields(en) == fields(ko), key


def test_markdown_golden() -> None:
    assert render_markdown(make_result(), "en") == (
        "### gradwell: activations\n"
        "\n"
        "**Total: 2.5 / 5 (50.0%)**\n"
        "\n"
        "| | Test | Points | Feedback |\n"
        "|---|---|---:|---|\n"
        "| ✅ | sigmoid: values | 2 / 2 | 'sigmoid' looks good. |\n"
        "| ❌ | sigmoid: stability at ±1e4 | 0 / 2 | 'sigmoid' returned inf \\| NaN for "
        "x = \\[-1e4\\].<br>Likely misconception \\[sigmoid-overflow\\]: exp(-x) overflows "
        "for x = -1e4. Hint: Split by sign. |\n"
        "| ❌ | relu\\_grad: values | 0.5 / 1 | 'relu\\_grad' is inaccurate for &lt;edge&gt; "
        "&amp; co. |\n"
        "\n"
        "**Misconceptions:** `sigmoid-overflow`\n"
    )


def test_markdown_korean_and_ungradable() -> None:
    out = render_markdown(ungradable(), "ko")
    assert out.splitlines()[:6] == [
        "### gradwell: activations",
        "",
        "**합계: 0 / 3 (0.0%)**",
        "",
        "제출물을 채점할 수 없습니다:",
        "> activations.py 3번째 줄에 문법 오류가 있습니다.",
    ]
    assert "| | 검사 | 점수 | 피드백 |" in out


def test_markdown_escape_keeps_cells_on_one_row() -> None:
    assert escape("a|b\n*c*") == "a\\|b<br>\\*c\\*"


def test_markdown_summary_marks_pass_and_fail() -> None:
    out = render_markdown_summary([(make_result(), 0.6), (ungradable(), 0.0)], "en")
    lines = out.splitlines()
    assert lines[:6] == [
        "## gradwell results",
        "",
        "| Exercise | Score | Pass mark | Status |",
        "|---|---:|---:|---|",
        "| activations | 2.5 / 5 (50.0%) | 60% | ❌ below the pass mark |",
        "| activations | 0 / 3 (0.0%) | 0% | ✅ pass |",
    ]
    assert out.count("<details>") == 2


def test_junit_parses_with_one_testcase_per_test() -> None:
    xml = render(make_result(), "junit", "en")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "gradwell.activations"
    assert suite.get("time") == "0.081"
    props = {p.get("name"): p.get("value") for p in suite.find("properties") or []}
    assert props == {"exercise": "activations", "score": "2.5", "max_score": "5",
                     "status": "graded"}
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "sigmoid: values", "sigmoid: stability at ±1e4", "relu_grad: values"]
    assert [c.get("classname") for c in cases] == [
        "gradwell.activations.sigmoid", "gradwell.activations.sigmoid",
        "gradwell.activations.relu_grad"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "'sigmoid' returned inf | NaN for x = [-1e4]."
    assert failure.get("type") == "sigmoid-overflow"
    assert failure.text == make_result().tests[1].feedback("en")
    case_props = {p.get("name"): p.get("value") for p in cases[2].find("properties") or []}
    assert case_props == {"score": "0.5", "max_score": "1", "tags": ""}
    assert cases[2].find("failure").get("type") == "failed"  # type: ignore[union-attr]


def test_junit_golden_for_a_passing_test() -> None:
    result = Result("clipping", (TestResult("clip_grad_norm: values", "clip_grad_norm", 3.0, 3.0,
                                            Text("ok", "ok")),), 1.5)
    assert render(result, "junit") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="gradwell" tests="1" failures="0" errors="0" time="1.500">\n'
        '  <testsuite name="gradwell.clipping" tests="1" failures="0" errors="0" skipped="0" '
        'time="1.500">\n'
        '    <properties>\n'
        '      <property name="exercise" value="clipping" />\n'
        '      <property name="score" value="3" />\n'
        '      <property name="max_score" value="3" />\n'
        '      <property name="status" value="graded" />\n'
        '    </properties>\n'
        '    <testcase name="clip_grad_norm: values" classname="gradwell.clipping.clip_grad_norm" '
        'time="0">\n'
        '      <properties>\n'
        '        <property name="score" value="3" />\n'
        '        <property name="max_score" value="3" />\n'
        '        <property name="tags" value="" />\n'
        '      </properties>\n'
        '    </testcase>\n'
        '  </testsuite>\n'
        '</testsuites>\n'
    )


def test_junit_ungradable_uses_errors_and_strips_control_characters() -> None:
    bad = Text("raised ValueError: \x00\x1b[31mboom", "ValueError \x00")
    result = Result("activations", (TestResult("sigmoid: values", "sigmoid", 0, 2, bad),),
                    status="ungradable", messages=(bad,))
    root = ET.fromstring(render(result, "junit", "ko"))
    assert (root.get("failures"), root.get("errors")) == ("0", "1")
    error = root.find("testsuite/testcase/error")
    assert error is not None and error.get("type") == "ungradable"
    assert error.text == "ValueError \ufffd"


def test_json_is_the_contract_object() -> None:
    result = make_result()
    assert json.loads(render(result, "json", "ko")) == for_gradescope(result.to_dict("ko"))


@pytest.mark.parametrize("fmt", ["json", "gradescope"])
def test_non_finite_numbers_become_null(fmt: str) -> None:
    base = make_result()
    plot = {"x": [0.0, 1.0], "y": [float("nan"), float("inf")], "n": 2}
    result = Result(base.exercise, (TestResult(
        "sigmoid: values", "sigmoid", 0.0, 2.0, Text("NaN", "NaN"), extra={"plot": plot}),))
    text = render(result, fmt, "en")
    def reject(constant: str) -> None:
        raise AssertionError(f"{constant} is not strict JSON")

    data = json.loads(text, parse_constant=reject)
    assert data["tests"][0]["extra_data"]["plot"] == {"x": [0.0, 1.0], "y": [None, None], "n": 2}


@pytest.mark.parametrize("fmt", ["json", "gradescope"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_rendered_results_validate_against_the_gradescope_schema(fmt: str, lang: str) -> None:
    for result in (make_result(), ungradable()):
        jsonschema.validate(json.loads(render(result, fmt, lang)), gradescope_results_schema())


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = gradescope_results_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("path", "value"), [
    (("status",), None),  # a required key missing (deleted below)
    (("tests", 0, "status"), "ok"),
    (("tests", 1, "score"), "2"),
    (("tests", 0, "tags"), "sigmoid-overflow"),
    (("tests", 0, "name"), "no function prefix"),
    (("output_format",), "markdown"),
    (("visibility",), "students"),
    (("score",), -1),
    (("leaderboard",), [{"value": 3}]),
])
def test_broken_results_do_not_validate(path: tuple[object, ...], value: object) -> None:
    data = copy.deepcopy(gradescope_dict(make_result()))
    if path == ("status",):
        del data["tests"][0]["status"]
    else:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    validator = jsonschema.Draft202012Validator(gradescope_results_schema())
    assert list(validator.iter_errors(data)), f"{path} = {value!r} should be rejected"


def test_gradescope_extras() -> None:
    data = gradescope_dict(make_result(), "en")
    assert data["output_format"] == "md"
    assert data["output"] == (
        "**Total: 2.5 / 5 (50.0%)**\n\n**Misconceptions:** `sigmoid-overflow`")
    assert [t["number"] for t in data["tests"]] == ["1", "2", "3"]
    assert data["stdout_visibility"] == "hidden"
    assert data["extra_data"] == {"exercise": "activations", "status": "graded", "lang": "en",
                                  "misconceptions": ["sigmoid-overflow"]}
    # every contract key is kept with the contract's value
    contract = make_result().to_dict("en")
    for key in ("score", "max_score", "execution_time", "exercise", "status"):
        assert data[key] == contract[key]
    for ours, theirs in zip(data["tests"], for_gradescope(contract)["tests"], strict=True):
        assert {k: ours[k] for k in theirs} == theirs


@pytest.mark.parametrize("fmt", ["json", "gradescope"])
def test_hidden_inputs_do_not_hide_the_total_on_gradescope(fmt: str) -> None:
    """Gradescope hides a ``hidden`` test and the student's total with it; a test whose
    inputs are hidden is shown once grades are published, and says why."""
    result = make_result()
    data = json.loads(render(result, fmt, "en"))
    for test, ours in zip(data["tests"], result.tests, strict=True):
        if ours.visibility == "hidden":
            assert test["visibility"] == "after_published"
            assert test["extra_data"]["hidden_inputs"] is True
        else:
            assert test["visibility"] == "visible" and "hidden_inputs" not in test.get(
                "extra_data", {})
    assert "hidden" not in {t["visibility"] for t in data["tests"]}
    assert any(t.visibility == "hidden" for t in result.tests)
    # gradwell's own object is unchanged
    assert "hidden" in {t["visibility"] for t in result.to_dict("en")["tests"]}


def test_text_view_without_a_tty() -> None:
    out = render_text(make_result(), "en", width=100)
    lines = out.splitlines()
    assert "\x1b[" not in out
    assert lines[-1] == "Total: 2.5 / 5 (50.0%)"
    assert any(ln.lstrip().startswith("✓   sigmoid: values") and "2/2" in ln for ln in lines)
    row = next(ln for ln in lines if "sigmoid: stability" in ln)
    assert row.lstrip().startswith("✗") and "0/2" in row and "sigmoid-overflow" in row
    # brackets in feedback are text, not Rich markup
    assert "[sigmoid-overflow]" in out and "[-1e4]" in out
    assert all(len(ln) <= 100 for ln in lines)


def test_text_view_golden_without_misconceptions() -> None:
    result = Result("clipping", (
        TestResult("clip_grad_norm: values", "clip_grad_norm", 3.0, 3.0,
                   Text("'clip_grad_norm' looks good.", "")),
        TestResult("clip_grad_value: values", "clip_grad_value", 0.0, 2.0,
                   Text("'clip_grad_value' is not defined in clipping.py.", "")),
    ))
    assert render_text(result, "en", width=80) == (
        "                               gradwell: clipping\n"
        "\n"
        "      Test                      Points   Feedback\n"
        " " + "─" * 78 + "\n"
        "  ✓   clip_grad_norm: values       3/3   'clip_grad_norm' looks good.\n"
        "  ✗   clip_grad_value: values      0/2   'clip_grad_value' is not defined in\n"
        "                                         clipping.py.\n"
        "\n"
        "Total: 3 / 5 (60.0%)\n"
    )


def test_text_view_in_korean_and_ungradable() -> None:
    out = render_text(ungradable(), "ko")
    assert out.splitlines()[0] == "제출물을 채점할 수 없습니다:"
    assert "activations.py 3번째 줄에 문법 오류가 있습니다." in out
    assert out.splitlines()[-1] == "합계: 0 / 3 (0.0%)"


def test_every_format_renders_in_both_languages() -> None:
    for fmt in FORMATS:
        en, ko = render(make_result(), fmt, "en"), render(make_result(), fmt, "ko")
        assert en and ko and en != ko, fmt
