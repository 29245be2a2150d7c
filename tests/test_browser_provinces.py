"""Provinces page in Chromium: the offline map and the facility chart are drawn, no error, no foreign request."""

from __future__ import annotations

import pytest

from core.i18n import text
from tests.helpers import (
    assert_no_error,
    assert_offline,
    main_text,
    open_page,
    screenshot,
    wait_for_charts,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

EXPECTED_CHARTS = 2  # the province map and the facilities-by-province bars
MAP_HINT = " For the map: keep the blank MapLibre style, no topojson."


def draw(page, count: int = EXPECTED_CHARTS) -> None:
    wait_for_charts(page, count)
    # MapLibre draws the provinces on a WebGL canvas inside the Plotly chart.
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas", timeout=90_000)
    page.wait_for_timeout(1500)  # let MapLibre finish painting before the screenshot


def test_provinces_page_draws_the_offline_map(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "provinces", height=3000)
    try:
        draw(page)
        screenshot(page, "provinces")
        assert_no_error(page)
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= EXPECTED_CHARTS, f"{drawn} charts drawn, expected {EXPECTED_CHARTS}"
        text = main_text(page)
        assert "OpenStreetMap contributors (ODbL 1.0), via geoBoundaries" in text, "the map needs its attribution"
        assert not page.get_by_text("requires WebGL").count(), "MapLibre could not start (no WebGL)"
        assert_offline(foreign, MAP_HINT)
    finally:
        context.close()


def test_metric_from_the_link_shows_no_data_provinces(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "provinces?prov_metric=Facilities", height=3000)
    try:
        draw(page)
        screenshot(page, "provinces-facilities")
        legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
        assert "No data" in legend, f"provinces without a facility on record need a 'No data' legend entry: {legend}"
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()


def test_khmer_provinces_page_draws_with_khmer_names(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "provinces?lang=km&prov_metric=Facilities", height=3000)
    try:
        draw(page)
        screenshot(page, "provinces-km")
        assert_no_error(page)
        text = main_text(page)
        assert "ខេត្ត និងកន្លែងគ្រប់គ្រងសំណល់" in text, "the Khmer title"
        assert "OpenStreetMap contributors (ODbL 1.0), via geoBoundaries" in text, "the attribution stays"
        legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
        assert "គ្មានទិន្នន័យ" in legend, f"the Khmer 'no data' legend entry: {legend}"
        ticks = page.locator(".js-plotly-plot .ytick text").all_text_contents()
        assert "ភ្នំពេញ" in ticks, f"the facility bars name the provinces in Khmer: {ticks}"
        assert_offline(foreign, MAP_HINT)
    finally:
        context.close()


GRID = '[data-testid="stDataFrame"]'


def test_the_landfill_list_loads_only_when_its_panel_is_opened(browser, server_url):
    """A first visit sends no data grid (~1.4 MB of JavaScript before the charts); a click on the list's panel
    reruns the page with the list and its two downloads in place."""
    context, page, foreign = open_page(browser, server_url, "provinces", height=3000)
    try:
        wait_for_charts(page, EXPECTED_CHARTS)
        assert page.locator(GRID).count() == 0, "no st.dataframe on a first visit: every table is in a closed panel"
        label = text("en", "provinces.list.panel")
        page.locator('[data-testid="stExpander"] summary', has_text=label).click()
        page.locator(GRID).first.wait_for(state="visible")
        wait_until_idle(page)
        assert page.locator(GRID).count() == 1, "the opened panel shows the landfill list"
        panel = page.locator('[data-testid="stExpander"]', has=page.locator(GRID))
        assert label in panel.inner_text(), "the list is inside its panel"
        assert panel.locator('[data-testid="stDownloadButton"]').count() == 2, "CSV and Parquet in the panel"
        assert_no_error(page)
        screenshot(page, "provinces-list-open")
        assert_offline(foreign)
    finally:
        context.close()
