"""Province metrics and map figures: gaps stay gaps, the map is offline, geometry is sent once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from core import map_figures
from core.catalogue import Catalogue
from core.geo import display_boundaries
from core.i18n import translator
from tests.conftest import DATA


@pytest.fixture(scope="module")
def tables():
    catalogue = Catalogue(DATA)
    return {name: catalogue.load(name) for name in ("population", "facilities", "estimates")}


@pytest.fixture(scope="module")
def geometry() -> dict:
    return display_boundaries(Path(DATA / "khm_adm1.geojson"))


@pytest.fixture(scope="module")
def provinces(geometry) -> pd.DataFrame:
    return pd.DataFrame([{"geo_code": f["id"], "name": f["properties"]["name_nis2019"]} for f in geometry["features"]])


@pytest.fixture(scope="module")
def metrics(provinces, tables) -> pd.DataFrame:
    return map_figures.province_metrics(provinces, tables["population"], tables["facilities"], tables["estimates"])


def row(metrics: pd.DataFrame, code: str) -> pd.Series:
    return metrics.set_index("geo_code").loc[code]


def test_every_province_has_its_2019_census_population(metrics):
    assert len(metrics) == 25
    assert metrics["population"].notna().all()
    assert row(metrics, "KH-12")["population"] == 2281951, "Phnom Penh, NIS 2019 Table 2.1.1"
    assert metrics["population"].sum() == 15552211, "the 25 provinces add up to the national census total"
    assert row(metrics, "KH-12")["population_share"] == pytest.approx(2281951 / 15552211 * 100)


def test_province_without_facility_is_no_data_not_zero(metrics):
    mondulkiri = row(metrics, "KH-11")
    assert pd.isna(mondulkiri["facilities"]), "no facility on record must stay missing, never 0"
    assert (metrics["facilities"].dropna() > 0).all(), "a count of 0 must never appear"
    assert row(metrics, "KH-12")["facilities"] == 2, "Dangkor landfill and the closed Stung Meanchey dump"
    hover = map_figures.hover_lines(metrics.set_index("geo_code").loc[["KH-11"]].reset_index())[0]
    assert "Landfills and dumpsites on record: no data" in hover and "on record: 0" not in hover


def test_city_waste_rule_picks_latest_sized_figure(tables):
    chosen = map_figures.latest_city_waste(tables["estimates"]).set_index("geo_code")
    assert chosen.loc["KH-12", "id"] == "E146", "2024, year stated, exact: 3,500 t/day (CambodgeMag)"
    assert chosen.loc["KH-18", "id"] == "E149", "'up to 1,000 t/day' (2019) is a bound and is not mapped"
    assert chosen.loc["KH-7", "id"] == "E287", "Kampot's 2015 range beats the older 2011 figure"
    assert not chosen["qualifier"].isin(map_figures.BOUND_QUALIFIERS).any()


def test_city_waste_classes_never_invent_a_midpoint(metrics):
    assert map_figures.city_waste_class(32, 35) == "Under 100 t/day"
    assert map_figures.city_waste_class(3500, 3500) == "1,000 t/day or more"
    assert map_figures.city_waste_class(90, 120) == map_figures.NO_DATA, "a range across two classes is not placed"
    assert row(metrics, "KH-18")["city_waste_class"] == "500 to 999 t/day"
    assert row(metrics, "KH-18")["city_waste_text"].startswith("600 to 650 t/day (published range)")
    assert row(metrics, "KH-11")["city_waste_class"] == map_figures.NO_DATA


@pytest.mark.parametrize("metric", map_figures.METRICS, ids=[m.code for m in map_figures.METRICS])
def test_choropleth_is_offline_and_sends_each_province_once(metrics, geometry, metric):
    fig = map_figures.province_choropleth(metrics, geometry, metric, attribution="Boundaries © OSM")
    assert {trace.type for trace in fig.data} == {"choroplethmap"}
    style = fig.layout.map.style
    assert isinstance(style, dict) and style["sources"] == {} and "glyphs" not in style and "sprite" not in style, \
        "the MapLibre style must be blank: no tiles, glyphs or sprites from another host"
    drawn = [loc for trace in fig.data for loc in trace.locations]
    assert sorted(drawn) == sorted(metrics["geo_code"]), "each of the 25 provinces is drawn exactly once"
    features = sum(len(trace.geojson["features"]) for trace in fig.data)
    assert features == 25, "each trace carries only its own provinces' geometry"
    for trace in fig.data:
        assert all(set(f) == {"type", "id", "properties", "geometry"} and f["properties"] == {}
                   for f in trace.geojson["features"]), "a feature is sent as its id and shape only"
    assert any("OSM" in a.text for a in fig.layout.annotations), "the boundary attribution is on the map"
    assert len(json.dumps(fig.to_plotly_json(), default=str)) < 120_000, "keep the map under ~120 KB"


def test_no_data_trace_is_grey_and_in_the_legend(metrics, geometry):
    fig = map_figures.province_choropleth(metrics, geometry, map_figures.METRIC_BY_CODE["Facilities"],
                                          attribution="x")
    no_data = [t for t in fig.data if t.name == "No data"]
    assert len(no_data) == 1 and no_data[0].showlegend
    assert "KH-11" in no_data[0].locations
    assert no_data[0].colorscale[0][1] == map_figures.NO_DATA_COLOUR
    valued = [t for t in fig.data if t.name != "No data"][0]
    assert "KH-11" not in valued.locations and 0 not in list(valued.z)
    assert valued.colorbar.title.text == "facilities on record"


def test_population_map_has_no_grey_and_a_unit(metrics, geometry):
    fig = map_figures.province_choropleth(metrics, geometry, map_figures.METRICS[0], attribution="x")
    assert [t.name for t in fig.data] == ["Population, 2019 census"]
    assert fig.data[0].colorbar.title.text == "persons"
    assert max(fig.data[0].z) == 2281951


def test_facility_bars_stack_by_status(tables):
    fig = map_figures.facilities_by_province(tables["facilities"])
    assert {t.type for t in fig.data} == {"bar"} and fig.layout.barmode == "stack"
    assert all(t.orientation == "h" for t in fig.data)
    assert "count" in fig.layout.xaxis.title.text
    totals: dict[str, int] = {}
    for trace in fig.data:
        assert all(v is None or v > 0 for v in trace.x), "no zero-length bars and no NaN (breaks stacking)"
        for province, value in zip(trace.y, trace.x, strict=True):
            totals[province] = totals.get(province, 0) + (value or 0)
    assert totals["Phnom Penh"] == 2 and totals["Siem Reap"] == 2
    assert "Mondul Kiri" not in totals, "provinces with no record are absent, not zero"


# ---------------------------------------------------------------------------------------------------------------
# Khmer: province names in Khmer script come with the data; the map and the bars speak Khmer.
# ---------------------------------------------------------------------------------------------------------------

KHMER_LETTERS = re.compile(r"^[\u1780-\u17FF\u19E0-\u19FF \-/]+$")  # Khmer script (and separators) only
KHMER = re.compile(r"[\u1780-\u17FF]")


def test_every_province_has_a_khmer_name_in_khmer_script(tables, geometry):
    population = tables["population"]
    provinces = population[population["geo_level"] == "province"]
    names = dict(zip(provinces["geo_code"], provinces["geography_km"], strict=True))
    codes = {f["id"] for f in geometry["features"]}
    assert set(names) == codes, "every boundary has a population row with a Khmer name"
    bad = {code: name for code, name in names.items() if not KHMER_LETTERS.match(name or "")}
    assert not bad, f"province names must be written in Khmer script: {bad}"
    assert len(set(names.values())) == 25, "25 distinct Khmer names"
    assert names["KH-12"] == "ភ្នំពេញ" and names["KH-17"] == "សៀមរាប" and names["KH-2"] == "បាត់ដំបង"
    assert names["KH-18"] == "ព្រះសីហនុ" and names["KH-3"] == "កំពង់ចាម"
    assert set(population["km_status"]) <= {"machine", "reviewed"}
    assert (population["geography_km"] != "").all(), "national rows carry their Khmer name too"


def test_facility_names_and_provinces_in_khmer_agree_with_the_population_table(tables):
    facilities, population = tables["facilities"], tables["population"]
    km = map_figures.province_names_km(population)
    located = facilities[facilities["geo_code"] != ""]
    assert (located["province_km"] == located["geo_code"].map(km)).all(), \
        "province_km must be the population table's Khmer name of the same geo_code"
    assert (facilities.loc[facilities["geo_code"] == "", "province_km"] == "").all()
    assert facilities["name_km"].map(lambda name: bool(KHMER.search(name))).all()
    assert set(facilities["km_status"]) <= {"machine", "reviewed"}


def test_every_facility_code_and_city_name_has_a_label():
    from core.i18n import catalogue

    tables = {name: Catalogue(DATA).load(name) for name in ("facilities", "estimates")}
    entries = catalogue()
    for field, codes in (("facility_kind", tables["facilities"]["kind"]),
                         ("facility_status", tables["facilities"]["status"])):
        missing = [c for c in set(codes) if f"label.{field}.{c}" not in entries]
        assert not missing, f"add label.{field}.<code> to locales/provinces.csv for {missing}"
    for code, word in map_figures.FACILITY_STATUS_LABELS.items():
        assert map_figures.status_label(code) == word, "the English status words stay as they were"
    # Every place a city waste figure may name, whatever the filters (the rule's candidates, all years).
    estimates = tables["estimates"]
    candidates = estimates[(estimates["indicator"] == "msw_total") & (estimates["scope"] == "generated")
                           & estimates["geo_level"].isin(["city", "province"]) & (estimates["unit"] == "t/day")
                           & estimates["geo_code"].str.startswith("KH-")]
    for place in set(candidates["geography"]):
        assert KHMER.search(translator("km").label("city_geography", place)), f"no Khmer name for {place!r}"


def test_metric_and_class_words_match_in_english(metrics, geometry):
    for metric in map_figures.METRICS:
        assert map_figures.metric_label(metric) == metric.label
        assert map_figures.metric_unit(metric) == metric.unit
        assert map_figures.metric_caption(metric) == metric.caption
        assert map_figures.metric_option(metric) == metric.code
        assert KHMER.search(map_figures.metric_label(metric, lang="km"))
    for label, _low, _high in map_figures.CITY_WASTE_CLASSES:
        assert map_figures.class_label(label) == label and KHMER.search(map_figures.class_label(label, lang="km"))
    fig = map_figures.province_choropleth(metrics, geometry, map_figures.METRICS[0], attribution="x")
    assert fig.layout.template.layout.separators == ".,", "English keeps 1,234.5"


@pytest.fixture(scope="module")
def metrics_km(provinces, tables) -> pd.DataFrame:
    return map_figures.province_metrics(provinces, tables["population"], tables["facilities"], tables["estimates"],
                                        lang="km")


@pytest.mark.parametrize("metric", map_figures.METRICS, ids=[m.code for m in map_figures.METRICS])
def test_khmer_map_names_every_province_in_khmer(metrics_km, geometry, tables, metric):
    km = map_figures.province_names_km(tables["population"])
    fig = map_figures.province_choropleth(metrics_km, geometry, metric, attribution="Boundaries © OSM (ODbL 1.0)",
                                          lang="km")
    assert fig.layout.template.layout.separators == ",.", "Khmer numbers: 1.234,5"
    hovers = {code: text for trace in fig.data for code, text in zip(trace.locations, trace.text, strict=True)}
    assert len(hovers) == 25
    for code, text in hovers.items():
        assert text.startswith(f"<b>{km[code]}</b>"), f"{code}: the hover must open with the Khmer name: {text[:80]}"
    english = [n for n in metrics_km["name"] if any(n in t for t in hovers.values())]
    assert not english, f"English province names in the Khmer hover: {english}"
    assert all("ប្រជាជន" in t for t in hovers.values())
    assert any("ODbL" in a.text for a in fig.layout.annotations), "the boundary attribution stays on the map"
    assert all(KHMER.search(t.name) for t in fig.data), "legend entries in Khmer"


def test_khmer_hover_writes_numbers_and_gaps_the_khmer_way(metrics_km, geometry):
    hover = dict(zip(metrics_km["geo_code"], map_figures.hover_lines(metrics_km, lang="km"), strict=True))
    assert "2.281.951" in hover["KH-12"] and "14,7%" in hover["KH-12"], hover["KH-12"]
    assert "3.500 តោន/ថ្ងៃ, ភ្នំពេញ, 2024" in hover["KH-12"]
    assert "គ្មានទិន្នន័យ (គ្មានកំណត់ត្រា)" in hover["KH-11"], "Mondul Kiri: no facility on record, in Khmer"
    assert "ក្រុងព្រះសីហនុ" in hover["KH-18"], "the city of a city waste figure in Khmer"
    fig = map_figures.province_choropleth(metrics_km, geometry, map_figures.METRIC_BY_CODE["Facilities"],
                                          attribution="x", lang="km")
    no_data = [t for t in fig.data if t.name == "គ្មានទិន្នន័យ"]
    assert len(no_data) == 1 and "KH-11" in no_data[0].locations
    valued = [t for t in fig.data if t.name != "គ្មានទិន្នន័យ"][0]
    assert valued.colorbar.title.text == "ទីតាំងដែលមានកត់ត្រា"


def test_khmer_facility_bars(tables):
    fig = map_figures.facilities_by_province(tables["facilities"], lang="km")
    assert fig.layout.template.layout.separators == ",."
    provinces = {y for trace in fig.data for y in trace.y}
    assert {"ភ្នំពេញ", "សៀមរាប", "បាត់ដំបង"} <= provinces
    assert all(KHMER.search(p) for p in provinces), f"bars labelled in Khmer: {provinces}"
    assert KHMER.search(fig.layout.xaxis.title.text) and all(KHMER.search(t.name) for t in fig.data)
