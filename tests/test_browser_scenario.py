"""Scenario lab in Chromium: charts drawn, no error, the preset works and its scenario lands in the link."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_error, metric_values, open_page, screenshot, visit, wait_for_charts, wait_for_metric

pytestmark = pytest.mark.browser

MIN_CHARTS = 2  # the result and the open route tab (the other route chart waits in its tab, the tornado in its panel)
HEIGHT = 3000  # tall enough for a whole-page screenshot: Streamlit scrolls inside its main block


def test_scenario_page_draws_charts_without_error(browser, server_url):
    context, page, _ = open_page(browser, server_url, "scenario", height=HEIGHT)
    try:
        wait_for_charts(page, MIN_CHARTS)
        screenshot(page, "scenario")
        assert_no_error(page)
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= MIN_CHARTS, f"{drawn} charts drawn, expected at least {MIN_CHARTS}"
        assert metric_values(page).get("Baseline: net emissions", "").endswith("Mt CO₂e")
    finally:
        context.close()


def test_preset_writes_both_scenarios_to_the_link(browser, server_url):
    context, page, _ = open_page(browser, server_url, "scenario", height=HEIGHT)
    try:
        wait_for_charts(page, MIN_CHARTS)
        page.get_by_role("button", name="What if we compost half the organic waste").click()
        page.wait_for_function("() => location.search.includes('a_compost=50')", timeout=90_000)
        page.wait_for_function("() => location.search.includes('b_compost=50')", timeout=90_000)
        wait_for_charts(page, MIN_CHARTS)
        wait_for_metric(page, label_part="Scenario B")
        shared = page.url
        screenshot(page, "scenario-preset")
        values = metric_values(page)
        assert values["Scenario A: change vs baseline"].startswith("−"), values
        assert_no_error(page)
    finally:
        context.close()
    # The copied link reopens the same two scenarios.
    context, page, _ = visit(browser, shared, height=HEIGHT)
    try:
        wait_for_charts(page, MIN_CHARTS)
        wait_for_metric(page, label_part="Scenario B")
        assert metric_values(page) == values, "the shared link should reproduce the preset's numbers"
    finally:
        context.close()


def test_khmer_page_keeps_codes_in_the_link(browser, server_url):
    """In Khmer: words on the page, decimal commas in the tiles, and the preset's choices written as codes."""
    context, page, _ = open_page(browser, server_url, "scenario?lang=km", height=HEIGHT)
    try:
        wait_for_charts(page, MIN_CHARTS)
        screenshot(page, "scenario-km")
        assert_no_error(page)
        values = metric_values(page)
        assert values.get("កម្រិតមូលដ្ឋាន៖ ការបំភាយសុទ្ធ", "").count(",") == 1, values
        page.get_by_role("button", name="ចុះបើធ្វើជីកំប៉ុស").click()
        page.wait_for_function("() => location.search.includes('a_res=sanitary_landfill_capture')", timeout=90_000)
        page.wait_for_function("() => location.search.includes('b_compost=50')", timeout=90_000)
        wait_for_charts(page, MIN_CHARTS)
        wait_for_metric(page, label_part="សេណារីយ៉ូ B")
        assert "lang=km" in page.url
        shared = page.url.replace("lang=km", "lang=en")
        screenshot(page, "scenario-km-preset")
        assert_no_error(page)
    finally:
        context.close()
    # The same link opens in English with the same scenarios.
    context, page, _ = visit(browser, shared, height=HEIGHT)
    try:
        wait_for_charts(page, MIN_CHARTS)
        wait_for_metric(page, label_part="Scenario B")
        assert metric_values(page)["Scenario A: change vs baseline"].startswith("−")
        assert_no_error(page)
    finally:
        context.close()


def test_moving_a_lever_updates_the_results_and_the_link(browser, server_url):
    """The controls and results are a fragment: a slider rerun redraws the results, keeps the page around them, and
    writes the lever to the link."""
    context, page, _ = open_page(browser, server_url, "scenario", height=HEIGHT)
    try:
        wait_for_charts(page, MIN_CHARTS)
        before = metric_values(page)["Scenario A: change vs baseline"]
        slider = page.get_by_role("slider", name="To composting").first
        slider.focus()
        for _i in range(10):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('a_compost=')", timeout=90_000)
        page.wait_for_function(
            "b => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m =>"
            " m.innerText.includes('Scenario A: change vs baseline') && !m.innerText.includes(b))",
            arg=before, timeout=90_000)
        after = metric_values(page)["Scenario A: change vs baseline"]
        assert after.startswith("−") and after != before, (before, after)
        assert page.locator('[data-testid="stMain"] h1').count() == 1, "the page around the lab is still there"
        assert page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').count() == 1, "the filter panel"
        assert_no_error(page)
    finally:
        context.close()
