"""The sidebar's filter panel: closed by default (no control drawn), the link drives the view either way, and the
selection survives opening, closing and page changes."""

from __future__ import annotations

import pytest

from components.filters import FILTERS_PANEL_KEY, SELECTION_KEY
from core import i18n
from core.sectors import FILTERS, YEAR_MAX, YEAR_MIN
from core.site import PAGES
from tests.framed_page import framed_app
from tests.helpers import assert_clean, open_filters, run_framed, tree_nodes

FILTER_COUNT = len(FILTERS)


def page_path(url_path: str) -> str:
    return next(spec.path for spec in PAGES if spec.url_path == url_path)


def link(app, key: str) -> list[str]:
    value = app.query_params.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def selection(app):
    return app.session_state[SELECTION_KEY]


@pytest.mark.parametrize("lang", ["en", "km"])
@pytest.mark.parametrize("url_path", [spec.url_path for spec in PAGES])
def test_closed_by_default_with_no_control(url_path, lang):
    app = run_framed(url_path, {"lang": lang} if lang != "en" else None)
    assert_clean(app)
    assert [e.label for e in app.sidebar.expander] == [i18n.text(lang, "filters.heading")]
    assert not app.sidebar.multiselect and not app.sidebar.slider, "a closed panel draws no control"
    assert selection(app).active() == []
    prefix = i18n.text(lang, "filters.closed_summary", selection="").split("{")[0][:4]
    assert not [c for c in app.sidebar.caption if str(c.value).startswith(prefix)], "nothing set, nothing named"


def test_the_link_drives_a_closed_panel_and_is_named_under_it():
    app = run_framed("recycling", {"actor": "informal", "conf": ["high", "medium"], "years": ["2010", "2020"]})
    assert_clean(app)
    chosen = selection(app)
    assert chosen.values["actor"] == ("informal",) and chosen.values["conf"] == ("high", "medium")
    assert chosen.years == (2010, 2020)
    captions = [str(c.value) for c in app.sidebar.caption]
    assert "Set: actor: Informal sector; confidence: High, Medium; years 2010–2020. Open the panel to change them." \
        in captions
    assert any("Active: actor: Informal sector; confidence: High, Medium; years 2010–2020" in str(c.value)
               for c in app.main.caption), "the page uses the link's filters"
    assert link(app, "conf") == ["high", "medium"] and link(app, "years") == ["2010", "2020"], "the link keeps them"


def test_khmer_summary_names_the_filters_in_khmer():
    app = run_framed("recycling", {"lang": "km", "material": "plastic"})
    assert_clean(app)
    plastic = i18n.text("km", "filters.material.option.plastic")
    assert any(plastic in str(c.value) and str(c.value).startswith("បានកំណត់") for c in app.sidebar.caption)


def test_a_page_change_that_drops_the_link_keeps_the_selection_and_writes_it_back():
    app = run_framed("recycling", {"conf": "high", "years": ["2005", "2015"]})
    app.query_params.clear()  # Streamlit drops the link's parameters when the reader picks another page
    app.switch_page(page_path("flows")).run()
    assert_clean(app)
    assert selection(app).values["conf"] == ("high",) and selection(app).years == (2005, 2015)
    assert link(app, "conf") == ["high"] and link(app, "years") == ["2005", "2015"], "the link holds the view again"


def test_open_change_close_keeps_the_choice_in_the_view_and_the_link():
    app = open_filters(run_framed("recycling"))
    assert_clean(app)
    assert len(app.sidebar.multiselect) == FILTER_COUNT and len(app.sidebar.slider) == 1
    app.multiselect(key="material").set_value(["plastic", "metal"]).run()
    app.slider(key="years").set_value((2012, 2022)).run()
    assert_clean(app)
    assert link(app, "material") == ["plastic", "metal"] and link(app, "years") == ["2012", "2022"]
    assert selection(app).values["material"] == ("plastic", "metal") and selection(app).years == (2012, 2022)

    app.session_state[FILTERS_PANEL_KEY] = False
    app.run()
    assert_clean(app)
    assert not app.sidebar.multiselect
    assert selection(app).values["material"] == ("plastic", "metal") and selection(app).years == (2012, 2022)
    assert link(app, "material") == ["plastic", "metal"] and link(app, "years") == ["2012", "2022"]
    # Several runs later (Streamlit forgets an undrawn control's value) and reopened, the controls show the choice.
    app.run()
    app.query_params.clear()
    app.switch_page(page_path("composition")).run()
    open_filters(app)
    assert_clean(app)
    assert app.multiselect(key="material").value == ["plastic", "metal"]
    assert app.slider(key="years").value == (2012, 2022)


def test_clearing_a_filter_in_the_open_panel_clears_the_link():
    app = open_filters(run_framed("recycling", {"conf": "high", "years": ["2010", "2020"]}))
    assert app.multiselect(key="conf").value == ["high"] and app.slider(key="years").value == (2010, 2020)
    app.multiselect(key="conf").set_value([]).run()
    app.slider(key="years").set_value((YEAR_MIN, YEAR_MAX)).run()
    assert_clean(app)
    assert link(app, "conf") == [] and link(app, "years") == [], "defaults leave the link clean"
    assert selection(app).active() == []


def test_an_open_panel_stays_open_on_the_next_page():
    app = open_filters(run_framed("recycling"))
    app.switch_page(page_path("policy")).run()
    assert_clean(app)
    assert len(app.sidebar.multiselect) == FILTER_COUNT, "the panel's state is the session's, not the page's"


def test_a_malformed_year_range_reads_as_all_years_with_a_notice():
    app = run_framed("generation", {"years": ["2020", "1990"]})  # reversed and out of range
    assert_clean(app)
    assert selection(app).years == (YEAR_MIN, YEAR_MAX)
    assert link(app, "years") == [], "the bad range leaves the link"
    assert any("years: 2020, 1990" in str(c.value) for c in app.caption), "the ignored value is named"
    opened = framed_app("generation", {"years": ["2020", "1990"]}).run()
    opened = open_filters(opened)
    assert opened.slider(key="years").value == (YEAR_MIN, YEAR_MAX)


def _panel_id(app) -> str:
    return next(node.proto.id for node in tree_nodes(app)
                if type(node).__name__ == "Expander" and node.proto.label == "Filter by sector")


def test_the_panel_stays_the_same_element_while_it_is_opened_used_and_closed():
    """An expander's `expanded` is part of its identity: a panel that changed it after a click would be drawn as a
    new element on the next run, and the browser would remount it and its controls (closing an open list)."""
    app = run_framed("recycling")
    closed = _panel_id(app)
    open_filters(app)
    assert _panel_id(app) == closed
    app.multiselect(key="conf").set_value(["high"]).run()
    assert_clean(app)
    assert _panel_id(app) == closed, "the run after the first choice draws the same panel"
    # A page change may draw it anew (Streamlit resets expanders there), and then it opens as it was left.
    app.switch_page(next(s for s in PAGES if s.url_path == "flows").path).run()
    assert_clean(app)
    assert len(app.sidebar.multiselect) == FILTER_COUNT, "the open panel is open on the next page"
