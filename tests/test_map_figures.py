"""Province metrics and map figures: gaps stay gaps, the map is offline, geometry is sent once."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core import map_figures
from core.catalogue import Catalogue
from core.geo import display_boundaries
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
