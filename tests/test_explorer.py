"""core/explorer.py: literal search, the filters a table can take, column help, and the data package zip."""

from __future__ import annotations

import io
import json
import re
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


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


def test_field_help_in_khmer_keeps_the_english_unchanged(catalogue):
    field = catalogue.field("facilities", "area_ha")
    english = explorer.field_help(field)
    assert explorer.field_help(field, resource="facilities", lang="en") == english
    khmer = explorer.field_help(field, resource="facilities", lang="km")
    assert KHMER.search(khmer) and "ហិកតា" in khmer, khmer
    assert "Unit:" not in khmer and field["description"] not in khmer


def test_every_table_and_column_has_a_current_khmer_translation(catalogue):
    """Each table's title and description and each column's title, description and unit have a Khmer text whose
    English is still the descriptor's: a column added or reworded in datapackage.json needs its
    `explorer.field.<table>.<column>.*` rows in locales/explorer.csv."""
    missing = []
    for name in explorer.tabular_names(catalogue.descriptor):
        resource = catalogue.resource(name)
        for part in ("title", "description"):
            if resource.get(part) and not explorer.current_translation(f"explorer.resource.{name}.{part}",
                                                                       resource[part]):
                missing.append(f"explorer.resource.{name}.{part}")
        for field in catalogue.fields(name):
            for part in ("title", "description"):
                key = f"explorer.field.{name}.{field['name']}.{part}"
                if field.get(part) and not explorer.current_translation(key, field[part]):
                    missing.append(key)
            if field.get("unit"):
                title, description, unit = explorer.field_words(field, resource=name, lang="km")
                if not KHMER.search(unit):
                    missing.append(f"unit {field['unit']!r} of {name}.{field['name']}")
    assert not missing, "add (or update) these rows in locales/explorer.csv:\n" + "\n".join(missing)
    title, description = explorer.resource_text(catalogue.resource("estimates"), lang="km")
    assert KHMER.search(title) and KHMER.search(description)


def test_a_reworded_column_shows_the_descriptors_english_until_translated(catalogue):
    field = dict(catalogue.field("facilities", "area_ha"), description="A new description nobody translated.")
    khmer = explorer.field_help(field, resource="facilities", lang="km")
    assert "A new description nobody translated." in khmer, "a stale translation must not be shown"
    assert khmer.startswith("ផ្ទៃដី។"), "the unchanged title keeps its Khmer"
    unknown = {"name": "brand_new", "title": "Brand new", "description": "Added later."}
    assert explorer.field_help(unknown, resource="facilities", lang="km") == "Brand new។ Added later."


def test_licence_titles_keep_the_licence_name(catalogue):
    licences = catalogue.descriptor["licenses"]
    english = [explorer.licence_title(item) for item in licences]
    assert english == [item.get("title") or item["name"] for item in licences]
    for item, khmer in zip(licences, (explorer.licence_title(item, lang="km") for item in licences), strict=True):
        name = (item.get("title") or item["name"]).split(" (")[0]
        assert khmer.startswith(name), f"the licence's name stays as it is: {khmer}"


def test_khmer_catalogue_rows_state_the_english_figures():
    """Every number in a Khmer text of these pages' catalogue files is one its English states, read the Khmer
    way (0.5 -> 0,5; 6,818,000 -> 6.818.000). Licence names keep their version numbers as written (4.0)."""
    from core.i18n import catalogue as entries
    from tests.test_methods import numbers

    rows = [e for e in entries().values() if e.file in ("explorer.csv", "sources.csv", "methods.csv")
            and not e.key.startswith(("explorer.licence.", "label.source_licence."))]
    assert len(rows) > 300
    wrong = [f"{e.key}: {e.en!r} / {e.km!r}" for e in rows if numbers(e.km, "km") != numbers(e.en, "en")]
    assert not wrong, "\n".join(wrong)
