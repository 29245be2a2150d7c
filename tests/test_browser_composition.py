"""Composition page in Chromium: four charts, no error, no foreign request, a material filter in the link."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_no_error,
    assert_offline,
    cut_metric_text,
    main_text,
    open_page,
    screenshot,
    wait_for_charts,
    wait_for_main_text,
)

pytestmark = pytest.mark.browser

CHARTS = 4  # all breakdowns, plastic over time, disagreement, waste source


def test_composition_page_draws_every_chart(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "composition", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        screenshot(page, "composition")
        assert_no_error(page)
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn == CHARTS, f"{drawn} charts drawn, expected {CHARTS}"
        assert "Households produce nearly 60% of Phnom Penh's waste" in main_text(page)
        assert_offline(foreign)
    finally:
        context.close()


def test_material_filter_link_reproduces_the_view(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "composition?material=plastic&comp_spread=plastic")
    try:
        wait_for_charts(page, CHARTS)
        text = main_text(page)
        assert "Active: material: Plastic" in text
        assert "published plastic shares span" in text
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()


def test_khmer_spread_control_keeps_the_code_in_the_link(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "composition?lang=km", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        screenshot(page, "composition-km")
        assert_no_error(page)
        assert "សំណល់ផ្សំឡើងពីអ្វីខ្លះ" in page.locator("h1").first.inner_text()
        assert "ជិត 60%" in main_text(page)
        page.get_by_role("radio", name="ប្លាស្ទិក", exact=True).click()
        page.wait_for_function("() => location.search.includes('comp_spread=plastic')", timeout=90_000)
        wait_for_charts(page, CHARTS)
        # The rerun after the click replaces the charts of the first run: wait for its text, not just for charts.
        wait_for_main_text(page, "ចំណែកប្លាស្ទិកដែលបានផ្សព្វផ្សាយ", timeout=90_000)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stMetricLabel\"]')]"
                               ".some(e => e.innerText.includes('ប្លាស្ទិក'))", timeout=90_000)
        cut = cut_metric_text(page)
        assert not cut, f"KPI text cut off with an ellipsis in Khmer: {cut}"
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()
