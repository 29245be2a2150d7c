"""Real browser: the server starts, each page draws its charts in Chromium with no error and no foreign request."""

from __future__ import annotations

import pytest

from core.site import PAGES, link_path
from tests.conftest import start_server, stop_server
from tests.helpers import (
    assert_no_error,
    assert_offline,
    main_text,
    open_page,
    screenshot,
    visit,
    wait_for_charts,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

# Charts each page draws with its default view (a drop means a view silently stopped drawing).
EXPECTED_CHARTS = {"overview": 2, "generation": 5, "composition": 4, "flows": 2, "recycling": 6, "provinces": 2,
                   "policy": 1, "scenario": 4, "workshop": 0, "explorer": 0, "sources": 0, "story": 0}


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_draws_charts_without_error(browser, server_url, spec):
    context, page, foreign = open_page(browser, server_url, link_path(spec))
    try:
        expected = EXPECTED_CHARTS[spec.url_path]
        wait_for_charts(page, expected)
        screenshot(page, f"frame-{spec.url_path}")
        assert_no_error(page)
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= expected, f"{spec.url_path}: {drawn} charts drawn, expected {expected}"
        assert_offline(foreign)
    finally:
        context.close()


def test_overview_shows_headline_in_browser(browser, server_url):
    context, page, _ = open_page(browser, server_url, link_path(PAGES[0]))
    try:
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert "2.85 Mt" in values and "+6.3%" in values, values
        assert "from 1.09 to 4.78 million tonnes a year" in main_text(page)
    finally:
        context.close()


def test_first_deep_link_on_a_fresh_server_opens_inside_the_frame(browser):
    """A shared link must reopen its view even when it is the first request a new server sees.

    (With a folder named pages/, Streamlit 1.67 served that first request in legacy mode: no frame, no filters.)
    """
    proc, url = start_server()
    try:
        context, page, foreign = visit(browser, f"{url}/recycling?actor=informal&conf=high")
        try:
            page.wait_for_selector("h1", timeout=90_000)
            wait_until_idle(page)
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "Filter by sector" in sidebar, "the frame's filters are missing: the page ran outside dashboard.py"
            assert "Active: actor: Informal sector; confidence: High" in main_text(page)
            assert "informal" in page.url and "conf=high" in page.url, "the link keeps its filters"
            assert_offline(foreign)
        finally:
            context.close()
    finally:
        stop_server(proc)
