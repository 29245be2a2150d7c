"""The data explorer's pure helpers: tabular resources, literal text search, column help, the package zip.

Words that come from the descriptor (a table's title and description, a column's title, description and unit, a
licence's title) are shown in Khmer from the catalogue (locales/explorer.csv: `explorer.resource.<table>.*`,
`explorer.field.<table>.<column>.*`, `explorer.unit.*`, `explorer.licence.*`) only while the catalogue's English
is still the descriptor's text; an edited descriptor shows its own English until the translation is updated
(tests/test_explorer.py names any column without a current translation). Names (tables, columns, licences) stay.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from core.catalogue import DataError
from core.i18n import catalogue as i18n_catalogue
from core.i18n import translator
from core.sectors import BY_KEY

QUERY_LIMIT = 200  # characters of a search kept; a link cannot make the page scan megabytes of text
DESCRIPTOR = "datapackage.json"
# Files that travel with a resource but are not resources themselves (provenance and licence of the boundaries).
COMPANION_FILES = ("khm_adm1.SOURCE.md",)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~:&$])")


def tabular_names(descriptor: dict) -> list[str]:
    """Resources that are tables (CSV with a Table Schema), in descriptor order; the GeoJSON is not one."""
    return [res["name"] for res in descriptor.get("resources", [])
            if res.get("schema", {}).get("fields") and str(res.get("path", "")).endswith(".csv")]


def clean_query(raw: object) -> str:
    """A search as typed or linked, trimmed and capped; never interpreted as a pattern."""
    return str(raw or "").strip()[:QUERY_LIMIT]


def text_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding text (the loader types every non-numeric, non-boolean column as str)."""
    return [c for c in frame.columns
            if pd.api.types.is_string_dtype(frame[c]) or pd.api.types.is_object_dtype(frame[c])]


def search(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows where any text column contains the query, case-insensitively and literally (no regex)."""
    query = clean_query(query)
    if not query:
        return frame
    mask = pd.Series(False, index=frame.index)
    for column in text_columns(frame):
        mask |= frame[column].astype("str").str.contains(query, case=False, regex=False, na=False)
    return frame[mask]


def filterable(columns: Iterable[str], applies: tuple[str, ...]) -> tuple[str, ...]:
    """The sector filters that core.sectors.apply can act on for a table with these columns."""
    columns = set(columns)
    usable = []
    for key in applies:
        if key == "years":
            if {"year_start", "year_end"} <= columns:
                usable.append(key)
        elif key in BY_KEY and BY_KEY[key].column in columns:
            usable.append(key)
    return tuple(usable)


def _slug(text: object) -> str:
    """Descriptor words as a catalogue key part: 'tonnes per day' -> 'tonnes_per_day'."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def current_translation(key: str, english: str) -> bool:
    """True when the catalogue has `key` and its English is still `english` (the descriptor's words)."""
    entry = i18n_catalogue().get(key)
    return entry is not None and entry.en == english


def resource_text(resource: dict, *, lang: str = "en") -> tuple[str, str]:
    """A table's title and description in the language (the descriptor's English when no current translation)."""
    _ = translator(lang)
    name = str(resource["name"])
    title = str(resource.get("title") or name)
    description = str(resource.get("description") or "")
    if lang != "en":
        if current_translation(f"explorer.resource.{name}.title", title):
            title = _(f"explorer.resource.{name}.title")
        if description and current_translation(f"explorer.resource.{name}.description", description):
            description = _(f"explorer.resource.{name}.description")
    return title, description


def field_words(field: dict, *, resource: str | None = None, lang: str = "en") -> tuple[str, str, str]:
    """A column's title, description and unit in the language (the descriptor's English when untranslated)."""
    _ = translator(lang)
    name = str(field["name"])
    title = str(field.get("title") or name)
    description = str(field.get("description") or "")
    unit = str(field.get("unit") or "")
    if lang != "en":
        if resource and current_translation(f"explorer.field.{resource}.{name}.title", title):
            title = _(f"explorer.field.{resource}.{name}.title")
        if resource and description and current_translation(f"explorer.field.{resource}.{name}.description",
                                                               description):
            description = _(f"explorer.field.{resource}.{name}.description")
        if unit and current_translation(f"explorer.unit.{_slug(unit)}", unit):
            unit = _(f"explorer.unit.{_slug(unit)}")
    return title, description, unit


def field_help(field: dict, *, resource: str | None = None, lang: str = "en") -> str:
    """Tooltip text for a column: its title, description and unit as the descriptor gives them (in Khmer from
    the catalogue when `resource` names the column's table)."""
    _ = translator(lang)
    title, description, unit = field_words(field, resource=resource, lang=lang)
    parts = [_("explorer.field_title", title=title)]
    if description:
        parts.append(description)
    if unit:
        parts.append(_("explorer.field_unit", unit=unit))
    return " ".join(parts)


def licence_title(item: dict, *, lang: str = "en") -> str:
    """A licence as the descriptor names it; in Khmer, what it covers is translated (the licence's name stays)."""
    _ = translator(lang)
    title = str(item.get("title") or item["name"])
    if lang != "en" and current_translation(f"explorer.licence.{_slug(title)}", title):
        return _(f"explorer.licence.{_slug(title)}")
    return title


def escape_markdown(text: str) -> str:
    """Text shown literally inside Markdown: no link, emphasis or HTML can come from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def package_files(data_dir: Path | str, descriptor: dict) -> list[Path]:
    """Every file of the data package: the descriptor, each resource's file, and companion notes."""
    data_dir = Path(data_dir)
    names = [DESCRIPTOR] + [str(res["path"]) for res in descriptor.get("resources", []) if res.get("path")]
    names += [name for name in COMPANION_FILES if name not in names]
    files = []
    for name in names:
        path = data_dir / name
        if not path.is_file():
            raise DataError(f"data/{name}", "file exists", "a file of the data package is missing",
                            fix=f"restore data/{name} from the repository.")
        files.append(path)
    return files


def fingerprint(files: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of each file: a changed file gives a new cache key."""
    stamps = []
    for path in files:
        stat = path.stat()
        stamps.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def package_zip(files: Iterable[Path]) -> bytes:
    """A zip of the data package, every file at the top level, as a Frictionless tool expects."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()
