"""The Alembic migrations build exactly the models' schema; config defaults; i18n completeness."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

WEB = Path(__file__).resolve().parents[2] / "web"


def test_migrations_match_the_models(app: Any) -> None:
    from web.db import Base, db

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_default_config_is_embedded_sqlite_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.config import load_config

    for var in ("GRADWELL_DATABASE_URL", "GRADWELL_BROKER_URL", "GRADWELL_SECRET_KEY"):
        monkeypatch.delenv(var, raising=False)
    cfg = load_config(tmp_path, None)
    assert cfg["DATABASE_URL"] == f"sqlite:///{tmp_path / 'gradwell.sqlite'}"
    assert cfg["GRADING_MODE"] == "embedded"
    key = (tmp_path / "secret_key").read_text()
    assert cfg["SECRET_KEY"] == key and len(key) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert load_config(tmp_path, None)["SECRET_KEY"] == key  # kept across restarts
    monkeypatch.setenv("GRADWELL_BROKER_URL", "redis://127.0.0.1:6379/0")
    assert load_config(tmp_path, None)["GRADING_MODE"] == "celery"


def test_every_string_has_both_languages() -> None:
    from web.i18n import STRINGS

    for key, (en, ko) in STRINGS.items():
        assert en.strip() and ko.strip(), key
        assert re.findall(r"\{(\w+)", en) == re.findall(r"\{(\w+)", ko) or sorted(
            re.findall(r"\{(\w+)", en)
        ) == sorted(re.findall(r"\{(\w+)", ko)), key


def test_every_key_used_exists() -> None:
    from web.i18n import STRINGS

    used: set[str] = set()
    for path in [*WEB.rglob("*.html"), *WEB.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*'([a-z0-9.-]+)'", text))
        used |= set(re.findall(r'\bt\(\s*"([a-z0-9.-]+)"', text))
        used |= set(re.findall(r'PolicyError\(\s*"([a-z0-9.-]+)"', text))
    prefixes = {k for k in used if k.endswith(".")}  # 'sub.status.' ~ status, ...
    assert sorted(used - prefixes - set(STRINGS)) == []
    values = {
        "ex.kind.": ("code", "quiz"),
        "ex.status.": ("new", "tried", "passed", "full"),
        "sub.status.": ("queued", "running", "done", "error"),
        "ins.policy.": ("best", "latest"),
        "role.": ("student", "instructor"),
    }
    assert prefixes == set(values)
    for prefix, names in values.items():
        for name in names:
            assert prefix + name in STRINGS


def test_plots_render_gaps_histograms_and_bars() -> None:
    from web.plots import svg

    line = svg(
        {
            "kind": "line",
            "title": {"en": "t", "ko": "제목"},
            "x": [0, 1, 2, 3],
            "series": [{"label": {"en": "yours", "ko": "내 함수"}, "y": [0, 1, None, 3]}],
        },
        "ko",
    )
    assert line.count("<polyline") == 1 and line.count("<circle") == 1  # the gap splits the line
    assert "제목" in line and "내 함수" in line
    hist = svg(
        {
            "kind": "histogram",
            "title": {"en": "h", "ko": "h"},
            "bins": [0, 1, 2],
            "counts": [3, 1],
            "expected_density": [0.7, 0.3],
        },
        "en",
    )
    assert hist.count("<rect") == 3  # frame + two bars
    bars = svg(
        {"kind": "bars", "categories": ["a", "b"], "series": [{"label": "n", "y": [1, 2]}]}, "en"
    )
    assert bars.count("<rect") == 3
    assert svg({"kind": "line", "x": [], "series": []}, "en") == ""
    assert svg({"kind": "unknown"}, "en") == ""


def test_markdown_keeps_math_and_escapes_html() -> None:
    from web.markup import render_markdown

    out = render_markdown("a $x_1 < y_2$ and <script>alert(1)</script> `$not$ math`")
    assert '<span class="math" data-display="0">x_1 &lt; y_2</span>' in out
    assert "<script>" not in out
    assert "<code>$not$ math</code>" in out
