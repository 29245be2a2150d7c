"""Workshop page in Chromium: the six takeaways with links to other pages, no error, nothing foreign."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser


def visit_framed(browser, server_url: str, path: str, *, height: int = 900):
    """visit() the app's root first, then the deep link: until the entry script has called st.navigation once,
    Streamlit serves a folder named pages/ in its legacy mode (no frame, no sector filters)."""
    context, page, foreign = visit(browser, f"{server_url}/", height=height)
    page.wait_for_selector("h1", timeout=30_000)
    page.goto(f"{server_url}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    return context, page, foreign


def foreign_message(foreign: list[str]) -> str:
    hint = (" The Material-icon favicon (st.set_page_config(page_icon=':material/…') in dashboard.py) is fetched "
            "from fonts.gstatic.com; use a local image file as page_icon." if any("fonts.gstatic.com" in u
                                                                                for u in foreign) else "")
    return f"the page asked other hosts for {foreign[:5]}; the app must work offline.{hint}"


def test_workshop_page_shows_takeaways_and_links(browser, server_url):
    context, page, foreign = visit_framed(browser, server_url, "workshop", height=3000)
    try:
        page.wait_for_selector("h1", timeout=30_000)
        page.get_by_text("The 6 key takeaways").wait_for(timeout=30_000)
        wait_until_idle(page)
        # Page links are drawn as placeholders until the navigation's page list has reached the browser.
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stPageLink-NavLink\"]')]"
            ".some(a => a.innerText.includes('Policy timeline'))", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "workshop.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the workshop page shows an error: {errors.first.inner_text()}"
        links = page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]')
        assert links.count() >= 6, ("each takeaway links to the pages with its evidence; none found: was the page "
                                    "served without the dashboard frame (legacy pages/ mode)?")
        hrefs = {links.nth(i).get_attribute("href") or "" for i in range(links.count())}
        assert "policy" in {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs}, hrefs
        assert not foreign, foreign_message(foreign)
    finally:
        context.close()
