"""Sources and methods: which rows cite each source, how derived numbers are made, the known gaps and conflicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core import evidence
from core.catalogue import split_ids

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


def cited_in(counts: pd.DataFrame, source_ids: pd.Series, order: list[str]) -> pd.DataFrame:
    """Per source: total rows citing it and a short 'estimates 12 · treatment 3' summary (table order kept)."""
    rank = {name: i for i, name in enumerate(order)}
    ids = list(source_ids)
    ordered = counts.assign(_rank=counts["resource"].map(rank)).sort_values("_rank", kind="stable")
    ordered = ordered[ordered["source_id"].isin(set(ids))]
    totals: dict[str, int] = {}
    summaries: dict[str, str] = {}
    for source_id, mine in ordered.groupby("source_id", sort=False):
        totals[source_id] = int(mine["rows"].sum())
        summaries[source_id] = " · ".join(f"{r} {n}" for r, n in zip(mine["resource"], mine["rows"], strict=True))
    return pd.DataFrame({"id": ids, "rows_citing": [totals.get(i, 0) for i in ids],
                         "cited_in": [summaries.get(i) or "not cited by any row" for i in ids]})


def confidence_counts(sources: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """How many sources and how many evidence-ledger figures sit at each confidence level."""
    levels = [level for level, _ in CONFIDENCE_SCALE]
    return pd.DataFrame({
        "confidence": levels,
        "definition": [text for _, text in CONFIDENCE_SCALE],
        "sources": [int((sources["confidence"] == level).sum()) for level in levels],
        "ledger_figures": [int((ledger["confidence"] == level).sum()) for level in levels],
    })


# ------------------------------------------------------------------ the confidence scale

# From the header of the research dossier (shared/research/data_national.md), which every table follows.
CONFIDENCE_SCALE = (
    ("high", "The figure appears word for word in a primary or official source, a peer-reviewed paper or an "
             "official dataset file."),
    ("medium", "A news outlet or another secondary source quotes the figure, or only part of the primary "
               "source could be seen."),
    ("low", "The year or the attribution is inferred, or the source is weak or internally inconsistent."),
)
CONFIDENCE_NOTE = (
    "Where the research gave a mixed rating (e.g. 'medium-high'), the tables keep the lower level. The scale "
    "grades how the figure was found, not whether it is right: two high-confidence figures can still disagree."
)


# ------------------------------------------------------------------ how derived numbers are made

@dataclass(frozen=True)
class Method:
    """One derivation rule, in plain words, and the pages that apply it."""

    key: str
    title: str
    text: str
    pages: tuple[str, ...] = ()


METHODS: tuple[Method, ...] = (
    Method("headline", "The headline figure",
           evidence.HEADLINE_RULE + " The rule is code (core/evidence.py), applied to the evidence ledger every "
           "time the page is drawn; no number is edited to make a series.",
           ("overview", "generation")),
    Method("per-day", "Tonnes per day to tonnes per year",
           f"A figure published per day is multiplied by {evidence.DAYS_PER_YEAR} and marked 'derived'. When the "
           "same source also states its own yearly figure for the same year, only the published yearly figure "
           "is shown. A published range keeps its two ends; no midpoint is invented.",
           ("overview", "generation")),
    Method("projection", "Projections",
           "A projection is compound growth from a chosen base: value in year t = value in the base year × "
           "(1 + growth rate)^(t − base year). The base year and the growth rate are chosen by the reader; the "
           "defaults are sourced growth figures (such as the +6.3% of 2024). A projection is always drawn and "
           "labelled as a projection, never mixed with published figures.",
           ("generation",)),
    Method("flows", "Waste flows",
           "Route shares are used as the source publishes them, one published set at a time (e.g. the national "
           "shares for 2020-21). Where a source gives only some shares, the rest is shown as a remainder "
           "(100 minus the stated shares) and marked 'remainder' rather than 'stated'. Tonnages are derived: "
           "share × the total the reader chooses (for example the headline), so they are only as good as that "
           "total.",
           ("flows",)),
    Method("ghg", "Greenhouse-gas scenarios",
           "Committed emissions follow the IPCC 2006 waste methods with each parameter taken from the parameter "
           "table (data/emission_factors.csv), its source and its confidence; alternatives can be switched on and "
           "a sensitivity chart shows how much each assumption moves the answer.",
           ("scenario",)),
)


# ------------------------------------------------------------------ gaps and conflicts

# Headings for gaps grouped by the page they concern (the page's own title is its link).
TOPIC_LABELS = {
    "": "Across the data",
    "overview": "National totals",
    "generation": "How much waste, and per person",
    "composition": "What the waste is made of",
    "flows": "Where the waste goes",
    "provinces": "Provinces, population and sites",
    "recycling": "Recycling and the informal sector",
    "policy": "Policy",
    "workshop": "The 2025 workshop",
    "scenario": "Greenhouse-gas parameters",
}


@dataclass(frozen=True)
class Gap:
    """Something the dashboard cannot show because no source consulted has it."""

    text: str
    pages: tuple[str, ...] = ()


# In our own words, from the 'Gaps' list of shared/research/data_national.md and section 4 of data_geo.md.
GAPS: tuple[Gap, ...] = (
    Gap("There is no official yearly series of the waste Cambodia generates or collects. Published totals exist "
        "for a few scattered years only, and they mix waste generated with waste collected.",
        ("generation", "overview")),
    Gap("No source explains why the 2024 national total is so much lower than the 2020 figure and the "
        "ministry's recurring round figure (see the conflicts above).", ("generation", "overview")),
    Gap("No official split of waste per person between towns and the countryside was found.", ("generation",)),
    Gap("No recent national breakdown of what the waste is made of covers every category (textiles, rubber and "
        "leather, wood are missing).", ("composition",)),
    Gap("No figure was found for the number of recycling businesses, the country's plastic-recycling capacity, "
        "exports of recyclables after 2017, or today's prices of recyclables.", ("recycling",)),
    Gap("The informal sector is barely counted: no share of women among waste workers, no numbers of "
        "itinerant buyers or junk shops, and no national census of waste pickers; the one count of pickers is "
        "doubted by its own source.", ("recycling",)),
    Gap("No national action plan on marine plastics was found, and no numeric targets for recycling or "
        "separation in 2030 or 2035.", ("policy",)),
    Gap("The waste provisions of the Environment and Natural Resources Code (2023) and the numeric targets of "
        "the Circular Strategy 2023-2028 could not be read.", ("policy",)),
    Gap("The findings of the 'Bridging the Gap' baseline study and the full workshop agenda were not found.",
        ("workshop",)),
    Gap("National figures from ADB or JICA were not found; only older JICA figures for Phnom Penh, reported by "
        "the press.", ("generation",)),
    Gap("Long reports (the 2018 IGES report on Phnom Penh, the Phnom Penh waste strategy 2018-2035, the 2017 "
        "3R country chapter, the full text of Pheakdey et al. 2022) could be read only on their first page, so "
        "their inner tables are not in the data.", ()),
    Gap("Waste generated or collected is not known for the provinces: only a few cities have figures, from "
        "different years and methods, so the province map does not compare waste between provinces.",
        ("provinces",)),
    Gap("No coordinates were found for any landfill or dumpsite: sites are placed only by province or commune.",
        ("provinces",)),
    Gap("Households and the urban share of each province (2019 census) are not in the data, and no World Bank "
        "population figure for 2020-2024 was found; later national population figures are estimates, labelled "
        "as such.", ("provinces",)),
)


@dataclass(frozen=True)
class Conflict:
    """Published figures that disagree, the rows that hold them, and how the dashboard treats them."""

    key: str
    title: str
    text: str
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (resource, row ids)
    pages: tuple[str, ...] = ()


CONFLICTS: tuple[Conflict, ...] = (
    Conflict(
        "national-totals",
        "National totals: 2.85 Mt (2024) against 4.78 Mt (2020) against 'about 4 million tonnes'",
        "The 2024 figure published for the March 2025 workshop is far below the 2020 figure of Pheakdey et al. "
        "(2022) and the 'nearly' or 'some' 4 million tonnes a year that ministry spokespeople have repeated in "
        "the press; figures for 2014-15 are lower still and disagree with each other. No source explains the "
        "difference, and not all of them say whether they count waste generated or only waste collected. The "
        "dashboard shows every figure side by side and picks the headline by a written rule, not by judging "
        "which is right.",
        (("estimates", ("E001", "E003", "E007", "E012", "E014", "E017", "E260", "E022", "E263", "E264")),),
        ("overview", "generation"),
    ),
    Conflict(
        "national-or-urban",
        "The same 4.78 Mt: national in the paper, 'urban areas' in a later summary",
        "Pheakdey et al. (2022) give 4.78 million tonnes for the whole country in 2020; a secondary summary "
        "that cites them describes the same number as waste generated in urban areas. The primary source's "
        "national reading is used; the secondary row is kept, at medium confidence, so the difference is "
        "visible.",
        (("estimates", ("E003", "E004")),),
        ("generation",),
    ),
    Conflict(
        "sethy-total",
        "About 6.8 Mt a year from 0.487 kg per person per day: a total that does not add up",
        "Sethy et al. (2014) state a national total of about 6,818,000 tonnes a year 'based on' 0.487 kg per "
        "person per day. With the roughly 14 million people the same chapter gives, that rate yields far less "
        "than the stated total (the research dossier's arithmetic is in the row's note), so the source is "
        "internally inconsistent. The row is kept at low confidence and has no year, so it is never the "
        "headline and is not plotted on a time axis.",
        (("estimates", ("E023", "E033")),),
        ("generation",),
    ),
    Conflict(
        "dangkor-area",
        "Dangkor landfill: 31.4 hectares or 'about three hectares'",
        "The Phnom Penh Post gives Phnom Penh's main landfill at Dangkor (Choeung Ek) as 31.4 ha, and VOA Khmer "
        "as 31 ha; a Khmer Times article says the site 'covers about three hectares'. The facility table uses "
        "31.4 ha and keeps the other figures in its area note; both ledger rows remain.",
        (("estimates", ("E156", "E157")), ("facilities", ("F01",))),
        ("provinces",),
    ),
    Conflict(
        "open-burning-oxidation",
        "Open burning: 0.58 or 0.71 of the carbon oxidised",
        "Several implementations cite 0.58 as the IPCC 2006 default share of carbon oxidised when waste is "
        "burned in the open; the bonsai IPCC tables and a GHG Protocol-based calculator use 0.71 (with a "
        "range). The IPCC table itself could not be opened to settle it. The Scenario lab uses 0.58 by default, "
        "offers 0.71 as an alternative among its assumptions, and includes the parameter in its sensitivity "
        "chart.",
        (("emission_factors", ("open-burning-of", "open-burning-of-alt")),),
        ("scenario",),
    ),
)

# How a row of each table is shown beside rows of other tables in a conflict: what, when, value, unit.
_ROW_VIEW = {
    "estimates": lambda r, labels: (f"{labels.get(r['indicator'], r['indicator'])}, {r['geography']}", r["period"],
                                    r["value"], r["unit"]),
    "facilities": lambda r, labels: (f"Area of {r['name']}", "", r["area_ha"], "ha"),
    "emission_factors": lambda r, labels: (f"{r['parameter']}, {r['route']} ({r['edition']})", "", r["value"],
                                           r["unit"]),
}


def conflict_rows(conflict: Conflict, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows behind a conflict, side by side; raises KeyError naming a row id the data no longer has."""
    records = []
    indicators = tables.get("indicators")
    labels = {} if indicators is None else dict(zip(indicators["code"], indicators["label"], strict=True))
    for resource, ids in conflict.rows:
        frame = tables[resource].set_index("id")
        missing = [i for i in ids if i not in frame.index]
        if missing:
            raise KeyError(f"data/{resource}.csv has no row {', '.join(missing)} (conflict '{conflict.key}')")
        view = _ROW_VIEW[resource]
        for row_id in ids:
            row = frame.loc[row_id]
            figure, period, value, unit = view(row, labels)
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
