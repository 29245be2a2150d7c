"""Generation page in Chromium: five charts, no error, no foreign request, a preset's rate survives the link."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser
OFFLINE_HINT = ("the dashboard must work offline: a ':material/...' page_icon in st.set_page_config makes the browser "
                "fetch the favicon from fonts.gstatic.com; use an emoji or a file under static/ instead")


@pytest.fixture(scope="module", autouse=True)
def app_started(browser, server_url):
    """Open the app's root once first. Until dashboard.py has run in a fresh server process, Streamlit serves a
    deep link such as /composition from the legacy pages/ folder, without the frame and its sector filters."""
    context, page, _ = visit(browser, server_url)
    try:
        page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', timeout=30_000)
        wait_until_idle(page)
    finally:
        context.close()

CHARTS = 5  # national estimates, per person, Phnom Penh, other cities, projection


def wait_for_charts(page, count: int = CHARTS) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=30_000)
    wait_until_idle(page)


def metric_values(page) -> dict[str, str]:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=False)}


def test_generation_page_draws_every_chart(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/generation", height=3000)
    try:
        wait_for_charts(page)
        page.screenshot(path=str(ARTIFACTS / "generation.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the generation page shows an error: {errors.first.inner_text()}"
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn == CHARTS, f"{drawn} charts drawn, expected {CHARTS}"
        values = metric_values(page)
        assert values.get("Generated in 2024 (headline)") == "2.85 Mt", values
        assert values.get("2030, projection (not a published figure)") == "4.11 Mt", values
        assert not foreign, f"the page requested other hosts: {foreign[:3]}; {OFFLINE_HINT}"
    finally:
        context.close()


def test_growth_preset_lands_in_the_link_and_the_link_reopens_it(browser, server_url):
    context, page, _ = visit(browser, f"{server_url}/generation")
    try:
        wait_for_charts(page)
        page.get_by_role("button", name="E009: about +10%/yr").click()
        page.wait_for_function("() => location.search.includes('gen_rate=10')", timeout=30_000)
        wait_for_charts(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
            ".some(e => e.innerText.trim() === '5.05 Mt')", timeout=30_000)
        shared = page.url
    finally:
        context.close()
    context, page, foreign = visit(browser, shared)
    try:
        wait_for_charts(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
            ".some(e => e.innerText.trim() === '5.05 Mt')", timeout=30_000)
        assert metric_values(page)["2030, projection (not a published figure)"] == "5.05 Mt"
        assert not foreign, f"{foreign[:3]}; {OFFLINE_HINT}"
    finally:
        context.close()


def test_geography_filter_in_the_link_empties_the_national_view(browser, server_url):
    context, page, _ = visit(browser, f"{server_url}/generation?geo=Phnom+Penh")
    try:
        wait_for_charts(page, 3)  # Phnom Penh, per person (Phnom Penh figures) and the projection
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "No national tonnages match the filters" in text
        assert page.locator(ERROR_SELECTORS).count() == 0
    finally:
        context.close()
