"""The story in Chromium at 1280x720 in presentation mode (English and Khmer), and the briefing pack opened with
the network blocked."""

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
CHART_KEYS = {"spread", "per-capita", "composition", "flows", "scenario"}
BUTTONS = {"en": ("Previous", "Next"), "km": ("មុន", "បន្ទាប់")}
# The lowest visible element of the slide (title, chart, source line, citations), the fixed header controls left
# out; and any control whose label is cut off (an ellipsis: the text is wider than its box).
SLIDE_BOTTOM = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  let bottom = 0;
  for (const e of main.querySelectorAll('[data-testid="stElementContainer"], [data-testid="stExpander"]')) {
    if (e.closest('.st-key-story-controls') || e.closest('.st-key-present-exit')) continue;
    if (!e.checkVisibility({visibilityProperty: true})) continue;
    const r = e.getBoundingClientRect();
    if (r.height > 0) bottom = Math.max(bottom, r.bottom);
  }
  return bottom;
}"""
CUT_LABELS = """() => [...document.querySelectorAll('.st-key-story-controls button p, .st-key-story-controls p')]
  .filter(e => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""


def titles(lang: str) -> list[str]:
    catalogue = Catalogue()
    return [s.title for s in story.build_all({n: catalogue.load(n) for n in story.TABLES_NEEDED}, lang=lang)]


TITLES = {"en": titles("en"), "km": titles("km")}


def slide_ready(page, number: int, lang: str = "en") -> None:
    """The slide's own title is shown and nothing of the previous slide is left (no stale element)."""
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(e => e.innerText.includes(t))"
        " && !document.querySelector('[data-stale=\"true\"]')",
        arg=TITLES[lang][number - 1][:40], timeout=90_000)
    wait_until_idle(page)
    if story.SLIDES[number - 1].key in CHART_KEYS:
        page.wait_for_selector(CHART, timeout=90_000)
    if number == 1:
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    if "present=1" in page.url:
        page.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=90_000)
    page.wait_for_timeout(900)  # let Plotly finish its transition before the screenshot


def check_fits(page, number: int, lang: str) -> None:
    """Title, chart and source line of the slide on one 1280x720 screen; no error; no control label cut off."""
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, f"slide {number} ({lang}) shows an error: {errors.first.inner_text()}"
    heading = page.locator("h1").first.bounding_box()
    assert heading and heading["y"] >= 0, f"slide {number} ({lang}): the title is off screen"
    if page.locator(".js-plotly-plot").count():
        box = page.locator(".js-plotly-plot").first.bounding_box()
        assert box["y"] + box["height"] <= HEIGHT + 2, f"slide {number} ({lang}): the chart runs below 720 px"
    bottom = page.evaluate(SLIDE_BOTTOM)
    assert bottom <= HEIGHT + 2, f"slide {number} ({lang}): the slide runs to {bottom} px, below the screen"
    cut = page.evaluate(CUT_LABELS)
    assert not cut, f"slide {number} ({lang}): control labels cut off: {cut}"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_story_in_presentation_mode_fits_a_screen_share(browser, server_url, lang):
    query = "present=1&slide=2" + ("&lang=km" if lang == "km" else "")
    previous, following = BUTTONS[lang]
    context, page, foreign = visit(browser, f"{server_url}/story?{query}", width=WIDTH, height=HEIGHT)
    try:
        slide_ready(page, 2, lang)
        assert page.locator(CHART).count() >= 1, "the spread chart is drawn"
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.count() == 0 or not sidebar.first.is_visible(), "the sidebar is hidden when presenting"
        assert page.locator('[data-testid="stToolbarActions"]').filter(visible=True).count() == 0
        if lang == "en":
            assert page.get_by_text("Exit presentation").is_visible()
        for number in range(2, len(story.SLIDES) + 1):
            if number > 2:
                page.get_by_role("button", name=following, exact=True).first.click()
                slide_ready(page, number, lang)
            assert f"slide={number}" in page.url, page.url
            if lang == "km":
                assert "lang=km" in page.url, f"the link keeps the language: {page.url}"
            page.screenshot(path=str(ARTIFACTS / f"story-{number}{'' if lang == 'en' else '-km'}.png"))
            check_fits(page, number, lang)
        page.get_by_role("button", name=previous, exact=True).first.click()
        slide_ready(page, len(story.SLIDES) - 1, lang)
        assert not foreign, f"the story requested other hosts: {foreign[:5]}"
    finally:
        context.close()


def test_a_khmer_link_to_slide_3_reopens_slide_3_in_khmer(browser, server_url):
    context, page, foreign = visit(browser, f"{server_url}/story?slide=3&lang=km&present=1", width=WIDTH,
                                   height=HEIGHT)
    try:
        slide_ready(page, 3, "km")
        assert page.locator("h1").first.inner_text().startswith(TITLES["km"][2][:40])
        check_fits(page, 3, "km")
        page.get_by_role("tab", name="តារាង").click()
        page.wait_for_selector('[data-testid="stDataFrame"]', state="visible", timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / "story-3-km-table.png"))
        page.get_by_role("button", name="បន្ទាប់", exact=True).first.click()
        slide_ready(page, 4, "km")
        assert "slide=4" in page.url and "lang=km" in page.url, page.url
        page.get_by_role("button", name="ស្លាយ").first.click()
        page.get_by_role("button", name=f"6. {story.slide_label('scenario', 'km')}").click()
        slide_ready(page, 6, "km")
        assert "slide=6" in page.url and "lang=km" in page.url, page.url
        assert not foreign
    finally:
        context.close()


@pytest.mark.parametrize(("lang", "value", "exit_label"), [("en", "2.85 Mt", "Exit presentation"),
                                                          ("km", "2,85 លានតោន", "ចាកចេញពីបទបង្ហាញ")])
def test_first_slide_from_a_link_and_exit_presentation(browser, server_url, lang, value, exit_label):
    query = "present=1" + ("&lang=km" if lang == "km" else "")
    context, page, foreign = visit(browser, f"{server_url}/story?{query}", width=WIDTH, height=HEIGHT)
    try:
        slide_ready(page, 1, lang)
        page.screenshot(path=str(ARTIFACTS / f"story-1{'' if lang == 'en' else '-km'}.png"))
        assert value in page.locator('[data-testid="stMain"]').inner_text()
        check_fits(page, 1, lang)
        page.get_by_text(exit_label).click()
        page.wait_for_function("() => !location.search.includes('present=')", timeout=90_000)
        page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=90_000)
        wait_until_idle(page)
        assert "slide=1" in page.url, "leaving presentation mode keeps the slide"
        if lang == "km":
            assert "lang=km" in page.url, "and the language"
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
        charts = sum(1 for s in story.SLIDES if s.key in CHART_KEYS)
        page.wait_for_function(f"() => document.querySelectorAll('{CHART}').length >= {charts}",
                               timeout=90_000)
        assert page.locator(".js-plotly-plot").count() == charts
        page.screenshot(path=str(ARTIFACTS / "briefing.png"), full_page=False)
        assert not blocked, f"the briefing asked for the network: {blocked[:5]}"
    finally:
        context.close()
