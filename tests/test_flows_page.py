"""The Flows page in AppTest: the default breakdown, tonnages, the set and total from the link, empty state."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import all_text, assert_clean, break_first_row, metrics, open_panels, run_framed

PAGE = "flows"


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE, tables=True)


def test_default_is_the_2020_21_national_breakdown_with_its_own_total(default_app):
    assert_clean(default_app)
    assert default_app.selectbox(key="flow_set").value == "pheakdey-2022-national"
    shown = metrics(default_app)
    assert shown["Route stated by the source"] == "54%"
    assert shown["Remainder or not described"] == "46%"
    assert shown["Generated, 2020"] == "4.78 Mt", "the same study's 2020 total is used by default"
    assert shown["Per person per day"] == "0.84 kg"
    text = all_text(default_app)
    assert "15,552,211 people (2019" in text, "the population and its year are stated"
    assert "Trucks per day are not shown" in text
    assert len(default_app.get("plotly_chart")) == 2


def test_flow_table_marks_measured_and_assumed(default_app):
    tables = [d.value for d in default_app.dataframe if "measured_or_assumed" in d.value.columns]
    assert tables, "the Sankey's table tab lists every flow"
    table = tables[0].set_index("to_node")
    assert table.loc["Landfill", "measured_or_assumed"] == "Stated by the source"
    assert table.loc["Landfill", "tonnes_per_year"] == pytest.approx(0.44 * 4_780_000)
    uncontrolled = tables[0][tables[0]["to_node"] == "Uncontrolled disposal"]
    assert set(uncontrolled["measured_or_assumed"]) == {"Assumed: split by this page's rule"}


def test_the_totals_panel_lists_every_total_the_picker_offers():
    """'Totals you can choose' is a lazy panel: its table and caption are built once it is opened."""
    app = run_framed(PAGE)
    caption = "'source' uses the total the breakdown's own source states"
    assert not any("ledger_id" in d.value.columns for d in app.dataframe), "closed: no totals table is sent"
    assert not any(c.value.startswith(caption) for c in app.caption)
    open_panels(app)
    assert_clean(app)
    totals = [d.value for d in app.dataframe if "ledger_id" in d.value.columns]
    assert len(totals) == 1, "one totals table once the panel is opened"
    table = totals[0].set_index("ledger_id")
    ids = [o for o in app.selectbox(key="flow_total").options if o not in ("source", "none")]
    assert sorted(table.index) == sorted(ids), "every ledger id the total picker offers is listed, and no other"
    assert table.loc["E001", "tonnes_per_year"] == pytest.approx(2_850_000)
    assert any(c.value.startswith(caption) for c in app.caption)


def test_link_chooses_the_2017_set_and_shares_only():
    app = run_framed(PAGE, {"flow_set": "khmertimes-2017-national", "flow_total": "none"})
    assert_clean(app)
    assert app.selectbox(key="flow_set").value == "khmertimes-2017-national"
    shown = metrics(app)
    assert shown["Tonnes"] == "shares only"
    assert shown["Route stated by the source"] == "52%"
    text = all_text(app)
    assert "Cambodia, 2017: the largest flow is burned or dumped in water, 48% of waste generated (a remainder)" \
        in text


def test_a_national_total_can_be_chosen_by_ledger_id():
    app = run_framed(PAGE, {"flow_total": "E001"})
    assert_clean(app)
    shown = metrics(app)
    assert shown["Generated, 2024"] == "2.85 Mt"
    assert "16,891,245 people (2023" in all_text(app), "the population nearest 2024 is used and named"


def test_national_total_is_refused_for_a_city_breakdown():
    app = run_framed(PAGE, {"flow_set": "gggi-2019-battambang", "flow_total": "E001"})
    assert_clean(app)
    assert "A national total cannot be applied to a breakdown for Battambang" in all_text(app)
    assert "No collection stage is drawn" in all_text(app)
    assert metrics(app)["Tonnes"] == "shares only"


def test_collection_stage_switch_comes_from_the_link():
    app = run_framed(PAGE, {"flow_stage": "false"}, tables=True)
    assert_clean(app)
    tables = [d.value for d in app.dataframe if "measured_or_assumed" in d.value.columns]
    assert set(tables[0]["from_node"]) == {"Waste generated"}, "without the stage every flow starts at generation"


def test_malformed_link_values_fall_back_with_a_notice():
    app = run_framed(PAGE, {"flow_set": "no-such-set", "flow_total": "E999"})
    assert_clean(app)
    assert app.selectbox(key="flow_set").value == "pheakdey-2022-national"
    assert app.selectbox(key="flow_total").value == "source"
    notices = [c.value for c in app.caption if "not recognised" in c.value]
    assert notices and "flow_set=no-such-set" in notices[0] and "flow_total=E999" in notices[0]


def test_filters_that_leave_no_breakdown_show_an_empty_state():
    app = run_framed(PAGE, {"geo": "rural", "conf": "low"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert infos and "No published breakdown matches the filters" in infos[0]
    assert not app.get("plotly_chart")


def test_geography_filter_narrows_the_sets():
    app = run_framed(PAGE, {"geo": "Phnom Penh"})
    assert_clean(app)
    options = app.selectbox(key="flow_set").options
    assert "pheakdey-2022-national" not in options and "wb-city-pp" in options


def test_broken_treatment_file_is_named_without_a_traceback(data_copy, monkeypatch):
    break_first_row(data_copy / "treatment.csv", "share_pct", "many")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE)
    assert not app.exception
    assert any("data/treatment.csv, row 2, column 'share_pct'" in e.value for e in app.error)


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


def _separators(app: AppTest) -> set[str]:
    found = set()
    for chart in app.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        found.add(layout.get("separators") or layout["template"]["layout"].get("separators"))
    return found


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return run_framed(PAGE, {"lang": "km"}, tables=True)


def test_khmer_page_has_khmer_titles_numbers_and_charts(khmer_app):
    assert_clean(khmer_app)
    assert khmer_app.title[0].value == "សំណល់ទៅណា"
    headings = [m.value for m in khmer_app.markdown if m.value.startswith("####")]
    assert len(headings) == 2 and all(KHMER.search(h) for h in headings)
    assert headings[0].startswith("#### កម្ពុជា, 2020-21៖ លំហូរធំជាងគេគឺ ការចោលដោយគ្មានការគ្រប់គ្រង ស្មើនឹង 46%")
    shown = metrics(khmer_app)
    assert shown["ផ្លូវដែលប្រភពបានបញ្ជាក់"] == "54%"
    assert shown["បរិមាណបង្កើត 2020 (លានតោន)"] == "4,78", "the Khmer decimal comma; the unit in the label"
    assert shown["ក្នុងម្នាក់ក្នុងមួយថ្ងៃ (គីឡូក្រាម)"] == "0,84"
    text = all_text(khmer_app)
    assert "15.552.211" in text and "15,552,211" not in text, "thousands grouped with dots in Khmer"
    assert "Trucks per day" not in text and "មិនបង្ហាញចំនួនឡានក្នុងមួយថ្ងៃទេ" in text
    assert _separators(khmer_app) == {",."}, "every chart uses the Khmer separators"
    assert all(KHMER.search(label) for label in (w.label for w in khmer_app.selectbox))
    assert KHMER.search(khmer_app.toggle(key="flow_stage").label)


def test_khmer_flow_table_keeps_its_columns_and_speaks_khmer(khmer_app):
    tables = [d.value for d in khmer_app.dataframe if "measured_or_assumed" in d.value.columns]
    assert tables, "the same columns in both languages (downloads match)"
    table = tables[0].set_index("to_node")
    assert table.loc["ទីលានចាក់សំណល់", "measured_or_assumed"] == "ប្រភពបានបញ្ជាក់"
    assert table.loc["ទីលានចាក់សំណល់", "tonnes_per_year"] == pytest.approx(0.44 * 4_780_000)
    assert set(tables[0]["from_node"]) == {"សំណល់ដែលបានបង្កើត", "បានប្រមូល", "មិនបានប្រមូល"}


def test_the_total_picker_keeps_codes_in_the_link_in_khmer():
    app = run_framed(PAGE, {"lang": "km", "flow_total": "none"})
    assert_clean(app)
    picker = app.selectbox(key="flow_total")
    assert picker.value == "none", "the link holds the code, whatever the language"
    shown = picker.options  # as displayed (format_func applied on the run)
    assert KHMER.search(shown[0]) and KHMER.search(shown[1]), "'source' and 'none' are shown in Khmer"
    assert "E001" in shown, "ledger ids are shown as they are"
    assert metrics(app)["តោន"] == "តែភាគរយ"
    assert app.query_params.get("flow_total") in ("none", ["none"])
    picker.set_value("E001").run()
    assert_clean(app)
    assert app.query_params.get("flow_total") in ("E001", ["E001"])
    assert metrics(app)["បរិមាណបង្កើត 2024 (លានតោន)"] == "2,85"
    app.selectbox(key="flow_total").select_index(0).run()  # 'source', shown in Khmer
    assert app.selectbox(key="flow_total").value == "source"
    assert "flow_total" not in app.query_params, "the default leaves the link clean"


def test_khmer_page_reruns_with_its_pickers_in_khmer(khmer_app):
    """A rerun (what every widget change does) keeps the Khmer words of the total picker: they are fixed when the
    picker is drawn, so the picker's state reads the same after the run as during it."""
    text = all_text(khmer_app)
    khmer_app.run()
    assert_clean(khmer_app)
    assert khmer_app.selectbox(key="flow_total").value == "source"
    assert all_text(khmer_app) == text


def test_khmer_link_with_a_bad_value_names_it_in_khmer():
    app = run_framed(PAGE, {"lang": "km", "flow_set": "no-such-set", "flow_total": "E999"})
    assert_clean(app)
    assert app.selectbox(key="flow_total").value == "source"
    notices = [c.value for c in app.caption if "flow_total=E999" in c.value]
    assert notices and KHMER.search(notices[0]) and "flow_set=no-such-set" in notices[0]


def test_khmer_empty_state_and_a_city_breakdown():
    app = run_framed(PAGE, {"lang": "km", "geo": "rural", "conf": "low"})
    assert_clean(app)
    assert app.info and KHMER.search(app.info[0].value)
    city = run_framed(PAGE, {"lang": "km", "flow_set": "gggi-2019-battambang", "flow_total": "E001"})
    assert_clean(city)
    text = all_text(city)
    assert "មិនអាចយកបរិមាណសរុបថ្នាក់ជាតិ ទៅអនុវត្តលើការបែងចែកសម្រាប់ បាត់ដំបង" in text
