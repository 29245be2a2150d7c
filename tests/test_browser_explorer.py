"""Data explorer in Chromium: the table and downloads appear, a linked search is literal text, no foreign request."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import assert_no_error, assert_offline, main_text, open_page, screenshot, wait_until_idle

pytestmark = pytest.mark.browser


def open_explorer(browser, server_url: str, query: str = ""):
    context, page, foreign = open_page(browser, server_url, f"explorer{query}", height=3000)
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=90_000)
    wait_until_idle(page)
    return context, page, foreign


def test_explorer_shows_table_and_downloads_without_error(browser, server_url):
    context, page, foreign = open_explorer(browser, server_url, "?ex_res=facilities")
    try:
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=90_000)
        screenshot(page, "explorer")
        assert_no_error(page)
        text = main_text(page)
        assert "Landfills and dumpsites" in text, "?ex_res=facilities should open the facilities table"
        assert " of 15 rows shown" in text or "rows shown" in text
        labels = page.locator('[data-testid="stDownloadButton"]').all_inner_texts()
        assert any("zip" in label for label in labels), f"the data package download is missing: {labels}"
        assert page.locator(".js-plotly-plot").count() == 0, "the explorer has no charts"
        assert_offline(foreign)
    finally:
        context.close()


def test_linked_script_search_is_shown_as_text_not_run(browser, server_url):
    payload = "<script>window.__pwned=1</script>"
    context, page, _ = open_explorer(browser, server_url, f"?ex_res=estimates&ex_q={quote(payload)}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.wait_for_selector('[data-testid="stAlertContentInfo"]', timeout=90_000)
        screenshot(page, "explorer-empty")
        assert page.evaluate("() => window.__pwned") is None, "the search text was run as a script"
        assert not dialogs
        info = page.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
        assert "<script>" in info, f"the empty state should quote the search literally: {info}"
        assert page.locator('[data-testid="stTextInput"] input').first.input_value() == payload
    finally:
        context.close()


def test_package_download_is_a_zip_with_the_descriptor(browser, server_url):
    context, page, _ = open_explorer(browser, server_url)
    try:
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name="Download the data package (zip)").click()
        download = info.value
        assert download.suggested_filename == "cambodia-waste-datapackage.zip"
        data = Path(download.path()).read_bytes()
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "datapackage.json" in names and "khm_adm1.geojson" in names, names
    finally:
        context.close()


def test_khmer_explorer_keeps_the_table_and_the_link_codes(browser, server_url):
    """?lang=km: Khmer title, heading and buttons, the table as published (data column names), the link still
    holding the table's file name, the self-hosted Khmer face, nothing from another host, no text cut off."""
    context, page, foreign = open_explorer(browser, server_url, "?lang=km&ex_res=facilities")
    try:
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=90_000)
        screenshot(page, "explorer-km")
        assert_no_error(page)
        assert page.locator("h1").first.inner_text().strip() == "កម្មវិធីរុករកទិន្នន័យ"
        text = main_text(page)
        assert "ទីលានចាក់សំណល់ និងកន្លែងចាក់សំរាមចំហ" in text, "the table's title in Khmer"
        assert "Landfills and dumpsites" not in text
        assert "ex_res=facilities" in page.url and "lang=km" in page.url, page.url
        labels = page.locator('[data-testid="stDownloadButton"]').all_inner_texts()
        assert any("ទាញយកកញ្ចប់ទិន្នន័យ (zip)" in label for label in labels), labels
        page.evaluate("async () => { await document.fonts.ready; return true; }")
        faces = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Noto Sans Khmer'))"
                              ".map(f => f.status)")
        assert "loaded" in faces, f"the self-hosted Noto Sans Khmer face is used: {faces}"
        cut = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stMain\"] p')]"
                            ".filter(p => p.scrollWidth > p.clientWidth + 2).map(p => p.innerText)")
        assert not cut, f"text wider than its box: {cut[:3]}"
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name="ទាញយកកញ្ចប់ទិន្នន័យ (zip)").click()
        assert info.value.suggested_filename == "cambodia-waste-datapackage.zip", "file names do not change"
        assert_offline(foreign)
    finally:
        context.close()
