"""Scenario lab in Chromium: charts drawn, no error, the preset works and its scenario lands in the link."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
MIN_CHARTS = 3


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    # Until the entry script has called st.navigation once, Streamlit serves a folder named pages/ in its
    # legacy multipage mode (no page frame, narrow layout); opening the app's root first avoids that.
    root = url.split("/scenario")[0] + "/"
    page.goto(root, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=30_000)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=30_000)
    return context, page


def screenshot_whole_page(page, name: str) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the content before the shot."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 16_000)})
    page.wait_for_timeout(1_500)  # charts re-layout to the new size
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def wait_for_charts(page, count: int = MIN_CHARTS) -> None:
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def metric_values(page) -> dict[str, str]:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=False)}


def test_scenario_page_draws_charts_without_error(browser, server_url):
    context, page = open_page(browser, f"{server_url}/scenario")
    try:
        wait_for_charts(page)
        screenshot_whole_page(page, "scenario.png")
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the scenario page shows an error: {errors.first.inner_text()}"
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= MIN_CHARTS, f"{drawn} charts drawn, expected at least {MIN_CHARTS}"
        assert metric_values(page).get("Baseline: net emissions", "").endswith("Mt CO₂e")
    finally:
        context.close()


def test_preset_writes_both_scenarios_to_the_link(browser, server_url):
    context, page = open_page(browser, f"{server_url}/scenario")
    try:
        wait_for_charts(page)
        page.get_by_role("button", name="What if we compost half the organic waste").click()
        page.wait_for_function("() => location.search.includes('a_compost=50')", timeout=30_000)
        page.wait_for_function("() => location.search.includes('b_compost=50')", timeout=30_000)
        wait_for_charts(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricLabel\"]')]"
            ".some(e => e.innerText.includes('Scenario B'))", timeout=30_000)
        shared = page.url
        screenshot_whole_page(page, "scenario-preset.png")
        values = metric_values(page)
        assert values["Scenario A: change vs baseline"].startswith("−"), values
        assert page.locator(ERROR_SELECTORS).count() == 0
    finally:
        context.close()
    # The copied link reopens the same two scenarios.
    context, page = open_page(browser, shared)
    try:
        wait_for_charts(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricLabel\"]')]"
            ".some(e => e.innerText.includes('Scenario B'))", timeout=30_000)
        assert metric_values(page) == values, "the shared link should reproduce the preset's numbers"
    finally:
        context.close()
