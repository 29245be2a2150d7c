"""Fault injection: a broken data table gives one clear error naming file, row and column; the app keeps working.

Two levels, to stay within CI's time on two cores:
- loader level, every (table, fault kind) that applies: Catalogue.load raises a DataError naming the file and
  the exact row and column that were broken;
- app level, one fault kind per table (PAGE_FAULT): every registered page runs in AppTest against the broken
  copy; the pages that read the table show an st.error naming data/<file>.csv, the others show no error at all,
  and no page shows the broken value anywhere outside such a message.

st.cache_data is process-wide and keyed by the data folder, so every broken copy lives in its own folder.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import core.catalogue as catalogue_module
from core.catalogue import Catalogue, DataError
from core.site import PAGES
from tests.conftest import DATA
from tests.framed_page import framed_app
from tests.helpers import open_panels, open_tables, tree_nodes

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
TABLES = {res["name"]: res for res in DESCRIPTOR["resources"] if "schema" in res and res["path"].endswith(".csv")}
KINDS = ("non_numeric", "renamed_column", "missing_column", "truncated_last_row", "empty_file", "out_of_range",
         "unknown_source")
# A number no table holds: if it ever shows up on a page, a broken value got through.
SENTINEL = "987654"
UNKNOWN_SOURCE = f"no-such-source-{SENTINEL}"
GENERIC_ERROR = "unexpected problem"  # dashboard.py's last guard: means a page raised, which is a bug


# ------------------------------------------------------------------ building broken copies

@dataclass(frozen=True)
class Fault:
    """A broken CSV text and where the loader must say the problem is (row None: no row to name)."""

    text: str
    row: int | None
    columns: tuple[str, ...]  # the column(s) the error may name; empty when no column applies
    sentinel: str | None = None  # a value that must never be shown as data


def _records(text: str) -> tuple[list[str], list[tuple[int, int, list[str]]]]:
    """Header and (first line, last line, cells) of every record, as a CSV reader sees them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    records, previous = [], reader.line_num
    for cells in reader:
        if any(c.strip() for c in cells):
            records.append((previous + 1, reader.line_num, cells))
        previous = reader.line_num
    return header, records


def _write(header: list[str], rows: list[list[str]], *, final_newline: bool = True) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    text = buffer.getvalue()
    return text if final_newline else text.rstrip("\n")


def _replace_line(text: str, line: int, header: list[str], cells: list[str]) -> str:
    """The text with one single-line record rewritten (the rest byte for byte as before)."""
    lines = text.splitlines(keepends=True)
    ending = "\n" if lines[line - 1].endswith("\n") else ""
    lines[line - 1] = _write(header, [cells]).split("\n", 1)[1].rstrip("\n") + ending
    return "".join(lines)


def _numeric_fields(res: dict) -> list[dict]:
    return [f for f in res["schema"]["fields"] if f.get("type") in ("number", "integer")]


def _bounded_fields(res: dict) -> list[dict]:
    """Numeric columns with a minimum or maximum; shares (maximum 100) and values first."""
    bounded = [f for f in _numeric_fields(res) if {"minimum", "maximum"} & set(f.get("constraints") or {})]
    return sorted(bounded, key=lambda f: (f.get("constraints", {}).get("maximum") != 100,
                                          f["name"] not in ("value", "population", "order"),
                                          f.get("type") != "number"))


def _target(header: list[str], records, column: str) -> tuple[int, list[str]]:
    """A single-line record from the second half of the file with a value in column: a typo in a real figure."""
    index = header.index(column)
    half = len(records) // 2
    for first, last, cells in records[half:] + records[:half]:
        if first == last and cells[index].strip():
            return first, list(cells)
    first, last, cells = next(r for r in records if r[0] == r[1])
    return first, list(cells)


def _key_column(res: dict) -> str:
    """The column a rename or removal takes away: the first numeric one, else the first after the id."""
    numeric = _numeric_fields(res)
    return numeric[0]["name"] if numeric else res["schema"]["fields"][1]["name"]


def make_fault(name: str, kind: str) -> Fault | None:
    """The broken text of table `name` for a fault kind, or None when the kind does not apply to it."""
    res = TABLES[name]
    text = (DATA / res["path"]).read_text(encoding="utf-8")
    header, records = _records(text)
    rows = [cells for _, _, cells in records]
    if kind == "non_numeric":
        numeric = _bounded_fields(res) or _numeric_fields(res)
        if not numeric:
            return None
        column = numeric[0]["name"]
        line, cells = _target(header, records, column)
        cells[header.index(column)] = f"{SENTINEL} t"  # a unit typed into a number cell
        return Fault(_replace_line(text, line, header, cells), line, (column,), SENTINEL)
    if kind == "out_of_range":
        bounded = _bounded_fields(res)
        if not bounded:
            return None
        column, constraints = bounded[0]["name"], bounded[0]["constraints"]
        line, cells = _target(header, records, column)
        cells[header.index(column)] = SENTINEL if "maximum" in constraints else f"-{SENTINEL}"
        return Fault(_replace_line(text, line, header, cells), line, (column,), SENTINEL)
    if kind == "unknown_source":
        if "source_id" not in header:
            return None
        line, cells = _target(header, records, "source_id")
        cells[header.index("source_id")] = UNKNOWN_SOURCE
        return Fault(_replace_line(text, line, header, cells), line, ("source_id",), SENTINEL)
    if kind == "renamed_column":
        column = _key_column(res)
        renamed = [f"{h}_old" if h == column else h for h in header]
        return Fault(_write(renamed, rows), 1, (column,))
    if kind == "missing_column":
        column = _key_column(res)
        drop = header.index(column)
        kept = [h for h in header if h != column]
        return Fault(_write(kept, [[c for i, c in enumerate(r) if i != drop] for r in rows]), 1, (column,))
    if kind == "truncated_last_row":
        keep = len(header) // 2
        broken = _write(header, rows[:-1] + [rows[-1][:keep]], final_newline=False)
        last_line = _records(broken)[1][-1][1]
        # The loader may name the last cell the row still has or the first one it lacks.
        return Fault(broken, last_line, (header[keep - 1], header[keep]))
    if kind == "empty_file":
        return Fault("", 1, ())
    raise ValueError(kind)


CASES = [(name, kind) for name in TABLES for kind in KINDS if make_fault(name, kind) is not None]
# App level: one fault per table, the one that best shows a silently wrong number (a sentinel value).
PAGE_FAULT = {name: next(kind for kind in ("out_of_range", "non_numeric", "renamed_column")
                         if make_fault(name, kind) is not None) for name in TABLES}


def write_broken_copy(pristine: Path, target: Path, name: str, kind: str) -> Fault:
    """A copy of the data folder (with its Parquet cache, which must not mask the break) with one table broken."""
    shutil.copytree(pristine, target)
    fault = make_fault(name, kind)
    assert fault is not None
    (target / TABLES[name]["path"]).write_text(fault.text, encoding="utf-8")
    return fault


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A good copy of data/ whose Parquet cache is warm: broken copies start from it."""
    folder = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("_build"))
    cat = Catalogue(folder)
    for name in TABLES:
        cat.load(name)
    return folder


# ------------------------------------------------------------------ loader level

def test_every_table_is_covered_by_most_fault_kinds():
    kinds = {name: [k for n, k in CASES if n == name] for name in TABLES}
    assert len(TABLES) >= 10, f"expected the ten tables of the data package, found {sorted(TABLES)}"
    for name, applicable in kinds.items():
        assert {"renamed_column", "missing_column", "truncated_last_row", "empty_file"} <= set(applicable), name
        if any(f["name"] == "source_id" for f in TABLES[name]["schema"]["fields"]):
            assert "unknown_source" in applicable, f"{name} cites sources: its unknown-id fault must be built"


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_loader_names_file_row_and_column(pristine, tmp_path, name, kind):
    fault = write_broken_copy(pristine, tmp_path / "data", name, kind)
    display = f"data/{TABLES[name]['path']}"
    with pytest.raises(DataError) as caught:
        Catalogue(tmp_path / "data").load(name)
    error = caught.value
    assert error.file == display, f"the error must name the broken file {display}, not {error.file}"
    assert display in error.message
    assert error.row == fault.row, (f"the error must point at row {fault.row} (the line broken in {display}), "
                                    f"not {error.row}: {error.message}")
    assert f"row {fault.row}" in error.message
    if fault.columns:
        assert error.column in fault.columns, (f"the error must name column {' or '.join(fault.columns)}, not "
                                               f"{error.column}: {error.message}")
        assert f"column '{error.column}'" in error.message
    assert "How to fix" in error.message, "a data error must tell the editor how to fix it"


# ------------------------------------------------------------------ app level

def visible_texts(app) -> list[str]:
    """Everything a page shows, element by element (tables as CSV, charts as their JSON spec)."""
    texts = []
    for node in tree_nodes(app):
        if getattr(node, "type", None) in ("arrow_data_frame", "dataframe", "table"):
            try:
                texts.append(node.value.to_csv())
            except Exception:  # a table AppTest cannot decode: fall back to its message
                texts.append(str(node.proto))
        elif getattr(node, "proto", None) is not None and not getattr(node, "children", None):
            texts.append(str(node.proto))
    return texts


# Parts of a page drawn only on request, switched on by the link so that a broken value cannot hide in them either:
# the generation page's projection (its KPIs, captions, chart and table).
SHOWN_BY_LINK: dict[str, dict[str, str]] = {"generation": {"gen_proj": "true"}}


@pytest.fixture(scope="module")
def tables_used(tmp_path_factory) -> dict[str, set[str]]:
    """Page url_path -> the tables it reads (directly or through source checks), spied on good data."""
    used: dict[str, set[str]] = {}
    calls: list[str] = []
    original = Catalogue.load

    def spy(self, name):
        calls.append(name)
        return original(self, name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogue_module.Catalogue, "load", spy)
        for spec in PAGES:
            # A fresh folder per page: nothing is cached yet, so every read is seen.
            folder = tmp_path_factory.mktemp(f"spy-{spec.url_path}") / "data"
            shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("_build"))
            patch.setenv("KHWASTE_DATA_DIR", str(folder))
            calls.clear()
            app = framed_app(spec.url_path, SHOWN_BY_LINK.get(spec.url_path)).run()
            assert not app.exception, f"{spec.url_path} fails on good data: {app.exception[0].value}"
            assert not app.error, f"{spec.url_path} shows an error on good data: {app.error[0].value}"
            for switch in SHOWN_BY_LINK.get(spec.url_path, {}):
                assert app.toggle(key=switch).value is True, f"{spec.url_path}: the link no longer switches {switch} on"
            used[spec.url_path] = set(calls)
    return used


@pytest.fixture(scope="module")
def broken_folders(pristine, tmp_path_factory) -> dict[str, tuple[Path, Fault]]:
    """One broken copy per table (its PAGE_FAULT), each in its own folder; built on first use."""
    class Lazy(dict):
        def __missing__(self, name):
            target = tmp_path_factory.mktemp(f"broken-{name}") / "data"
            self[name] = (target, write_broken_copy(pristine, target, name, PAGE_FAULT[name]))
            return self[name]

    return Lazy()


PAGE_CASES = [(name, spec.url_path) for name in TABLES for spec in PAGES]


@pytest.mark.parametrize(("name", "url_path"), PAGE_CASES,
                         ids=[f"{n}-{PAGE_FAULT[n]}-{p}" for n, p in PAGE_CASES])
def test_every_page_survives_a_broken_table(broken_folders, tables_used, monkeypatch, name, url_path):
    folder, fault = broken_folders[name]
    display = f"data/{TABLES[name]['path']}"
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(folder))
    # Every chart frame's table and every lazy panel (a table under a chart) opened too, so a broken value cannot
    # hide in a table (or its download).
    app = open_panels(open_tables(framed_app(url_path, SHOWN_BY_LINK.get(url_path)).run(), required=False),
                      required=False)
    assert not app.exception, f"{url_path} raised with a broken {display}: {app.exception[0].value}"
    errors = [e.value for e in app.error]
    assert not any(GENERIC_ERROR in e for e in errors), (
        f"{url_path} hit dashboard.py's last guard with a broken {display}: a page raised instead of showing "
        "the DataError; wrap the load in components.data.need().")
    if name in tables_used[url_path]:
        assert any(display in e for e in errors), (
            f"{url_path} reads {display} but shows no error naming it ({PAGE_FAULT[name]}); errors: {errors}")
    else:
        assert not errors, f"{url_path} does not read {display} yet shows an error: {errors}"
    if fault.sentinel:
        leaked = [t for t in visible_texts(app) if fault.sentinel in t and display not in t]
        assert not leaked, (f"{url_path} shows the broken value {fault.sentinel} from {display} as if it were "
                            f"data: {leaked[0][:300]}")


def test_each_broken_table_is_reported_by_some_page(tables_used):
    for name in TABLES:
        readers = [page for page, used in tables_used.items() if name in used]
        assert readers, f"no page reads {name}: the fault test cannot show its error; is the table still used?"
