"""The Story page in AppTest: slide from the link, previous / next, a bad slide value, every slide drawn."""

from __future__ import annotations

import ast

import pytest

from core import scenario as core_scenario
from core import story
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
