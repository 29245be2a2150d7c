"""The generation page in AppTest: sourced numbers, the projection (behind its switch) and its URL-bound controls,
empty states."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from components.filters import SELECTION_KEY
from components.frame import PANEL_PREFIX
from core.i18n import text
from tests.helpers import (
    all_text,
    assert_clean,
    chart_tab_labels,
    frame_keys,
    metrics,
    open_chart_tab,
    open_panels,
    panel_keys,
    run_framed,
)

PAGE = "generation"
SWITCH = "gen_proj"  # the projection's switch, bound to the link
SHOWN = {SWITCH: "true"}  # the link of a reader who switched it on
KPI_2030 = "2030, projection (not a published figure)"
KPI_2035 = "2035, projection (not a published figure)"
PROJECTION_CONTROLS = ("gen_base", "gen_rate")
BASE_PANEL = PANEL_PREFIX + "gen-base-options"


def projection_is_hidden(app: AppTest) -> None:
    """The switch is off and nothing of the projection is built: no control, no preset, no panel, no KPI, no chart."""
    assert app.toggle(key=SWITCH).value is False, "the projection's switch is off"
    assert len(app.get("plotly_chart")) == 3, "national, per-person, Phnom Penh (the rest in its tab): no projection"
    assert not {s.key for s in app.slider} & set(PROJECTION_CONTROLS), "no rate slider"
    assert not {s.key for s in app.selectbox} & set(PROJECTION_CONTROLS), "no base selectbox"
    assert not [b.key for b in app.button if str(b.key).startswith("gen_preset_")], "no preset buttons"
    assert BASE_PANEL not in panel_keys(app), "no base-options panel"
    assert not [label for label in metrics(app) if "projection" in label], metrics(app)
    assert "gen-projection" not in frame_keys(app), "no projection chart frame"
    assert not any("(projection)" in m.value for m in app.markdown), "no projection chart title"


def projection_is_shown(app: AppTest) -> None:
    """The switch is on: 5 charts, the controls, the presets, the base-options panel and the two KPIs."""
    assert app.toggle(key=SWITCH).value is True, "the projection's switch is on"
    assert len(app.get("plotly_chart")) == 4, "national, per person, Phnom Penh (the rest in its tab), projection"
    assert "gen_base" in {s.key for s in app.selectbox} and "gen_rate" in {s.key for s in app.slider}
    assert "gen-projection" in frame_keys(app), "the projection chart frame"
    assert len([b.key for b in app.button if str(b.key).startswith("gen_preset_")]) >= 2, "the preset buttons"
    assert BASE_PANEL in panel_keys(app), "the base-options panel"
    assert {KPI_2030, KPI_2035} <= set(metrics(app)), metrics(app)


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    """The page with the projection switched on (by the link) and its lazy panels (the evidence table, the base
    figures) opened, as a reader clicking each."""
    return open_panels(run_framed(PAGE, SHOWN))


def test_projection_is_off_by_default_and_its_switch_draws_it():
    app = run_framed(PAGE)
    assert_clean(app)
    assert app.toggle(key=SWITCH).label == "Show the projection"
    projection_is_hidden(app)
    assert metrics(app)["Generated in 2024 (headline)"] == "2.85 Mt", "the sourced numbers are drawn all the same"
    assert "Projection to 2030 and 2035: a model, not a published figure" in [s.value for s in app.subheader]

    app.toggle(key=SWITCH).set_value(True).run()
    assert_clean(app)
    projection_is_shown(app)
    # 2.85 Mt x 1.063^6 = 4.11 Mt; x 1.063^11 = 5.58 Mt.
    assert metrics(app)[KPI_2030] == "4.11 Mt"
    assert metrics(app)[KPI_2035] == "5.58 Mt"
    assert app.selectbox(key="gen_base").value == "E001"
    assert app.slider(key="gen_rate").value == pytest.approx(6.3)

    app.toggle(key=SWITCH).set_value(False).run()
    assert_clean(app)
    projection_is_hidden(app)


@pytest.mark.parametrize("value", ["true", "True"])
def test_the_link_switches_the_projection_on(value):
    app = run_framed(PAGE, {SWITCH: value})
    assert_clean(app)
    projection_is_shown(app)
    assert metrics(app)[KPI_2030] == "4.11 Mt"
    assert app.query_params.get(SWITCH) == value, "the switch stays in the link"


def test_a_link_with_a_rate_opens_the_projection():
    """A shared link that sets the rate (or the base) is a link to the projection: it opens without gen_proj."""
    app = run_framed(PAGE, {"gen_rate": "10"})
    assert_clean(app)
    projection_is_shown(app)
    assert app.slider(key="gen_rate").value == pytest.approx(10)
    # 2.85 Mt x 1.1^6 = 5.05 Mt; x 1.1^11 = 8.13 Mt.
    assert metrics(app)[KPI_2030] == "5.05 Mt"
    assert metrics(app)[KPI_2035] == "8.13 Mt"
    base = run_framed(PAGE, {"gen_base": "E003"})
    assert_clean(base)
    projection_is_shown(base)
    assert base.selectbox(key="gen_base").value == "E003"


def test_a_link_that_switches_it_off_wins_over_its_rate():
    app = run_framed(PAGE, {SWITCH: "false", "gen_rate": "10"})
    assert_clean(app)
    projection_is_hidden(app)


@pytest.mark.parametrize("value", ["abc", "1", "<script>alert(1)</script>", ""])
def test_a_malformed_switch_in_the_link_leaves_the_projection_off(value):
    app = run_framed(PAGE, {SWITCH: value})
    assert_clean(app)
    projection_is_hidden(app)
    assert SWITCH not in app.query_params, "the malformed value leaves the link"
    assert "alert(1)" not in all_text(app)


def link_notices(app: AppTest) -> list[str]:
    return [c.value for c in app.caption if "not recognised" in c.value]


@pytest.mark.parametrize(("value", "shown"), [
    ("maybe", "gen_proj=maybe"),
    ("1", "gen_proj=1"),
    ("<script>alert(1)</script>", r"gen_proj=\<script\>alert\(1\)\</script\>"),
    ("yes" + "x" * 10_000, "gen_proj=yes" + "x" * 27),
])
def test_a_malformed_switch_is_named_in_the_link_notice(value, shown):
    """A switch value Streamlit cannot read is dropped (the projection stays off) and named, escaped and shortened,
    in the page's notice of unrecognised link values, like a bad gen_rate."""
    app = run_framed(PAGE, {SWITCH: value})
    assert_clean(app)
    projection_is_hidden(app)
    expected = f"Some values in the link were not recognised and the defaults are used instead: {shown}."
    assert link_notices(app) == [expected], link_notices(app)
    assert "x" * 31 not in all_text(app), "a long value is shortened"


def test_the_link_notice_is_on_the_first_screen():
    """Named at the top, right under the filters' note and before the headline numbers, not beside the projection
    at the page's end where a reader who opened the link would not see it."""
    app = run_framed(PAGE, {"gen_rate": "abc"})
    assert_clean(app)
    drawn = list(app.main)  # every element in page order
    notice_at = [i for i, e in enumerate(drawn) if type(e).__name__ == "Caption" and "not recognised" in e.value]
    first_number = next(i for i, e in enumerate(drawn) if type(e).__name__ == "Metric")
    assert len(notice_at) == 1 and notice_at[0] < first_number, (notice_at, first_number)
    assert "gen_rate=abc" in drawn[notice_at[0]].value


def test_a_malformed_switch_and_rate_share_one_notice():
    app = run_framed(PAGE, {SWITCH: ["maybe", "nope"], "gen_rate": "abc"})
    assert_clean(app)
    assert app.toggle(key=SWITCH).value is True, "the switch's default: a link that sets the rate opens the projection"
    notices = link_notices(app)
    assert len(notices) == 1 and all(f in notices[0] for f in ("gen_proj=maybe", "gen_proj=nope", "gen_rate=abc")), \
        notices


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "false", "False", ""])
def test_a_readable_switch_is_not_reported(value):
    """What the switch writes when on ('true'), what it writes when off ('false'), in any case, and an empty value
    (cleared, as for every link-held control) are not reported."""
    app = run_framed(PAGE, {SWITCH: value})
    assert_clean(app)
    assert not link_notices(app), link_notices(app)
    assert app.toggle(key=SWITCH).value is (value.lower() == "true")


def test_headline_growth_and_projection_numbers(default_app):
    assert_clean(default_app)
    shown = metrics(default_app)
    assert shown["Generated in 2024 (headline)"] == "2.85 Mt"
    assert shown["Change on 2023"] == "+6.3%"
    # 2.85 Mt x 1.063^6 = 4.11 Mt; x 1.063^11 = 5.58 Mt (see tests/test_projection.py for the hand working).
    assert shown[KPI_2030] == "4.11 Mt"
    assert shown[KPI_2035] == "5.58 Mt"
    assert default_app.selectbox(key="gen_base").value == "E001", "the default base is the headline figure"
    assert default_app.slider(key="gen_rate").value == pytest.approx(6.3), "the default rate is the sourced +6.3%"


def test_every_view_is_drawn_with_its_evidence(default_app):
    assert len(default_app.get("plotly_chart")) == 4, "national, per person, Phnom Penh (rest: its tab), projection"
    text = all_text(default_app)
    assert "from 1.09 to 4.78 million tonnes a year" in text
    assert "Phnom Penh: 667 t a day generated in 2004" in text
    assert "compound growth, value(year) = base value × (1 + rate / 100) ^ (year − base year)" in text
    assert "projection, not a published figure" in text.lower() or "not a published figure" in text
    tables = {frame.value.columns.tolist().__repr__(): frame.value for frame in default_app.dataframe}
    evidence = next(t for t in tables.values() if "quote" in t.columns and "tonnes_per_year" in t.columns)
    assert {"confidence", "scope", "source", "quote"} <= set(evidence.columns)
    assert "E001" in set(evidence["id"]) and len(evidence) == 20
    bases = next(t for t in tables.values() if "million_t" in t.columns)
    assert "E001" in set(bases["id"]) and set(bases["id"]) <= set(evidence["id"]), "the base figures are ledger rows"
    assert {b.key for b in default_app.get("download_button")} >= {"gen-evidence-csv", "gen-evidence-parquet"}


def test_page_runs_inside_the_registered_app():
    app = run_framed(PAGE)
    assert_clean(app)
    assert metrics(app)["Generated in 2024 (headline)"] == "2.85 Mt"
    assert app.toggle(key=SWITCH).value is False, "the projection is shown on request"


def test_rate_and_base_come_from_the_link():
    app = run_framed(PAGE, {"gen_rate": "10", "gen_base": "E003"})
    assert_clean(app)
    assert app.toggle(key=SWITCH).value is True, "a link that sets the rate and the base opens the projection"
    # 4.78 Mt (2020) x 1.1^10 = 12.40 Mt; x 1.1^15 = 19.97 Mt.
    assert metrics(app)[KPI_2030] == "12.40 Mt"
    assert metrics(app)[KPI_2035] == "19.97 Mt"


def test_growth_preset_button_sets_the_rate_and_the_link():
    app = run_framed(PAGE, SHOWN)
    app.button(key="gen_preset_E015_high_end").click().run()
    assert_clean(app)
    assert app.slider(key="gen_rate").value == pytest.approx(12)
    # 2.85 Mt x 1.12^6 = 5.63 Mt.
    assert metrics(app)[KPI_2030] == "5.63 Mt"
    assert app.query_params.get("gen_rate") in ("12.0", "12"), "the chosen rate is written to the link"
    assert app.query_params.get(SWITCH) == "true", "the switch stays in the link"


def test_sector_filters_from_the_link_empty_the_national_view():
    app = run_framed(PAGE, {"geo": "rural", **SHOWN})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert any("No national tonnages match" in i and "geography: Rural areas" in i for i in infos), infos
    assert any("No city or provincial tonnages match" in i for i in infos), infos
    # The projection is not filtered: it still starts from the headline.
    assert metrics(app)[KPI_2030] == "4.11 Mt"


def test_phnom_penh_filter_keeps_only_the_capital():
    app = run_framed(PAGE, {"geo": "Phnom Penh", "conf": "medium"})
    assert_clean(app)
    text = all_text(app)
    assert "Phnom Penh: 667 t a day" in text
    assert any("No tonnage for other cities" in i.value for i in app.info)


def test_malformed_link_values_fall_back_quietly():
    app = run_framed(PAGE, {"gen_rate": "abc", "gen_base": "E999", "years": ["20x0", "2024"], "geo": "moon"})
    assert_clean(app)
    # Read from the selection the page used, not the sidebar control: the filter controls may sit in a closed panel.
    assert not app.session_state[SELECTION_KEY].values.get("geo"), "an unknown geography is dropped"
    assert not any("No national tonnages match" in i.value for i in app.info), "the page is not filtered by it"
    assert app.toggle(key=SWITCH).value is True, "a link that sets the rate, even badly, opens the projection"
    assert app.slider(key="gen_rate").value == pytest.approx(6.3)
    assert app.selectbox(key="gen_base").value == "E001"
    notices = [c.value for c in app.caption if "not recognised" in c.value]
    assert any("gen_rate=abc" in n and "gen_base=E999" in n for n in notices), notices
    assert any("geo: moon" in n for n in notices), notices


# A range whose two ends are the same number: "4.00 to 4.00", "2015–2015", "0,44 ដល់ 0,44".
DEGENERATE_RANGE = re.compile(r"(?<![\d.,])(\d[\d.,]*)\s*(?:to|–|ដល់)\s*\1(?![\d.,])")


@pytest.mark.parametrize("query, wanted", [
    ({"conf": "low"}, ("The 2 published national figures for waste generated in this view all put it at 4.00 million "
                       "tonnes a year", "cities and rural communities 0.73 kg")),
    ({"years": ["2015", "2016"]}, ("The one published national figure for waste generated in this view is 2.80 million "
                                   "tonnes a year", "cities and rural communities 0.6 kg")),
    ({"years": ["2020", "2024"]}, ("cities and rural communities 0.44 kg",)),
    ({"years": ["2020", "2024"], "lang": "km"}, ("ទីក្រុង និងសហគមន៍ជនបទ 0,44 គីឡូក្រាម",)),
])
def test_a_filter_that_leaves_one_value_words_it_as_one(query, wanted):
    app = run_framed(PAGE, query)
    assert_clean(app)
    shown = all_text(app)
    for phrase in wanted:
        assert phrase in shown, phrase
    assert not DEGENERATE_RANGE.search(shown), DEGENERATE_RANGE.search(shown).group(0)


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    """The Khmer page with the projection switched on by its (Khmer) switch, and the lazy panels opened."""
    app = run_framed(PAGE, {"lang": "km"})
    switch = app.toggle(key=SWITCH)
    assert switch.value is False and switch.label == text("km", "generation.projection.show"), switch.label
    switch.set_value(True).run()
    return open_panels(app)


def test_khmer_page_numbers_and_words(khmer_app):
    assert_clean(khmer_app)
    assert khmer_app.toggle(key=SWITCH).value is True and len(khmer_app.get("plotly_chart")) == 4
    assert KHMER.search(khmer_app.title[0].value)
    shown = metrics(khmer_app)
    assert shown["បានបង្កើតក្នុងឆ្នាំ 2024 (តួលេខចម្បង)"] == "2,85 លានតោន", shown
    assert shown["បម្រែបម្រួលធៀបនឹងឆ្នាំ 2023"] == "+6,3%"
    assert shown["ឆ្នាំ 2030៖ ការព្យាករ (មិនមែនតួលេខដែលបានផ្សព្វផ្សាយ)"] == "4,11 លានតោន"
    assert all(KHMER.search(label) for label in shown), "every KPI label in Khmer"
    headings = [m.value for m in khmer_app.markdown if m.value.startswith("####")]
    # The chart outside Phnom Penh waits in its tab: its words are checked in test_khmer_figures_use_khmer_separators.
    assert len(headings) == 5 and all(KHMER.search(h) for h in headings), headings
    text = all_text(khmer_app)
    assert "ពី 1,09 ដល់ 4,78 លានតោន" in text, "the national range written the Khmer way"
    assert "តម្លៃ(ឆ្នាំ) = តម្លៃគោល" in text
    assert all(KHMER.search(s.value) for s in khmer_app.subheader)
    assert KHMER.search(khmer_app.toggle(key=SWITCH).label), "the projection's switch in Khmer"
    assert KHMER.search(khmer_app.toggle(key=SWITCH).help)
    assert KHMER.search(khmer_app.slider(key="gen_rate").label)
    assert KHMER.search(khmer_app.selectbox(key="gen_base").label)
    assert KHMER.search(khmer_app.button(key="gen_preset_E009_value").label)


def test_khmer_figures_use_khmer_separators(khmer_app):
    others = open_chart_tab(run_framed(PAGE, {"lang": "km", "gen_proj": "true"}), "cities", "ក្រៅភ្នំពេញ")
    assert_clean(others)
    assert "chart-gen-other-cities" in [chart.key for chart in others.get("plotly_chart")], "the tab outside Phnom Penh"
    assert any(m.value.startswith("####") and KHMER.search(m.value) and "ក្រៅភ្នំពេញ" in m.value
               for m in others.markdown), "its title in Khmer"
    for chart in [*khmer_app.get("plotly_chart"), *others.get("plotly_chart")]:
        layout = json.loads(chart.proto.spec)["layout"]
        assert layout["template"]["layout"]["separators"] == ",."
        assert KHMER.search(layout["yaxis"]["title"]["text"])


def test_khmer_link_keeps_codes_and_the_tables_keep_the_data(khmer_app):
    assert khmer_app.selectbox(key="gen_base").value == "E001"
    evidence = next(f.value for f in khmer_app.dataframe if "tonnes_per_year" in f.value.columns)
    assert {"confidence", "scope", "source", "quote"} <= set(evidence.columns)
    assert set(evidence["scope"]) <= {"generated", "collected", "landfilled", "disposed", "other", "projection"}
    app = run_framed(PAGE, {"lang": "km", "gen_rate": "10", "gen_base": "E003"})
    assert_clean(app)
    assert app.toggle(key=SWITCH).value is True
    assert metrics(app)["ឆ្នាំ 2030៖ ការព្យាករ (មិនមែនតួលេខដែលបានផ្សព្វផ្សាយ)"] == "12,40 លានតោន"


def test_khmer_empty_states_and_link_notice():
    app = run_framed(PAGE, {"lang": "km", "geo": "rural", "gen_rate": "abc"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert infos and all(KHMER.search(i) for i in infos), infos
    assert any("បរិមាណសំណល់ថ្នាក់ជាតិ" in i for i in infos)
    assert any("gen_rate=abc" in c.value and KHMER.search(c.value) for c in app.caption)


def test_the_cache_key_reads_back_as_the_selection():
    """The cached builders take the selection as one short string (cheap to hash on every rerun)."""
    from components import views_generation as view
    from core.sectors import Selection

    chosen = Selection(values={"geo": ("KH-12",), "conf": ("high", "medium")}, years=(2012, 2020))
    key = view.selection_key(chosen)
    assert isinstance(key, str)
    assert view.from_key(key) == chosen
    assert view.from_key(view.selection_key(Selection())) == Selection()


def test_the_city_charts_are_tabs_that_draw_only_the_open_chart():
    app = run_framed(PAGE)
    assert chart_tab_labels(app) == {"cities": ["Phnom Penh", "Outside Phnom Penh"]}
    keys = [chart.key for chart in app.get("plotly_chart")]
    assert "chart-gen-phnom-penh" in keys and "chart-gen-other-cities" not in keys, keys
    open_chart_tab(app, "cities", "Outside Phnom Penh")
    assert_clean(app)
    keys = [chart.key for chart in app.get("plotly_chart")]
    assert "chart-gen-other-cities" in keys and "chart-gen-phnom-penh" not in keys, keys
    assert any(str(m.value).startswith("#### Outside Phnom Penh only") for m in app.markdown)


def test_with_one_city_chart_left_there_are_no_tabs():
    app = run_framed(PAGE, {"geo": "Phnom Penh"})
    assert_clean(app)
    assert "chart-gen-phnom-penh" in [chart.key for chart in app.get("plotly_chart")]
    assert chart_tab_labels(app) == {}, "one chart: its frame alone"
    assert any(text("en", "generation.others.none") == i.value for i in app.info), "the missing chart is named"
