"""Composition page in Chromium: four charts, no error, no foreign request, a material filter in the link."""

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

CHARTS = 4  # all breakdowns, plastic over time, disagreement, waste source


def wait_for_charts(page, count: int = CHARTS) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=30_000)
    wait_until_idle(page)


def test_composition_page_draws_every_chart(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/composition", height=3000)
    try:
        wait_for_charts(page)
        page.screenshot(path=str(ARTIFACTS / "composition.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the composition page shows an error: {errors.first.inner_text()}"
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn == CHARTS, f"{drawn} charts drawn, expected {CHARTS}"
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Households produce nearly 60% of Phnom Penh's waste" in text
        assert not foreign, f"the page requested other hosts: {foreign[:3]}; {OFFLINE_HINT}"
    finally:
        context.close()


def test_material_filter_link_reproduces_the_view(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/composition?material=plastic&comp_spread=plastic")
    try:
        wait_for_charts(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Active: material: Plastic" in text
        assert "published plastic shares span" in text
        assert page.locator(ERROR_SELECTORS).count() == 0
        assert not foreign, f"{foreign[:3]}; {OFFLINE_HINT}"
    finally:
        context.close()
