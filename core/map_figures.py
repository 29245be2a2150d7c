"""Province map and facility figures: per-province metrics, an offline MapLibre choropleth, facility bars."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.theme import GREY, PALETTE, TEMPLATE

NO_DATA = "no data"
NO_DATA_COLOUR = "#b3b3b3"
# A single-hue blue ramp (light to dark) reads the same under the common colour-vision deficiencies and
# stays clearly apart from the neutral grey used for "no data".
SEQUENTIAL = [[0.0, "#c6dbef"], [0.35, "#6baed6"], [0.7, "#2171b5"], [1.0, "#08306b"]]
# A blank MapLibre style: no tiles, no glyphs, no sprites, so the map never asks another host for anything.
BLANK_MAP_STYLE = {"version": 8, "sources": {},
                   "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}]}
CAMBODIA_CENTRE = {"lon": 104.95, "lat": 12.62}
CAMBODIA_ZOOM = 6.15

# City waste classes (tonnes per day). A published range is placed in a class only when both ends fall in it,
# so no midpoint is ever invented.
CITY_WASTE_CLASSES: tuple[tuple[str, float, float], ...] = (
    ("Under 100 t/day", 0, 100),
    ("100 to 499 t/day", 100, 500),
    ("500 to 999 t/day", 500, 1000),
    ("1,000 t/day or more", 1000, float("inf")),
)
CITY_WASTE_COLOURS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
CITY_WASTE_RULE = (
    "for each province, the most recent dated figure of municipal waste generated in the province or one of "
    "its cities, in tonnes per day as published. Among figures for the same year, a year stated by the source "
    "comes before an inferred one, then higher confidence, then exact wording before 'about' or 'nearly'. "
    "Undated figures, yearly tonnages, bounds ('up to', 'more than'), surveys of rural areas only and "
    "street-clearance counts are not mapped (all are in the evidence ledger). A published range is placed in a "
    "class only when both ends fall in it."
)
BOUND_QUALIFIERS = ("up_to", "less_than", "more_than", "at_least")
_CONFIDENCE_RANK = {"high": 3, "medium": 2, "low": 1}
_YEAR_BASIS_RANK = {"stated": 2, "inferred": 1, "not_stated": 0}

FACILITY_STATUS_ORDER = ("operating", "under_construction", "planned", "closed", "unknown")
FACILITY_STATUS_LABELS = {"operating": "Operating", "under_construction": "Under construction",
                          "planned": "Planned", "closed": "Closed", "unknown": "Status unknown"}


@dataclass(frozen=True)
class Metric:
    """One choice of the map's metric picker: URL code, what is coloured, its unit."""

    code: str
    label: str
    column: str
    unit: str
    caption: str


METRICS: tuple[Metric, ...] = (
    Metric("Population", "Population, 2019 census", "population", "persons", "2019 census, NIS"),
    Metric("Share", "Share of Cambodia's population, 2019", "population_share", "% of national population",
           "derived from the 2019 census"),
    Metric("Facilities", "Landfills and dumpsites on record", "facilities", "facilities on record",
           "operating, planned or closed"),
    Metric("City waste", "Waste generated in the province's cities", "city_waste_class", "tonnes per day",
           "latest published figure"),
)
METRIC_BY_CODE = {metric.code: metric for metric in METRICS}


def _format_people(value: float) -> str:
    return f"{int(value):,}"


def _format_tpd(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:g}"


def city_waste_class(low: float, high: float) -> str:
    """The class a figure (low == high) or a range falls wholly in; 'no data' when a range spans two classes."""
    for label, lower, upper in CITY_WASTE_CLASSES:
        if lower <= low < upper and lower <= high < upper:
            return label
    return NO_DATA


def latest_city_waste(estimates: pd.DataFrame) -> pd.DataFrame:
    """One row per province: the city waste figure chosen by CITY_WASTE_RULE (value or published range)."""
    rows = estimates[(estimates["indicator"] == "msw_total") & (estimates["scope"] == "generated")
                     & estimates["geo_level"].isin(["city", "province"]) & (estimates["unit"] == "t/day")
                     & estimates["geo_code"].str.startswith("KH-") & estimates["year_end"].notna()].copy()
    rows = rows[rows["value"].notna() | (rows["value_low"].notna() & rows["value_high"].notna())]
    # 'up to 1,000' or 'more than 3,500' is a bound, not a size: it cannot be put in a class honestly.
    rows = rows[~rows["qualifier"].isin(BOUND_QUALIFIERS)]
    if rows.empty:
        return rows.assign(low=pd.Series(dtype=float), high=pd.Series(dtype=float))
    rows["year"] = rows["year_end"].astype(int)
    rows["basis_rank"] = rows["year_basis"].map(_YEAR_BASIS_RANK).fillna(0)
    rows["conf_rank"] = rows["confidence"].map(_CONFIDENCE_RANK).fillna(0)
    rows["exact_rank"] = rows["qualifier"].eq("exact").astype(int)
    rows = rows.sort_values(["geo_code", "year", "basis_rank", "conf_rank", "exact_rank", "id"],
                            ascending=[True, False, False, False, False, True])
    chosen = rows.groupby("geo_code", sort=False).head(1).copy()
    chosen["low"] = chosen["value"].fillna(chosen["value_low"])
    chosen["high"] = chosen["value"].fillna(chosen["value_high"])
    return chosen.reset_index(drop=True)


def _city_waste_text(row: pd.Series) -> str:
    if pd.isna(row["value"]):
        amount = f"{_format_tpd(row['value_low'])} to {_format_tpd(row['value_high'])} t/day (published range)"
    else:
        wording = {"about": "about ", "nearly": "nearly "}.get(row["qualifier"], "")
        amount = f"{wording}{_format_tpd(row['value'])} t/day"
    year = f"c. {row['year']}" if row["year_basis"] == "inferred" else str(row["year"])
    return f"{amount}, {row['geography']}, {year}"


def province_metrics(provinces: pd.DataFrame, population: pd.DataFrame, facilities: pd.DataFrame,
                     estimates: pd.DataFrame) -> pd.DataFrame:
    """One row per province (geo_code, name) with every map metric; a missing figure stays missing (NA).

    `provinces` lists the boundaries (geo_code, name). Population is the 2019 census (NIS); its share is
    derived against the national census total of the same table. Facilities count the rows on record,
    so a province with none on record is unknown, not zero.
    """
    table = provinces[["geo_code", "name"]].copy()
    census = population[(population["kind"] == "census_final") & (population["year"] == 2019)]
    by_province = census[census["geo_level"] == "province"].drop_duplicates("geo_code").set_index("geo_code")
    national = census[census["geo_level"] == "national"]["population"]
    table["population"] = table["geo_code"].map(by_province["population"]).astype("Float64")
    table["population_source_id"] = table["geo_code"].map(by_province["source_id"]).fillna("")
    if national.empty:
        table["population_share"] = pd.Series(pd.NA, index=table.index, dtype="Float64")
    else:
        table["population_share"] = (table["population"] / float(national.iloc[0]) * 100).astype("Float64")

    located = facilities[facilities["geo_code"].str.startswith("KH-")]
    counts = located.groupby("geo_code").size()
    table["facilities"] = table["geo_code"].map(counts).astype("Float64")  # absent -> NA, never 0
    statuses = located.groupby("geo_code")["status"].apply(
        lambda s: ", ".join(f"{n} {FACILITY_STATUS_LABELS.get(k, k).lower()}" for k, n in s.value_counts().items()))
    table["facility_statuses"] = table["geo_code"].map(statuses).astype("object").fillna("")

    city = latest_city_waste(estimates).set_index("geo_code") if not estimates.empty else pd.DataFrame()
    if city.empty:
        table["city_waste_low"] = table["city_waste_high"] = pd.Series(pd.NA, index=table.index, dtype="Float64")
        table["city_waste_text"] = ""
        table["city_waste_source_id"] = ""
        table["city_waste_class"] = NO_DATA
        return table
    table["city_waste_low"] = table["geo_code"].map(city["low"]).astype("Float64")
    table["city_waste_high"] = table["geo_code"].map(city["high"]).astype("Float64")
    texts = city.apply(_city_waste_text, axis=1)
    table["city_waste_text"] = table["geo_code"].map(texts).fillna("")
    table["city_waste_source_id"] = table["geo_code"].map(city["source_id"]).fillna("")
    table["city_waste_class"] = [
        NO_DATA if pd.isna(low) else city_waste_class(float(low), float(high))
        for low, high in zip(table["city_waste_low"], table["city_waste_high"], strict=True)]
    return table


def hover_lines(table: pd.DataFrame) -> list[str]:
    """Everything known about each province, 'no data' spelled out where a figure is missing."""
    lines = []
    for _, row in table.iterrows():
        population = NO_DATA if pd.isna(row["population"]) else f"{_format_people(row['population'])}"
        share = NO_DATA if pd.isna(row["population_share"]) else f"{row['population_share']:.1f}%"
        facilities = (f"{NO_DATA} (none on record)" if pd.isna(row["facilities"])
                      else f"{int(row['facilities'])} ({row['facility_statuses']})")
        waste = row["city_waste_text"] or NO_DATA
        lines.append(f"<b>{row['name']}</b><br>Population 2019: {population}<br>Share of Cambodia: {share}<br>"
                     f"Landfills and dumpsites on record: {facilities}<br>City waste generated: {waste}")
    return lines


def _subset(boundaries: dict, codes: list[str]) -> dict:
    """Only the features a trace draws, so no geometry is sent twice."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in boundaries["features"] if f["id"] in wanted]}


def _map_base(height: int) -> go.Figure:
    fig = go.Figure(layout=go.Layout(template=TEMPLATE, height=height))
    fig.update_layout(
        map=dict(style=BLANK_MAP_STYLE, center=CAMBODIA_CENTRE, zoom=CAMBODIA_ZOOM),
        margin=dict(l=0, r=0, t=0, b=0),
        legend=dict(orientation="v", x=0.01, y=0.99, xanchor="left", yanchor="top", bgcolor="rgba(255,255,255,0.85)",
                    bordercolor="#d0d0d0", borderwidth=1),
    )
    return fig


def _area(boundaries: dict, codes: list[str], hover: list[str], *, name: str, colour: str | None = None,
          values: list[float] | None = None, unit: str = "", show_legend: bool = True) -> go.Choroplethmap:
    fixed = colour is not None
    return go.Choroplethmap(
        geojson=_subset(boundaries, codes), featureidkey="id", locations=codes,
        z=[1] * len(codes) if fixed else values,
        colorscale=[[0, colour], [1, colour]] if fixed else SEQUENTIAL,
        showscale=not fixed, showlegend=fixed and show_legend, name=name,
        marker=dict(line=dict(color="white", width=1), opacity=1),
        text=hover, hovertemplate="%{text}<extra></extra>",
        colorbar=None if fixed else dict(title=dict(text=unit, side="right"), thickness=14, len=0.75,
                                         x=0.99, xanchor="right", bgcolor="rgba(255,255,255,0.85)"),
    )


def province_choropleth(table: pd.DataFrame, boundaries: dict, metric: Metric, *, attribution: str,
                        height: int = 560) -> go.Figure:
    """The provinces coloured by one metric; provinces without a figure drawn grey and named 'No data'."""
    fig = _map_base(height)
    hover = hover_lines(table)
    table = table.assign(hover=hover)
    if metric.column == "city_waste_class":
        for (label, _, _), colour in zip(CITY_WASTE_CLASSES, CITY_WASTE_COLOURS, strict=True):
            rows = table[table["city_waste_class"] == label]
            if not rows.empty:
                fig.add_trace(_area(boundaries, list(rows["geo_code"]), list(rows["hover"]), name=label,
                                    colour=colour))
        missing = table[table["city_waste_class"] == NO_DATA]
    else:
        known = table[table[metric.column].notna()]
        missing = table[table[metric.column].isna()]
        if not known.empty:
            fig.add_trace(_area(boundaries, list(known["geo_code"]), list(known["hover"]), name=metric.label,
                                values=[float(v) for v in known[metric.column]], unit=metric.unit))
            if metric.column == "facilities":
                fig.data[-1].colorbar.dtick = 1
    if not missing.empty:
        fig.add_trace(_area(boundaries, list(missing["geo_code"]), list(missing["hover"]), name="No data",
                            colour=NO_DATA_COLOUR))
    fig.add_annotation(text=attribution, x=0.01, y=0.01, xref="paper", yref="paper", xanchor="left",
                       yanchor="bottom", showarrow=False, font=dict(size=11, color=GREY),
                       bgcolor="rgba(255,255,255,0.85)")
    return fig


def facilities_by_province(facilities: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: facilities on record per province by status; provinces with none are absent."""
    located = facilities.assign(province=facilities["province"].replace("", "Province not stated"))
    counts = located.groupby(["province", "status"]).size().unstack(fill_value=0)
    order = counts.sum(axis=1).sort_values(ascending=True)
    counts = counts.loc[order.index]
    fig = go.Figure(layout=go.Layout(template=TEMPLATE, height=max(260, 34 * len(counts) + 130)))
    for index, status in enumerate(s for s in FACILITY_STATUS_ORDER if s in counts.columns):
        values = counts[status]
        fig.add_trace(go.Bar(
            # A plain list with None (not a NaN typed array, which breaks plotly.js stacking) for "none here".
            x=[int(v) if v > 0 else None for v in values], y=list(counts.index), orientation="h",
            name=FACILITY_STATUS_LABELS.get(status, status), marker_color=PALETTE[index % len(PALETTE)],
            hovertemplate="%{y}: %{x} " + FACILITY_STATUS_LABELS.get(status, status).lower() + "<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend=dict(y=-0.25 if len(counts) < 6 else -0.12))
    fig.update_xaxes(title_text="Facilities on record (count)", dtick=1, showgrid=True, gridcolor="#e5e5e5",
                     rangemode="tozero")
    fig.update_yaxes(title_text="", type="category")
    return fig
