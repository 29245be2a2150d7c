"""core/explorer.py: literal search, the filters a table can take, column help, and the data package zip."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from core import explorer
from core.catalogue import Catalogue, DataError
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(DATA, use_parquet=False)


def frame() -> pd.DataFrame:
    return pd.DataFrame({"id": ["A", "B", "C"], "text": ["Phnom Penh", "a.b (x)", None],
                         "value": [1.0, 2.0, None]}).astype({"text": "str", "id": "str"})


def test_search_is_literal_and_ignores_case():
    table = frame()
    assert explorer.search(table, "phnom PENH")["id"].tolist() == ["A"]
    assert explorer.search(table, ".*").empty, "'.*' is text to find, not a pattern matching everything"
    assert explorer.search(table, "(x)")["id"].tolist() == ["B"], "brackets are literal, not a regex group"
    assert explorer.search(table, "(").shape[0] == 1, "an unbalanced bracket must not raise"
    assert len(explorer.search(table, "   ")) == 3, "a blank search keeps every row"
    assert explorer.search(table, "1").empty, "numbers are not text columns"


def test_clean_query_trims_and_caps():
    assert explorer.clean_query("  plastic ") == "plastic"
    assert len(explorer.clean_query("x" * 1000)) == explorer.QUERY_LIMIT
    assert explorer.clean_query(None) == ""


def test_filterable_names_only_filters_the_table_has_columns_for():
    assert explorer.filterable(["confidence", "year_start", "year_end"], ("conf", "years", "stage")) == (
        "conf", "years")
    assert explorer.filterable(["year_start"], ("years",)) == (), "a year range needs both year columns"
    assert explorer.filterable(["waste_source", "geo_level"], ("wsource", "geo")) == ("wsource", "geo")


def test_field_help_has_title_description_and_unit(catalogue):
    value = catalogue.field("facilities", "area_ha")
    text = explorer.field_help(value)
    assert text.startswith(f"{value['title']}.") and value["description"] in text
    assert f"Unit: {value['unit']}." in text


def test_escape_markdown_leaves_no_markup():
    escaped = explorer.escape_markdown("[x](javascript:alert(1)) <b>*y*</b> $z$ :red[w]")
    for raw in ("[x]", "](", "<b>", "*y*", "$z$", ":red["):
        assert raw not in escaped, f"{raw!r} would still be Markdown after escaping: {escaped}"


def test_tabular_names_are_the_csv_resources(catalogue):
    names = explorer.tabular_names(catalogue.descriptor)
    assert "estimates" in names and "sources" in names
    assert "boundaries" not in names, "the GeoJSON is offered as a file, not as a table"
    assert all(catalogue.resource(n)["path"].endswith(".csv") for n in names)


def test_package_zip_holds_descriptor_tables_boundaries_and_provenance(catalogue):
    files = explorer.package_files(DATA, catalogue.descriptor)
    data = explorer.package_zip(files)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None, "the zip is corrupt"
    names = set(archive.namelist())
    expected = {"datapackage.json", "khm_adm1.SOURCE.md"} | {res["path"] for res in catalogue.descriptor["resources"]}
    assert names == expected, f"missing {expected - names}, unexpected {names - expected}"
    assert json.loads(archive.read("datapackage.json")) == catalogue.descriptor
    assert archive.read("estimates.csv") == (DATA / "estimates.csv").read_bytes(), "files travel unmodified"


def test_package_files_names_a_missing_file(data_copy, catalogue):
    (data_copy / "policies.csv").unlink()
    with pytest.raises(DataError) as caught:
        explorer.package_files(data_copy, catalogue.descriptor)
    assert "data/policies.csv" in caught.value.message


def test_fingerprint_changes_when_a_file_changes(data_copy, catalogue):
    files = explorer.package_files(data_copy, catalogue.descriptor)
    before = explorer.fingerprint(files)
    (data_copy / "workshop.csv").write_text((data_copy / "workshop.csv").read_text() + "\n", encoding="utf-8")
    assert explorer.fingerprint(files) != before, "an edited file must give a fresh zip, not a cached one"
