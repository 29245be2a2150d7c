"""Every registered page runs in AppTest; the Overview shows the sourced headline numbers."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.site import PAGES
from tests.conftest import ROOT

TIMEOUT = 60


def run_page(path: str, env_data_dir=None, monkeypatch=None) -> AppTest:
    if env_data_dir is not None:
        monkeypatch.setenv("KHWASTE_DATA_DIR", str(env_data_dir))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    app.switch_page(path)
    return app.run()


def all_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [str(m.label) + " " + str(m.value) for m in app.metric]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_without_exception_or_error(page):
    app = run_page(page.path)
    assert not app.exception, f"{page.path} raised: {[e.value for e in app.exception]}"
    assert not app.error, f"{page.path} shows an error box: {[e.value for e in app.error]}"
    assert app.title, f"{page.path} has no title"


def test_overview_shows_headline_and_growth_with_source():
    app = run_page("app_pages/overview.py")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics.get("Waste generated, 2024") == "2.85 Mt", metrics
    assert metrics.get("Change on 2023") == "+6.3%", metrics
    captions = [c.value for c in app.caption]
    assert any("IGES-CCET 2025" in c for c in captions), "the headline KPI names its source and year"
    assert metrics.get("Published totals") == "1.09–4.78 Mt", metrics


def test_overview_shows_the_spread_of_estimates():
    app = run_page("app_pages/overview.py")
    text = all_text(app)
    assert "from 1.09 to 4.78 million tonnes a year" in text
    assert len(app.get("plotly_chart")) >= 2, "the spread and per-capita charts are drawn"


def test_overview_lists_six_takeaways():
    app = run_page("app_pages/overview.py")
    titles = [m.value for m in app.markdown if m.value.startswith("**")]
    assert sum(1 for t in titles if t.strip("*")) >= 6


def test_broken_estimates_file_shows_named_error_and_other_views_survive(data_copy, monkeypatch):
    path = data_copy / "estimates.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("value")] = "lots"  # the first data row's first cells are never quoted
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = run_page("app_pages/overview.py", data_copy, monkeypatch)
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors and "data/estimates.csv, row 2, column 'value'" in errors[0]
    assert "'lots' is not a number" in errors[0]
    # The takeaways need only workshop.csv, so they are still drawn.
    assert any("workshop concluded" in s.value for s in app.subheader)


def test_empty_sources_file_is_reported_by_name(data_copy, monkeypatch):
    (data_copy / "sources.csv").write_text("", encoding="utf-8")
    app = run_page("app_pages/overview.py", data_copy, monkeypatch)
    assert not app.exception
    assert any("data/sources.csv" in e.value and "empty" in e.value for e in app.error)
