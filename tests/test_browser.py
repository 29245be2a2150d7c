"""Real browser: the server starts, each page draws its charts in Chromium with no error and no foreign request."""

from __future__ import annotations

import warnings

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
    wait_for_main_text,
    wait_until_idle,
    widened_margins,
)

pytestmark = pytest.mark.browser

# Charts each page draws with its default view (a drop means a view silently stopped drawing).
# Charts drawn on a first visit: a chart tab group (components.frame.chart_tabs) draws its open tab's chart only.
EXPECTED_CHARTS = {"overview": 2, "generation": 3, "composition": 4, "flows": 2, "recycling": 3, "provinces": 2,
                   "policy": 1, "scenario": 2, "workshop": 0, "explorer": 0, "sources": 0, "story": 0}


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
        # Margins sized before drawing hold every label and legend at this width: each chart is drawn once.
        assert widened_margins(page) == [], f"{spec.url_path}: Plotly widened margins: {widened_margins(page)}"
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


def test_the_favicon_is_served_from_the_app(browser, server_url):
    """The tab's icon is the app's own file (static/favicon.png at its static URL), with no other host asked."""
    context, page, foreign = open_page(browser, server_url, "policy")
    try:
        page.wait_for_selector("h1", timeout=90_000)
        page.wait_for_function("() => document.querySelector('link[rel*=icon]')?.href.includes('favicon')")
        href = page.evaluate("() => document.querySelector('link[rel*=icon]').href")
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"] == "image/png", href
        assert response.body()[:8] == b"\x89PNG\r\n\x1a\n"
        assert_offline(foreign)
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


def test_filter_panel_opens_changes_the_view_and_the_link_keeps_it(browser, server_url):
    """Closed by default (no filter control is loaded); opened, a choice reaches the page and the link; closed
    again, the panel names the choice and the link still holds it; the next page keeps it."""
    context, page, foreign = open_page(browser, server_url, "/recycling")
    try:
        wait_until_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.locator('[data-testid="stMultiSelect"]').count() == 0, "the closed panel drew its controls"
        sidebar.get_by_text("Filter by sector").click()
        sidebar.locator('[data-testid="stMultiSelect"]').nth(5).wait_for(timeout=60_000)
        sidebar.locator('[data-testid="stSlider"]').wait_for(timeout=60_000)
        wait_until_idle(page)  # the opening run redraws the page; a list opened before it ends can be closed by it
        assert sidebar.locator('[data-testid="stMultiSelect"]').count() == 6
        assert sidebar.locator('[data-testid="stSlider"]').count() == 1
        confidence = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Confidence")
        box = confidence.locator("input")
        high = page.get_by_role("option", name="High", exact=True)
        # A run still redrawing the sidebar can close a list just opened: then open it again. The click does not wait
        # for the option to hold still (force): on a loaded CI machine the list kept being redrawn and a click that
        # waited for stillness timed out after 90 s with the option in view.
        for attempt in range(3):
            if "conf=high" in page.url:  # an earlier attempt's click was only slow to reach the link
                break
            try:
                box.click()
                page.keyboard.press("ArrowDown")  # opens the option list
                high.wait_for(timeout=15_000)
                high.click(force=True, timeout=15_000)
                page.wait_for_function("() => location.search.includes('conf=high')", timeout=20_000)
                if attempt:  # shown in the run's warnings summary: when none appear for a while, drop the retry
                    warnings.warn(f"picking High in the Confidence list took {attempt + 1} attempts", stacklevel=1)
                break
            except PlaywrightTimeout:
                wait_until_idle(page)
        else:
            screenshot(page, "filters-list-did-not-open")
            raise AssertionError("High could not be picked in the Confidence list in three attempts")
        wait_for_main_text(page, "Active: confidence: High", timeout=60_000)  # the link changes before the run
        wait_until_idle(page)
        assert "Active: confidence: High" in main_text(page)
        page.keyboard.press("Escape")
        sidebar.get_by_text("Filter by sector").click()
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]')]
                     .some(c => c.innerText.startsWith('Set: confidence: High.'))""", timeout=60_000)
        wait_until_idle(page)
        page.wait_for_function(  # the controls leave once the closed panel's run has finished
            """() => !document.querySelector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')""",
            timeout=60_000)
        assert "conf=high" in page.url, "closing the panel keeps the filter in the link"
        sidebar.locator('[data-testid="stSidebarNav"] a[href$="/flows"]').click()
        page.wait_for_function("() => location.pathname.endsWith('/flows') && location.search.includes('conf=high')",
                               timeout=60_000)
        wait_for_main_text(page, "Active: confidence: High", timeout=60_000)
        wait_until_idle(page)
        assert "Active: confidence: High" in main_text(page), "the next page keeps the filter"
        wait_for_charts(page, EXPECTED_CHARTS["flows"])
        screenshot(page, "filters-closed-flows")
        assert_no_error(page)
        # Opened again, the panel stays open on the next page (Streamlit would reset it on a page change).
        sidebar.get_by_text("Filter by sector").click()
        sidebar.locator('[data-testid="stSlider"]').wait_for(timeout=60_000)
        sidebar.locator('[data-testid="stSidebarNav"] a[href$="/composition"]').click()
        page.wait_for_function("() => location.pathname.endsWith('/composition')", timeout=60_000)
        wait_until_idle(page)
        sidebar.locator('[data-testid="stSlider"]').wait_for(timeout=60_000)
        assert sidebar.locator('[data-testid="stMultiSelect"]').count() == 6, "the open panel stays open"
        assert "conf=high" in page.url
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()
