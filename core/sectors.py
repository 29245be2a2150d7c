"""The sector filter vocabulary (value-chain stage, actor, material, waste source, geography, confidence)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

YEAR_MIN, YEAR_MAX = 1995, 2025


@dataclass(frozen=True)
class FilterSpec:
    """One filter: URL key, label, options (code -> plain label), and the data column it filters."""

    key: str
    label: str
    options: dict[str, str]
    column: str
    help: str = ""


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("stage", "Value-chain stage", {
        "generation": "Generation", "collection": "Collection", "recycling": "Recycling",
        "disposal": "Treatment and disposal"}, "stage",
        "Where in the chain from household bin to final disposal a figure sits."),
    FilterSpec("actor", "Actor", {"formal": "Formal sector", "informal": "Informal sector"}, "actor",
               "Formal: municipal contractors, landfills, factories. Informal: waste pickers, junk shops, "
               "itinerant buyers. Figures about the whole system stay visible under either choice."),
    FilterSpec("material", "Material", {
        "organic": "Organic", "plastic": "Plastic", "paper": "Paper", "metal": "Metal", "glass": "Glass",
        "other": "Other materials"}, "material",
        "The material a figure is about. Figures on mixed waste stay visible under any choice."),
    FilterSpec("wsource", "Waste source", {
        "households": "Households", "hotels": "Hotels and guesthouses", "restaurants": "Restaurants",
        "markets": "Markets", "shops": "Shops", "commercial": "Commercial (all)"}, "waste_source",
        "Who throws the waste away."),
    FilterSpec("geo", "Geography", {
        "national": "National", "Phnom Penh": "Phnom Penh", "urban": "Urban areas", "rural": "Rural areas",
        "provinces": "Other provinces and cities"}, "geo_level",
        "National figures, Phnom Penh, other provinces and cities, rural areas."),
    FilterSpec("conf", "Confidence", {"high": "High", "medium": "Medium", "low": "Low"}, "confidence",
               "High: official, peer-reviewed or dataset verbatim. Medium: secondary reporting. Low: weak or "
               "inconsistent source."),
)
BY_KEY = {spec.key: spec for spec in FILTERS}
# URL codes are plain words (Streamlit puts the option itself in the link); where the data spells a value
# differently, this maps the URL code to the data value.
DATA_VALUE = {"stage": {"disposal": "treatment_disposal"}, "wsource": {"hotels": "hotels_guesthouses"}}
# Values that mean "about everything" and so survive a narrower filter (mixed waste, the whole system).
INCLUSIVE = {"material": {"mixed", ""}, "actor": {"all", ""}, "wsource": {"all", ""}}
OTHER_MATERIALS = {"wood", "textile", "rubber_leather", "inert", "other", "recyclables"}


def option_key(filter_key: str, code: str) -> str:
    """The catalogue key of a filter option's label: ('geo', 'Phnom Penh') -> 'filters.geo.option.phnom_penh'."""
    return f"filters.{filter_key}.option.{re.sub(r'[^a-z0-9]+', '_', code.lower()).strip('_')}"


def parse_years(values: list[str]) -> tuple[int, int] | None:
    """The two link values of a year range -> (low, high); None when malformed or out of range."""
    if len(values) != 2 or not all(re.fullmatch(r"\d{4}", v.strip()) for v in values):
        return None
    low, high = int(values[0]), int(values[1])
    if not (YEAR_MIN <= low <= high <= YEAR_MAX):
        return None
    return low, high


@dataclass(frozen=True)
class Selection:
    """The filters a user chose: an empty tuple means 'all'."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    years: tuple[int, int] = (YEAR_MIN, YEAR_MAX)

    def active(self) -> list[str]:
        keys = [k for k, v in self.values.items() if v]
        return keys + (["years"] if self.years != (YEAR_MIN, YEAR_MAX) else [])

    def describe(self, applies: tuple[str, ...], tr: Callable[..., str] | None = None) -> str:
        """'material: Plastic; years 2010–2020' in English, or in the language of a core.i18n.Translator."""
        parts = []
        for key in applies:
            if key == "years" and "years" in self.active():
                parts.append(tr("filters.years.range", low=self.years[0], high=self.years[1]) if tr else
                             f"years {self.years[0]}–{self.years[1]}")
            elif self.values.get(key):
                spec = BY_KEY[key]
                if tr is None:
                    name, words = spec.label.lower(), [spec.options.get(v, v) for v in self.values[key]]
                else:
                    name = tr(f"filters.{key}.label").lower()
                    words = [tr(option_key(key, v)) if v in spec.options else v for v in self.values[key]]
                parts.append(f"{name}: {', '.join(words)}")
        return "; ".join(parts)


def _geo_mask(frame: pd.DataFrame, chosen: tuple[str, ...]) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    level = frame.get("geo_level", pd.Series("", index=frame.index))
    code = frame.get("geo_code", pd.Series("", index=frame.index))
    for value in chosen:
        if value == "Phnom Penh":
            mask |= code.eq("KH-12")
        elif value == "provinces":
            mask |= level.isin(["province", "city", "site", "multi_city"]) & ~code.eq("KH-12")
        else:
            mask |= level.eq(value)
    return mask


def apply(frame: pd.DataFrame, selection: Selection, applies: tuple[str, ...]) -> pd.DataFrame:
    """Rows of a tidy frame that match the applicable filters; columns a frame lacks are not filtered."""
    mask = pd.Series(True, index=frame.index)
    for key in applies:
        if key == "years":
            if "years" in selection.active() and {"year_start", "year_end"} <= set(frame.columns):
                low, high = selection.years
                start = frame["year_start"].fillna(frame["year_end"])
                end = frame["year_end"].fillna(frame["year_start"])
                # Undated figures cannot be placed in a year range, so a year filter hides them.
                mask &= (end >= low).fillna(False) & (start <= high).fillna(False)
            continue
        chosen = selection.values.get(key) or ()
        spec = BY_KEY.get(key)
        if not chosen or spec is None or spec.column not in frame.columns:
            continue
        if key == "geo":
            mask &= _geo_mask(frame, chosen)
            continue
        column = frame[spec.column].fillna("")
        wanted = {DATA_VALUE.get(key, {}).get(v, v) for v in chosen}
        if key == "material" and "other" in wanted:
            wanted |= OTHER_MATERIALS
        mask &= column.isin(wanted) | column.isin(INCLUSIVE.get(key, set()))
    return frame[mask]


def selection_key(selection: Selection, applies: tuple[str, ...]) -> str:
    """The part of a selection these filters read, as a cache key: one short string is the cheapest argument
    for Streamlit to hash on every rerun (selection_from_key reads it back)."""
    values = tuple((k, tuple(selection.values.get(k) or ())) for k in applies if k != "years")
    years = tuple(selection.years) if "years" in applies and "years" in selection.active() else None
    return repr((values, years))


def selection_from_key(key: str) -> Selection:
    values, years = ast.literal_eval(key)
    return Selection(values={k: v for k, v in values if v}, years=years or (YEAR_MIN, YEAR_MAX))
