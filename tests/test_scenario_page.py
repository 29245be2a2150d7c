"""The Scenario lab page in AppTest: baseline numbers, the preset, URL-bound sliders and the shares guard."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from components.views_scenario import SWITCHES_KEY
from core.i18n import text
from tests.helpers import (
    assert_clean,
    chart_tab_labels,
    metrics,
    open_chart_tab,
    open_panels,
    panel_keys,
    run_framed,
)

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
    assert [c.key for c in default_app.get("plotly_chart")] == ["chart-scenario-net", "chart-scenario-routes"], (
        "the result and the first route tab; intensity waits in its tab, the tornado in its panel")


def test_the_route_charts_are_tabs_that_draw_only_the_open_chart():
    app = run_framed(PAGE, {"a_compost": "20", "a_landfill": "10"})
    assert chart_tab_labels(app) == {"scenario-routes": ["Emissions by route", "Per tonne on each route"]}
    net = net_mt(app, "Scenario A")
    open_chart_tab(app, "scenario-routes", "Per tonne on each route")
    assert_clean(app)
    assert [c.key for c in app.get("plotly_chart")] == ["chart-scenario-net", "chart-scenario-intensity"]
    assert any(str(m.value).startswith("#### Per tonne of mixed waste") for m in app.markdown)
    assert net_mt(app, "Scenario A") == net, "switching tabs keeps the scenario"
    app.slider(key="a_compost").set_value(30).run()
    assert_clean(app)
    assert app.session_state["charts-scenario-routes"] == "Per tonne on each route", "a slider keeps the open tab"
    assert net_mt(app, "Scenario A") != net


def test_sensitivity_waits_in_a_closed_panel_and_a_link_opens_it():
    app = run_framed(PAGE)
    assert_clean(app)
    assert panel_keys(app) == ["panel-scenario-sensitivity"]
    assert not [r for r in app.radio if r.key == "sens"], "closed, the sensitivity control is not drawn"
    open_panels(app)
    assert_clean(app)
    assert app.radio(key="sens").value == "net"
    assert len(app.get("plotly_chart")) == 3, "opened, the tornado is drawn"
    titles = [m.value for m in app.markdown if str(m.value).startswith("####")]
    assert any("moves" in t and "net emissions most" in t for t in titles), titles
    app.radio(key="sens").set_value("change").run()
    app.radio(key="sens").set_value("net").run()  # back to the default: the link drops sens, the panel stays open
    assert_clean(app)
    assert app.query_params.get("sens") is None and len(app.get("plotly_chart")) == 3
    linked = run_framed(PAGE, {"sens": "change"})
    assert_clean(linked)
    assert linked.radio(key="sens").value == "change", "a link with ?sens= opens the panel"


def test_baseline_shares_come_from_the_treatment_table(default_app):
    sliders = {key: default_app.slider(key=f"a_{key}").value for key in ("dump", "compost", "recycle", "incin")}
    assert sliders == {"dump": 44, "compost": 2, "recycle": 4, "incin": 4}, (
        "scenario A should start at the 2020-21 shares of data/treatment.csv (Pheakdey et al. 2022)")
    texts = [p.text for p in default_app.get("progress")]
    assert any("46%" in t for t in texts), f"the remainder (uncontrolled 46%) should be shown: {texts}"


def open_methodology(query: dict[str, str] | None = None) -> AppTest:
    """The page with its methodology panel open (its content is drawn only while it is open)."""
    from components.views_scenario import METHOD_KEY
    from tests.framed_page import framed_app

    app = framed_app(PAGE, query)
    app.session_state[METHOD_KEY] = True
    return app.run()


def test_methodology_lists_parameters_with_sources(default_app):
    assert not [frame for frame in default_app.dataframe if "edition" in frame.value.columns], (
        "the closed methodology panel draws nothing: its content is sent when a reader opens it")
    app = open_methodology()
    assert_clean(app)
    tables = [frame.value for frame in app.dataframe if "edition" in frame.value.columns]
    assert tables, "the methodology panel shows the parameter table"
    parameters = tables[0]
    assert {"value", "unit", "sources", "id"} <= set(parameters.columns)
    assert "mcf-unmanaged-deep" in set(parameters["id"]), "the default site type's MCF row is listed"
    assert parameters["sources"].str.len().gt(0).all(), "every parameter names its source"
    text = " ".join(m.value for m in app.markdown)
    assert "Committed emissions = lifetime emissions" in text
    assert "Uncollected waste" in text and "reject" in text
    assert len(app.get("plotly_chart")) == 2, "the charts are drawn with the panel open too"


def test_methodology_follows_the_choices_and_the_language():
    app = open_methodology({"lang": "km", "site": "sanitary_landfill", "gwp": "AR6"})
    assert_clean(app)
    parameters = next(frame.value for frame in app.dataframe if "edition" in frame.value.columns)
    assert "gwp-ch4-ar6" in set(parameters["id"]) and "gwp-ch4-ar5" not in set(parameters["id"]), (
        "the parameter table lists the warming potentials chosen in the link")
    routes = app.dataframe[-3].value  # routes as published -> as modelled, headed in Khmer
    assert all(KHMER.search(str(column)) for column in routes.columns), list(routes.columns)


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


def test_scenario_b_is_drawn_only_when_compared_or_its_panel_is_opened():
    from components.views_scenario import HIDDEN_PANEL_KEY
    from tests.framed_page import framed_app

    app = run_framed(PAGE, {"b_lfg": "44", "b_dump": "0"})
    assert_clean(app)
    assert not [s for s in app.slider if str(s.key).startswith("b_")], "B's levers wait until they can be used"
    assert app.query_params.get("b_lfg") == "44", "a link's values for B stay in the link while B is off"
    app.toggle(key="cmp").set_value(True).run()
    assert_clean(app)
    assert app.slider(key="b_lfg").value == 44 and app.slider(key="b_dump").value == 0
    assert "Scenario B: net emissions" in metrics(app)
    opened = framed_app(PAGE, {"b_lfg": "44"})
    opened.session_state[HIDDEN_PANEL_KEY] = True
    opened.run()
    assert_clean(opened)
    assert opened.slider(key="b_lfg").value == 44 and opened.slider(key="b_lfg").disabled, (
        "the closed scenario's panel shows its levers, switched off")
    assert "Scenario B: net emissions" not in metrics(opened)


def test_reset_clears_scenario_b_from_the_link_while_b_is_off():
    app = run_framed(PAGE, {"b_lfg": "44", "b_dump": "0"})
    app.button(key="reset").click().run()
    assert_clean(app)
    assert "b_lfg" not in app.query_params and "b_dump" not in app.query_params
    app.toggle(key="cmp").set_value(True).run()
    assert app.slider(key="b_lfg").value == 0 and app.slider(key="b_dump").value == 44, "B is back at the baseline"


def test_query_params_set_the_sliders():
    app = run_framed(PAGE, {"a_compost": "50", "a_dump": "0"})
    assert_clean(app)
    assert app.slider(key="a_compost").value == 50
    assert net_mt(app, "Scenario A") < net_mt(app, "Baseline"), "composting instead of dumping lowers emissions"


def test_second_scenario_and_choices_come_from_the_link():
    app = run_framed(PAGE, {"cmp": "true", "b_lfg": "44", "b_dump": "0", "gwp": "AR6"})
    assert_clean(app)
    assert "Scenario B: net emissions" in metrics(app)
    assert net_mt(app, "Scenario B") < net_mt(app, "Scenario A"), "gas capture instead of dumps lowers emissions"
    assert any("GWP100 AR6" in c.value for c in app.caption)
    # The switches' panel is closed: its caption names the link's choice; opened, the switch shows it.
    assert any(c.value.startswith("Chosen where published figures conflict") and ": AR6" in c.value
               for c in app.caption)
    assert open_switches(app).radio(key="gwp").value == "AR6"


def test_bad_link_value_falls_back_to_the_default_with_a_notice():
    app = run_framed(PAGE, {"a_compost": "abc", "gwp": "AR9"})
    assert_clean(app)
    assert app.slider(key="a_compost").value == 2, "a malformed value is dropped and the default used"
    notices = [c.value for c in app.caption if "not recognised" in c.value]
    assert notices and "a_compost=abc" in notices[0] and "gwp=AR9" in notices[0]
    assert any("GWP100 AR5" in c.value for c in app.caption), "the model uses the default"
    assert open_switches(app).radio(key="gwp").value == "AR5"


def test_shares_over_100_are_refused_with_a_message():
    app = run_framed(PAGE, {"a_compost": "90"})
    assert_clean(app)
    warnings = [w.value for w in app.warning]
    assert any("add up to 142%" in w and "42 points" in w for w in warnings), warnings
    assert "Scenario A: net emissions" not in metrics(app), "an impossible scenario is not computed"
    assert "Baseline: net emissions" in metrics(app), "the baseline is still shown"


# ------------------------------------------------------------------ Khmer, and the link holding codes

KHMER = re.compile(r"[\u1780-\u17FF]")
NET_KM = re.compile(r"^(\d+,\d\d)$")  # Khmer tiles: the number; the unit (លានតោន CO₂e) is named in the caption


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return run_framed(PAGE, {"lang": "km"})


def test_page_runs_in_khmer_with_khmer_headings_and_numbers(khmer_app, default_app):
    assert_clean(khmer_app)
    assert KHMER.search(khmer_app.title[0].value)
    headings = [m.value for m in khmer_app.markdown if str(m.value).startswith("####")]
    # The result and the first route tab; the intensity chart (second tab) is checked in the next test.
    assert len(headings) == 2 and all(KHMER.search(h) for h in headings), headings
    assert [e.label for e in khmer_app.expander if e.label == text("km", "scenario.sens.panel")], "the panel, in Khmer"
    values = metrics(khmer_app)
    assert values["សំណល់ដែលបានធ្វើគំរូ"] == "2,85", "the total with a decimal comma"
    net = NET_KM.match(values["កម្រិតមូលដ្ឋាន៖ ការបំភាយសុទ្ធ"])
    assert net, values
    captions = [c.value for c in khmer_app.caption]
    assert any(c.startswith("លានតោន CO₂e") for c in captions), "the net tiles name their unit in the caption"
    assert any(c.startswith("លានតោន៖ ") and "2024" in c for c in captions), "the total's unit and year"
    # The model's numbers do not depend on the language: only their writing does.
    assert float(net.group(1).replace(",", ".")) == net_mt(default_app, "Baseline")
    assert not [label for label in values if not KHMER.search(label)], "every KPI label is in Khmer"


def test_khmer_charts_use_khmer_words_and_separators(khmer_app):
    import json

    intensity = open_chart_tab(run_framed(PAGE, {"lang": "km"}), "scenario-routes",
                               text("km", "scenario.tab.intensity"))
    assert_clean(intensity)
    charts = [*open_panels(khmer_app).get("plotly_chart"), *intensity.get("plotly_chart")]
    assert {chart.key for chart in charts} == {f"chart-scenario-{name}" for name in
                                               ("net", "routes", "tornado", "intensity")}, "every chart of the page"
    specs = [json.loads(chart.proto.spec) for chart in charts]
    for spec in specs:
        layout = spec["layout"]
        separators = layout.get("separators") or layout["template"]["layout"].get("separators")
        assert separators == ",.", "Khmer charts write 1.234,5"
        axis_titles = [layout[a]["title"]["text"] for a in ("xaxis", "yaxis") if layout[a].get("title", {}).get("text")]
        assert axis_titles and all(KHMER.search(t) for t in axis_titles), axis_titles
        names = [trace.get("name") for trace in spec["data"] if trace.get("showlegend", True) and trace.get("name")]
        assert all(KHMER.search(n) for n in names), names
        assert all(KHMER.search(trace["hovertemplate"]) for trace in spec["data"] if "hovertemplate" in trace)


def test_khmer_controls_show_words_but_the_link_keeps_codes():
    app = run_framed(PAGE, {"lang": "km"})
    site = app.selectbox(key="site")
    assert site.value == "unmanaged_deep"
    assert KHMER.search(site.format_func("unmanaged_shallow"))
    site.select("unmanaged_shallow").run()
    assert_clean(app)
    assert app.query_params.get("site") in ("unmanaged_shallow", ["unmanaged_shallow"])
    open_switches(app).radio(key="of").set_value("0.71").run()
    assert app.query_params.get("of") in ("0.71", ["0.71"]), "the option code, not the Khmer '0,71'"
    assert "0,71" in app.radio(key="of").options, "the option is shown with the Khmer decimal comma"
    # The same link opens in English with the same choices.
    english = run_framed(PAGE, {"site": "unmanaged_shallow", "of": "0.71"})
    assert_clean(english)
    assert english.selectbox(key="site").value == "unmanaged_shallow"
    assert open_switches(english).radio(key="of").value == "0.71"


def open_switches(app):
    """Open the panel of the published-conflict switches (as a click on it does) and rerun."""
    app.session_state[SWITCHES_KEY] = True
    return app.run()


def test_conflict_switches_wait_in_a_closed_panel_and_keep_their_link_values():
    app = run_framed(PAGE)
    keys = {"gwp", "of", "n2o", "docf"} & {r.key for r in app.radio}
    assert not keys, f"the switches are drawn only when their panel is open: {keys}"
    assert any(c.value.startswith("Chosen where published figures conflict") for c in app.caption)
    opened = open_switches(app)
    assert {r.key for r in opened.radio} >= {"gwp"}
    opened.radio(key="gwp").set_value("AR6").run()
    assert opened.query_params.get("gwp") in ("AR6", ["AR6"])
    before = net_mt(opened, "Baseline")
    opened.session_state[SWITCHES_KEY] = False
    opened.run()  # closed again: the link keeps AR6 and the model still uses it
    assert_clean(opened)
    assert opened.query_params.get("gwp") in ("AR6", ["AR6"])
    assert net_mt(opened, "Baseline") == before
    assert any("GWP100 AR6" in c.value for c in opened.caption)


def test_links_written_before_the_translation_still_work():
    """Streamlit's bound selectboxes and radio wrote the English label into the link: those links keep working."""
    app = run_framed(PAGE, {"site": "Unmanaged shallow dump", "a_res": "Open burning", "cmp": "true",
                            "b_res": "Sanitary landfill with gas capture", "sens": "Change vs baseline",
                            "a_compost": "20", "a_dump": "26"})
    assert_clean(app)
    assert app.selectbox(key="site").value == "unmanaged_shallow"
    assert app.selectbox(key="a_res").value == "open_burning"
    assert app.selectbox(key="b_res").value == "sanitary_landfill_capture"
    assert app.radio(key="sens").value == "change"
    assert not [c.value for c in app.caption if "not recognised" in c.value], "old values are not reported as bad"
    assert app.query_params.get("site") in ("unmanaged_shallow", ["unmanaged_shallow"]), "rewritten as a code"
    assert app.query_params.get("sens") in ("change", ["change"])
    headings = [m.value for m in app.markdown if str(m.value).startswith("####")]
    assert any("change against the baseline" in h for h in headings), headings


def test_legacy_labels_are_todays_english_words():
    from core.i18n import text

    page = _page_module()
    for route, label in page.LEGACY_ROUTE_LABELS.items():
        assert text("en", f"scenario.route.{route}") == label, route
    assert {text("en", f"scenario.sens.{code}"): code for code in page.SENSITIVITY_MODES} == \
        page.LEGACY_LINK_VALUES["sens"]


def test_preset_and_reset_write_the_rejects_route_to_the_link_in_khmer():
    app = run_framed(PAGE, {"lang": "km", "a_res": "open_burning"})
    app.button(key="preset").click().run()
    assert_clean(app)
    assert app.selectbox(key="a_res").value == "sanitary_landfill_capture", "the preset wins over the old link"
    assert app.query_params.get("a_res") in ("sanitary_landfill_capture", ["sanitary_landfill_capture"])
    assert app.query_params.get("b_res") in ("sanitary_landfill", ["sanitary_landfill"])
    assert NET_KM.match(metrics(app)["សេណារីយ៉ូ B៖ ការបំភាយសុទ្ធ"]), "scenario B is computed and shown"
    app.button(key="reset").click().run()
    assert_clean(app)
    assert app.selectbox(key="a_res").value == "unmanaged_shallow"
    assert "a_res" not in app.query_params, "the default leaves the link clean"


def test_khmer_preset_note_and_shares_warning():
    app = run_framed(PAGE, {"lang": "km", "a_compost": "90"})
    assert_clean(app)
    warnings = [w.value for w in app.warning]
    assert any("142%" in w and KHMER.search(w) for w in warnings), warnings
    notes = [c.value for c in app.caption if "50%" in c.value and "(−" in c.value]
    assert notes and KHMER.search(notes[0]), "the preset's answer in Khmer, with a true minus sign"
    assert re.search(r"\*\*\d,\d\d លានតោន CO₂e \(−\d+%\)", notes[0]), notes[0]


def _page_module():
    """The page's module without running it (its last line draws the page): its definitions only."""
    import ast
    import types

    from tests.conftest import ROOT

    source = (ROOT / "app_pages" / "scenario.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    tree.body = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call))]
    import sys

    module = types.ModuleType("scenario_page_definitions")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(tree, "scenario.py", "exec"), module.__dict__)  # noqa: S102 - the project's own file
    return module


def test_every_code_the_page_names_has_words_in_the_catalogue():
    import pandas as pd

    from core import ghg
    from core.i18n import catalogue
    from core.scenario import DOSSIER_TO_MODEL, MATERIAL_MAP, SITE_ROUTES
    from tests.conftest import DATA

    page = _page_module()
    entries = catalogue()
    factors = pd.read_csv(DATA / "emission_factors.csv")
    composition = pd.read_csv(DATA / "composition.csv")
    needed = [f"scenario.route.{r}" for r in (*ghg.ROUTES,)]
    needed += [f"scenario.dossier_route.{r}" for r in (*DOSSIER_TO_MODEL, *SITE_ROUTES)]
    needed += [f"scenario.material.{m}" for m in MATERIAL_MAP]
    needed += [f"scenario.material_note.{m}" for m in page.MATERIAL_NOTES]
    needed += [f"scenario.param.{p}" for p in (*ghg.MODEL_PARAMETERS, *ghg.CHOICE_GROUPS)]
    needed += [f"scenario.where.{m}" for m in factors["material"].dropna().unique()]
    needed += [f"scenario.where.{r}" for r in factors.loc[factors["parameter"].isin(["mcf", "ox"]), "route"].unique()]
    needed += [f"scenario.lever.{lever.key}.{part}" for lever in page.LEVERS for part in ("label", "help")]
    needed += [f"scenario.confidence.{c}" for c in factors["confidence"].unique()]
    needed += [f"scenario.confidence.{c}" for c in composition["confidence"].dropna().unique()]
    assert [key for key in needed if key not in entries] == []
    assert set(page.ROUTES) == set(ghg.ROUTES), "the page names every model route"
    # English words of the emission-factor codes are the codes as the page showed them before the catalogue.
    for key, entry in entries.items():
        if key.startswith("scenario.where."):
            assert entry.en == key.removeprefix("scenario.where.").replace("_", " ")


def test_preset_button_asks_the_shared_question():
    from core.i18n import text
    from core.scenario import PRESET_QUESTION

    assert text("en", "scenario.preset.button") == PRESET_QUESTION
