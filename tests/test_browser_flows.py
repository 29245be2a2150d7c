"""Flows in Chromium: the Sankey is drawn, no error, no foreign request, and the set picker travels in the link."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser

CHARTS = 2  # the Sankey and the comparison of breakdowns


def wait_for_charts(page, count: int = CHARTS) -> None:
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=30_000)
    wait_until_idle(page)


def test_flows_page_draws_the_sankey(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/flows", height=3000)
    try:
        page.wait_for_selector("h1", timeout=30_000)
        wait_for_charts(page)
        page.wait_for_selector(".sankey", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "flows.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the flows page shows an error: {errors.first.inner_text()}"
        assert page.locator(".js-plotly-plot").count() >= CHARTS
        assert page.locator(".sankey .sankey-node").count() >= 6, "nodes: generated, two stages, four routes"
        links = page.locator(".sankey .sankey-link").count()
        assert links >= 6, f"{links} Sankey links drawn; the default breakdown has 8"
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "(remainder)" in text, "the remainder node is labelled as a remainder"
        assert not foreign, f"the flows page requested other hosts: {foreign[:5]}"
    finally:
        context.close()


def test_shared_link_reopens_the_chosen_breakdown(browser, server_url):
    url = f"{server_url}/flows?flow_set=khmertimes-2017-national&flow_total=none"
    context, page, foreign = visit(browser, url, height=1600)
    try:
        wait_for_charts(page)
        page.wait_for_selector(".sankey", timeout=30_000)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Cambodia, 2017" in text, "the 2017 breakdown from the link is shown"
        assert "shares only" in text
        assert page.locator(ERROR_SELECTORS).count() == 0
        page.screenshot(path=str(ARTIFACTS / "flows-2017.png"), full_page=True)
        assert not foreign
    finally:
        context.close()
