"""Every registered page runs in AppTest; the Overview shows the sourced headline numbers."""

from __future__ import annotations

import pytest

from core.site import PAGES
from tests.helpers import all_text, assert_clean, break_first_row, metrics, run_framed

OVERVIEW = PAGES[0].url_path  # the default page, served at the root


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_without_exception_or_error(page):
    app = run_framed(page.url_path)
    assert_clean(app)
    assert app.title, f"{page.path} has no title"


def test_overview_shows_headline_and_growth_with_source():
    app = run_framed(OVERVIEW)
    shown = metrics(app)
    assert shown.get("Waste generated, 2024") == "2.85 Mt", shown
    assert shown.get("Change on 2023") == "+6.3%", shown
    captions = [c.value for c in app.caption]
    assert any("IGES-CCET 2025" in c for c in captions), "the headline KPI names its source and year"
    assert shown.get("Published totals") == "1.09–4.78 Mt", shown


def test_overview_shows_the_spread_of_estimates():
    app = run_framed(OVERVIEW)
    text = all_text(app)
    assert "from 1.09 to 4.78 million tonnes a year" in text
    assert len(app.get("plotly_chart")) >= 2, "the spread and per-capita charts are drawn"


def test_overview_lists_six_takeaways():
    app = run_framed(OVERVIEW)
    titles = [m.value for m in app.markdown if m.value.startswith("**")]
    assert sum(1 for t in titles if t.strip("*")) >= 6


def test_broken_estimates_file_shows_named_error_and_other_views_survive(data_copy, monkeypatch):
    break_first_row(data_copy / "estimates.csv", "value", "lots")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(OVERVIEW)
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors and "data/estimates.csv, row 2, column 'value'" in errors[0]
    assert "'lots' is not a number" in errors[0]
    # The takeaways need only workshop.csv, so they are still drawn.
    assert any("workshop concluded" in s.value for s in app.subheader)


def test_empty_sources_file_is_reported_by_name(data_copy, monkeypatch):
    (data_copy / "sources.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(OVERVIEW)
    assert not app.exception
    assert any("data/sources.csv" in e.value and "empty" in e.value for e in app.error)
