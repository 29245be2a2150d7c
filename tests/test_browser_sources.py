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
