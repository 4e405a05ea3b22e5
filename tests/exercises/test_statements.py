"""Statements and starters: both languages complete and parallel, starters importable.

Every statement is rendered with markdown-it-py (CommonMark plus tables, as the web
pages do); the Korean one must really be Korean and say the same things as the English
one: the same headings, display formulas, inline formulas, tables and code blocks.
Every starter must import cleanly and define every name of the contract, with bodies
that raise ``NotImplementedError``.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
import types
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from grader.exercise import EXERCISES_DIR

#: exercise id -> the contract's names (contract.md §1)
CONTRACT: dict[str, tuple[str, ...]] = {
    "activations": (
        "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
        "leaky_relu_grad", "elu", "elu_grad", "gelu", "gelu_grad"),
    "initializers": (
        "fan_in_and_fan_out", "calculate_gain", "xavier_uniform", "xavier_normal",
        "he_uniform", "he_normal"),
    "gradient_flow": ("layer_statistics",),
    "batchnorm": ("batchnorm_forward", "batchnorm_backward"),
    "layernorm": ("layernorm_forward", "layernorm_backward"),
    "clipping": ("clip_grad_norm", "clip_grad_value"),
    "torch_layers": ("BatchNorm1d", "LayerNorm", "xavier_uniform_", "kaiming_normal_"),
}
STATEMENT_DIRS = [*CONTRACT, "quiz_vanishing"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)")

_md = MarkdownIt("commonmark").enable("table")


def _read(ex_id: str, lang: str) -> str:
    return (EXERCISES_DIR / ex_id / f"statement.{lang}.md").read_text(encoding="utf-8")


def _structure(text: str) -> dict[str, object]:
    tokens = _md.parse(text)
    return {
        "headings": [t.tag for t in tokens if t.type == "heading_open"],
        "tables": sum(t.type == "table_open" for t in tokens),
        "table_rows": sum(t.type == "tr_open" for t in tokens),
        "code_blocks": [t.content for t in tokens if t.type == "fence"],
        "display_math": re.findall(r"\$\$(.+?)\$\$", text, re.S),
        "bullets": sum(t.type == "list_item_open" for t in tokens),
    }


def _prose(text: str) -> str:
    """The text outside code, math and inline code (what a translator must translate)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = INLINE_MATH.sub("", text)
    return re.sub(r"`[^`]*`", "", text)


@pytest.mark.parametrize("ex_id", STATEMENT_DIRS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_statement_renders(ex_id: str, lang: str) -> None:
    text = _read(ex_id, lang)
    html = _md.render(text)
    assert html.startswith("<h1>"), "a statement starts with its title"
    assert len(html) > 300
    # Every $...$ and $$...$$ is closed: an odd count would leave raw TeX on the page.
    assert text.count("$$") % 2 == 0
    assert _prose(text).count("$") == 0, "unbalanced inline math"


@pytest.mark.parametrize("ex_id", STATEMENT_DIRS)
def test_korean_is_korean_and_english_is_english(ex_id: str) -> None:
    en, ko = _prose(_read(ex_id, "en")), _prose(_read(ex_id, "ko"))
    assert not HANGUL.search(en)
    # Most of the Korean prose is Hangul, not English left untranslated.
    letters = [c for c in ko if c.isalpha()]
    hangul = sum(bool(HANGUL.match(c)) for c in letters)
    assert hangul / len(letters) > 0.6, f"{ex_id}: only {hangul}/{len(letters)} Korean letters"
    # No English paragraph copied over: every Korean paragraph has Hangul in it.
    for paragraph in re.split(r"\n\s*\n", ko):
        words = re.findall(r"[A-Za-z]{3,}", paragraph)
        if len(words) >= 8:
            assert HANGUL.search(paragraph), f"{ex_id}: untranslated paragraph {paragraph[:80]!r}"


@pytest.mark.parametrize("ex_id", STATEMENT_DIRS)
def test_both_languages_have_the_same_structure(ex_id: str) -> None:
    en, ko = _structure(_read(ex_id, "en")), _structure(_read(ex_id, "ko"))
    assert en["headings"] == ko["headings"]
    assert en["tables"] == ko["tables"] and en["table_rows"] == ko["table_rows"]
    assert en["code_blocks"] == ko["code_blocks"]
    assert en["bullets"] == ko["bullets"]
    en_math, ko_math = en["display_math"], ko["display_math"]
    assert isinstance(en_math, list) and isinstance(ko_math, list)
    assert len(en_math) == len(ko_math)


@pytest.mark.parametrize("ex_id", list(CONTRACT))
def test_statement_names_every_contract_function(ex_id: str) -> None:
    for lang in ("en", "ko"):
        text = _read(ex_id, lang)
        for name in CONTRACT[ex_id]:
            assert re.search(rf"(`|def |class ){re.escape(name)}\b", text), (lang, name)


def _load_starter(ex_id: str) -> types.ModuleType:
    path = EXERCISES_DIR / ex_id / "starter.py"
    spec = importlib.util.spec_from_file_location(f"starter_{ex_id}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.parametrize("ex_id", list(CONTRACT))
def test_starter_imports_and_defines_the_contract(ex_id: str) -> None:
    module = _load_starter(ex_id)
    reference = importlib.import_module(
        "reference.normalization" if ex_id in ("batchnorm", "layernorm") else f"reference.{ex_id}")
    for name in CONTRACT[ex_id]:
        obj = getattr(module, name, None)
        assert obj is not None, f"{ex_id}/starter.py does not define {name}"
        assert inspect.getdoc(obj), f"{name} has no docstring"
        ref = getattr(reference, name)
        if inspect.isclass(obj):
            params = list(inspect.signature(obj.__init__).parameters)[1:]
            ref_params = list(inspect.signature(ref.__init__).parameters)[1:]
        else:
            params = list(inspect.signature(obj).parameters)
            ref_params = list(inspect.signature(ref).parameters)
        # Same names in the same order as the reference (which follows the contract).
        assert params == ref_params[: len(params)], (name, params, ref_params)
        defaults = {k: v.default for k, v in inspect.signature(
            obj.__init__ if inspect.isclass(obj) else obj).parameters.items()}
        ref_defaults = {k: v.default for k, v in inspect.signature(
            ref.__init__ if inspect.isclass(ref) else ref).parameters.items()}
        for key, value in defaults.items():
            assert ref_defaults.get(key) == value, (name, key)


@pytest.mark.parametrize("ex_id", list(CONTRACT))
def test_starter_bodies_are_not_solutions(ex_id: str) -> None:
    tree = ast.parse((EXERCISES_DIR / ex_id / "starter.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in CONTRACT[ex_id] + ("forward",):
            body = [n for n in node.body if not isinstance(n, ast.Expr)]
            assert isinstance(body[-1], ast.Raise), f"{node.name} should raise NotImplementedError"
    module = _load_starter(ex_id)
    first = CONTRACT[ex_id][0]
    if ex_id == "torch_layers":
        with pytest.raises(NotImplementedError):
            module.BatchNorm1d(3)
    else:
        fn = getattr(module, first)
        with pytest.raises(NotImplementedError):
            fn(*[None] * sum(p.default is inspect.Parameter.empty
                             for p in inspect.signature(fn).parameters.values()))


def test_every_statement_file_exists() -> None:
    for ex_id in STATEMENT_DIRS:
        for lang in ("en", "ko"):
            assert Path(EXERCISES_DIR / ex_id / f"statement.{lang}.md").is_file()


@pytest.mark.parametrize("ex_id", STATEMENT_DIRS)
def test_web_renderer_finds_every_formula(ex_id: str) -> None:
    """The web pages cut math out before Markdown runs (web/markup.py): every ``$`` of a
    statement must land in a formula there, with as many display formulas in Korean as
    in English."""
    from web.markup import render_markdown

    displays = {}
    for lang in ("en", "ko"):
        html = str(render_markdown(_read(ex_id, lang)))
        rest = re.sub(r'<(span|div) class="math"[^>]*>.*?</\1>', "", html, flags=re.S)
        rest = re.sub(r"<code>.*?</code>", "", rest, flags=re.S)
        stray = re.findall(r".{0,40}\$.{0,40}", rest)
        assert not stray and "GWMATH" not in rest, (lang, stray)
        displays[lang] = html.count('data-display="1"')
    assert displays["en"] == displays["ko"] > 0
