"""Generation page in Chromium: five charts, no error, no foreign request, a preset's rate survives the link."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_no_error,
    assert_offline,
    main_text,
    metric_values,
    open_page,
    screenshot,
    visit,
    wait_for_charts,
    wait_for_metric,
)

pytestmark = pytest.mark.browser

CHARTS = 5  # national estimates, per person, Phnom Penh, other cities, projection


def test_generation_page_draws_every_chart(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "generation", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        screenshot(page, "generation")
        assert_no_error(page)
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn == CHARTS, f"{drawn} charts drawn, expected {CHARTS}"
        values = metric_values(page)
        assert values.get("Generated in 2024 (headline)") == "2.85 Mt", values
        assert values.get("2030, projection (not a published figure)") == "4.11 Mt", values
        assert_offline(foreign)
    finally:
        context.close()


def test_growth_preset_lands_in_the_link_and_the_link_reopens_it(browser, server_url):
    context, page, _ = open_page(browser, server_url, "generation")
    try:
        wait_for_charts(page, CHARTS)
        page.get_by_role("button", name="E009: about +10%/yr").click()
        page.wait_for_function("() => location.search.includes('gen_rate=10')", timeout=90_000)
        wait_for_charts(page, CHARTS)
        wait_for_metric(page, value="5.05 Mt")
        shared = page.url
    finally:
        context.close()
    context, page, foreign = visit(browser, shared)
    try:
        wait_for_charts(page, CHARTS)
        wait_for_metric(page, value="5.05 Mt")
        assert metric_values(page)["2030, projection (not a published figure)"] == "5.05 Mt"
        assert_offline(foreign)
    finally:
        context.close()


def test_geography_filter_in_the_link_empties_the_national_view(browser, server_url):
    context, page, _ = open_page(browser, server_url, "generation?geo=Phnom+Penh")
    try:
        wait_for_charts(page, 3)  # Phnom Penh, per person (Phnom Penh figures) and the projection
        assert "No national tonnages match the filters" in main_text(page)
        assert_no_error(page)
    finally:
        context.close()


def test_khmer_page_draws_every_chart_with_khmer_numbers(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "generation?lang=km", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        screenshot(page, "generation-km")
        assert_no_error(page)
        assert page.locator(".js-plotly-plot").count() == CHARTS
        assert "ការបង្កើតសំណល់" in page.locator("h1").first.inner_text()
        values = metric_values(page)
        assert values.get("បានបង្កើតក្នុងឆ្នាំ 2024 (តួលេខចម្បង)") == "2,85 លានតោន", values
        # A preset keeps the number in the link, whatever the language.
        page.get_by_role("button", name="E009៖ ប្រហែល +10%/ឆ្នាំ").click()
        page.wait_for_function("() => location.search.includes('gen_rate=10')", timeout=90_000)
        wait_for_metric(page, value="5,05 លានតោន")
        assert "lang=km" in page.url
        assert_offline(foreign)
    finally:
        context.close()
