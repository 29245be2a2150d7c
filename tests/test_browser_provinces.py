"""Provinces page in Chromium: the offline map and the facility chart are drawn, no error, no foreign request."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser


def visit_framed(browser, server_url: str, path: str, *, height: int = 900):
    """visit() the app's root first, then the deep link: until the entry script has called st.navigation once,
    Streamlit serves a folder named pages/ in its legacy mode (no frame, no sector filters)."""
    context, page, foreign = visit(browser, f"{server_url}/", height=height)
    page.wait_for_selector("h1", timeout=30_000)
    page.goto(f"{server_url}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    return context, page, foreign


def foreign_message(foreign: list[str]) -> str:
    hint = (" The Material-icon favicon (st.set_page_config(page_icon=':material/…') in dashboard.py) is fetched "
            "from fonts.gstatic.com; use a local image file as page_icon." if any("fonts.gstatic.com" in u
                                                                                for u in foreign) else "")
    return f"the page asked other hosts for {foreign[:5]}; the app must work offline.{hint}"

EXPECTED_CHARTS = 2  # the province map and the facilities-by-province bars


def draw(page, count: int = EXPECTED_CHARTS) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=30_000)
    # MapLibre draws the provinces on a WebGL canvas inside the Plotly chart.
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas", timeout=30_000)
    wait_until_idle(page)
    page.wait_for_timeout(1500)  # let MapLibre finish painting before the screenshot


def test_provinces_page_draws_the_offline_map(browser, server_url):
    context, page, foreign = visit_framed(browser, server_url, "provinces", height=3000)
    try:
        draw(page)
        page.screenshot(path=str(ARTIFACTS / "provinces.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the provinces page shows an error: {errors.first.inner_text()}"
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= EXPECTED_CHARTS, f"{drawn} charts drawn, expected {EXPECTED_CHARTS}"
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "OpenStreetMap contributors (ODbL 1.0), via geoBoundaries" in text, "the map needs its attribution"
        assert not page.get_by_text("requires WebGL").count(), "MapLibre could not start (no WebGL)"
        assert not foreign, foreign_message(foreign) + " (for the map: keep the blank MapLibre style, no topojson)"
    finally:
        context.close()


def test_metric_from_the_link_shows_no_data_provinces(browser, server_url):
    context, page, foreign = visit_framed(browser, server_url, "provinces?prov_metric=Facilities", height=3000)
    try:
        draw(page)
        page.screenshot(path=str(ARTIFACTS / "provinces-facilities.png"), full_page=True)
        legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
        assert "No data" in legend, f"provinces without a facility on record need a 'No data' legend entry: {legend}"
        assert page.locator(ERROR_SELECTORS).count() == 0
        assert not foreign, foreign_message(foreign)
    finally:
        context.close()
