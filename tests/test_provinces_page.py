"""Provinces page in AppTest: the census numbers, the metric picker in the link, 'no data' never 0, empty states."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from core.catalogue import Catalogue
from tests.conftest import DATA
from tests.helpers import all_text, assert_clean, open_panels, run_framed

PAGE = "provinces"


def map_table(app: AppTest):
    tables = [d.value for d in app.dataframe if "facilities_on_record" in d.value.columns]
    assert tables, "the map frame's Table tab lists every province"
    return tables[0].set_index("geo_code")


def map_spec(app: AppTest) -> dict:
    return json.loads(app.get("plotly_chart")[0].proto.spec)


def facility_list(app: AppTest):
    """The landfill and dumpsite list (shown once its panel is open: open_panels)."""
    tables = [d.value for d in app.dataframe if "area_note" in d.value.columns]
    assert tables, "the landfill and dumpsite list is shown in its opened panel"
    return tables[0]


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    """The page with every chart table and the landfill list's panel opened, as a reader clicking each."""
    return open_panels(run_framed(PAGE, tables=True))


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
    app = run_framed(PAGE, {"prov_metric": "Facilities"}, tables=True)
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
    app = run_framed(PAGE, {"prov_metric": "City waste"}, tables=True)
    assert_clean(app)
    table = map_table(app)
    assert table.loc["KH-12", "city_waste_generated"].startswith("3,500 t/day, Phnom Penh, 2024")
    assert table.loc["KH-11", "city_waste_generated"] == "no data"
    text = all_text(app)
    assert "A city waste figure is published for only 5 of 25 provinces" in text
    assert "A published range is placed in a class only when both ends fall in it" in text


def test_facility_table_keeps_gaps_empty_and_area_conflicts(default_app):
    sites = facility_list(default_app).set_index("name")
    assert sites.loc["Dangkor (Choeung Ek) landfill", "opened"] == "2009"
    assert sites.loc["Dangkor (Choeung Ek) landfill", "area_ha"] == "31.4"
    assert "three hectares" in sites.loc["Dangkor (Choeung Ek) landfill", "area_note"]
    assert sites.loc["Stung Meanchey dump", "opened"] == "", "an unpublished opening year stays empty"
    assert sites["link"].dropna().str.startswith("http").all()


@pytest.mark.parametrize("lang", ["en", "km"])
def test_facility_caption_names_the_area_column_by_its_visible_header(lang):
    """The caption points readers to the area column by the header they see, not by the data's column name."""
    from core.i18n import translator

    _ = translator(lang)
    caption = _("provinces.list.caption", sites=1, opened=1, intakes=1)
    assert f"'{_('provinces.column.area_note')}'" in caption
    assert "area_note" not in caption


def test_geography_filter_from_the_link_narrows_the_facilities():
    app = open_panels(run_framed(PAGE, {"geo": "Phnom Penh"}))
    assert_clean(app)
    assert set(facility_list(app)["province"]) == {"Phnom Penh"}
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
    app = open_panels(run_framed(PAGE))
    assert not app.exception
    assert any("data/khm_adm1.geojson" in e.value for e in app.error)
    assert len(facility_list(app)) == 15, "the facility list is still shown"


def test_missing_boundary_file_is_named_never_remembered_and_the_map_returns(data_copy, monkeypatch):
    """A boundary problem is shown where the map goes (the facilities stay) and is not cached: once the file is
    back, the next rerun draws the map again; a rewritten file is read anew."""
    boundaries = data_copy / "khm_adm1.geojson"
    good = boundaries.read_text(encoding="utf-8")
    boundaries.unlink()
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = open_panels(run_framed(PAGE))
    assert not app.exception
    assert any("data/khm_adm1.geojson" in e.value and "FileNotFoundError" in e.value for e in app.error)
    assert len(app.get("plotly_chart")) == 1, "the facility chart is still drawn"
    assert len(facility_list(app)) == 15, "the facility list is still shown"
    boundaries.write_text(good, encoding="utf-8")
    app.run()
    assert_clean(app)
    assert len(app.get("plotly_chart")) == 2, "the map is drawn again once the file is back"
    boundaries.write_text("{not json", encoding="utf-8")
    app.run()
    assert any("JSONDecodeError" in e.value for e in app.error), "a changed file is read again, not remembered"


def test_warm_rerun_draws_the_same_page(default_app):
    """A rerun reuses the cached views: the same map, tables and texts, no error."""
    before = map_spec(default_app), all_text(default_app)
    default_app.run()
    assert_clean(default_app)
    assert (map_spec(default_app), all_text(default_app)) == before


# ---------------------------------------------------------------------------------------------------------------
# Khmer (?lang=km): Khmer headings, province names and numbers; the link keeps the English codes.
# ---------------------------------------------------------------------------------------------------------------

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return run_framed(PAGE, {"lang": "km"}, tables=True)


def headings(app: AppTest) -> list[str]:
    return [t.value for t in app.title] + [m.value for m in app.markdown if str(m.value).startswith("####")]


def test_khmer_page_has_khmer_headings_and_numbers(khmer_app):
    assert_clean(khmer_app)
    found = headings(khmer_app)
    assert len(found) == 3 and all(KHMER.search(h) for h in found), found
    text = all_text(khmer_app)
    assert "ភ្នំពេញ ជារាជធានី-ខេត្តដែលមានប្រជាជនច្រើនជាងគេ៖ 2,28 លាននាក់ក្នុងឆ្នាំ 2019 ស្មើនឹង 14,7%" in text
    assert "OpenStreetMap contributors (ODbL 1.0), via geoBoundaries" in text, "the attribution stays"
    assert "Waste follows people" not in text and "Landfills and dumpsites on record" not in text
    radio = khmer_app.radio(key="prov_metric")
    assert radio.value == "Population" and all(KHMER.search(o) for o in radio.options), radio.options


def test_khmer_map_hover_names_the_provinces_in_khmer(khmer_app):
    spec = map_spec(khmer_app)
    assert spec["layout"]["template"]["layout"]["separators"] == ",."
    rows = Catalogue(DATA).load("population")
    km = dict(zip(rows["geo_code"], rows["geography_km"], strict=True))
    english = set(rows.loc[rows["geo_level"] == "province", "geography"])
    hovers = {code: text for trace in spec["data"] for code, text in zip(trace["locations"], trace["text"],
                                                                          strict=True)}
    assert len(hovers) == 25
    for code, text in hovers.items():
        assert text.startswith(f"<b>{km[code]}</b>"), f"{code}: {text[:60]}"
        assert not any(f"<b>{name}</b>" in text for name in english)
    assert "2.281.951" in hovers["KH-12"], "Khmer thousands separator in the hover"


def test_khmer_link_keeps_the_code_and_the_table_adds_khmer_names():
    app = open_panels(run_framed(PAGE, {"lang": "km", "prov_metric": "Facilities"}, tables=True))
    assert_clean(app)
    assert app.radio(key="prov_metric").value == "Facilities"
    assert app.query_params.get("prov_metric") in ("Facilities", ["Facilities"])
    traces = map_spec(app)["data"]
    grey = [t for t in traces if t.get("name") == "គ្មានទិន្នន័យ"]
    assert grey and "KH-11" in grey[0]["locations"], "Mondul Kiri in the Khmer 'no data' grey"
    table = map_table(app)
    assert table.loc["KH-11", "province_km"] == "មណ្ឌលគិរី"
    assert table.loc["KH-11", "facilities_on_record"] == "គ្មានទិន្នន័យ"
    sites = facility_list(app).set_index("name")
    assert sites.loc["Dangkor (Choeung Ek) landfill", "name_km"].startswith("ទីលានចាក់សំណល់")
    assert sites.loc["Dangkor (Choeung Ek) landfill", "province"] == "ភ្នំពេញ"
    assert sites.loc["Dangkor (Choeung Ek) landfill", "area_ha"] == "31,4", "Khmer decimal comma"
    bars = json.loads(app.get("plotly_chart")[1].proto.spec)
    assert {"ភ្នំពេញ", "សៀមរាប"} <= {y for t in bars["data"] for y in t["y"]}


def test_khmer_empty_state_and_unrecognised_metric():
    app = run_framed(PAGE, {"lang": "km", "stage": "collection", "prov_metric": "Rubbish"})
    assert_clean(app)
    assert app.radio(key="prov_metric").value == "Population"
    infos = [i.value for i in app.info]
    assert any(KHMER.search(i) and "ការប្រមូល" in i for i in infos), infos
    assert any("prov_metric: Rubbish" in c.value for c in app.caption)
