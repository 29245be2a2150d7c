"""Khmer and English: the one translation catalogue, and numbers and dates formatted for each language.

The catalogue is the folder `locales/`: one CSV per part of the app (`common.csv`, `overview.csv`, ...), read as
one table with the columns

    key        unique across all files, dotted: `<file>.<name>` (e.g. `overview.title`)
    en         the English text
    km         the Khmer text
    km_status  `machine` (drafted by machine translation, to be reviewed) or `reviewed` (checked by a
               Khmer-speaking reviewer)
    note       optional: context for the translator

Texts may hold named placeholders, `{year}`, filled by `Translator.__call__(key, year=2024)`; both languages
must use the same placeholders (tests/test_i18n.py checks it, and that every key used in the code exists in
both languages). Numbers follow the Unicode CLDR conventions of each language: English 1,234.5; Khmer
1.234,5 (CLDR `km`: decimal comma, dot for thousands, Latin digits). No Streamlit here.
"""

from __future__ import annotations

import csv
import math
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGS: tuple[str, ...] = ("en", "km")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "km": "ខ្មែរ"}
STATUSES = ("machine", "reviewed")
COLUMNS = ("key", "en", "km", "km_status", "note")
KEY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")

# CLDR: decimal and group separators; Plotly's layout.separators is "<decimal><group>".
SEPARATORS = {"en": (".", ","), "km": (",", ".")}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    # CLDR km month names (wide format).
    "km": ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា",
           "ធ្នូ"),
}


class CatalogueError(ValueError):
    """A problem in a locales/ file, naming the file, row and column."""


@dataclass(frozen=True)
class Entry:
    key: str
    en: str
    km: str
    km_status: str
    note: str
    file: str
    row: int


def normalise_lang(value: object) -> str | None:
    """'km', 'KM', ' km ' -> 'km'; anything that is not a supported language -> None."""
    text = str(value).strip().lower() if value is not None else ""
    return text if text in LANGS else None


def placeholders(text: str) -> set[str]:
    """The named fields of a format string ('{year}' -> {'year'}); format specs are ignored."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError as error:
        raise CatalogueError(f"malformed placeholder in {text!r}: {error}") from error


def read_catalogue(folder: Path = LOCALES_DIR) -> dict[str, Entry]:
    """Every entry of every locales/*.csv, validated; a CatalogueError names file, row and column."""
    entries: dict[str, Entry] = {}
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise CatalogueError(f"no translation files in {folder}")
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise CatalogueError(f"{path.name}: the header must be {','.join(COLUMNS)}, "
                                     f"not {','.join(reader.fieldnames or ())}")
            for number, row in enumerate(reader, start=2):
                where = f"{path.name} row {number}"
                if None in row or any(value is None for value in row.values()):
                    raise CatalogueError(f"{where}: wrong number of cells (expected {len(COLUMNS)})")
                key = row["key"].strip()
                if not KEY_PATTERN.match(key):
                    raise CatalogueError(f"{where}, column key: {key!r} is not a dotted lower-case key")
                if key in entries:
                    first = entries[key]
                    raise CatalogueError(f"{where}, column key: {key!r} is already defined in {first.file} "
                                         f"row {first.row}")
                for column in ("en", "km"):
                    if not row[column].strip():
                        raise CatalogueError(f"{where}, column {column}: the text of {key!r} is missing")
                if row["km_status"] not in STATUSES:
                    raise CatalogueError(f"{where}, column km_status: {row['km_status']!r} is not one of "
                                         f"{', '.join(STATUSES)}")
                if placeholders(row["en"]) != placeholders(row["km"]):
                    raise CatalogueError(f"{where}, column km: placeholders {sorted(placeholders(row['km']))} "
                                         f"differ from the English {sorted(placeholders(row['en']))}")
                entries[key] = Entry(key, row["en"], row["km"], row["km_status"], row["note"], path.name, number)
    return entries


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Entry]:
    """The validated catalogue of the app's own locales/ folder, read once per process."""
    return read_catalogue(LOCALES_DIR)


def text(lang: str, key: str, /, **params: object) -> str:
    """The text of `key` in `lang`, placeholders filled. A missing key raises KeyError (tests catch it)."""
    entry = catalogue()[key]
    template = entry.km if lang == "km" else entry.en
    return template.format(**params) if params else template


def number(value: float | int | None, lang: str = DEFAULT_LANG, digits: int | None = None, *,
           grouping: bool = True, signed: bool = False) -> str:
    """A number written for the language: 1,234.5 (en) or 1.234,5 (km); `digits` fixed decimals, else three
    significant digits below 100 and one decimal at most above. None or NaN -> an en dash (a visible gap)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "+" if signed and value > 0 else ""
    if digits is None:  # like '{:g}' with three significant digits for small numbers, grouped for large ones
        if value == int(value):
            body = f"{int(value):,}"
        elif abs(value) >= 100:
            body = f"{value:,.1f}"
        else:
            body = f"{value:.3g}" if abs(value) >= 1e-4 else f"{value:.2e}"
        if "." in body and "e" not in body:
            body = body.rstrip("0").rstrip(".")
    else:
        body = f"{value:,.{digits}f}"
    if not grouping:
        body = body.replace(",", "")
    decimal, group = SEPARATORS.get(lang, SEPARATORS["en"])
    body = body.replace(",", "\0").replace(".", decimal).replace("\0", group)
    return sign + body


def formatted(value: float, spec: str, lang: str = DEFAULT_LANG) -> str:
    """`format(value, spec)` with the language's separators: formatted(1234.5, ',.1f', 'km') -> '1.234,5'."""
    body = format(value, spec)
    if lang == "en":
        return body
    decimal, group = SEPARATORS.get(lang, SEPARATORS["en"])
    return body.replace(",", "\0").replace(".", decimal).replace("\0", group)


def year_range(low: int, high: int) -> str:
    """'2010–2024', or '2015' when both ends are one year (years are written without grouping in both languages)."""
    return f"{low}–{high}" if low != high else str(low)


def printed_ends(values: Iterable[float], text: Callable[[float], str]) -> tuple[str, str, str]:
    """("range" | "one" | "same", lowest, highest) of `values` as `text` prints them. Ends that print alike are one
    value (4.001 and 4.004 both print "4.00"), so a caller words one figure ("one"), several of one value ("same")
    and a real range apart, and a filtered view never reads "4% to 4%"."""
    numbers = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    low, high = text(min(numbers)), text(max(numbers))
    if low != high:
        return "range", low, high
    return ("one" if len(numbers) == 1 else "same"), low, high


def date(year: int, month: int | None = None, day: int | None = None, lang: str = DEFAULT_LANG) -> str:
    """'25 March 2025' / '25 មីនា 2025' (CLDR 'd MMMM y' in both); month and day optional."""
    parts = [] if day is None else [str(day)]
    if month is not None:
        parts.append(MONTHS.get(lang, MONTHS["en"])[month - 1])
    parts.append(str(year))
    return " ".join(parts)


def plotly_separators(lang: str) -> str:
    """Plotly's layout.separators for the language: '.,' (en) or ',.' (km)."""
    decimal, group = SEPARATORS.get(lang, SEPARATORS["en"])
    return decimal + group


class Translator:
    """Texts and numbers of one language: `_ = translator("km")`, then `_("overview.title", year=2024)`."""

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = normalise_lang(lang) or DEFAULT_LANG

    def __call__(self, key: str, /, **params: object) -> str:
        return text(self.lang, key, **params)

    def num(self, value: float | int | None, digits: int | None = None, **options: object) -> str:
        return number(value, self.lang, digits, **options)

    def pct(self, value: float | int | None, digits: int | None = None, *, signed: bool = False) -> str:
        return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else \
            number(value, self.lang, digits, signed=signed) + "%"

    def date(self, year: int, month: int | None = None, day: int | None = None) -> str:
        return date(year, month, day, self.lang)

    def label(self, field: str, code: object) -> str:
        return label(self.lang, field, code)

    def has(self, key: str) -> bool:
        return key in catalogue()

    @property
    def separators(self) -> str:
        return plotly_separators(self.lang)


@lru_cache(maxsize=len(LANGS) + 1)
def translator(lang: str = DEFAULT_LANG) -> Translator:
    """The shared Translator of a language (unknown languages fall back to English)."""
    return Translator(lang)


def label(lang: str, field: str, code: object) -> str:
    """A data code in words: the catalogue's `label.<field>.<code>` (e.g. label.material.plastic).

    Codes are matched in lower case with spaces and hyphens as underscores. A code the catalogue does not know
    is shown as the data spells it (tests/test_i18n.py fails for any code present in data/ without a label).
    """
    raw = "" if code is None else str(code)
    key = f"label.{field}.{re.sub(r'[^a-z0-9]+', '_', raw.strip().lower()).strip('_')}"
    entry = catalogue().get(key)
    if entry is None:
        return raw
    return entry.km if lang == "km" else entry.en




def shorten(text: str, limit: int) -> str:
    """text cut to `limit` characters with an ellipsis, never inside a Khmer syllable (it backs off over vowel
    signs and marks, and over a subscript (coeng) sign)."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and (unicodedata.category(text[cut]).startswith("M") or text[cut - 1] == "\u17d2"):
        cut -= 1
    return text[:cut] + "…"
