"""The data package is valid, fully described, and every figure in it is sourced and quoted."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from core.catalogue import Catalogue, split_ids
from tests.conftest import DATA

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
TABULAR = [r for r in DESCRIPTOR["resources"] if r.get("format") == "csv"]
ORIGIN_FIELDS = ("title", "producer", "url", "accessed", "licence", "kind", "citation", "quote")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(DATA, use_parquet=False)


def test_frictionless_validates_the_package():
    from frictionless import validate

    report = validate(str(DATA / "datapackage.json"))
    problems = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, f"frictionless validate found: {problems[:10]}"


@pytest.mark.parametrize("resource", TABULAR, ids=[r["name"] for r in TABULAR])
def test_every_column_is_described_and_numbers_have_units(resource):
    assert resource.get("title") and resource.get("description"), f"{resource['name']}: add a title and description"
    for field in resource["schema"]["fields"]:
        where = f"{resource['name']}.{field['name']}"
        assert field.get("title"), f"{where}: add a title"
        assert len(field.get("description", "")) > 10, f"{where}: add a one-sentence description"
        if field["type"] in ("number", "integer"):
            assert field.get("unit"), f"{where}: add a 'unit' (e.g. 'tonnes per year', 'percent', 'year')"


@pytest.mark.parametrize("resource", TABULAR, ids=[r["name"] for r in TABULAR])
def test_every_resource_loads_and_every_row_is_sourced(catalogue, resource):
    frame = catalogue.load(resource["name"])
    assert len(frame) > 0, f"{resource['name']} is empty"
    if resource["name"] in ("sources", "indicators"):
        return
    assert "source_id" in frame, f"{resource['name']}: every row needs a source_id column"
    assert frame["source_id"].str.len().gt(0).all(), f"{resource['name']}: rows without a source id"
    if "quote" in frame:
        unquoted = frame.loc[frame["quote"].str.len().eq(0)]
        assert unquoted.empty, f"{resource['name']}: rows without a verbatim quote: {unquoted.index.tolist()[:5]}"


def test_every_source_has_its_origin_fields(catalogue):
    sources = catalogue.load("sources")
    for column in ORIGIN_FIELDS:
        if column == "url":
            missing = sources[(sources["url"] == "") & (sources["access_note"] == "")]
            assert missing.empty, f"sources without a URL must say why in access_note: {missing['id'].tolist()}"
            continue
        if column == "quote":
            # A primary read only through secondary copies may have no quote of its own: then say so.
            unexplained = sources[(sources["quote"] == "")
                                  & ~sources["access_note"].str.contains(r"no (?:verbatim )?quote", case=False)]
            assert unexplained.empty, f"add a verbatim quote (or say why there is none): {unexplained['id'].tolist()}"
            continue
        missing = sources.loc[sources[column] == "", "id"].tolist()
        assert not missing, f"sources missing '{column}': {missing}"


def test_every_cited_source_exists_and_every_source_is_cited(catalogue):
    sources = set(catalogue.load("sources")["id"])
    cited: set[str] = set()
    for resource in TABULAR:
        frame = catalogue.load(resource["name"])
        if "source_id" in frame:
            for cell in frame["source_id"]:
                cited.update(split_ids(cell))
    assert cited <= sources, f"unknown source ids: {sorted(cited - sources)}"
    cited.add("geoboundaries-khm-adm1")  # cited by the boundaries resource, not by a table row
    assert sources - cited == set(), f"sources nobody cites (cite or remove them): {sorted(sources - cited)}"


def test_headline_figures_are_in_the_ledger(catalogue):
    estimates = catalogue.load("estimates")
    iges = estimates[estimates["source_id"].str.contains("iges-2025-workshop")]
    assert (iges["value"] == 2_850_000).any(), "the 2.85 Mt 2024 figure must be in the ledger"
    assert (iges["value"] == 6.3).any(), "the +6.3% growth must be in the ledger"
    national = estimates[(estimates["indicator"] == "msw_total") & (estimates["geo_level"] == "national")
                         & (estimates["unit"] == "t/yr")]
    assert (national["value"] == 1_090_000).any(), "the World Bank 2014 figure (1.09 Mt) must be in the ledger"
    assert national["value"].max() >= 4_780_000, "the 4.78 Mt 2020 figure must be in the ledger"


def test_ledger_holds_every_section(catalogue):
    estimates = catalogue.load("estimates")
    assert len(estimates) >= 100
    assert set(estimates["topic"]) >= {"generation", "per_capita", "composition", "collection_disposal",
                                       "recycling", "informal", "plastic"}


def test_province_population_sums_to_the_census_total(catalogue):
    population = catalogue.load("population")
    provinces = population[(population["geo_level"] == "province") & (population["year"] == 2019)]
    assert len(provinces) == 25
    assert provinces["population"].sum() == 15_552_211
    assert provinces["geo_code"].str.fullmatch(r"KH-\d{1,2}").all()


def test_boundaries_resource_carries_odbl_licence():
    boundaries = next(r for r in DESCRIPTOR["resources"] if r["name"] == "boundaries")
    assert any("ODbL" in lic.get("name", "") for lic in boundaries["licenses"])
    assert (DATA / boundaries["path"]).exists() and (DATA / "khm_adm1.SOURCE.md").exists()
    collection = json.loads((DATA / boundaries["path"]).read_text(encoding="utf-8"))
    assert sorted(int(f["properties"]["shapeISO"][3:]) for f in collection["features"]) == list(range(1, 26))


def test_no_value_is_a_silent_zero(catalogue):
    estimates = catalogue.load("estimates")
    zero = estimates[estimates["value"] == 0]
    assert zero.empty or zero["note"].str.len().gt(0).all(), "a zero must be a published zero, with a note"
    assert not pd.api.types.is_object_dtype(estimates["value"])
