"""The briefing pack: one self-contained HTML file (Plotly inline once, nothing fetched), every chart and takeaway."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from core import story
from core.briefing import build_briefing, build_from_folder, check_lang
from core.catalogue import Catalogue
from tests.conftest import ROOT

CHART_KEYS = [s.key for s in story.SLIDES if s.key in {"spread", "per-capita", "composition", "flows", "scenario"}]


@pytest.fixture(scope="module")
def tables():
    catalogue = Catalogue()
    return {name: catalogue.load(name) for name in dict.fromkeys((*story.TABLES_NEEDED, "sources"))}


@pytest.fixture(scope="module")
def page(tables) -> str:
    return build_briefing(tables)


def test_nothing_is_loaded_from_another_host(page):
    sources = re.findall(r"<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)\s*=\s*['\"]?([^'\" >]+)",
                         page, flags=re.IGNORECASE)
    assert not [s for s in sources if s.lower().startswith(("http://", "https://", "//"))], sources
    assert "@import" not in page and "url(http" not in page.replace(" ", ""), "no external font or stylesheet"
    assert "cdn.plot.ly/plotly" not in page.lower()


def test_plotly_is_bundled_once(page):
    assert page.count("<script") >= len(CHART_KEYS)
    # The bundle's licence banner appears once: the later charts reuse it.
    assert len(re.findall(r"plotly\.js v\d", page)) == 1


def test_every_chart_div_is_there(page):
    for key in CHART_KEYS:
        assert f'id="chart-{key}"' in page, key
    assert page.count('class="plotly-graph-div"') == len(CHART_KEYS)


def test_png_export_at_presentation_resolution(page):
    assert page.count('"toImageButtonOptions"') == len(CHART_KEYS)


def test_headline_takeaways_next_steps_and_sources(page, tables):
    assert "2.85 Mt" in page and "+6.3%" in page
    workshop = tables["workshop"]
    for section in ("takeaway", "next_step"):
        for title in workshop.loc[workshop["section"] == section, "title"]:
            assert title.replace("&", "&amp;") in page, title
    assert 'id="sources"' in page and "IGES" in page


def test_text_from_the_data_is_escaped(tables):
    workshop = tables["workshop"].copy()
    first = workshop.index[workshop["section"] == "takeaway"][0]
    workshop.loc[first, "title"] = "<script>alert(1)</script>"
    page = build_briefing({**tables, "workshop": workshop})
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_only_english_today():
    assert check_lang("en") == "en"
    with pytest.raises(ValueError, match="km"):
        build_from_folder(lang="km")


def test_command_writes_the_file(tmp_path):
    out = tmp_path / "briefing.html"
    result = subprocess.run([sys.executable, "-m", "core.briefing", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    assert 1e6 < out.stat().st_size < 10e6, "Plotly inline once: a few megabytes"
