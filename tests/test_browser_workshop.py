"""Workshop page in Chromium: the six takeaways with links to other pages, no error, nothing foreign."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_error, assert_offline, open_page, screenshot, wait_until_idle

pytestmark = pytest.mark.browser


def test_workshop_page_shows_takeaways_and_links(browser, server_url):
    context, page, foreign = open_page(browser, server_url, "workshop", height=3000)
    try:
        page.wait_for_selector("h1", timeout=90_000)
        page.get_by_text("The 6 key takeaways").wait_for(timeout=90_000)
        wait_until_idle(page)
        # Page links are drawn as placeholders until the navigation's page list has reached the browser.
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stPageLink-NavLink\"]')]"
            ".some(a => a.innerText.includes('Policy timeline'))", timeout=90_000)
        screenshot(page, "workshop")
        assert_no_error(page)
        links = page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]')
        assert links.count() >= 6, ("each takeaway links to the pages with its evidence; none found: was the page "
                                    "served without dashboard.py's frame and its st.navigation page list?")
        hrefs = {links.nth(i).get_attribute("href") or "" for i in range(links.count())}
        assert "policy" in {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs}, hrefs
        assert_offline(foreign)
    finally:
        context.close()
