"""Sources and methods in Chromium: drawn without error, a linked source opens its figures, no foreign request."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_error, assert_offline, main_text, open_page, screenshot, wait_until_idle

pytestmark = pytest.mark.browser

SOURCE = "pheakdey-2022-ijerph"


def open_sources(browser, server_url: str, query: str = ""):
    """The page at height 3000, its KPIs drawn and the script run finished."""
    context, page, foreign = open_page(browser, server_url, f"sources{query}", height=3000)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    wait_until_idle(page)
    return context, page, foreign


def test_sources_page_draws_without_error(browser, server_url):
    context, page, foreign = open_sources(browser, server_url)
    try:
        page.wait_for_selector("h1", timeout=90_000)
        screenshot(page, "sources")
        assert_no_error(page)
        text = main_text(page)
        for heading in ("Every source", "How the derived numbers are made", "Where published figures disagree",
                        "What is still missing"):
            assert heading in text, f"section '{heading}' is missing"
        assert page.locator(".js-plotly-plot").count() == 0, "the sources page has no charts"
        assert_offline(foreign)
    finally:
        context.close()


def test_linked_source_shows_its_rows(browser, server_url):
    context, page, _ = open_sources(browser, server_url, f"?src_id={SOURCE}")
    try:
        text = main_text(page)
        assert "Challenges and Priorities of Municipal Solid Waste Management in Cambodia" in text
        assert "of data come from this source" in text
    finally:
        context.close()


def test_link_to_the_explorer_opens_the_sources_rows(browser, server_url):
    context, page, _ = open_sources(browser, server_url, f"?src_id={SOURCE}")
    try:
        page.get_by_role("link", name=f"All columns in the Data explorer (treatment, search: {SOURCE})").click()
        page.wait_for_function("() => location.pathname.endsWith('/explorer')", timeout=90_000)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=90_000)
        wait_until_idle(page)
        assert f"ex_q={SOURCE}" in page.url and "ex_res=treatment" in page.url, page.url
        assert "Treatment and disposal routes" in main_text(page), "the link opens the treatment table"
        assert page.locator('[data-testid="stTextInput"] input').first.input_value() == SOURCE
    finally:
        context.close()


def test_khmer_sources_page_draws_with_citations_as_published(browser, server_url):
    """?lang=km: Khmer headings and KPIs, the citation untranslated, the Khmer headline note (2,85 លានតោន),
    the link to the explorer named in Khmer and keeping codes, no text cut off, nothing from another host."""
    context, page, foreign = open_sources(browser, server_url, f"?lang=km&src_id={SOURCE}")
    try:
        page.wait_for_selector("h1", timeout=90_000)
        screenshot(page, "sources-km")
        assert_no_error(page)
        assert page.locator("h1").first.inner_text().strip() == "ប្រភព និងវិធីសាស្ត្រ"
        text = main_text(page)
        for heading in ("ប្រភពទាំងអស់", "តួលេខដែលបានគណនា ត្រូវបានបង្កើតយ៉ាងដូចម្តេច", "កន្លែងដែលតួលេខបោះពុម្ពមិនស្របគ្នា",
                        "អ្វីដែលនៅខ្វះ"):
            assert heading in text, f"section '{heading}' is missing"
        assert "Challenges and Priorities of Municipal Solid Waste Management in Cambodia" in text, \
            "the publication's title stays as published"
        assert "2,85 លានតោន" in text
        cut = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stMain\"] p')]"
                            ".filter(p => p.scrollWidth > p.clientWidth + 2).map(p => p.innerText)")
        assert not cut, f"text wider than its box: {cut[:3]}"
        clipped = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"] *')]"
                                ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
        assert not clipped, f"KPI values cut off (keep them short in Khmer): {clipped}"
        page.get_by_role("link", name=f"ជួរឈរទាំងអស់ក្នុងកម្មវិធីរុករកទិន្នន័យ (treatment ស្វែងរក៖ {SOURCE})").click()
        page.wait_for_function("() => location.pathname.endsWith('/explorer')", timeout=90_000)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=90_000)
        wait_until_idle(page)
        assert "ex_res=treatment" in page.url and f"ex_q={SOURCE}" in page.url, page.url
        assert "ផ្លូវនៃការប្រព្រឹត្តិកម្ម និងការចោលសំណល់" in main_text(page), "the explorer opens in Khmer"
        assert_offline(foreign)
    finally:
        context.close()
