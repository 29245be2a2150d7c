"""The Scenario lab page in AppTest: baseline numbers, the preset, URL-bound sliders and the shares guard."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import assert_clean, metrics, run_framed

PAGE = "scenario"
NET = re.compile(r"^(\d+\.\d\d) Mt CO₂e$")


def net_mt(app: AppTest, case: str) -> float:
    value = metrics(app).get(f"{case}: net emissions", "")
    match = NET.match(value)
    assert match, f"the {case} net KPI should read like '1.97 Mt CO₂e', got {value!r}; see kpi_rows()"
    return float(match.group(1))


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE)


def test_page_runs_and_shows_the_baseline_number(default_app):
    assert_clean(default_app)
    baseline = net_mt(default_app, "Baseline")
    assert 0.5 < baseline < 5, f"baseline net {baseline} Mt CO2e is implausible for ~2.85 Mt of waste"
    # With the sliders at the baseline shares, scenario A is the baseline.
    assert net_mt(default_app, "Scenario A") == baseline
    assert metrics(default_app)["Scenario A: change vs baseline"] == "0%"
    assert metrics(default_app)["Waste modelled"] == "2.85 Mt", "the default total is the 2024 headline"
    assert len(default_app.get("plotly_chart")) >= 4, "net, by route, intensity and tornado charts"


def test_baseline_shares_come_from_the_treatment_table(default_app):
    sliders = {key: default_app.slider(key=f"a_{key}").value for key in ("dump", "compost", "recycle", "incin")}
    assert sliders == {"dump": 44, "compost": 2, "recycle": 4, "incin": 4}, (
        "scenario A should start at the 2020-21 shares of data/treatment.csv (Pheakdey et al. 2022)")
    texts = [p.text for p in default_app.get("progress")]
    assert any("46%" in t for t in texts), f"the remainder (uncontrolled 46%) should be shown: {texts}"


def test_methodology_lists_parameters_with_sources(default_app):
    tables = [frame.value for frame in default_app.dataframe if "edition" in frame.value.columns]
    assert tables, "the methodology panel shows the parameter table"
    parameters = tables[0]
    assert {"value", "unit", "sources", "id"} <= set(parameters.columns)
    assert "mcf-unmanaged-deep" in set(parameters["id"]), "the default site type's MCF row is listed"
    assert parameters["sources"].str.len().gt(0).all(), "every parameter names its source"
    text = " ".join(m.value for m in default_app.markdown)
    assert "Committed emissions = lifetime emissions" in text
    assert "Uncollected waste" in text and "reject" in text


def test_preset_is_defined_and_answered_on_the_page(default_app):
    notes = [c.value for c in default_app.caption if c.value.startswith("The question, made precise")]
    assert notes, "the preset's definition is stated next to its button"
    assert "50% of all waste goes through composting" in notes[0]
    assert re.search(r"to \*\*\d\.\d\d Mt CO₂e \(−\d+%\) with gas capture", notes[0]), notes[0]


def test_preset_cuts_emissions_with_gas_capture_and_not_without():
    app = run_framed(PAGE)
    baseline = net_mt(app, "Baseline")
    app.button(key="preset").click().run()
    assert_clean(app)
    assert app.slider(key="a_compost").value == 50
    assert app.slider(key="a_dump").value == 0
    assert app.toggle(key="cmp").value is True, "the preset opens the side-by-side comparison"
    with_capture, without_capture = net_mt(app, "Scenario A"), net_mt(app, "Scenario B")
    assert with_capture < baseline, "composting half the organics with gas-capturing landfills lowers emissions"
    assert without_capture > with_capture, "landfills without gas capture keep more methane"
    link = app.query_params
    assert link.get("a_compost") == "50" and link.get("b_compost") == "50", (
        f"both preset scenarios should be written to the link, got {link}")


def test_query_params_set_the_sliders():
    app = run_framed(PAGE, {"a_compost": "50", "a_dump": "0"})
    assert_clean(app)
    assert app.slider(key="a_compost").value == 50
    assert net_mt(app, "Scenario A") < net_mt(app, "Baseline"), "composting instead of dumping lowers emissions"


def test_second_scenario_and_choices_come_from_the_link():
    app = run_framed(PAGE, {"cmp": "true", "b_lfg": "44", "b_dump": "0", "gwp": "AR6"})
    assert_clean(app)
    assert app.radio(key="gwp").value == "AR6"
    assert "Scenario B: net emissions" in metrics(app)
    assert net_mt(app, "Scenario B") < net_mt(app, "Scenario A"), "gas capture instead of dumps lowers emissions"
    assert any("GWP100 AR6" in c.value for c in app.caption)


def test_bad_link_value_falls_back_to_the_default_with_a_notice():
    app = run_framed(PAGE, {"a_compost": "abc", "gwp": "AR9"})
    assert_clean(app)
    assert app.slider(key="a_compost").value == 2, "a malformed value is dropped and the default used"
    assert app.radio(key="gwp").value == "AR5"
    notices = [c.value for c in app.caption if "not recognised" in c.value]
    assert notices and "a_compost=abc" in notices[0] and "gwp=AR9" in notices[0]


def test_shares_over_100_are_refused_with_a_message():
    app = run_framed(PAGE, {"a_compost": "90"})
    assert_clean(app)
    warnings = [w.value for w in app.warning]
    assert any("add up to 142%" in w and "42 points" in w for w in warnings), warnings
    assert "Scenario A: net emissions" not in metrics(app), "an impossible scenario is not computed"
    assert "Baseline: net emissions" in metrics(app), "the baseline is still shown"
