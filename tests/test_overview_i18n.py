"""The Overview in Khmer: headings, cards, charts and takeaways in Khmer, numbers written the Khmer way (2,85),
charts with Khmer separators; the shared builders (core.evidence, core.figures) keep English as their default."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from core import evidence, figures, i18n
from core.catalogue import Catalogue
from tests.helpers import (
    assert_clean,
    assert_no_error,
    assert_offline,
    cut_metric_text,
    metric_values,
    metrics,
    open_page,
    run_framed,
    screenshot,
    wait_for_charts,
)

KHMER = re.compile(r"[\u1780-\u17FF]")
OVERVIEW = "overview"


@pytest.fixture(scope="module")
def estimates() -> pd.DataFrame:
    return Catalogue().load("estimates")


@pytest.fixture(scope="module")
def khmer_app():
    app = run_framed(OVERVIEW, {"lang": "km"})
    assert_clean(app)
    return app


def test_overview_title_cards_and_charts_are_khmer(khmer_app):
    assert KHMER.search(khmer_app.title[0].value)
    shown = metrics(khmer_app)
    # The long Khmer unit word (million tonnes) sits in the label so that the number fits its card.
    assert shown.get("សំណល់ឆ្នាំ 2024 (លានតោន)") == "2,85", shown
    assert shown.get("បម្រែបម្រួលធៀបនឹងឆ្នាំ 2023") == "+6,3%", shown
    assert shown.get("តួលេខសរុប (លានតោន)") == "1,09–4,78", shown
    assert all(KHMER.search(label) for label in shown), shown
    headings = [m.value for m in khmer_app.markdown if str(m.value).startswith("####")]
    assert len(headings) == 2 and all(KHMER.search(h) for h in headings), headings
    assert any("1,09" in h and "4,78" in h for h in headings), "chart titles carry Khmer-formatted numbers"
    assert all(KHMER.search(s.value) for s in khmer_app.subheader)


def test_overview_charts_use_khmer_separators_and_axis_titles(khmer_app):
    charts = khmer_app.get("plotly_chart")
    assert len(charts) == 2
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        layout = spec["layout"]
        separators = layout.get("separators") or layout["template"]["layout"].get("separators")
        assert separators == ",.", "Khmer charts write 1.234,5"
        assert KHMER.search(layout["xaxis"]["title"]["text"])


def test_overview_takeaways_come_from_the_khmer_columns(khmer_app):
    workshop = Catalogue().load("workshop")
    takeaways = workshop[workshop["section"] == "takeaway"]
    shown = "\n".join(m.value for m in khmer_app.markdown)
    for title_en, title_km in zip(takeaways["title"], takeaways["title_km"], strict=True):
        assert f"**{title_km}**" in shown, title_km
        assert f"**{title_en}**" not in shown, title_en


def test_english_overview_is_unchanged():
    app = run_framed(OVERVIEW, {"lang": "en"})
    assert_clean(app)
    assert app.title[0].value == "Cambodia's waste at a glance"
    assert not any(KHMER.search(m.value) for m in app.markdown)
    assert any("Six key takeaways" in c.value for c in app.caption)


# ------------------------------------------------------------------ the shared builders


@pytest.mark.parametrize(("value", "en", "km"), [
    (2_850_000, "2.85 Mt", "2,85 លានតោន"),
    (630_679, "631 kt", "631 ពាន់តោន"),
    (1_234_567_890, "1,234.57 Mt", "1.234,57 លានតោន"),
    (950, "950 t", "950 តោន"),
])
def test_format_tonnes_follows_the_language(value, en, km):
    assert evidence.format_tonnes(value) == en
    assert evidence.format_tonnes(value, lang="en") == en
    assert evidence.format_tonnes(value, lang="km") == km


def test_headline_rule_in_both_languages():
    assert evidence.headline_rule() == evidence.HEADLINE_RULE
    assert i18n.text("en", "overview.headline_rule") == evidence.HEADLINE_RULE, "catalogue and constant agree"
    khmer = evidence.headline_rule(lang="km")
    assert KHMER.search(khmer) and "2024" in khmer and "IGES-CCET" in khmer


def test_figures_default_to_english_and_draw_khmer_on_request(estimates):
    totals = evidence.national_totals(estimates)
    labels = {s: s for s in totals["source_id"]}
    english = figures.estimate_spread(totals, labels)
    khmer = figures.estimate_spread(totals, labels, lang="km")
    assert english.layout.xaxis.title.text == "Year the figure refers to"
    assert english.layout.template.layout.separators == ".,"
    assert khmer.layout.template.layout.separators == ",."
    assert KHMER.search(khmer.layout.xaxis.title.text) and KHMER.search(khmer.layout.yaxis.title.text)
    assert KHMER.search(khmer.data[0].hovertemplate)
    scopes = {row[1] for trace in khmer.data if trace.customdata is not None for row in trace.customdata}
    assert scopes and all(KHMER.search(s) for s in scopes), scopes
    dots = figures.labelled_dots(pd.DataFrame({"name": ["a", "b"], "value": [1.5, 2.0]}), label="name",
                                 value="value", unit_title="kg", lang="km")
    assert dots.layout.template.layout.separators == ",." and KHMER.search(dots.data[0].name)


def test_every_code_the_overview_shows_has_words(estimates):
    """Scopes and confidence levels of the national totals, and the places of the per-capita figures."""
    totals = evidence.national_totals(estimates)
    missing = [f"overview.scope.{code}" for code in totals["scope"].unique()
               if not i18n.translator("km").has(f"overview.scope.{code}")]
    missing += [f"overview.confidence.{code}" for code in estimates["confidence"].dropna().unique()
                if not i18n.translator("km").has(f"overview.confidence.{code}")]
    per_capita = estimates[estimates["indicator"] == evidence.PER_CAPITA_INDICATOR]
    missing += [f"overview.place.{code}" for code in per_capita["geo_level"].unique()
                if not i18n.translator("km").has(f"overview.place.{code}")]
    assert not missing, f"add these to locales/overview.csv: {missing}"
    for code in totals["scope"].unique():  # English words are the codes themselves
        assert figures.word("en", "scope", code) == code


def test_in_language_swaps_only_in_khmer():
    frame = pd.DataFrame({"title": ["A", "B"], "title_km": ["ក", ""], "text": ["x", "y"], "text_km": ["ខ", None]})
    assert evidence.in_language(frame, "en") is frame
    khmer = evidence.in_language(frame, "km")
    assert list(khmer["title"]) == ["ក", "B"], "an empty Khmer cell keeps the English"
    assert list(khmer["text"]) == ["ខ", "y"]
    assert list(frame["title"]) == ["A", "B"], "the input is not changed"


# ------------------------------------------------------------------ in Chromium


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_rerun_draws_the_same_page(data_copy, monkeypatch, lang):
    """The headline and the takeaways are replayed from Streamlit's cache on a rerun, message for message."""
    from tests.test_sources_page import drawn

    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(OVERVIEW, {"lang": lang})
    assert_clean(app)
    first = drawn(app)
    app.run()
    assert drawn(app) == first


@pytest.mark.browser
def test_overview_in_khmer_in_the_browser(browser, server_url):
    """The cards' numbers and labels fit (no ellipsis), the charts draw Khmer axis titles and decimal commas."""
    context, page, foreign = open_page(browser, server_url, "?lang=km", height=2400)
    try:
        wait_for_charts(page, 2)
        screenshot(page, "overview-km")
        assert_no_error(page)
        shown = metric_values(page)
        assert shown.get("សំណល់ឆ្នាំ 2024 (លានតោន)") == "2,85", shown
        cut = cut_metric_text(page)
        assert len(shown) == 4 and not cut, f"card text cut off: {cut}"
        ticks = page.locator("[data-testid='stMain'] .js-plotly-plot .xtick text").all_text_contents()
        assert "0,5" in ticks, f"Khmer decimal comma on the per-capita axis: {ticks}"
        titles = page.locator("[data-testid='stMain'] .js-plotly-plot .g-xtitle").all_text_contents()
        assert len(titles) == 2 and all(KHMER.search(t) for t in titles), titles
        assert_offline(foreign)
    finally:
        context.close()
