"""The story in Chromium at 1280x720 in presentation mode, and the briefing pack opened with the network blocked."""

from __future__ import annotations

import pytest

from core import story
from core.briefing import build_from_folder
from core.catalogue import Catalogue
from tests.conftest import ARTIFACTS
from tests.helpers import ERROR_SELECTORS, visit, wait_until_idle

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1280, 720
CHART = ".js-plotly-plot .main-svg"


def titles() -> list[str]:
    catalogue = Catalogue()
    return [s.title for s in story.build_all({n: catalogue.load(n) for n in story.TABLES_NEEDED})]


TITLES = titles()


def slide_ready(page, number: int) -> None:
    """The slide's own title is shown and nothing of the previous slide is left (no stale element)."""
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(e => e.innerText.includes(t))"
        " && !document.querySelector('[data-stale=\"true\"]')",
        arg=TITLES[number - 1][:40], timeout=90_000)
    wait_until_idle(page)
    if story.SLIDES[number - 1].key in {"spread", "per-capita", "composition", "flows", "scenario"}:
        page.wait_for_selector(CHART, timeout=90_000)
    if number == 1:
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    if "present=1" in page.url:
        page.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=90_000)
    page.wait_for_timeout(900)  # let Plotly finish its transition before the screenshot


def test_story_in_presentation_mode_fits_a_screen_share(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/story?present=1&slide=2", width=WIDTH, height=HEIGHT)
    try:
        slide_ready(page, 2)
        assert page.locator(CHART).count() >= 1, "the spread chart is drawn"
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.count() == 0 or not sidebar.first.is_visible(), "the sidebar is hidden when presenting"
        assert page.locator('[data-testid="stToolbarActions"]').filter(visible=True).count() == 0
        assert page.get_by_text("Exit presentation").is_visible()
        for number in range(2, len(story.SLIDES) + 1):
            if number > 2:
                page.get_by_role("button", name="Next").first.click()
                slide_ready(page, number)
            assert f"slide={number}" in page.url, page.url
            errors = page.locator(ERROR_SELECTORS)
            assert errors.count() == 0, f"slide {number} shows an error: {errors.first.inner_text()}"
            page.screenshot(path=str(ARTIFACTS / f"story-{number}.png"))
            heading = page.locator("h1").first.bounding_box()
            assert heading and heading["y"] >= 0, f"slide {number}: the title is off screen"
            if page.locator(".js-plotly-plot").count():
                box = page.locator(".js-plotly-plot").first.bounding_box()
                assert box["y"] + box["height"] <= HEIGHT + 2, f"slide {number}: the chart runs below 720 px"
        page.get_by_role("button", name="Previous").first.click()
        slide_ready(page, len(story.SLIDES) - 1)
        assert not foreign, f"the story requested other hosts: {foreign[:5]}"
    finally:
        context.close()


def test_first_slide_from_a_link_and_exit_presentation(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/story?present=1", width=WIDTH, height=HEIGHT)
    try:
        slide_ready(page, 1)
        page.screenshot(path=str(ARTIFACTS / "story-1.png"))
        assert "2.85 Mt" in page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator(ERROR_SELECTORS).count() == 0
        page.get_by_text("Exit presentation").click()
        page.wait_for_function("() => !location.search.includes('present=')", timeout=90_000)
        page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=90_000)
        wait_until_idle(page)
        assert "slide=1" in page.url, "leaving presentation mode keeps the slide"
        assert not foreign
    finally:
        context.close()


def test_briefing_opens_offline_with_its_charts(browser, tmp_path):
    path = tmp_path / "briefing.html"
    path.write_text(build_from_folder(), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        charts = sum(1 for s in story.SLIDES if s.key in {"spread", "per-capita", "composition", "flows",
                                                           "scenario"})
        page.wait_for_function(f"() => document.querySelectorAll('{CHART}').length >= {charts}",
                               timeout=90_000)
        assert page.locator(".js-plotly-plot").count() == charts
        page.screenshot(path=str(ARTIFACTS / "briefing.png"), full_page=False)
        assert not blocked, f"the briefing asked for the network: {blocked[:5]}"
    finally:
        context.close()
