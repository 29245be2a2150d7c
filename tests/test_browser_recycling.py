"""Recycling page in Chromium: every chart drawn, the gaps shown, no error and no foreign request."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser

CHARTS = 6  # rates, exports, prices, picker counts, earnings, conditions


def test_recycling_page_draws_charts_and_gaps(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/recycling", height=3000)
    try:
        page.wait_for_selector("h1", timeout=30_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {CHARTS}", timeout=60_000)
        wait_until_idle(page)
        page.screenshot(path=str(ARTIFACTS / "recycling.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the recycling page shows an error: {errors.first.inner_text()}"
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= CHARTS, f"{drawn} charts drawn, expected {CHARTS}"
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Share of women among waste pickers" in text and "Not published" in text
        assert "US$56M" in text
        assert not foreign, f"the recycling page requested other hosts: {foreign[:5]}"
    finally:
        context.close()


def test_material_filter_in_the_link_narrows_the_page(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/recycling?material=plastic", height=2000)
    try:
        page.wait_for_selector("h1", timeout=30_000)
        wait_until_idle(page)
        page.wait_for_selector("text=Active:", timeout=15_000)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "material: Plastic" in text, "the active filter is named on the page"
        assert page.locator(ERROR_SELECTORS).count() == 0
        assert not foreign
    finally:
        context.close()
