"""Sources and methods: which rows cite each source, how derived numbers are made, the known gaps and conflicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core import evidence
from core.catalogue import split_ids
from core.i18n import translator

SOURCE_COLUMN = "source_id"


# ------------------------------------------------------------------ citations

def citing_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables that cite sources (they have a source_id column), in the order given."""
    return {name: frame for name, frame in tables.items() if SOURCE_COLUMN in frame.columns}


def cites(frame: pd.DataFrame, source_id: str) -> pd.Series:
    """Which rows cite this source; a cell may cite several ('a;b')."""
    return frame[SOURCE_COLUMN].fillna("").map(lambda cell: source_id in split_ids(str(cell))).astype(bool)


def rows_citing(frame: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The rows of one table that cite a source."""
    return frame[cites(frame, source_id)]


def citation_counts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows citing each source, per table: one row per (source_id, resource) with a count above zero.

    A row that cites two sources counts once for each of them.
    """
    records = []
    for name, frame in citing_tables(tables).items():
        exploded = frame[SOURCE_COLUMN].fillna("").map(lambda cell: split_ids(str(cell))).explode().dropna()
        for source_id, count in exploded.value_counts(sort=False).items():
            records.append({"source_id": source_id, "resource": name, "rows": int(count)})
    return pd.DataFrame(records, columns=["source_id", "resource", "rows"])


def cited_in(counts: pd.DataFrame, source_ids: pd.Series, order: list[str], *, lang: str = "en") -> pd.DataFrame:
    """Per source: total rows citing it and a short 'estimates 12 · treatment 3' summary (table order kept).

    Table names stay the data's file names in every language; only 'not cited by any row' is translated.
    """
    _ = translator(lang)
    rank = {name: i for i, name in enumerate(order)}
    ids = list(source_ids)
    ordered = counts.assign(_rank=counts["resource"].map(rank)).sort_values("_rank", kind="stable")
    ordered = ordered[ordered["source_id"].isin(set(ids))]
    totals: dict[str, int] = {}
    summaries: dict[str, str] = {}
    for source_id, mine in ordered.groupby("source_id", sort=False):
        totals[source_id] = int(mine["rows"].sum())
        summaries[source_id] = " · ".join(f"{r} {_.num(int(n))}"
                                          for r, n in zip(mine["resource"], mine["rows"], strict=True))
    return pd.DataFrame({"id": ids, "rows_citing": [totals.get(i, 0) for i in ids],
                         "cited_in": [summaries.get(i) or _("methods.not_cited") for i in ids]})


def confidence_counts(sources: pd.DataFrame, ledger: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """How many sources and how many evidence-ledger figures sit at each confidence level (definitions in `lang`)."""
    scale = confidence_scale(lang=lang)
    levels = [level for level, _ in scale]
    return pd.DataFrame({
        "confidence": levels,
        "definition": [text for _, text in scale],
        "sources": [int((sources["confidence"] == level).sum()) for level in levels],
        "ledger_figures": [int((ledger["confidence"] == level).sum()) for level in levels],
    })


# ------------------------------------------------------------------ the confidence scale

# From the header of the research dossier (shared/research/data_national.md), which every table follows.
# The words live in the catalogue (locales/methods.csv); the constants below are the English.
CONFIDENCE_LEVELS = ("high", "medium", "low")


def confidence_scale(*, lang: str = "en") -> tuple[tuple[str, str], ...]:
    """(level code, definition in the language) for each confidence level, highest first."""
    _ = translator(lang)
    return tuple((level, _(f"methods.confidence.{level}")) for level in CONFIDENCE_LEVELS)


def confidence_note(*, lang: str = "en") -> str:
    """How mixed ratings are graded, and what the scale does not say."""
    _ = translator(lang)
    return _("methods.confidence_note")


CONFIDENCE_SCALE = confidence_scale()
CONFIDENCE_NOTE = confidence_note()


# ------------------------------------------------------------------ how derived numbers are made

def _slug(key: str) -> str:
    """A code as a catalogue key part: 'per-day' -> 'per_day'."""
    return key.replace("-", "_")


@dataclass(frozen=True)
class Method:
    """One derivation rule, in plain words, and the pages that apply it."""

    key: str
    title: str
    text: str
    pages: tuple[str, ...] = ()


_METHOD_PAGES: dict[str, tuple[str, ...]] = {
    "headline": ("overview", "generation"),
    "per-day": ("overview", "generation"),
    "projection": ("generation",),
    "flows": ("flows",),
    "ghg": ("scenario",),
}


def method_text(key: str, *, lang: str = "en") -> str:
    """The rule of one derivation in the language; the headline and per-day rules quote the code's constants."""
    _ = translator(lang)
    if key == "headline":
        return _("methods.method.headline.text", rule=evidence.headline_rule(lang=lang))
    if key == "per-day":
        return _("methods.method.per_day.text", days=_.num(evidence.DAYS_PER_YEAR))
    return _(f"methods.method.{_slug(key)}.text")


def methods_in(*, lang: str = "en") -> tuple[Method, ...]:
    """Every derivation rule with its title and text in the language."""
    _ = translator(lang)
    return tuple(Method(key, _(f"methods.method.{_slug(key)}.title"), method_text(key, lang=lang), pages)
                 for key, pages in _METHOD_PAGES.items())


METHODS: tuple[Method, ...] = methods_in()


# ------------------------------------------------------------------ gaps and conflicts

# Headings for gaps grouped by the page they concern (the page's own title is its link); "" is the whole data.
TOPICS = ("", "overview", "generation", "composition", "flows", "provinces", "recycling", "policy", "workshop",
          "scenario")


def topic_label(url_path: str, *, lang: str = "en") -> str:
    """The heading of the gaps that concern a page ('' or an unknown page: across the data)."""
    _ = translator(lang)
    if url_path not in TOPICS or not url_path:
        return _("methods.topic.across")
    return _(f"methods.topic.{url_path}")


TOPIC_LABELS = {url_path: topic_label(url_path) for url_path in TOPICS}


@dataclass(frozen=True)
class Gap:
    """Something the dashboard cannot show because no source consulted has it."""

    text: str
    pages: tuple[str, ...] = ()
    key: str = ""


# In our own words, from the 'Gaps' list of shared/research/data_national.md and section 4 of data_geo.md;
# the texts are in locales/methods.csv (methods.gap.<key>).
_GAP_PAGES: dict[str, tuple[str, ...]] = {
    "yearly_series": ("generation", "overview"),
    "drop_2024": ("generation", "overview"),
    "urban_rural": ("generation",),
    "composition": ("composition",),
    "recycling_market": ("recycling",),
    "informal_sector": ("recycling",),
    "marine_plastics": ("policy",),
    "code_and_strategy": ("policy",),
    "workshop": ("workshop",),
    "adb_jica": ("generation",),
    "long_reports": (),
    "province_waste": ("provinces",),
    "coordinates": ("provinces",),
    "census_details": ("provinces",),
}


def gaps_in(*, lang: str = "en") -> tuple[Gap, ...]:
    """Every known gap, its text in the language."""
    _ = translator(lang)
    return tuple(Gap(_(f"methods.gap.{key}"), pages, key) for key, pages in _GAP_PAGES.items())


GAPS: tuple[Gap, ...] = gaps_in()


@dataclass(frozen=True)
class Conflict:
    """Published figures that disagree, the rows that hold them, and how the dashboard treats them."""

    key: str
    title: str
    text: str
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (resource, row ids)
    pages: tuple[str, ...] = ()


# (key, rows, pages); titles and texts are in locales/methods.csv (methods.conflict.<key>.title / .text). The
# figures in the Khmer texts are written the Khmer way (2,85); tests/test_methods.py checks both against the data.
_CONFLICT_SPECS: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]], ...] = (
    ("national-totals",
     (("estimates", ("E001", "E003", "E007", "E012", "E014", "E017", "E260", "E022", "E263", "E264")),),
     ("overview", "generation")),
    ("national-or-urban", (("estimates", ("E003", "E004")),), ("generation",)),
    ("sethy-total", (("estimates", ("E023", "E033")),), ("generation",)),
    ("dangkor-area", (("estimates", ("E156", "E157")), ("facilities", ("F01",))), ("provinces",)),
    ("open-burning-oxidation", (("emission_factors", ("open-burning-of", "open-burning-of-alt")),), ("scenario",)),
)


def conflicts_in(*, lang: str = "en") -> tuple[Conflict, ...]:
    """Every known conflict between published figures, its title and text in the language."""
    _ = translator(lang)
    return tuple(Conflict(key, _(f"methods.conflict.{_slug(key)}.title"), _(f"methods.conflict.{_slug(key)}.text"),
                          rows, pages) for key, rows, pages in _CONFLICT_SPECS)


CONFLICTS: tuple[Conflict, ...] = conflicts_in()

# How a row of each table is shown beside rows of other tables in a conflict: what, when, value, unit. `words`
# gives an indicator's name in the language (the indicators table's label in English).
_ROW_VIEW = {
    "estimates": lambda r, words, _: (f"{words(r['indicator'])}, {r['geography']}", r["period"], r["value"],
                                      r["unit"]),
    "facilities": lambda r, words, _: (_("methods.area_of", name=r["name"]), "", r["area_ha"], "ha"),
    "emission_factors": lambda r, words, _: (f"{r['parameter']}, {r['route']} ({r['edition']})", "", r["value"],
                                             r["unit"]),
}


def conflict_rows(conflict: Conflict, tables: Mapping[str, pd.DataFrame], *, lang: str = "en") -> pd.DataFrame:
    """The rows behind a conflict, side by side; raises KeyError naming a row id the data no longer has.

    The columns keep the data's names; the `figure` column says what each row measures in the language (an
    indicator without a Khmer label in the catalogue keeps the indicators table's English label). Places, periods,
    quotes and notes stay as the data gives them.
    """
    _ = translator(lang)
    records = []
    indicators = tables.get("indicators")
    labels = {} if indicators is None else dict(zip(indicators["code"], indicators["label"], strict=True))

    def words(code: str) -> str:
        if lang != "en" and _.has(f"label.indicator.{code}"):
            return _.label("indicator", code)
        return labels.get(code, code)

    for resource, ids in conflict.rows:
        frame = tables[resource].set_index("id")
        missing = [i for i in ids if i not in frame.index]
        if missing:
            raise KeyError(f"data/{resource}.csv has no row {', '.join(missing)} (conflict '{conflict.key}')")
        view = _ROW_VIEW[resource]
        for row_id in ids:
            row = frame.loc[row_id]
            figure, period, value, unit = view(row, words, _)
            note = row.get("area_note") if resource == "facilities" else row.get("note")
            records.append({"table": resource, "id": row_id, "figure": figure, "period": period,
                            "value": value, "unit": unit, "source_id": row["source_id"], "quote": row["quote"],
                            "confidence": row["confidence"], "note": note})
    return pd.DataFrame(records)


# ------------------------------------------------------------------ the rows shown for one source

# The columns that say what a row is; the rest of a table is one click away in the Data explorer.
SUMMARY_COLUMNS = {
    "estimates": ["id", "indicator", "geography", "period", "value", "value_low", "value_high", "unit", "scope",
                  "quote", "confidence"],
    "composition": ["id", "set_id", "geography", "period", "material", "share_pct", "share_low", "share_high",
                    "quote", "confidence"],
    "treatment": ["id", "set_id", "geography", "period", "route", "share_pct", "basis", "tonnes", "status",
                  "quote", "confidence"],
    "facilities": ["id", "name", "kind", "province", "opened", "area_ha", "intake_t_per_day", "quote",
                   "confidence"],
    "population": ["id", "geography", "year", "population", "kind", "quote", "confidence"],
    "policies": ["id", "date", "title", "kind", "quote", "confidence"],
    "workshop": ["id", "section", "title", "quote"],
    "emission_factors": ["id", "parameter", "material", "route", "value", "low", "high", "unit", "edition",
                         "quote", "confidence"],
}


def summary_view(resource: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The identifying columns of a table's rows (all but source_id when the table is not listed).

    A column that is empty in every one of these rows is left out: it says nothing about them.
    """
    wanted = SUMMARY_COLUMNS.get(resource) or [c for c in rows.columns if c != SOURCE_COLUMN]
    keep = [c for c in wanted if c in rows.columns
            and (c == "id" or rows[c].astype("object").map(lambda v: not (pd.isna(v) or v == "")).any())]
    return rows[keep]
