"""The Flows page in AppTest: the default breakdown, tonnages, the set and total from the link, empty state."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import all_text, assert_clean, break_first_row, metrics, run_framed

PAGE = "flows"


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE)


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
    app = run_framed(PAGE, {"flow_stage": "false"})
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
