"""Real browser: the server starts, each page draws its charts in Chromium with no error and no foreign request."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from core.site import PAGES, link_path
from tests.conftest import ARTIFACTS, start_server, stop_server

pytestmark = pytest.mark.browser

# An exception, an error box, or a dialog (Streamlit's "Page not found" is a modal dialog).
ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'
# Charts each page draws with its default view (a drop means a view silently stopped drawing).
EXPECTED_CHARTS = {"overview": 2, "generation": 5, "composition": 4, "flows": 2, "recycling": 6, "provinces": 2,
                   "policy": 1, "scenario": 4, "workshop": 0, "explorer": 0, "sources": 0}


def visit(browser, url: str, *, width: int = 1400, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    foreign: list[str] = []
    app_host = urlparse(url).netloc
    page.on("request", lambda req: foreign.append(req.url)
            if urlparse(req.url).netloc not in (app_host, "") and not req.url.startswith("data:") else None)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    return context, page, foreign


def wait_until_idle(page) -> None:
    """Streamlit shows a status widget while the script runs; wait until it has finished."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_draws_charts_without_error(browser, server_url, spec):
    context, page, foreign = visit(browser, f"{server_url}/{link_path(spec)}")
    try:
        page.wait_for_selector("h1", timeout=30_000)
        expected = EXPECTED_CHARTS[spec.url_path]
        if expected:
            page.wait_for_function(
                f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}",
                timeout=30_000)
        wait_until_idle(page)
        page.screenshot(path=str(ARTIFACTS / f"frame-{spec.url_path}.png"))
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"{spec.url_path} shows an error: {errors.first.inner_text()}"
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= expected, f"{spec.url_path}: {drawn} charts drawn, expected {expected}"
        assert not foreign, f"{spec.url_path} requested other hosts: {foreign[:5]}"
    finally:
        context.close()


def test_overview_shows_headline_in_browser(browser, server_url):
    context, page, _ = visit(browser, f"{server_url}/")
    try:
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert "2.85 Mt" in values and "+6.3%" in values, values
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "from 1.09 to 4.78 million tonnes a year" in text
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
            page.wait_for_selector("h1", timeout=30_000)
            wait_until_idle(page)
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "Filter by sector" in sidebar, "the frame's filters are missing: the page ran outside dashboard.py"
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert "Active: actor: Informal sector; confidence: High" in main
            assert "informal" in page.url and "conf=high" in page.url, "the link keeps its filters"
            assert not foreign, foreign
        finally:
            context.close()
    finally:
        stop_server(proc)
