"""Policy timeline in Chromium: the timeline is drawn, the kind filter comes from the link, nothing foreign."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_error, assert_offline, main_text, open_page, screenshot, wait_for_charts

pytestmark = pytest.mark.browser


def test_policy_page_draws_the_timeline(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "policy", height=3000)
    try:
        wait_for_charts(page, 1)
        screenshot(page, "policy")
        assert_no_error(page)
        assert page.locator(".js-plotly-plot").count() == 1, "one timeline chart"
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 20, "one marker per item"
        assert_offline(foreign)
    finally:
        context.close()


def test_kind_filter_in_the_link_narrows_the_timeline(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "policy?pol_kind=law&pol_kind=sub_decree")
    try:
        wait_for_charts(page, 1)
        assert "9 waste-related laws" in main_text(page), "3 laws and 6 sub-decrees are on record"
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() == 9
        assert_offline(foreign)
    finally:
        context.close()


def test_khmer_policy_page_draws_khmer_rows(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "policy?lang=km", height=3000)
    try:
        wait_for_charts(page, 1)
        screenshot(page, "policy-km")
        assert_no_error(page)
        assert "កាលប្បវត្តិគោលនយោបាយ" in main_text(page), "the Khmer title"
        rows = page.locator(".js-plotly-plot .ytick text").all_text_contents()
        assert "ច្បាប់" in rows and "អនុក្រឹត្យ" in rows, f"kind rows in Khmer: {rows}"
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 20
        assert_offline(foreign)
    finally:
        context.close()
