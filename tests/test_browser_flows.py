"""Flows in Chromium: the Sankey is drawn, no error, no foreign request, and the set picker travels in the link."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_error, assert_offline, main_text, open_page, screenshot, wait_for_charts

pytestmark = pytest.mark.browser

CHARTS = 2  # the Sankey and the comparison of breakdowns


def test_flows_page_draws_the_sankey(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "flows", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        page.wait_for_selector(".sankey", timeout=90_000)
        screenshot(page, "flows")
        assert_no_error(page)
        assert page.locator(".js-plotly-plot").count() >= CHARTS
        assert page.locator(".sankey .sankey-node").count() >= 6, "nodes: generated, two stages, four routes"
        links = page.locator(".sankey .sankey-link").count()
        assert links >= 6, f"{links} Sankey links drawn; the default breakdown has 8"
        assert "(remainder)" in main_text(page), "the remainder node is labelled as a remainder"
        assert_offline(foreign)
    finally:
        context.close()


def test_shared_link_reopens_the_chosen_breakdown(browser, server_url):
    path = "flows?flow_set=khmertimes-2017-national&flow_total=none"
    context, page, foreign = open_page(browser, server_url, path, height=1600)
    try:
        wait_for_charts(page, CHARTS)
        page.wait_for_selector(".sankey", timeout=90_000)
        text = main_text(page)
        assert "Cambodia, 2017" in text, "the 2017 breakdown from the link is shown"
        assert "shares only" in text
        assert_no_error(page)
        screenshot(page, "flows-2017")
        assert_offline(foreign)
    finally:
        context.close()


def test_flows_page_in_khmer(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "flows?lang=km&flow_total=none", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        page.wait_for_selector(".sankey", timeout=90_000)
        screenshot(page, "flows-km")
        assert_no_error(page)
        text = main_text(page)
        assert "សំណល់ទៅណា" in text and "លំហូរធំជាងគេគឺ" in text
        assert "តែភាគរយ" in text, "the total picker shows 'none' in Khmer"
        labels = page.locator(".sankey .node-label").all_text_contents()
        assert any("សំណល់ដែលបានបង្កើត" in label for label in labels), labels
        assert any("(នៅសល់)" in label for label in labels), labels
        assert "flow_total=none" in page.url, "the link keeps the code, not the Khmer words"
        assert_offline(foreign)
    finally:
        context.close()
