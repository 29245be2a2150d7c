"""Read the curated data package: one typed, validated DataFrame per resource, or one clear DataError."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Bumped whenever the typing rules below change, so stale Parquet copies are never reused.
LOADER_VERSION = "1"
SOURCE_FIELDS = ("source_id",)
ID_SEPARATOR = ";"


def data_dir_from_env() -> Path:
    """The data folder: KHWASTE_DATA_DIR when set (tests point it at broken copies), else ./data."""
    return Path(os.environ.get("KHWASTE_DATA_DIR") or DEFAULT_DATA_DIR)


class DataError(Exception):
    """A data file breaks a rule of its schema; says where (file, row, column) and how to fix it."""

    def __init__(
        self,
        file: str,
        rule: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        fix: str = "",
        more: int = 0,
    ) -> None:
        self.file, self.rule, self.problem = file, rule, problem
        self.row, self.column, self.fix, self.more = row, column, fix, more
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.problem} (rule: {self.rule})."
        if self.fix:
            text += f" How to fix: {self.fix}"
        if self.more:
            text += f" ({self.more} more problem{'s' if self.more > 1 else ''} in this file after this one.)"
        return text


@dataclass
class _Problems:
    """Collects every violation in a file, raises one error naming the first."""

    file: str
    items: list[DataError] = field(default_factory=list)

    def add(self, rule: str, problem: str, *, row: int | None = None, column: str | None = None,
            fix: str = "") -> None:
        self.items.append(DataError(self.file, rule, problem, row=row, column=column, fix=fix))

    def raise_first(self) -> None:
        if self.items:
            first = self.items[0]
            first.more = len(self.items) - 1
            raise DataError(first.file, first.rule, first.problem, row=first.row, column=first.column,
                            fix=first.fix, more=first.more)


def split_ids(cell: str) -> list[str]:
    """Source ids in one cell: 'a;b' cites two sources."""
    return [part.strip() for part in cell.split(ID_SEPARATOR) if part.strip()]


def _parse_cell(value: str, ftype: str) -> object:
    """Typed value of a non-empty cell; raises ValueError with a reader-friendly reason."""
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"'{value}' is not a whole number")
        return int(value)
    if ftype == "number":
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a number") from None
        if math.isnan(number) or math.isinf(number):
            raise ValueError(f"'{value}' is not a finite number")
        return number
    if ftype == "boolean":
        lowered = value.lower()
        if lowered in {"true", "yes", "1"}:
            return True
        if lowered in {"false", "no", "0"}:
            return False
        raise ValueError(f"'{value}' is not true or false")
    return value


_TYPE_FIX = {
    "integer": "write a whole number such as 2019, with no spaces or thousands separators, "
               "or leave the cell empty if the figure is not published.",
    "number": "write a plain number such as 1200 or 3.5 (no units, no thousands separators), "
              "or leave the cell empty if the figure is not published.",
    "boolean": "write true or false.",
}


class Catalogue:
    """The data package in one folder: descriptor, resources, citations."""

    def __init__(self, data_dir: Path | str | None = None, *, use_parquet: bool = True) -> None:
        self.data_dir = Path(data_dir) if data_dir else data_dir_from_env()
        self.use_parquet = use_parquet
        self._descriptor: dict | None = None

    # -- descriptor -------------------------------------------------------------------------
    @property
    def descriptor_path(self) -> Path:
        return self.data_dir / "datapackage.json"

    @property
    def descriptor(self) -> dict:
        if self._descriptor is None:
            path = self.descriptor_path
            if not path.exists():
                raise DataError("data/datapackage.json", "file exists", "the data package descriptor is missing",
                                fix="restore data/datapackage.json from the repository.")
            try:
                self._descriptor = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise DataError("data/datapackage.json", "valid JSON", f"the descriptor is not valid JSON ({exc.msg})",
                                row=exc.lineno, fix="check the commas and brackets around that line.") from None
        return self._descriptor

    def resource_names(self) -> list[str]:
        return [res["name"] for res in self.descriptor.get("resources", [])]

    def resource(self, name: str) -> dict:
        for res in self.descriptor.get("resources", []):
            if res.get("name") == name:
                return res
        raise DataError("data/datapackage.json", "resource declared", f"no resource named '{name}'",
                        fix=f"add a resource '{name}' to data/datapackage.json or fix the name asked for.")

    def fields(self, name: str) -> list[dict]:
        return self.resource(name).get("schema", {}).get("fields", [])

    def field(self, resource: str, column: str) -> dict:
        for fdef in self.fields(resource):
            if fdef["name"] == column:
                return fdef
        raise KeyError(f"{resource}.{column}")

    def path(self, name: str) -> Path:
        return self.data_dir / self.resource(name)["path"]

    # -- loading ----------------------------------------------------------------------------
    def load(self, name: str) -> pd.DataFrame:
        """The resource as a DataFrame typed by its schema; raises DataError on any violation."""
        res = self.resource(name)
        path = self.path(name)
        display = f"data/{res['path']}"
        if not path.exists():
            raise DataError(display, "file exists", "the file is missing",
                            fix=f"restore {display} or remove the resource from data/datapackage.json.")
        raw = path.read_bytes()
        key = self._cache_key(name, raw)
        cached = self._read_parquet(name, key)
        if cached is not None:
            return cached
        frame = self._parse_and_check(name, res, raw, display)
        self._write_parquet(name, key, frame)
        return frame

    def _cache_key(self, name: str, raw: bytes) -> str:
        digest = hashlib.sha256()
        digest.update(LOADER_VERSION.encode())
        digest.update(json.dumps(self.resource(name), sort_keys=True).encode())
        digest.update(raw)
        if name != "sources" and self._cites_sources(name):
            digest.update(self.path("sources").read_bytes() if self.path("sources").exists() else b"")
        return digest.hexdigest()

    def _cites_sources(self, name: str) -> bool:
        return any(f["name"] in SOURCE_FIELDS for f in self.fields(name))

    def _parquet_path(self, name: str) -> Path:
        return self.data_dir / "_build" / f"{name}.parquet"

    def _read_parquet(self, name: str, key: str) -> pd.DataFrame | None:
        if not self.use_parquet:
            return None
        target = self._parquet_path(name)
        if not target.exists():
            return None
        try:
            import pyarrow.parquet as pq

            table = pq.read_table(target)
            if (table.schema.metadata or {}).get(b"khwaste_key", b"").decode() != key:
                return None
            return table.to_pandas()
        except Exception:  # a corrupt or foreign cache file is rebuilt, never trusted
            return None

    def _write_parquet(self, name: str, key: str, frame: pd.DataFrame) -> None:
        if not self.use_parquet:
            return
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq

            target = self._parquet_path(name)
            target.parent.mkdir(exist_ok=True)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"khwaste_key": key.encode()})
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            pq.write_table(table, tmp)
            os.replace(tmp, target)  # atomic: concurrent sessions never read a half-written file
        except OSError:
            pass  # read-only data folder (e.g. a container): validation still ran, caching is optional

    def _parse_and_check(self, name: str, res: dict, raw: bytes, display: str) -> pd.DataFrame:
        problems = _Problems(display)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(display, "UTF-8 text", "the file is not UTF-8 text", row=line,
                            fix="save the file as UTF-8 CSV.") from None
        if not text.strip():
            header = ",".join(f["name"] for f in self.fields(name))
            raise DataError(display, "not empty", "the file is empty", row=1,
                            fix=f"restore the header row ({header}) and the data rows.")
        schema_fields = self.fields(name)
        names = [f["name"] for f in schema_fields]
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except csv.Error as exc:
            raise DataError(display, "valid CSV", f"the header row cannot be read ({exc})", row=1) from None
        header = [h.strip() for h in header]
        for column in names:
            if column not in header:
                problems.add("column present", "a column described in datapackage.json is missing from the header",
                             row=1, column=column,
                             fix=f"add the column '{column}' to the header row (check its spelling).")
        for column in header:
            if column not in names:
                problems.add("column described", "this column is not described in datapackage.json",
                             row=1, column=column,
                             fix="rename it to a described column, or describe it in data/datapackage.json.")
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            problems.add("unique header", "this column appears twice in the header", row=1, column=dup,
                         fix="remove or rename one of them.")
        problems.raise_first()

        rows: list[tuple[int, list[str]]] = []
        try:
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    problems.add(
                        "row width", f"the row has {len(cells)} cells but the header has {len(header)}",
                        row=line, column=header[min(len(cells), len(header)) - 1] if cells else None,
                        fix="a cell is missing (truncated row) or a comma inside text is not quoted; "
                            "put text that contains commas in double quotes.")
                    continue
                rows.append((line, cells))
        except csv.Error as exc:
            raise DataError(display, "valid CSV", f"the file cannot be read as CSV ({exc})",
                            row=reader.line_num, fix="check the quotes on that line.") from None
        problems.raise_first()

        position = {column: header.index(column) for column in names}
        columns: dict[str, list[object]] = {column: [] for column in names}
        for fdef in schema_fields:
            column, ftype = fdef["name"], fdef.get("type", "string")
            cons = fdef.get("constraints", {})
            enum = cons.get("enum")
            pattern = re.compile(cons["pattern"]) if "pattern" in cons else None
            seen: dict[object, int] = {}
            for line, cells in rows:
                cell = cells[position[column]].strip()
                if cell == "":
                    if cons.get("required"):
                        problems.add("required", "the cell is empty but this column must always be filled",
                                     row=line, column=column, fix=f"fill in '{column}': {fdef.get('description', '')}")
                    columns[column].append(None)
                    continue
                try:
                    value = _parse_cell(cell, ftype)
                except ValueError as exc:
                    problems.add(f"type {ftype}", str(exc), row=line, column=column, fix=_TYPE_FIX.get(ftype, ""))
                    columns[column].append(None)
                    continue
                if enum is not None and value not in enum:
                    problems.add("allowed values", f"'{cell}' is not one of the allowed values", row=line,
                                 column=column, fix=f"use one of: {', '.join(map(str, enum))}.")
                if pattern and not pattern.fullmatch(cell):
                    problems.add("pattern", f"'{cell}' does not have the expected form", row=line, column=column,
                                 fix=f"match the pattern {cons['pattern']}.")
                if "minimum" in cons and isinstance(value, int | float) and value < cons["minimum"]:
                    problems.add("minimum", f"{cell} is below the minimum of {cons['minimum']}", row=line,
                                 column=column, fix="check the figure against its source and quote.")
                if "maximum" in cons and isinstance(value, int | float) and value > cons["maximum"]:
                    problems.add("maximum", f"{cell} is above the maximum of {cons['maximum']}", row=line,
                                 column=column, fix="check the figure against its source and quote.")
                if cons.get("unique"):
                    if value in seen:
                        problems.add("unique", f"'{cell}' already appears on row {seen[value]}", row=line,
                                     column=column, fix="give each row its own value.")
                    seen.setdefault(value, line)
                columns[column].append(value)
        problems.raise_first()

        frame = pd.DataFrame({fdef["name"]: _typed_series(columns[fdef["name"]], fdef.get("type", "string"))
                              for fdef in schema_fields})
        frame.attrs["lines"] = [line for line, _ in rows]
        self._check_primary_key(res, frame, problems)
        self._check_sources(name, frame, problems)
        self._check_group_sums(res, frame, problems)
        problems.raise_first()
        frame.attrs = {}
        return frame

    def _check_primary_key(self, res: dict, frame: pd.DataFrame, problems: _Problems) -> None:
        key = res.get("schema", {}).get("primaryKey")
        if not key or isinstance(key, str):
            return  # single-column keys are checked as unique fields
        dup = frame.duplicated(subset=key, keep="first")
        for pos in dup[dup].index:
            problems.add("primary key", f"the combination of {', '.join(key)} repeats an earlier row",
                         row=frame.attrs["lines"][pos], column=key[-1], fix="merge or distinguish the two rows.")

    def _check_sources(self, name: str, frame: pd.DataFrame, problems: _Problems) -> None:
        if name == "sources" or not self._cites_sources(name):
            return
        known = set(self.load("sources")["id"])
        for column in SOURCE_FIELDS:
            if column not in frame:
                continue
            for pos, cell in enumerate(frame[column]):
                if cell is None or cell == "":
                    continue
                for source in split_ids(cell):
                    if source not in known:
                        problems.add("source known", f"source id '{source}' is not in data/sources.csv",
                                     row=frame.attrs["lines"][pos], column=column,
                                     fix="add the source to data/sources.csv (title, producer, year, URL, accessed, "
                                         "licence, quote) or correct the id.")

    def _check_group_sums(self, res: dict, frame: pd.DataFrame, problems: _Problems) -> None:
        for check in res.get("x-checks", []):
            if check.get("rule") != "group-sum":
                continue
            value, target, tol = check["field"], check["target"], check["tolerance"]
            flag = check.get("complete_flag")
            for _, group in frame.groupby(check["group_by"], sort=False, dropna=False):
                total = group[value].sum(min_count=1)
                if pd.isna(total):
                    continue
                first_line = frame.attrs["lines"][group.index[0]]
                label = ", ".join(f"{c}={group[c].iloc[0]}" for c in check["group_by"])
                # A set flagged complete (or every set, in mode "exact") must reach the target; partial sets
                # may fall short of it but never exceed it.
                complete = bool(group[flag].fillna(False).all()) if flag else check.get("mode") != "at_most"
                if complete and abs(total - target) > tol:
                    problems.add("shares sum to 100",
                                 f"the shares of {label} add up to {total:g}, not {target} (tolerance {tol})",
                                 row=first_line, column=value,
                                 fix="check each share against the source; if the source gives only some "
                                     f"shares, set {flag} to false." if flag else "check each share.")
                elif not complete and total > target + tol:
                    problems.add("shares at most 100", f"the shares of {label} add up to {total:g}, over {target}",
                                 row=first_line, column=value, fix="check each share against the source.")

    # -- citations --------------------------------------------------------------------------
    def sources_for(self, ids: Iterable[str]) -> pd.DataFrame:
        """Rows of the sources table for these ids (cells may hold several ids), in first-cited order."""
        return select_sources(self.load("sources"), ids)


def select_sources(sources: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The cited rows of a sources table, in first-cited order; cells may hold several ids."""
    wanted: list[str] = []
    for cell in ids:
        for source in split_ids(str(cell)):
            if source not in wanted:
                wanted.append(source)
    table = sources.set_index("id")
    return table.loc[[s for s in wanted if s in table.index]].reset_index()


def _typed_series(values: list[object], ftype: str) -> pd.Series:
    if ftype == "integer":
        return pd.Series(pd.array(values, dtype="Int64"))
    if ftype == "number":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    if ftype == "boolean":
        return pd.Series(pd.array(values, dtype="boolean"))
    return pd.Series(["" if v is None else v for v in values], dtype="str")


def short_label(source: pd.Series | dict) -> str:
    """'Pheakdey et al. 2022' or 'IGES-CCET 2025': a legend- and KPI-sized name for a source."""
    authors = str(source.get("authors") or "").strip()
    producer = str(source.get("producer") or "").strip()
    if authors:
        names = [a.strip() for a in re.split(r";|&| and ", authors) if a.strip()]
        name = names[0] if len(names) == 1 or names[0].endswith("et al.") else f"{names[0]} et al."
    else:
        abbreviation = re.search(r"\(([A-Z][A-Z0-9-]{1,15})\)", producer)
        name = abbreviation.group(1) if abbreviation else re.sub(r"\s*\(.*?\)", "", producer)
    name = name if len(name) <= 40 else name[:39] + "…"
    year = source.get("year")
    return f"{name} {int(year)}" if year is not None and not pd.isna(year) else f"{name} n.d."


def format_citation(source: pd.Series | dict) -> str:
    """'Producer (year). Title. Licence.' for a source line under a chart."""
    producer = source.get("producer") or source.get("authors") or "Unknown producer"
    year = source.get("year")
    year_text = f" ({int(year)})" if year is not None and not pd.isna(year) else " (n.d.)"
    return f"{producer}{year_text}. {source.get('title', '')}. {source.get('licence') or 'No licence stated'}."
