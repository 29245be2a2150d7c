"""The Story page in AppTest: slide from the link, previous / next, a bad slide value, every slide drawn; the
slides in Khmer (titles, numbers, chart and table tabs, the link that reopens a slide in its language)."""

from __future__ import annotations

import ast
import json
import re

import pytest

from core import i18n, story
from core import scenario as core_scenario
from core.catalogue import Catalogue
from tests.conftest import ROOT
from tests.helpers import all_text, assert_clean, run_framed

COUNT = len(story.SLIDES)
CHART_SLIDES = {"spread", "per-capita", "composition", "flows", "scenario"}


def slide_of(app) -> str:
    return app.query_params.get("slide") if isinstance(app.query_params.get("slide"), str) \
        else app.query_params.get("slide")[0]


def test_slide_from_the_link():
    app = run_framed("story", {"slide": "4", "present": "1"})
    assert_clean(app)
    assert slide_of(app) == "4"
    assert f"Slide 4 of {COUNT}" in all_text(app)
    assert "only complete national breakdown" in app.title[0].value


def test_next_and_previous_change_the_slide_and_the_link():
    app = run_framed("story")
    assert slide_of(app) == "1"
    assert app.button(key="story-prev-top").disabled
    app.button(key="story-next-top").click().run()
    assert_clean(app)
    assert slide_of(app) == "2" and "Published national totals disagree" in app.title[0].value
    app.button(key="story-next-top").click().run()
    assert slide_of(app) == "3"
    app.button(key="story-prev-top").click().run()
    assert slide_of(app) == "2"


def test_last_slide_has_no_next():
    app = run_framed("story", {"slide": str(COUNT)})
    assert_clean(app)
    assert app.button(key="story-next-top").disabled
    assert "Next steps" in app.title[0].value


@pytest.mark.parametrize("value", ["0", "99", "abc", "-1", "2.5", "<b>x</b>", ""])
def test_bad_slide_value_falls_back_to_slide_one_quietly(value):
    app = run_framed("story", {"slide": value})
    assert_clean(app)
    assert slide_of(app) == "1"
    assert "2.85 Mt" in app.title[0].value
    if value:
        assert any("does not exist" in c.value for c in app.caption), "a quiet notice names the bad value"
    assert not any("<b>" in m.value for m in app.markdown), "link text is never rendered as HTML"


@pytest.mark.parametrize("number", range(1, COUNT + 1))
def test_each_slide_draws_with_title_source_and_chart(number):
    spec = story.SLIDES[number - 1]
    app = run_framed("story", {"slide": str(number), "present": "1"})
    assert_clean(app)
    assert app.title and app.title[0].value
    charts = app.get("plotly_chart")
    if spec.key in CHART_SLIDES:
        assert len(charts) == 1, f"slide {number} ({spec.key}) draws one chart"
        assert charts[0].proto.config, "the chart gets the PNG export config"
        assert "toImageButtonOptions" in charts[0].proto.config
    else:
        assert not charts
    assert any(c.value.startswith("Source") for c in app.caption), f"slide {number} has a source line"


def test_headline_slide_numbers():
    app = run_framed("story", {"slide": "1"})
    values = {m.label: m.value for m in app.metric}
    assert values["Waste generated, 2024"] == "2.85 Mt"
    assert values["Change on 2023"] == "+6.3%"
    assert "IGES-CCET 2025" in all_text(app)


def test_takeaways_and_next_steps_from_the_workshop_file():
    tables = {"workshop": Catalogue().load("workshop")}
    takeaways = story.takeaways_slide(tables)
    steps = story.next_steps_slide(tables)
    assert len(takeaways.points) == 6
    assert len(steps.points) == 4
    assert "further research" in steps.title


def test_parse_slide():
    assert story.parse_slide("3") == 3
    assert story.parse_slide(" 8 ") == 8
    assert story.parse_slide("៣") == 3, "Khmer digits are read too"
    for bad in ("0", "9", "x", "", None, "1e3", "²", "99999"):
        assert story.parse_slide(bad) is None, bad


def test_story_and_scenario_lab_share_one_preset_definition():
    """The preset and mappings live once, in core/scenario.py: the lab's page must not redefine them."""
    tree = ast.parse((ROOT / "app_pages" / "scenario.py").read_text(encoding="utf-8"))
    defined = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
               if isinstance(t, ast.Name)}
    shared = {"BASELINE_SET", "SITE_ROUTES", "DEFAULT_SITE", "DOSSIER_TO_MODEL", "MATERIAL_MAP",
              "PRESET_COMPOST_PCT", "PRESET_LANDFILL", "SHARE_TOLERANCE"}
    assert not defined & shared, f"app_pages/scenario.py redefines {defined & shared}: import them from core.scenario"
    assert story.composition_sets is core_scenario.composition_sets
    assert story.PRESET_LANDFILL is core_scenario.PRESET_LANDFILL


def test_preset_answer_matches_the_scenario_lab_caption():
    app = run_framed("scenario")
    assert_clean(app)
    text = all_text(app, with_metrics=False)
    names = ("treatment", "composition", "emission_factors", "estimates")
    catalogue = Catalogue()
    totals, _ = story.preset_cases({n: catalogue.load(n) for n in names})
    base, capture, without = (f"{v / 1e6:.2f}" for v in totals["net_co2e"])
    assert f"from {base} to **{capture} Mt CO₂e" in text, "the story and the lab give the same preset answer"
    assert f"to {without} Mt CO₂e" in text


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")
CHART_TABS = {"en": ["Chart", "Table"], "km": ["គំនូសតាង", "តារាង"]}


@pytest.fixture(scope="module")
def tables():
    catalogue = Catalogue()
    return {name: catalogue.load(name) for name in dict.fromkeys((*story.TABLES_NEEDED, "sources"))}


def lang_of(app) -> str:
    value = app.query_params.get("lang")
    return value if isinstance(value, str) else value[0]


@pytest.mark.parametrize("number", range(1, COUNT + 1))
def test_each_slide_in_khmer_with_its_title_counter_tabs_and_source(number, tables):
    spec = story.SLIDES[number - 1]
    app = run_framed("story", {"slide": str(number), "lang": "km", "present": "1"})
    assert_clean(app)
    title = app.title[0].value
    assert KHMER.search(title), f"slide {number} has no Khmer title: {title}"
    assert title == spec.build(tables, lang="km").title
    assert f"ស្លាយទី {number} នៃ {COUNT}" in all_text(app)
    assert app.button(key="story-next-top").label == "បន្ទាប់"
    assert app.button(key="story-prev-top").label == "មុន"
    assert any(c.value.startswith("ប្រភព") for c in app.caption), "the source line is in Khmer"
    if spec.key in CHART_SLIDES:
        assert [t.label for t in app.tabs] == CHART_TABS["km"]
        spec_json = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
        separators = spec_json.get("separators") or spec_json["template"]["layout"].get("separators")
        assert separators == ",.", f"slide {number}: the chart does not write numbers the Khmer way"
    else:
        assert not app.tabs


def test_khmer_numbers_on_the_headline_slide():
    app = run_framed("story", {"slide": "1", "lang": "km"})
    assert_clean(app)
    values = {m.label: m.value for m in app.metric}
    assert values["សំណល់ដែលបានបង្កើត ឆ្នាំ 2024"] == "2,85 លានតោន"
    assert values["បម្រែបម្រួលធៀបនឹងឆ្នាំ 2023"] == "+6,3%"
    assert values["តួលេខសរុបថ្នាក់ជាតិដែលបានផ្សព្វផ្សាយ (លានតោន)"] == "1,09–4,78"
    title = app.title[0].value
    assert "2,85 លានតោន" in title and "6,3%" in title and "2.85" not in title
    assert "2\\.85 million tonnes" in all_text(app), "the source's quote stays as the source worded it"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_chart_slides_have_a_table_tab_with_the_slides_rows(lang, tables):
    for number, spec in enumerate(story.SLIDES, start=1):
        if spec.key not in CHART_SLIDES:
            continue
        app = run_framed("story", {"slide": str(number), "lang": lang})
        assert_clean(app)
        assert [t.label for t in app.tabs] == CHART_TABS[lang], f"slide {number}: chart and table tabs"
        assert len(app.dataframe) == 1, f"slide {number}: one table in the Table tab"
        shown = app.dataframe[0].value
        expected = spec.build(tables, lang=lang).table
        assert len(shown) > 0 and len(shown) == len(expected), f"slide {number}: the table has the chart's rows"
        assert list(shown.columns) == list(expected.columns), "the table keeps the data's column names"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_every_chart_slide_has_a_table_and_alt_text(lang, tables):
    slides = story.build_all(tables, lang=lang)
    assert [s.key for s in slides] == [s.key for s in story.SLIDES]
    for slide in slides:
        if slide.figure is None:
            continue
        assert slide.table is not None and not slide.table.empty, f"{slide.key}: a chart needs its table"
        assert slide.alt, f"{slide.key}: a chart needs alt text"
        if lang == "km":
            assert KHMER.search(slide.alt) and KHMER.search(slide.subtitle), f"{slide.key}: alt text in Khmer"
        template = slide.figure.layout.template.layout.separators
        assert (slide.figure.layout.separators or template) == (",." if lang == "km" else ".,")


def test_english_is_the_default_language(tables):
    assert [s.title for s in story.build_all(tables)] == [s.title for s in story.build_all(tables, lang="en")]
    assert story.headline_slide(tables).title.startswith("Cambodia generated about 2.85 Mt")


def test_a_link_with_slide_3_and_khmer_reopens_slide_3_in_khmer(tables):
    app = run_framed("story", {"slide": "3", "lang": "km"})
    assert_clean(app)
    assert slide_of(app) == "3" and lang_of(app) == "km"
    assert app.title[0].value == story.per_capita_slide(tables, lang="km").title
    assert app.segmented_control(key="lang").value == "km"
    app.button(key="story-next-top").click().run()
    assert_clean(app)
    assert slide_of(app) == "4" and lang_of(app) == "km", "next keeps the language in the link"
    assert app.title[0].value == story.composition_slide(tables, lang="km").title
    app.button(key="story-goto-top-6").click().run()
    assert slide_of(app) == "6" and lang_of(app) == "km", "the slide menu keeps the language in the link"
    assert KHMER.search(app.title[0].value)
    app.button(key="story-prev-top").click().run()
    assert slide_of(app) == "5" and lang_of(app) == "km"


def test_slide_menu_lists_every_slide_in_the_language():
    for lang, first in (("en", "1. Headline"), ("km", "1. តួលេខចម្បង")):
        app = run_framed("story", {"slide": "2", "lang": lang})
        labels = [app.button(key=f"story-goto-top-{n}").label for n in range(1, COUNT + 1)]
        assert labels[0] == first and len(set(labels)) == COUNT
        assert app.button(key="story-goto-top-2").disabled, "the current slide is marked"
        if lang == "km":
            assert all(KHMER.search(label) for label in labels)


def test_a_bad_slide_value_in_khmer_gets_a_khmer_notice():
    app = run_framed("story", {"slide": "99", "lang": "km"})
    assert_clean(app)
    assert slide_of(app) == "1" and lang_of(app) == "km"
    assert any("តំណបានស្នើសុំស្លាយ '99'" in c.value for c in app.caption)


def test_workshop_slides_use_the_khmer_columns(tables):
    workshop = tables["workshop"]
    cards = workshop[workshop["section"] == "takeaway"].sort_values("order")
    assert "title_km" in workshop and "text_km" in workshop
    takeaways = story.takeaways_slide(tables, lang="km")
    assert [t for t, _ in takeaways.points] == list(cards["title_km"])
    steps = story.next_steps_slide(tables, lang="km")
    assert all(KHMER.search(title) and KHMER.search(text) for title, text in steps.points)
    # A row without its Khmer text falls back to the English words rather than to nothing.
    gap = workshop.copy()
    gap.loc[cards.index[0], ["title_km", "text_km"]] = None
    first = story.takeaways_slide({"workshop": gap}, lang="km").points[0]
    assert first == (cards["title"].iloc[0], cards["text"].iloc[0])


def test_every_place_of_a_per_capita_figure_has_words_in_both_languages(tables):
    estimates = tables["estimates"]
    rows = estimates[(estimates["indicator"] == "msw_per_capita") & (estimates["unit"] == "kg/cap/day")]
    missing = [code for code in set(rows["geo_level"]) if f"story.place.{code}" not in i18n.catalogue()]
    assert not missing, f"add story.place.<code> to locales/story.csv for {missing}"
    assert i18n.text("en", "story.place.city") == story.PLACE_LABELS["city"]


def test_presented_figure_is_a_cached_copy_at_the_height_the_slide_leaves():
    """Presentation mode resizes a copy of the slide's figure once (not on every rerun); the shared slide keeps its
    own figure."""
    from components import views_story as view
    from core.catalogue import data_dir_from_env

    data_dir = str(data_dir_from_env())
    number = next(index for index, spec in enumerate(story.SLIDES, start=1) if spec.key == "spread")
    shown = view.slide_view(data_dir, number, "en", True)
    assert view.slide_view(data_dir, number, "en", True) is shown
    assert shown["figure"] is not shown["slide"].figure
    assert shown["figure"].layout.height == view.chart_height(shown["slide"], "en") == shown["table_height"]
    assert shown["slide"].figure.layout.height == story.SLIDE_HEIGHT
    plain = view.slide_view(data_dir, number, "en", False)
    assert plain["figure"] is plain["slide"].figure and plain["table_height"] == "auto"
