"""The chart frame's 'Table and download' tab: built only when opened, then the chart's table and its two downloads.

A closed table costs nothing (no table, no download buttons are sent); opening the tab reruns the page with them in
place, on every page that draws chart frames, in both languages, and a filter change keeps an open table open."""

from __future__ import annotations

import pytest

from components.frame import CITATIONS_PREFIX
from core.i18n import text
from core.site import PAGES
from tests.helpers import (
    assert_clean,
    every_chart_tab,
    frame_keys,
    open_filters,
    open_panels,
    open_tables,
    run_framed,
)

FRAMED_PAGES = ["overview", "generation", "composition", "flows", "recycling", "provinces", "policy", "scenario"]
# Parts of a page shown on request (a switch in the link, closed panels): on, so that every frame is checked.
FULL_VIEW = {"generation": {"gen_proj": "true"}}


def download_keys(app) -> set[str]:
    return {b.key for b in app.get("download_button")}


def test_the_list_of_framed_pages_is_complete():
    found = [spec.url_path for spec in PAGES if frame_keys(run_framed(spec.url_path))]
    assert found == FRAMED_PAGES, "pages with chart frames changed: update FRAMED_PAGES"


# Chart frames in a chart tab group's other tabs (components.frame.chart_tabs): every_chart_tab opens them in turn.
IN_TABS = {"generation": {"gen-other-cities"}, "recycling": {"picker-income", "picker-conditions"},
           "scenario": {"scenario-intensity"}}


@pytest.mark.parametrize("url_path", FRAMED_PAGES)
def test_tables_are_built_only_when_their_tab_is_open(url_path):
    views = every_chart_tab(url_path, FULL_VIEW.get(url_path))
    seen = set()
    for view in views:
        seen |= set(check_tables(open_panels(view, required=False), url_path))
    assert IN_TABS.get(url_path, set()) <= seen, "the frames in a chart tab group's other tabs are checked too"
    assert len(views) == 1 + len(IN_TABS.get(url_path, ())), "one view per chart tab"


def check_tables(app, url_path: str) -> list[str]:
    keys = frame_keys(app)
    if url_path in ("generation", "scenario"):
        assert {"gen-projection", "scenario-tornado"} & set(keys), "the frames shown on request are checked too"
    assert keys
    closed_downloads = download_keys(app)
    closed_tables = len(app.dataframe)
    for key in keys:
        assert f"{key}-csv" not in closed_downloads and f"{key}-parquet" not in closed_downloads, (
            f"{key}: the downloads are sent while the table tab is closed")
    labels = [t.label for t in app.tabs]
    assert labels.count(text("en", "frame.tab_table_download")) >= len(keys), labels

    opened = open_tables(app)
    assert_clean(opened)
    for key in keys:
        assert {f"{key}-csv", f"{key}-parquet"} <= download_keys(opened), f"{key}: CSV and Parquet once opened"
    assert len(opened.dataframe) == closed_tables + len(keys), "one table per opened frame"
    return keys


def test_an_open_table_stays_open_when_a_filter_changes():
    app = open_tables(run_framed("recycling"))
    opened = len(app.dataframe)
    open_filters(app)
    assert len(app.dataframe) == opened, "opening the filter panel keeps the tables open"
    app.multiselect(key="conf").set_value(["high"]).run()
    assert_clean(app)
    tables = [d.value for d in app.dataframe]
    assert 1 <= len(tables) <= opened
    assert any("confidence" in t.columns for t in tables), "an open table carries the confidence it is filtered by"
    assert all(set(t["confidence"]) <= {"high"} for t in tables if "confidence" in t.columns), (
        "the open tables show the filtered rows")


def test_khmer_tab_opens_with_khmer_labels_and_the_data_columns():
    app = run_framed("composition", {"lang": "km"})
    assert text("km", "frame.tab_table_download") in [t.label for t in app.tabs]
    opened = open_tables(app)
    assert_clean(opened)
    keys = frame_keys(opened)
    assert {f"{k}-csv" for k in keys} <= download_keys(opened)
    # Downloads and tables keep the data's own column names in either language.
    assert any("waste_source" in d.value.columns for d in opened.dataframe)


def test_switching_language_with_an_open_table_falls_back_to_the_chart():
    app = open_tables(run_framed("flows"))
    app.query_params["lang"] = "km"
    app.run()
    assert_clean(app)
    assert not any(k.endswith("-csv") for k in download_keys(app)), "the Khmer tabs start on the chart"
    assert app.get("plotly_chart"), "the charts are drawn"


def test_full_citations_are_listed_only_when_their_panel_is_opened():
    """A chart on more than three sources names them briefly; its 'Full citations' panel is built when opened."""
    app = run_framed("overview")
    keys = [str(k) for k in app.session_state if str(k).startswith(CITATIONS_PREFIX)]
    assert keys, "the overview's spread chart cites more than three sources"
    full = [m.value for m in app.markdown if m.value.startswith("- [")]
    for key in keys:
        app.session_state[key] = True
    app.run()
    assert_clean(app)
    listed = [m.value for m in app.markdown if m.value.startswith("- [")]
    assert len(listed) == len(full) + len(keys), "one list of full citations per opened panel"
    assert all(line.count("\n- ") >= 3 for line in listed[-len(keys):]), "more than three citations, with links"


def test_method_and_sources_share_one_caption():
    app = run_framed("overview")
    merged = [c.value for c in app.caption if c.value.startswith("How this was computed:")]
    assert merged and "\n\nSources (" in merged[0], merged[:1]


def chart_tabs_page():
    """A page of n chart frames in one chart tab group (n from the link)."""
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from components.frame import chart_tabs

    frames = [(f"Tab {i}", dict(key=f"t{i}", title=f"Chart {i}", subtitle="Tonnes.", alt=f"Chart {i}", source_ids=[],
                                figure=go.Figure(go.Bar(x=["a"], y=[i])), table=pd.DataFrame({"tonnes": [i]})))
              for i in range(int(st.query_params.get("n", "0")))]
    chart_tabs(frames, key="group")


@pytest.mark.parametrize(("count", "charts", "tabs"), [(0, [], []), (1, ["chart-t0"], []),
                                                       (3, ["chart-t0"], ["Tab 0", "Tab 1", "Tab 2"])])
def test_chart_tabs_draw_the_open_chart_a_single_chart_alone_and_nothing_for_none(count, charts, tabs):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(chart_tabs_page, default_timeout=30)
    app.query_params["n"] = str(count)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [chart.key for chart in app.get("plotly_chart")] == charts
    assert [tab.label for tab in app.tabs if tab.label.startswith("Tab ")] == tabs
    if tabs:
        app.session_state["charts-group"] = "Tab 2"
        app.run()
        assert not app.exception
        assert [chart.key for chart in app.get("plotly_chart")] == ["chart-t2"], "the opened tab's chart, alone"
