"""The loader types each resource by its schema and turns every kind of bad input into one clear DataError."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from core.catalogue import Catalogue, DataError, format_citation

DESCRIPTOR = {
    "name": "mini",
    "resources": [
        {
            "name": "sources", "path": "sources.csv",
            "schema": {"fields": [
                {"name": "id", "type": "string", "constraints": {"required": True, "unique": True,
                                                                "pattern": "[a-z0-9-]+"}},
                {"name": "title", "type": "string", "constraints": {"required": True}},
                {"name": "producer", "type": "string"},
                {"name": "year", "type": "integer"},
                {"name": "url", "type": "string"},
                {"name": "licence", "type": "string"},
            ]},
        },
        {
            "name": "shares", "path": "shares.csv",
            "schema": {"fields": [
                {"name": "set_id", "type": "string", "constraints": {"required": True}},
                {"name": "material", "type": "string",
                 "constraints": {"required": True, "enum": ["organic", "plastic", "other"]}},
                {"name": "share_pct", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
                {"name": "year", "type": "integer"},
                {"name": "set_complete", "type": "boolean"},
                {"name": "source_id", "type": "string", "constraints": {"required": True}},
            ], "primaryKey": ["set_id", "material"]},
            "x-checks": [{"rule": "group-sum", "group_by": ["set_id"], "field": "share_pct", "target": 100,
                          "tolerance": 0.5, "complete_flag": "set_complete"}],
        },
    ],
}
SOURCES = "id,title,producer,year,url,licence\nsrc-a,A report,Ministry,2020,https://example.org/a,No licence stated\n" \
          "src-b,B paper,Journal,,https://example.org/b,CC-BY-4.0\n"
SHARES = ("set_id,material,share_pct,year,set_complete,source_id\n"
          "s1,organic,60,2020,true,src-a\n"
          "s1,plastic,20,2020,true,src-a\n"
          "s1,other,20,2020,true,src-a;src-b\n"
          "s2,organic,55,,false,src-b\n")


def make_package(tmp_path: Path, shares: str = SHARES, sources: str = SOURCES) -> Catalogue:
    (tmp_path / "datapackage.json").write_text(json.dumps(DESCRIPTOR))
    (tmp_path / "sources.csv").write_text(sources)
    (tmp_path / "shares.csv").write_text(shares)
    return Catalogue(tmp_path)


def error_for(tmp_path: Path, shares: str) -> DataError:
    with pytest.raises(DataError) as caught:
        make_package(tmp_path, shares).load("shares")
    return caught.value


def test_good_file_is_typed_by_its_schema(tmp_path):
    frame = make_package(tmp_path).load("shares")
    assert list(frame.columns) == ["set_id", "material", "share_pct", "year", "set_complete", "source_id"]
    assert frame["share_pct"].dtype == "float64"
    assert str(frame["year"].dtype) == "Int64"
    assert frame["year"].isna().tolist() == [False, False, False, True], "an empty cell stays a gap"
    assert frame["set_complete"].tolist() == [True, True, True, False]
    assert frame.loc[0, "share_pct"] == 60.0


def test_non_numeric_cell_names_file_row_and_column(tmp_path):
    error = error_for(tmp_path, SHARES.replace("s1,plastic,20", "s1,plastic,twenty"))
    assert (error.file, error.row, error.column) == ("data/shares.csv", 3, "share_pct")
    assert "'twenty' is not a number" in error.message
    assert "data/shares.csv, row 3, column 'share_pct'" in error.message
    assert "How to fix" in error.message


def test_missing_column_is_named(tmp_path):
    broken = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in SHARES.splitlines())
    error = error_for(tmp_path, broken + "\n")
    assert error.column == "year" and error.row == 1
    assert "missing from the header" in error.message


def test_renamed_column_is_reported_as_missing_and_undescribed(tmp_path):
    error = error_for(tmp_path, SHARES.replace("share_pct", "share"))
    assert error.column == "share_pct" and error.more >= 1


def test_out_of_range_share_is_rejected(tmp_path):
    error = error_for(tmp_path, SHARES.replace("s2,organic,55", "s2,organic,155"))
    assert (error.row, error.column, error.rule) == (5, "share_pct", "maximum")


def test_negative_share_is_rejected(tmp_path):
    error = error_for(tmp_path, SHARES.replace("s2,organic,55", "s2,organic,-5"))
    assert (error.row, error.column, error.rule) == (5, "share_pct", "minimum")


def test_complete_set_must_sum_to_100(tmp_path):
    error = error_for(tmp_path, SHARES.replace("s1,other,20", "s1,other,25"))
    assert error.rule == "shares sum to 100"
    assert (error.row, error.column) == (2, "share_pct")
    assert "add up to 105" in error.message


def test_partial_set_may_not_exceed_100(tmp_path):
    extra = SHARES + "s2,plastic,50,,false,src-b\n"
    error = error_for(tmp_path, extra)
    assert error.rule == "shares at most 100"


def test_unknown_source_id_is_named(tmp_path):
    error = error_for(tmp_path, SHARES.replace("src-a;src-b", "src-a;src-zzz"))
    assert (error.row, error.column, error.rule) == (4, "source_id", "source known")
    assert "'src-zzz'" in error.message


def test_empty_file_is_reported(tmp_path):
    error = error_for(tmp_path, "")
    assert error.rule == "not empty" and error.file == "data/shares.csv"
    assert "set_id,material" in error.fix, "the fix shows the header to restore"


def test_truncated_last_row_is_reported(tmp_path):
    error = error_for(tmp_path, SHARES + "s3,organic")
    assert (error.row, error.rule) == (6, "row width")


def test_enum_violation_lists_allowed_values(tmp_path):
    error = error_for(tmp_path, SHARES.replace("s2,organic", "s2,food"))
    assert error.column == "material" and "organic, plastic, other" in error.fix


def test_required_cell(tmp_path):
    error = error_for(tmp_path, SHARES.replace(",src-b\n", ",\n"))
    assert (error.row, error.column, error.rule) == (5, "source_id", "required")


def test_duplicate_primary_key(tmp_path):
    error = error_for(tmp_path, SHARES + "s2,organic,10,,false,src-b\n")
    assert error.rule == "primary key" and error.row == 6


def test_unique_and_pattern_in_sources(tmp_path):
    cat = make_package(tmp_path, sources=SOURCES + "src-a,Dup,X,2020,,\n")
    with pytest.raises(DataError) as caught:
        cat.load("sources")
    assert (caught.value.row, caught.value.rule) == (4, "unique")


def test_broken_sources_file_is_named_when_another_table_needs_it(tmp_path):
    cat = make_package(tmp_path, sources="id,title,producer,year,url,licence\nsrc-a,A,M,twenty,,\n")
    with pytest.raises(DataError) as caught:
        cat.load("shares")
    assert caught.value.file == "data/sources.csv" and caught.value.column == "year"


def test_invalid_descriptor_json(tmp_path):
    make_package(tmp_path)
    (tmp_path / "datapackage.json").write_text('{"resources": [,]}')
    with pytest.raises(DataError) as caught:
        Catalogue(tmp_path).load("shares")
    assert caught.value.file == "data/datapackage.json" and caught.value.row == 1


def test_parquet_copy_is_built_then_reused_and_rebuilt_when_csv_changes(tmp_path):
    cat = make_package(tmp_path)
    first = cat.load("shares")
    parquet = tmp_path / "_build" / "shares.parquet"
    assert parquet.exists()
    stamp = parquet.stat().st_mtime_ns
    again = Catalogue(tmp_path).load("shares")
    pd.testing.assert_frame_equal(first, again)
    assert parquet.stat().st_mtime_ns == stamp, "an unchanged CSV reuses its Parquet copy"
    (tmp_path / "shares.csv").write_text(SHARES.replace("s2,organic,55", "s2,organic,56"))
    changed = Catalogue(tmp_path).load("shares")
    assert changed.loc[3, "share_pct"] == 56.0, "a changed CSV is re-read, never served stale"
    (tmp_path / "shares.csv").write_text(SHARES.replace("s2,organic,55", "s2,organic,x"))
    with pytest.raises(DataError):
        Catalogue(tmp_path).load("shares")


def test_read_only_data_folder_still_loads(tmp_path):
    cat = make_package(tmp_path)
    (tmp_path / "_build").write_text("not a folder")  # the cache cannot be written
    assert len(cat.load("shares")) == 4


def test_format_citation_marks_unknown_year():
    assert format_citation({"producer": "Journal", "year": None, "title": "B paper", "licence": ""}) == \
        "Journal (n.d.). B paper. No licence stated."


def test_real_package_copy_can_be_broken_without_touching_the_repo(tmp_path, real_data_dir):
    copy = tmp_path / "data"
    shutil.copytree(real_data_dir, copy, ignore=shutil.ignore_patterns("_build"))
    assert len(Catalogue(copy).load("estimates")) > 100
