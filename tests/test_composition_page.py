"""The composition page in AppTest: the numbers shown, sector filters read from the link, empty states."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import all_text, assert_clean, metrics, open_filters, run_framed

PAGE = "composition"


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE, tables=True)


def test_numbers_shown(default_app):
    assert_clean(default_app)
    shown = metrics(default_app)
    assert shown["Published breakdowns shown"] == "24"
    assert shown["Organic share, all breakdowns shown"] == "50–80%"
    assert shown["Plastic share, all breakdowns shown"] == "6–34%"
    assert len(default_app.get("plotly_chart")) == 4, "sets, plastic over time, disagreement, waste source"
    text = all_text(default_app)
    assert "only 3 of the 24 published breakdowns cover all materials" in text
    assert "Plastic's share of Phnom Penh's waste went from 6% in 1999 to 21% in 2024" in text
    assert "National: 6 published organic / food shares span 55–80%" in text


def test_waste_source_view_keeps_the_published_sum(default_app):
    text = all_text(default_app)
    assert "Households produce nearly 60% of Phnom Penh's waste" in text
    assert "The published shares add up to 103.4%" in text, "shares are shown as published, never rescaled"
    table = next(f.value for f in default_app.dataframe if "waste_source" in f.value.columns
                 and "qualifier" in f.value.columns)
    assert list(table["value"]) == [60, 16.7, 13.8, 7.5, 5.4]


def test_page_runs_inside_the_registered_app():
    app = run_framed(PAGE)
    assert_clean(app)
    assert metrics(app)["Published breakdowns shown"] == "24"


def test_material_filter_from_the_link():
    app = run_framed(PAGE, {"material": "plastic"}, tables=True)
    assert_clean(app)
    # The filter panel is closed: the link's choice is named under it and shapes the page.
    assert any("Set: material: Plastic." in c.value for c in app.sidebar.caption)
    assert not app.sidebar.multiselect, "a closed filter panel draws no control"
    assert "Organic share, all breakdowns shown" not in {k for k, v in metrics(app).items() if v != "no figure"}
    assert app.segmented_control(key="comp_spread").value == "plastic", "only plastic is left to compare"
    sets = next(f.value for f in app.dataframe if "set_complete" in f.value.columns)
    assert set(sets["set_id"]) >= {"wb-country-2010", "hibino-2024-rural-cities"}
    open_filters(app)
    assert_clean(app)
    assert app.multiselect(key="material").value == ["plastic"], "opened, the control shows the link's choice"
    assert app.segmented_control(key="comp_spread").value == "plastic"


def test_plastic_chart_is_hidden_when_the_filter_leaves_plastic_out():
    app = run_framed(PAGE, {"material": "organic"})
    assert_clean(app)
    assert any("leaves plastic out" in i.value for i in app.info)


def test_empty_state_names_the_filters():
    app = run_framed(PAGE, {"geo": "rural", "conf": "low"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert any("No published breakdowns match" in i and "geography: Rural areas; confidence: Low" in i
               for i in infos), infos
    assert any("No waste-source shares match" in i for i in infos), infos
    assert not app.get("plotly_chart")


def test_rural_and_year_filters():
    app = run_framed(PAGE, {"geo": "rural", "years": ["2020", "2025"]})
    assert_clean(app)
    assert metrics(app)["Published breakdowns shown"] == "1", "the 2023 rural household survey"
    assert metrics(app)["Plastic share, all breakdowns shown"] == "9–15%"


DEGENERATE_RANGE = re.compile(r"(?<![\d.,])(\d[\d.,]*)\s*%?\s*(?:to|–)\s*\1(?![\d.,])")


def test_one_value_is_not_shown_as_a_range():
    """A filter that leaves one figure (or equal ones) shows it once: '60%', not '60–60%'; '2015', not '2015–2015'."""
    app = run_framed(PAGE, {"conf": "low"})
    assert_clean(app)
    shown = metrics(app)
    assert shown["Organic share, all breakdowns shown"] == "60%"
    assert shown["Plastic share, all breakdowns shown"] == "20%"
    text = all_text(app)
    assert "the same published value in each of the 2 breakdowns" in text
    assert "lowest and highest" not in text
    assert not DEGENERATE_RANGE.search(text), DEGENERATE_RANGE.search(text)
    app = run_framed(PAGE, {"years": ["2015", "2016"]})
    assert_clean(app)
    text = all_text(app)
    assert "one bar per published breakdown, Cambodia, 2015. " in text
    assert not DEGENERATE_RANGE.search(text), DEGENERATE_RANGE.search(text)
    app = run_framed(PAGE, {"conf": "low", "lang": "km"})
    assert_clean(app)
    assert metrics(app)["ចំណែកសរីរាង្គ (គ្រប់ការបែងចែក)"] == "60%"
    assert "តម្លៃដូចគ្នាដែលបានផ្សព្វផ្សាយ ក្នុងការបែងចែកនីមួយៗទាំង 2" in all_text(app)


def test_the_bars_subtitle_counts_what_is_shown():
    """'(some undated)' only when some breakdowns shown have no year; the order of the bars in words that fit the
    counts: never 'then 1 partial ones', nor 'Complete breakdowns first' when none is complete."""
    def subtitle(query: dict) -> str:
        text = all_text(run_framed(PAGE, query))
        return next(line for line in text.splitlines() if "one bar per published breakdown" in line)

    everything = subtitle({})
    assert "Cambodia, 1999–2024 (some undated). Complete breakdowns first, then 21 partial ones grouped" in everything
    one_year = subtitle({"years": ["2015", "2016"]})
    assert "Cambodia, 2015. No breakdown shown is complete; 4 partial ones" in one_year
    assert "undated" not in one_year, "a year filter shows dated breakdowns only"
    one_partial = subtitle({"geo": "rural", "years": ["2020", "2025"]})
    assert "One partial breakdown, no complete one;" in one_partial
    for text in (everything, one_year, one_partial):
        assert "then 1 partial" not in text and "then 0 partial" not in text
    khmer = all_text(run_framed(PAGE, {"years": ["2015", "2016"], "lang": "km"}))
    assert "កម្ពុជា 2015។ គ្មានការបែងចែកដែលបានបង្ហាញណាមួយពេញលេញទេ" in khmer


def test_spread_material_comes_from_the_link_and_bad_values_fall_back():
    app = run_framed(PAGE, {"comp_spread": "plastic"})
    assert_clean(app)
    assert "published plastic shares span" in all_text(app)
    app = run_framed(PAGE, {"comp_spread": "unobtainium", "conf": "sure"})
    assert_clean(app)
    assert app.segmented_control(key="comp_spread").value == "organic"
    notices = " ".join(c.value for c in app.caption if "not recognised" in c.value)
    assert "comp_spread=unobtainium" in notices and "conf: sure" in notices


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return run_framed(PAGE, {"lang": "km"}, tables=True)


def test_khmer_page_numbers_and_words(khmer_app):
    assert_clean(khmer_app)
    assert KHMER.search(khmer_app.title[0].value)
    shown = metrics(khmer_app)
    assert shown["ការបែងចែកសមាសភាពដែលបានបង្ហាញ"] == "24", shown
    assert shown["ចំណែកសរីរាង្គ (គ្រប់ការបែងចែក)"] == "50–80%"
    headings = [m.value for m in khmer_app.markdown if m.value.startswith("####")]
    assert len(headings) == 4 and all(KHMER.search(h) for h in headings), headings
    text = all_text(khmer_app)
    assert "ចំណែកដែលបានផ្សព្វផ្សាយសរុបបាន 103,4%" in text, "103.4% written the Khmer way"
    assert "គ្រួសារបង្កើត ជិត 60% នៃសំណល់របស់ភ្នំពេញ" in text
    assert "8,6–20%" in text, "national plastic range in the chart title, Khmer decimal comma"
    assert all(KHMER.search(s.value) for s in khmer_app.subheader)
    for chart in khmer_app.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        assert layout["template"]["layout"]["separators"] == ",."
        assert KHMER.search(layout["xaxis"]["title"]["text"])


def test_khmer_spread_control_shows_words_and_keeps_codes_in_the_link():
    app = run_framed(PAGE, {"lang": "km", "comp_spread": "plastic"})
    assert_clean(app)
    control = app.segmented_control(key="comp_spread")
    assert control.value == "plastic"
    assert KHMER.search(control.label) and control.format_func("plastic") == "ប្លាស្ទិក"
    assert app.query_params.get("comp_spread") in ("plastic", ["plastic"])
    assert "ចំណែកប្លាស្ទិកដែលបានផ្សព្វផ្សាយ" in all_text(app)
    control.set_value("paper").run()
    assert_clean(app)
    assert app.query_params.get("comp_spread") in ("paper", ["paper"]), "the code, not the Khmer word, goes in the link"
    control.set_value("organic").run()
    assert "comp_spread" not in app.query_params, "the default leaves the link clean"


def test_khmer_empty_states_and_hidden_plastic():
    app = run_framed(PAGE, {"lang": "km", "geo": "rural", "conf": "low"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert infos and all(KHMER.search(i) for i in infos), infos
    app = run_framed(PAGE, {"lang": "km", "material": "organic"})
    assert any("ប្លាស្ទិក" in i.value for i in app.info), "the hidden-plastic notice in Khmer"


def test_the_cache_keys_read_back_as_the_selection():
    """The cached builders take the selection as short strings (cheap to hash on every rerun)."""
    from components import views_composition as view
    from core.sectors import Selection

    chosen = Selection(values={"geo": ("KH-12",), "material": ("plastic", "other")}, years=(2010, 2020))
    back = view.from_key(view.selection_key(chosen, view.SET_FILTERS))
    assert back == Selection(values={"geo": ("KH-12",)}, years=(2010, 2020)), "the material filter picks segments"
    assert set(view.materials_key(chosen).split(",")) == view.chosen_materials(chosen)
    assert view.from_key(view.selection_key(Selection(), view.APPLIES)) == Selection()
