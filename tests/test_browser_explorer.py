"""Data explorer in Chromium: the table and downloads appear, a linked search is literal text, no foreign request."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def entry_page_seen(browser, server_url):
    """Open the app's root once: until the entry script has called st.navigation in this server process,
    Streamlit maps a deep link such as /explorer to the file pages/explorer.py and runs it without the frame
    (streamlit/streamlit#9624; reported to the lead: renaming pages/ would avoid it)."""
    context, page, _ = visit(browser, server_url)
    page.wait_for_selector("h1", timeout=30_000)
    context.close()


def open_explorer(browser, server_url: str, query: str = ""):
    context, page, foreign = visit(browser, f"{server_url}/explorer{query}", height=3000)
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=30_000)
    wait_until_idle(page)
    return context, page, foreign


def test_explorer_shows_table_and_downloads_without_error(browser, server_url):
    context, page, foreign = open_explorer(browser, server_url, "?ex_res=facilities")
    try:
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "explorer.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the explorer shows an error: {errors.first.inner_text()}"
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Landfills and dumpsites" in text, "?ex_res=facilities should open the facilities table"
        assert " of 15 rows shown" in text or "rows shown" in text
        labels = page.locator('[data-testid="stDownloadButton"]').all_inner_texts()
        assert any("zip" in label for label in labels), f"the data package download is missing: {labels}"
        assert page.locator(".js-plotly-plot").count() == 0, "the explorer has no charts"
        assert not foreign, f"the explorer requested other hosts: {foreign[:5]}"
    finally:
        context.close()


def test_linked_script_search_is_shown_as_text_not_run(browser, server_url):
    payload = "<script>window.__pwned=1</script>"
    context, page, _ = open_explorer(browser, server_url, f"?ex_res=estimates&ex_q={quote(payload)}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.wait_for_selector('[data-testid="stAlertContentInfo"]', timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "explorer-empty.png"), full_page=True)
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
        with page.expect_download(timeout=30_000) as info:
            page.get_by_role("button", name="Download the data package (zip)").click()
        download = info.value
        assert download.suggested_filename == "cambodia-waste-datapackage.zip"
        data = Path(download.path()).read_bytes()
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "datapackage.json" in names and "khm_adm1.geojson" in names, names
    finally:
        context.close()
