"""Recycling page in Chromium: every chart drawn, the gaps shown, no error and no foreign request."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_no_error,
    assert_offline,
    main_text,
    open_page,
    screenshot,
    wait_for_charts,
    wait_until_idle,
    widened_margins,
)

pytestmark = pytest.mark.browser

CHARTS = 3  # rates, prices and the open waste-picker tab (counts); exports are a table


def test_recycling_page_draws_charts_and_gaps(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "recycling", height=3000)
    try:
        wait_for_charts(page, CHARTS, timeout=60_000)
        screenshot(page, "recycling")
        assert_no_error(page)
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= CHARTS, f"{drawn} charts drawn, expected {CHARTS}"
        text = main_text(page)
        assert "Share of women among waste pickers" in text and "Not published" in text
        assert "US$56M" in text
        assert_offline(foreign)
    finally:
        context.close()


def test_material_filter_in_the_link_narrows_the_page(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "recycling?material=plastic", height=2000)
    try:
        page.wait_for_selector("h1", timeout=90_000)
        wait_until_idle(page)
        page.wait_for_selector("text=Active:", timeout=15_000)
        assert "material: Plastic" in main_text(page), "the active filter is named on the page"
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()


def test_recycling_page_in_khmer(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "recycling?lang=km", height=3000)
    try:
        wait_for_charts(page, CHARTS, timeout=60_000)
        screenshot(page, "recycling-km")
        assert_no_error(page)
        text = main_text(page)
        assert "ការកែច្នៃ និងវិស័យក្រៅផ្លូវការ" in text
        assert "~3.000" in text and "ចំណូល 2021 (លានដុល្លារអាមេរិក)" in text, "numbers written the Khmer way"
        assert "មិនបានបោះពុម្ពផ្សាយ" in text and "Not published" not in text
        axis = page.locator(".js-plotly-plot .xtitle").all_text_contents()
        assert "ចំណែកដែលបានកែច្នៃ (%)" in axis, axis
        assert_offline(foreign)
    finally:
        context.close()


def test_table_tab_opens_the_table_and_its_downloads(browser, server_url):
    """The prices chart's 'Table and download' tab: closed, nothing; opened, the table and a CSV of its rows."""
    import csv
    import io
    from pathlib import Path

    context, page, foreign = open_page(browser, server_url, "recycling", height=3000)
    try:
        wait_for_charts(page, CHARTS, timeout=60_000)
        frame = page.locator(".st-key-frame-recycling-prices")
        assert frame.locator('[data-testid="stDownloadButton"]').count() == 0, "closed: no download buttons"
        frame.get_by_role("tab", name="Table and download").click()
        frame.locator('[data-testid="stDataFrame"]').wait_for(state="visible", timeout=60_000)
        buttons = frame.locator('[data-testid="stDownloadButton"]')
        buttons.first.wait_for(state="visible", timeout=60_000)
        assert buttons.all_inner_texts() and any("CSV" in t for t in buttons.all_inner_texts())
        screenshot(page, "recycling-table-open")
        with page.expect_download(timeout=90_000) as info:
            frame.get_by_role("button", name="Download CSV").click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
        assert rows and "unit_as_published" in rows[0], "the CSV has the table's rows and the data's columns"
        assert {"riel/kg", "USD/kg"} <= {r["unit_as_published"] for r in rows}
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()


def test_waste_picker_tabs_draw_the_chart_a_reader_opens(browser, server_url):
    """The three waste-picker charts are tabs: a first visit draws the counts; a click on a tab draws its chart."""
    context, page, foreign = open_page(browser, server_url, "recycling", height=3000)
    try:
        wait_for_charts(page, CHARTS, timeout=60_000)
        assert page.locator(".st-key-frame-picker-counts .js-plotly-plot").count() == 1
        assert page.locator(".st-key-frame-picker-income").count() == 0, "the earnings chart waits in its tab"
        page.get_by_role("tab", name="What they earn").click()
        page.locator(".st-key-frame-picker-income .js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
        wait_until_idle(page)
        assert "Waste pickers earn a few dollars a day or less" in main_text(page)
        assert page.locator(".st-key-frame-picker-counts").count() == 0, "the counts chart is closed with its tab"
        assert page.locator(".js-plotly-plot").count() == CHARTS, "still one picker chart on the page"
        assert widened_margins(page) == [], "the opened chart, too, is drawn once with the margins it was sent"
        screenshot(page, "recycling-picker-tab")
        assert_no_error(page)
        assert_offline(foreign)
    finally:
        context.close()
