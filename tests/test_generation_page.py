"""The generation page in AppTest: sourced numbers, the projection and its URL-bound controls, empty states."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from components.filters import SELECTION_KEY
from tests.helpers import all_text, assert_clean, metrics, open_panels, run_framed

PAGE = "generation"


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    """The page with its lazy panels (the evidence table, the base figures) opened, as a reader clicking each."""
    return open_panels(run_framed(PAGE))


def test_headline_growth_and_projection_numbers(default_app):
    assert_clean(default_app)
    shown = metrics(default_app)
    assert shown["Generated in 2024 (headline)"] == "2.85 Mt"
    assert shown["Change on 2023"] == "+6.3%"
    # 2.85 Mt x 1.063^6 = 4.11 Mt; x 1.063^11 = 5.58 Mt (see tests/test_projection.py for the hand working).
    assert shown["2030, projection (not a published figure)"] == "4.11 Mt"
    assert shown["2035, projection (not a published figure)"] == "5.58 Mt"
    assert default_app.selectbox(key="gen_base").value == "E001", "the default base is the headline figure"
    assert default_app.slider(key="gen_rate").value == pytest.approx(6.3), "the default rate is the sourced +6.3%"


def test_every_view_is_drawn_with_its_evidence(default_app):
    assert len(default_app.get("plotly_chart")) == 5, "national, per-person, Phnom Penh, other cities, projection"
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


def test_rate_and_base_come_from_the_link():
    app = run_framed(PAGE, {"gen_rate": "10", "gen_base": "E003"})
    assert_clean(app)
    # 4.78 Mt (2020) x 1.1^10 = 12.40 Mt; x 1.1^15 = 19.97 Mt.
    assert metrics(app)["2030, projection (not a published figure)"] == "12.40 Mt"
    assert metrics(app)["2035, projection (not a published figure)"] == "19.97 Mt"


def test_growth_preset_button_sets_the_rate_and_the_link():
    app = run_framed(PAGE)
    app.button(key="gen_preset_E015_high_end").click().run()
    assert_clean(app)
    assert app.slider(key="gen_rate").value == pytest.approx(12)
    # 2.85 Mt x 1.12^6 = 5.63 Mt.
    assert metrics(app)["2030, projection (not a published figure)"] == "5.63 Mt"
    assert app.query_params.get("gen_rate") in ("12.0", "12"), "the chosen rate is written to the link"


def test_sector_filters_from_the_link_empty_the_national_view():
    app = run_framed(PAGE, {"geo": "rural"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert any("No national tonnages match" in i and "geography: Rural areas" in i for i in infos), infos
    assert any("No city or provincial tonnages match" in i for i in infos), infos
    # The projection is not filtered: it still starts from the headline.
    assert metrics(app)["2030, projection (not a published figure)"] == "4.11 Mt"


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
    assert app.slider(key="gen_rate").value == pytest.approx(6.3)
    assert app.selectbox(key="gen_base").value == "E001"
    notices = [c.value for c in app.caption if "not recognised" in c.value]
    assert any("gen_rate=abc" in n and "gen_base=E999" in n for n in notices), notices
    assert any("geo: moon" in n for n in notices), notices


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return open_panels(run_framed(PAGE, {"lang": "km"}))


def test_khmer_page_numbers_and_words(khmer_app):
    assert_clean(khmer_app)
    assert KHMER.search(khmer_app.title[0].value)
    shown = metrics(khmer_app)
    assert shown["បានបង្កើតក្នុងឆ្នាំ 2024 (តួលេខចម្បង)"] == "2,85 លានតោន", shown
    assert shown["បម្រែបម្រួលធៀបនឹងឆ្នាំ 2023"] == "+6,3%"
    assert shown["ឆ្នាំ 2030៖ ការព្យាករ (មិនមែនតួលេខដែលបានផ្សព្វផ្សាយ)"] == "4,11 លានតោន"
    assert all(KHMER.search(label) for label in shown), "every KPI label in Khmer"
    headings = [m.value for m in khmer_app.markdown if m.value.startswith("####")]
    assert len(headings) == 6 and all(KHMER.search(h) for h in headings), headings
    text = all_text(khmer_app)
    assert "ពី 1,09 ដល់ 4,78 លានតោន" in text, "the national range written the Khmer way"
    assert "តម្លៃ(ឆ្នាំ) = តម្លៃគោល" in text
    assert all(KHMER.search(s.value) for s in khmer_app.subheader)
    assert KHMER.search(khmer_app.slider(key="gen_rate").label)
    assert KHMER.search(khmer_app.selectbox(key="gen_base").label)
    assert KHMER.search(khmer_app.button(key="gen_preset_E009_value").label)


def test_khmer_figures_use_khmer_separators(khmer_app):
    for chart in khmer_app.get("plotly_chart"):
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
