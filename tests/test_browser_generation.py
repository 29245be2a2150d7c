"""Generation page in Chromium: four charts, and a fifth (the projection) behind a switch kept in the link; no error,
no foreign request, a preset's rate survives the link."""

from __future__ import annotations

import pytest

from core.i18n import text
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
    wait_until_idle,
)

pytestmark = pytest.mark.browser

CHARTS = 3  # national estimates, per person, Phnom Penh (other places: its tab; the projection is off by default)
PROJECTED = CHARTS + 1  # and the projection, once its switch is on
KPI_2030 = "2030, projection (not a published figure)"
MAIN = '[data-testid="stMain"]'


def charts_drawn(page) -> int:
    return page.locator(".js-plotly-plot").count()


def projection_switch(page, lang: str = "en"):
    """The projection's switch, found by its label in the page's language (its input is visually hidden)."""
    return page.get_by_role("switch", name=text(lang, "generation.projection.show"))


def click_switch(page, lang: str = "en") -> None:
    """Click the switch where a reader does: on its label (the hidden input itself cannot take a pointer)."""
    page.locator("label", has=projection_switch(page, lang)).click()


def switch_projection_on(page, lang: str = "en") -> None:
    """Switch the projection on, as a reader would, and wait for its chart; the link then holds the switch."""
    switch = projection_switch(page, lang)
    assert not switch.is_checked(), "the projection is off until switched on"
    click_switch(page, lang)
    page.wait_for_function("() => new URLSearchParams(location.search).get('gen_proj') === 'true'", timeout=90_000)
    wait_for_charts(page, PROJECTED)
    assert switch.is_checked()


def test_generation_page_draws_every_chart(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "generation", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        assert_no_error(page)
        drawn = charts_drawn(page)
        assert drawn == CHARTS, f"{drawn} charts drawn, expected {CHARTS}: the projection is drawn only on request"
        values = metric_values(page)
        assert values.get("Generated in 2024 (headline)") == "2.85 Mt", values
        assert KPI_2030 not in values, values
        assert page.locator(MAIN).get_by_role("slider").count() == 0, "the projection's rate slider is not drawn"
        assert "gen_proj" not in page.evaluate("location.search")

        switch_projection_on(page)
        screenshot(page, "generation")
        assert_no_error(page)
        assert charts_drawn(page) == CHARTS + 1, "switching the projection on adds its chart"
        wait_for_metric(page, value="4.11 Mt")
        assert metric_values(page).get(KPI_2030) == "4.11 Mt"
        assert page.locator(MAIN).get_by_role("slider").count() == 1, "the projection's rate slider"
        assert page.get_by_role("button", name="E009: about +10%/yr").count() == 1
        assert_offline(foreign)
    finally:
        context.close()


def test_growth_preset_lands_in_the_link_and_the_link_reopens_it(browser, server_url):
    context, page, _ = open_page(browser, server_url, "generation")
    try:
        wait_for_charts(page, CHARTS)
        switch_projection_on(page)
        page.get_by_role("button", name="E009: about +10%/yr").click()
        page.wait_for_function("() => location.search.includes('gen_rate=10')", timeout=90_000)
        wait_for_charts(page, PROJECTED)
        wait_for_metric(page, value="5.05 Mt")
        shared = page.url
        assert "gen_proj=true" in shared, shared
    finally:
        context.close()
    context, page, foreign = visit(browser, shared)
    try:
        wait_for_charts(page, PROJECTED)
        wait_for_metric(page, value="5.05 Mt")
        assert metric_values(page)[KPI_2030] == "5.05 Mt"
        assert projection_switch(page).is_checked(), "the link reopens the projection"
        assert_offline(foreign)
    finally:
        context.close()


def test_a_link_with_the_switch_opens_the_projection(browser, server_url):
    context, page, _ = open_page(browser, server_url, "generation?gen_proj=true")
    try:
        wait_for_charts(page, PROJECTED)
        wait_for_metric(page, value="4.11 Mt")
        assert_no_error(page)
        assert charts_drawn(page) == PROJECTED
        assert projection_switch(page).is_checked()
        # Switched off, the projection's chart goes and so does the switch's place in the link.
        click_switch(page)
        page.wait_for_function("() => !location.search.includes('gen_proj')", timeout=90_000)
        wait_until_idle(page)
        page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot').length === {CHARTS}",
                               timeout=90_000)
        assert KPI_2030 not in metric_values(page)
    finally:
        context.close()


def test_geography_filter_in_the_link_empties_the_national_view(browser, server_url):
    context, page, _ = open_page(browser, server_url, "generation?geo=Phnom+Penh")
    try:
        wait_for_charts(page, 2)  # Phnom Penh and per person (Phnom Penh figures); the projection is off
        assert "No national tonnages match the filters" in main_text(page)
        assert charts_drawn(page) == 2
        assert_no_error(page)
    finally:
        context.close()


def test_khmer_page_draws_every_chart_with_khmer_numbers(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "generation?lang=km", height=3000)
    try:
        wait_for_charts(page, CHARTS)
        assert_no_error(page)
        assert charts_drawn(page) == CHARTS
        assert "ការបង្កើតសំណល់" in page.locator("h1").first.inner_text()
        values = metric_values(page)
        assert values.get("បានបង្កើតក្នុងឆ្នាំ 2024 (តួលេខចម្បង)") == "2,85 លានតោន", values
        switch_projection_on(page, "km")  # its Khmer label
        screenshot(page, "generation-km")
        assert charts_drawn(page) == PROJECTED
        assert "lang=km" in page.url
        # A preset keeps the number in the link, whatever the language.
        page.get_by_role("button", name="E009៖ ប្រហែល +10%/ឆ្នាំ").click()
        page.wait_for_function("() => location.search.includes('gen_rate=10')", timeout=90_000)
        wait_for_metric(page, value="5,05 លានតោន")
        assert "lang=km" in page.url
        assert_offline(foreign)
    finally:
        context.close()
