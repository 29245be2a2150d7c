"""The briefing pack: one self-contained HTML file (Plotly inline once, nothing fetched), every chart and takeaway;
in Khmer with the Khmer font embedded, opened offline in Chromium."""

from __future__ import annotations

import base64
import html
import re
import subprocess
import sys
from datetime import date

import pytest

from core import i18n, story
from core.briefing import FONTS_DIR, KHMER_FACES, build_briefing, build_from_folder, check_lang
from core.catalogue import Catalogue
from core.site import APP_TITLE, DATA_LICENCE_NOTE
from tests.conftest import ARTIFACTS, ROOT

CHART_KEYS = [s.key for s in story.SLIDES if s.key in {"spread", "per-capita", "composition", "flows", "scenario"}]


@pytest.fixture(scope="module")
def tables():
    catalogue = Catalogue()
    return {name: catalogue.load(name) for name in dict.fromkeys((*story.TABLES_NEEDED, "sources"))}


@pytest.fixture(scope="module")
def page(tables) -> str:
    return build_briefing(tables)


def test_nothing_is_loaded_from_another_host(page):
    sources = re.findall(r"<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)\s*=\s*['\"]?([^'\" >]+)",
                         page, flags=re.IGNORECASE)
    assert not [s for s in sources if s.lower().startswith(("http://", "https://", "//"))], sources
    assert "@import" not in page and "url(http" not in page.replace(" ", ""), "no external font or stylesheet"
    assert "cdn.plot.ly/plotly" not in page.lower()


def test_plotly_is_bundled_once(page):
    assert page.count("<script") >= len(CHART_KEYS)
    # The bundle's licence banner appears once: the later charts reuse it.
    assert len(re.findall(r"plotly\.js v\d", page)) == 1


def test_every_chart_div_is_there(page):
    for key in CHART_KEYS:
        assert f'id="chart-{key}"' in page, key
    assert page.count('class="plotly-graph-div"') == len(CHART_KEYS)


def test_png_export_at_presentation_resolution(page):
    assert page.count('"toImageButtonOptions"') == len(CHART_KEYS)


def test_headline_takeaways_next_steps_and_sources(page, tables):
    assert "2.85 Mt" in page and "+6.3%" in page
    workshop = tables["workshop"]
    for section in ("takeaway", "next_step"):
        for title in workshop.loc[workshop["section"] == section, "title"]:
            assert title.replace("&", "&amp;") in page, title
    assert 'id="sources"' in page and "IGES" in page


def test_text_from_the_data_is_escaped(tables):
    workshop = tables["workshop"].copy()
    first = workshop.index[workshop["section"] == "takeaway"][0]
    workshop.loc[first, "title"] = "<script>alert(1)</script>"
    page = build_briefing({**tables, "workshop": workshop})
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_english_and_khmer_only():
    assert check_lang("en") == "en" and check_lang("km") == "km"
    with pytest.raises(ValueError, match="en, km"):
        build_from_folder(lang="fr")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_command_writes_the_file(tmp_path, lang):
    out = tmp_path / "briefing.html"
    result = subprocess.run([sys.executable, "-m", "core.briefing", "--out", str(out), "--lang", lang], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    assert f'<html lang="{lang}">' in text
    assert 1e6 < out.stat().st_size < 10e6, "Plotly inline once: a few megabytes"


def test_english_has_no_embedded_font_and_its_title(page):
    assert "@font-face" not in page
    assert f"<h1>{APP_TITLE}: briefing</h1>" in page
    assert i18n.text("en", "site.licence_note") == DATA_LICENCE_NOTE, "the footer's English is the site's note"


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer(tables) -> str:
    return build_briefing(tables, lang="km", today=date(2025, 3, 25))


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_khmer_headings_numbers_and_takeaways(khmer, tables):
    assert '<html lang="km">' in khmer
    headings = [_text(h) for h in re.findall(r"<h[12]>.*?</h[12]>", khmer)]
    assert len(headings) == len(story.SLIDES) + 2, headings
    assert all(KHMER.search(h) for h in headings), [h for h in headings if not KHMER.search(h)]
    lead = _text(re.search(r'<p class="lead">.*?</p>', khmer).group(0))
    assert KHMER.search(lead) and "25 មីនា 2025" in lead
    assert "2,85" in khmer and "+6,3%" in khmer, "numbers are written the Khmer way"
    workshop = tables["workshop"]
    for section in ("takeaway", "next_step"):
        rows = workshop[workshop["section"] == section]
        for title_km, text_km, title in zip(rows["title_km"], rows["text_km"], rows["title"], strict=True):
            assert html.escape(title_km) in khmer and html.escape(text_km) in khmer, title_km
            assert f"<strong>{html.escape(title)}</strong>" not in khmer, title
    sources = [_text(p) for p in re.findall(r'<p class="source">.*?</p>', khmer)]
    assert sources and all(s.startswith("ប្រភព៖ ") for s in sources)
    assert _text(re.search(r"<footer>.*?</footer>", khmer, flags=re.S).group(0)).startswith(
        i18n.text("km", "site.licence_note"))


def test_khmer_embeds_both_font_faces_and_fetches_nothing(khmer):
    style = re.search(r"<style>(.*?)</style>", khmer, flags=re.S).group(1)
    faces = re.findall(r"@font-face \{[^}]*\}", style)
    assert len(faces) == 2
    for face, (name, weight) in zip(faces, KHMER_FACES, strict=True):
        assert "font-family: 'Noto Sans Khmer'" in face and f"font-weight: {weight}" in face
        data = re.search(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", face).group(1)
        assert base64.b64decode(data) == (FONTS_DIR / name).read_bytes(), f"{name} is embedded whole"
    assert "Noto Sans Khmer" in style.split("body {", 1)[1], "the body's font stack names the face"
    test_nothing_is_loaded_from_another_host(khmer)
    assert len(re.findall(r"plotly\.js v\d", khmer)) == 1
    assert khmer.count('class="plotly-graph-div"') == len(CHART_KEYS)
    assert '"separators":",."' in khmer.replace(" ", ""), "the Khmer charts write 1.234,5"


def test_khmer_text_from_the_data_is_escaped(tables):
    workshop = tables["workshop"].copy()
    first = workshop.index[workshop["section"] == "takeaway"][0]
    workshop.loc[first, "title_km"] = "<img src=x onerror=alert(1)>"
    page = build_briefing({**tables, "workshop": workshop}, lang="km")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.browser
def test_khmer_briefing_opens_offline_with_its_font_and_charts(browser, tmp_path, khmer):
    path = tmp_path / "briefing-km.html"
    path.write_text(khmer, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def guard(route):
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                               f"{len(CHART_KEYS)}", timeout=90_000)
        assert page.locator(".js-plotly-plot").count() == len(CHART_KEYS)
        page.evaluate("async () => { await document.fonts.ready; return true; }")
        for weight in ("", "bold "):
            assert page.evaluate(f"() => document.fonts.check('{weight}16px \"Noto Sans Khmer\"', 'ក')")
        loaded = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Noto Sans Khmer'))"
                               ".map(f => f.status)")
        assert loaded.count("loaded") == 2, f"both embedded faces load offline: {loaded}"
        assert page.evaluate("() => document.documentElement.lang") == "km"
        # Every piece of the briefing's own prose is Khmer (citations and quotes keep the publishers' words).
        prose = page.eval_on_selector_all("h1, h2, .lead, .subtitle, .metric .label, .metric .caption, .card, "
                                          "p.source, .g-xtitle, .g-ytitle", "els => els.map(e => e.textContent)")
        assert len(prose) > 30 and all(KHMER.search(p) for p in prose if p.strip()), \
            [p for p in prose if not KHMER.search(p)][:5]
        heading = page.locator("h1")
        assert KHMER.search(heading.inner_text()) and heading.bounding_box()["height"] < 120
        axis = page.locator("#chart-spread .g-xtitle").text_content()
        assert KHMER.search(axis), axis
        page.screenshot(path=str(ARTIFACTS / "briefing-km.png"), full_page=False)
        assert not blocked, f"the Khmer briefing asked for the network: {blocked[:5]}"
    finally:
        context.close()
