"""Questions asked of the evidence ledger: national totals side by side, the headline figure and why."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.i18n import translator

DAYS_PER_YEAR = 365
TOTAL_INDICATOR = "msw_total"
# National tonnages of waste generated, collected or landfilled: one axis, told apart by scope.
NATIONAL_TONNAGE_INDICATORS = ("msw_total", "msw_collected", "msw_landfilled")
PER_CAPITA_INDICATOR = "msw_per_capita"

# The headline rule, applied to the ledger rather than to edited numbers: among national figures of
# waste *generated* per year, take the most recent reference year; among those, the highest confidence.
HEADLINE_RULE = (
    "Headline series: the most recent national figure for municipal waste generated per year, at the "
    "highest confidence. Today that is the 2024 figure published by UNEP and IGES-CCET for the March 2025 "
    "national workshop; every other published estimate is shown beside it, not replaced by it."
)
CONFIDENCE_RANK = {"high": 3, "medium": 2, "low": 1}


def headline_rule(*, lang: str = "en") -> str:
    """HEADLINE_RULE in the language (the English text is HEADLINE_RULE itself)."""
    _ = translator(lang)
    return HEADLINE_RULE if _.lang == "en" else _("overview.headline_rule")


@dataclass(frozen=True)
class Headline:
    """The chosen headline figure, with the ledger row it comes from."""

    value_t: float
    year: int
    source_id: str
    quote: str
    row_id: str


def reference_year(row: pd.Series) -> float | None:
    """Where a figure sits on a time axis: its year, or the middle of its period; None when not stated."""
    start, end = row.get("year_start"), row.get("year_end")
    if pd.isna(start) and pd.isna(end):
        return None
    if pd.isna(start):
        return float(end)
    if pd.isna(end):
        return float(start)
    return (float(start) + float(end)) / 2


def national_totals(estimates: pd.DataFrame) -> pd.DataFrame:
    """Every published national tonnage in tonnes per year, with t/day figures converted and flagged.

    A daily figure is turned into a yearly one by x365 and marked `derived`, unless the same source gives
    its own yearly figure for the same year (then the published yearly figure stands alone). A published
    range keeps its low and high ends and gets no invented midpoint (`value_t` stays empty).
    """
    rows = estimates[estimates["indicator"].isin(NATIONAL_TONNAGE_INDICATORS)
                     & (estimates["geo_level"] == "national")
                     & estimates["unit"].isin(["t/yr", "t/day"])].copy()
    factor = rows["unit"].map({"t/yr": 1, "t/day": DAYS_PER_YEAR}).astype(float)
    for column in ("value", "value_low", "value_high"):
        rows[column.replace("value", "value_t")] = rows[column] * factor
    rows["derived"] = rows["unit"].eq("t/day")
    rows["method"] = rows["derived"].map({True: "published t/day x 365", False: "as published"})
    rows["year"] = rows.apply(reference_year, axis=1).astype(float)
    yearly = set(zip(rows.loc[~rows["derived"], "source_id"], rows.loc[~rows["derived"], "year"], strict=True))
    twin = [(s, y) in yearly for s, y in zip(rows["source_id"], rows["year"], strict=True)]
    rows = rows[~(rows["derived"] & pd.Series(twin, index=rows.index))]
    return rows.sort_values(["year", "value_t"], na_position="last").reset_index(drop=True)


def headline_total(estimates: pd.DataFrame) -> Headline:
    """Apply HEADLINE_RULE to the ledger."""
    totals = national_totals(estimates)
    pool = totals[(totals["scope"] == "generated") & ~totals["derived"] & totals["value_t"].notna()
                  & totals["year"].notna()].copy()
    if pool.empty:
        raise LookupError("no dated national figure of waste generated per year in the ledger")
    pool["rank"] = pool["confidence"].map(CONFIDENCE_RANK).fillna(0)
    best = pool.sort_values(["year", "rank"], ascending=False).iloc[0]
    return Headline(value_t=float(best["value_t"]), year=int(best["year"]), source_id=best["source_id"],
                    quote=best["quote"], row_id=best["id"])


def growth_for(estimates: pd.DataFrame, headline: Headline) -> pd.Series | None:
    """The published year-on-year growth that comes with the headline figure (same source and year)."""
    rows = estimates[(estimates["source_id"] == headline.source_id) & (estimates["unit"] == "%")
                     & estimates["indicator"].str.contains("growth")]
    return None if rows.empty else rows.iloc[0]


def spread(totals: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The lowest and highest dated national totals of waste generated, as published (not derived)."""
    published = totals[~totals["derived"] & totals["value_t"].notna() & totals["year"].notna()
                       & totals["scope"].eq("generated")]
    return published.loc[published["value_t"].idxmin()], published.loc[published["value_t"].idxmax()]


def national_recycling_rate(estimates: pd.DataFrame) -> pd.Series | None:
    """The most recent national share recycled, preferring higher confidence; None when none is published."""
    rows = estimates[(estimates["geo_level"] == "national") & (estimates["unit"] == "%")
                     & estimates["value"].notna()
                     & ((estimates["indicator"] == "recycling_rate")
                        | ((estimates["indicator"] == "route_share") & (estimates["scope"] == "recycled")))].copy()
    if rows.empty:
        return None
    rows["rank"] = rows["confidence"].map(CONFIDENCE_RANK).fillna(0)
    rows["when"] = rows["year_end"].astype("Float64").fillna(0)
    return rows.sort_values(["rank", "when"], ascending=False).iloc[0]


def tonnes_parts(value_t: float, *, lang: str = "en") -> tuple[str, str]:
    """(number, unit) of a tonnage: 2850000 -> ('2.85', 'Mt') / ('2,85', 'លានតោន'); 630679 -> ('631', 'kt')."""
    _ = translator(lang)
    if value_t >= 1e6:
        return _.num(value_t / 1e6, 2), _("units.mt")
    if value_t >= 1e3:
        return _.num(value_t / 1e3, 0), _("units.kt")
    return _.num(value_t, 0), _("units.t")


def format_tonnes(value_t: float, *, lang: str = "en") -> str:
    """2850000 -> '2.85 Mt'; 630679 -> '631 kt' (unit symbols a reader can check); in Khmer '2,85 លានតោន'."""
    return " ".join(tonnes_parts(value_t, lang=lang))


def in_language(frame: pd.DataFrame, lang: str = "en", columns: tuple[str, ...] = ("title", "text")) -> pd.DataFrame:
    """A table with translated columns (`title_km` beside `title`, as in data/workshop.csv) shown in the language:
    in Khmer each column takes its `_km` twin's text where there is one; in English the table is returned as is."""
    if lang == "en":
        return frame
    out = frame.copy()
    for column in columns:
        twin = f"{column}_{lang}"
        if twin in out:
            filled = out[twin].notna() & out[twin].astype(str).str.strip().ne("")
            out[column] = out[twin].where(filled, out[column])
    return out
