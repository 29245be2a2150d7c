"""Policy timeline in Chromium: the timeline is drawn, the kind filter comes from the link, nothing foreign."""

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


def draw(page) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1",
                           timeout=30_000)
    wait_until_idle(page)


def test_policy_page_draws_the_timeline(browser, server_url):
    context, page, foreign = visit_framed(browser, server_url, "policy", height=3000)
    try:
        draw(page)
        page.screenshot(path=str(ARTIFACTS / "policy.png"), full_page=True)
        errors = page.locator(ERROR_SELECTORS)
        assert errors.count() == 0, f"the policy page shows an error: {errors.first.inner_text()}"
        assert page.locator(".js-plotly-plot").count() == 1, "one timeline chart"
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 20, "one marker per item"
        assert not foreign, foreign_message(foreign)
    finally:
        context.close()


def test_kind_filter_in_the_link_narrows_the_timeline(browser, server_url):
    context, page, foreign = visit_framed(browser, server_url, "policy?pol_kind=law&pol_kind=sub_decree")
    try:
        draw(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "9 waste-related laws" in text, "3 laws and 6 sub-decrees are on record"
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() == 9
        assert not foreign, foreign_message(foreign)
    finally:
        context.close()
