"""Provinces page in AppTest: the census numbers, the metric picker in the link, 'no data' never 0, empty states."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import all_text, assert_clean, run_framed

PAGE = "provinces"


def map_table(app: AppTest):
    tables = [d.value for d in app.dataframe if "facilities_on_record" in d.value.columns]
    assert tables, "the map frame's Table tab lists every province"
    return tables[0].set_index("geo_code")


def map_spec(app: AppTest) -> dict:
    return json.loads(app.get("plotly_chart")[0].proto.spec)


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE)


def test_default_map_shows_census_population_with_source(default_app):
    assert_clean(default_app)
    assert default_app.radio(key="prov_metric").value == "Population"
    text = all_text(default_app)
    assert "Phnom Penh is the most populous province: 2.28 million people in 2019, 14.7% of Cambodia" in text
    assert "National Institute of Statistics (NIS)" in text, "population cites NIS"
    assert "OpenStreetMap contributors (ODbL 1.0), via geoBoundaries" in text, "boundary attribution is shown"
    assert len(default_app.get("plotly_chart")) == 2, "the map and the facilities bar chart"
    table = map_table(default_app)
    assert table.loc["KH-12", "population_2019"] == 2281951
    assert len(table) == 25


def test_province_without_facility_shows_no_data_not_zero():
    app = run_framed(PAGE, {"prov_metric": "Facilities"})
    assert_clean(app)
    assert app.radio(key="prov_metric").value == "Facilities", "the metric is read from the link"
    table = map_table(app)
    assert table.loc["KH-11", "facilities_on_record"] == "no data", "Mondul Kiri: no facility on record"
    assert "0" not in set(table["facilities_on_record"])
    traces = map_spec(app)["data"]
    grey = [t for t in traces if t.get("name") == "No data"]
    assert grey and "KH-11" in grey[0]["locations"], "Mondul Kiri is drawn in the 'No data' grey"
    assert "Landfills and dumpsites are on record for only 11 of 25 provinces" in all_text(app)


def test_city_waste_metric_names_its_rule_and_gaps():
    app = run_framed(PAGE, {"prov_metric": "City waste"})
    assert_clean(app)
    table = map_table(app)
    assert table.loc["KH-12", "city_waste_generated"].startswith("3,500 t/day, Phnom Penh, 2024")
    assert table.loc["KH-11", "city_waste_generated"] == "no data"
    text = all_text(app)
    assert "A city waste figure is published for only 5 of 25 provinces" in text
    assert "A published range is placed in a class only when both ends fall in it" in text


def test_facility_table_keeps_gaps_empty_and_area_conflicts(default_app):
    tables = [d.value for d in default_app.dataframe if "area_note" in d.value.columns]
    assert tables, "the landfill and dumpsite table is shown"
    sites = tables[0].set_index("name")
    assert sites.loc["Dangkor (Choeung Ek) landfill", "opened"] == "2009"
    assert sites.loc["Dangkor (Choeung Ek) landfill", "area_ha"] == "31.4"
    assert "three hectares" in sites.loc["Dangkor (Choeung Ek) landfill", "area_note"]
    assert sites.loc["Stung Meanchey dump", "opened"] == "", "an unpublished opening year stays empty"
    assert sites["link"].dropna().str.startswith("http").all()


def test_geography_filter_from_the_link_narrows_the_facilities():
    app = run_framed(PAGE, {"geo": "Phnom Penh"})
    assert_clean(app)
    tables = [d.value for d in app.dataframe if "area_note" in d.value.columns]
    assert set(tables[0]["province"]) == {"Phnom Penh"}
    assert "Active: geography: Phnom Penh" in all_text(app)


def test_stage_filter_with_no_facilities_shows_the_empty_state():
    app = run_framed(PAGE, {"stage": "collection", "prov_metric": "Facilities"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert any("No facility record matches" in i and "value-chain stage: Collection" in i for i in infos), infos
    assert any("No landfill or dumpsite matches" in i for i in infos), infos
    assert not app.get("plotly_chart"), "nothing is drawn when the filters leave no facility"


def test_malformed_metric_falls_back_with_a_notice():
    app = run_framed(PAGE, {"prov_metric": "Rubbish"})
    assert_clean(app)
    assert app.radio(key="prov_metric").value == "Population"
    assert any("not recognised" in c.value and "prov_metric: Rubbish" in c.value for c in app.caption)


def test_broken_boundaries_show_a_named_error_and_the_table_survives(data_copy, monkeypatch):
    (data_copy / "khm_adm1.geojson").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE)
    assert not app.exception
    assert any("data/khm_adm1.geojson" in e.value for e in app.error)
    assert any("area_note" in d.value.columns for d in app.dataframe), "the facility table is still shown"
