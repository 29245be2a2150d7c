"""Workshop page in Chromium: the six takeaways with links to other pages, no error, nothing foreign; and in Khmer."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_error, assert_offline, main_text, open_page, screenshot, wait_until_idle

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


def test_workshop_page_in_khmer(browser, server_url):
    """?lang=km: Khmer headings, the Khmer takeaways from the data, links named in Khmer, the self-hosted Khmer
    face loaded (nothing fetched from another host) and no text cut off in the takeaway cards."""
    context, page, foreign = open_page(browser, server_url, "workshop?lang=km", height=3000)
    try:
        page.get_by_text("ចំណុចសំខាន់ៗទាំង 6").wait_for(timeout=90_000)
        wait_until_idle(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stPageLink-NavLink\"]')]"
            ".some(a => a.innerText.includes('កាលប្បវត្តិគោលនយោបាយ'))", timeout=90_000)
        screenshot(page, "workshop-km")
        assert_no_error(page)
        assert page.locator("h1").first.inner_text().strip() == "សិក្ខាសាលា 2025"
        text = main_text(page)
        assert "ការពង្រឹងវិស័យផ្លូវការ និងវិស័យក្រៅផ្លូវការ" in text, "takeaway 1 in Khmer, from title_km"
        assert "Strengthening the formal and informal sectors" not in text
        page.evaluate("async () => { await document.fonts.ready; return true; }")
        faces = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Noto Sans Khmer'))"
                              ".map(f => f.status)")
        assert "loaded" in faces, f"the self-hosted Noto Sans Khmer face is used: {faces}"
        cut = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stMain\"] p')]"
                            ".filter(p => p.scrollWidth > p.clientWidth + 2).map(p => p.innerText)")
        assert not cut, f"text wider than its box: {cut[:3]}"
        assert_offline(foreign)
    finally:
        context.close()
