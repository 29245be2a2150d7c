"""Province map and facility figures: per-province metrics, an offline MapLibre choropleth, facility bars.

Every builder takes a keyword-only `lang` ("en" or "km"): words come from the catalogue (locales/provinces.csv),
province names in Khmer from data/population.csv (`geography_km`) and data/facilities.csv (`province_km`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.i18n import translator
from core.theme import GREY, PALETTE, template_for

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
BOUND_QUALIFIERS = ("up_to", "less_than", "more_than", "at_least")
_CONFIDENCE_RANK = {"high": 3, "medium": 2, "low": 1}
_YEAR_BASIS_RANK = {"stated": 2, "inferred": 1, "not_stated": 0}

FACILITY_STATUS_ORDER = ("operating", "under_construction", "planned", "closed", "unknown")
FACILITY_STATUS_LABELS = {"operating": "Operating", "under_construction": "Under construction",
                          "planned": "Planned", "closed": "Closed", "unknown": "Status unknown"}
# The catalogue names of the city waste classes (provinces.class.<name>; their English is the class label).
CITY_WASTE_CLASS_NAMES = {"Under 100 t/day": "under_100", "100 to 499 t/day": "100_499",
                          "500 to 999 t/day": "500_999", "1,000 t/day or more": "1000_plus"}


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


def city_waste_rule(*, lang: str = "en") -> str:
    """How the city waste figure of each province is chosen (latest_city_waste) and classed (city_waste_class)."""
    _ = translator(lang)
    return _("provinces.city_waste.rule")


def metric_name(metric: Metric) -> str:
    """The metric's name in the catalogue keys (provinces.metric.<name>.*): 'City waste' -> 'city_waste'."""
    return metric.code.lower().replace(" ", "_")


def metric_label(metric: Metric, *, lang: str = "en") -> str:
    """What is coloured ('Population, 2019 census'): the legend and the alt text."""
    _ = translator(lang)
    return _(f"provinces.metric.{metric_name(metric)}.label")


def metric_unit(metric: Metric, *, lang: str = "en") -> str:
    """The colour bar's title."""
    _ = translator(lang)
    return _(f"provinces.metric.{metric_name(metric)}.unit")


def metric_caption(metric: Metric, *, lang: str = "en") -> str:
    """The line under the picker's option."""
    _ = translator(lang)
    return _(f"provinces.metric.{metric_name(metric)}.caption")


def metric_option(metric: Metric, *, lang: str = "en") -> str:
    """The word the picker shows for a metric (its link code stays English: ?prov_metric=City+waste)."""
    _ = translator(lang)
    return _(f"provinces.metric.{metric_name(metric)}.option")


def no_data(*, lang: str = "en") -> str:
    """'no data' in the language (the English is NO_DATA, the value the tables carry)."""
    _ = translator(lang)
    return _("provinces.no_data")


def class_label(label: str, *, lang: str = "en") -> str:
    """A city waste class (or 'no data') in words of the language."""
    if label == NO_DATA:
        return no_data(lang=lang)
    name = CITY_WASTE_CLASS_NAMES.get(label)
    _ = translator(lang)
    return _(f"provinces.class.{name}") if name else label


def status_label(code: str, *, lang: str = "en") -> str:
    """A facility status code in words: 'under_construction' -> 'Under construction' (or its Khmer)."""
    return translator(lang).label("facility_status", code) if code in FACILITY_STATUS_LABELS else \
        FACILITY_STATUS_LABELS.get(code, code)


def province_names_km(population: pd.DataFrame) -> dict[str, str]:
    """geo_code -> the province's name in Khmer script (data/population.csv, column geography_km)."""
    if "geography_km" not in population:
        return {}
    rows = population[(population["geo_level"] == "province") & (population["geography_km"] != "")]
    return dict(zip(rows["geo_code"], rows["geography_km"], strict=True))


def _format_people(value: float, lang: str = "en") -> str:
    return f"{int(value):,}" if lang == "en" else translator(lang).num(int(value))


def _format_tpd(value: float, lang: str = "en") -> str:
    if lang == "en":
        return f"{value:,.0f}" if value >= 10 else f"{value:g}"
    return translator(lang).num(value, 0) if value >= 10 else translator(lang).num(value)


def city_waste_class(low: float, high: float) -> str:
    """The class a figure (low == high) or a range falls wholly in; 'no data' when a range spans two classes."""
    for label, lower, upper in CITY_WASTE_CLASSES:
        if lower <= low < upper and lower <= high < upper:
            return label
    return NO_DATA


def latest_city_waste(estimates: pd.DataFrame) -> pd.DataFrame:
    """One row per province: the city waste figure chosen by city_waste_rule() (value or published range)."""
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


def _city_waste_text(row: pd.Series, lang: str = "en") -> str:
    _ = translator(lang)
    if pd.isna(row["value"]):
        amount = _("provinces.city_waste.range", low=_format_tpd(row["value_low"], lang),
                   high=_format_tpd(row["value_high"], lang))
    else:
        value = _format_tpd(row["value"], lang)
        amount = (_("provinces.city_waste.about", value=value) if row["qualifier"] == "about" else
                  _("provinces.city_waste.nearly", value=value) if row["qualifier"] == "nearly" else
                  _("provinces.city_waste.value", value=value))
    year = _("provinces.circa_year", year=row["year"]) if row["year_basis"] == "inferred" else str(row["year"])
    place = row["geography"] if lang == "en" else _.label("city_geography", row["geography"])
    return _("provinces.city_waste.text", amount=amount, place=place, year=year)


def _status_counts(statuses: pd.Series, lang: str) -> str:
    """'1 operating, 1 closed' (counts by status, most frequent first) in the language."""
    _ = translator(lang)
    return ", ".join(_("provinces.status_count", count=_.num(n), status=status_label(k, lang=lang).lower())
                     for k, n in statuses.value_counts().items())


def province_metrics(provinces: pd.DataFrame, population: pd.DataFrame, facilities: pd.DataFrame,
                     estimates: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """One row per province (geo_code, name, name_km) with every map metric; a missing figure stays missing (NA).

    `provinces` lists the boundaries (geo_code, name). Population is the 2019 census (NIS); its share is
    derived against the national census total of the same table. Facilities count the rows on record,
    so a province with none on record is unknown, not zero. The texts (facility statuses, city waste) are
    written in `lang`; `name_km` is the province's Khmer name from the population table.
    """
    table = provinces[["geo_code", "name"]].copy()
    table["name_km"] = table["geo_code"].map(province_names_km(population)).fillna(table["name"])
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
    statuses = located.groupby("geo_code")["status"].apply(lambda s: _status_counts(s, lang))
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
    texts = city.apply(_city_waste_text, axis=1, lang=lang)
    table["city_waste_text"] = table["geo_code"].map(texts).fillna("")
    table["city_waste_source_id"] = table["geo_code"].map(city["source_id"]).fillna("")
    table["city_waste_class"] = [
        NO_DATA if pd.isna(low) else city_waste_class(float(low), float(high))
        for low, high in zip(table["city_waste_low"], table["city_waste_high"], strict=True)]
    return table


def shown_name(row: pd.Series, lang: str = "en") -> str:
    """The province's name as the language writes it (Khmer script in Khmer)."""
    if lang == "km" and isinstance(row.get("name_km"), str) and row["name_km"]:
        return row["name_km"]
    return row["name"]


def hover_lines(table: pd.DataFrame, *, lang: str = "en") -> list[str]:
    """Everything known about each province, 'no data' spelled out where a figure is missing."""
    _ = translator(lang)
    gap = no_data(lang=lang)
    lines = []
    for _index, row in table.iterrows():
        population = gap if pd.isna(row["population"]) else _format_people(row["population"], lang)
        share = gap if pd.isna(row["population_share"]) else (
            f"{row['population_share']:.1f}%" if lang == "en" else _.pct(float(row["population_share"]), 1))
        facilities = (_("provinces.hover.none_on_record", no_data=gap) if pd.isna(row["facilities"])
                      else _("provinces.hover.facility_count", count=_.num(int(row["facilities"])),
                             statuses=row["facility_statuses"]))
        waste = row["city_waste_text"] or gap
        lines.append(_("provinces.hover.lines", name=shown_name(row, lang), population=population, share=share,
                       facilities=facilities, waste=waste))
    return lines


def _subset(boundaries: dict, codes: list[str]) -> dict:
    """Only the features a trace draws, so no geometry is sent twice; each feature as its id and geometry (the
    map matches features by id, featureidkey="id", and shows the trace's own text, so the boundary file's names
    and codes would only add bytes to every figure sent)."""
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "id": f["id"], "properties": {}, "geometry": f["geometry"]}
                         for f in boundaries["features"] if f["id"] in wanted]}


def _map_base(height: int, lang: str = "en") -> go.Figure:
    fig = go.Figure(layout=go.Layout(template=template_for(lang), height=height))
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
                        height: int = 560, lang: str = "en") -> go.Figure:
    """The provinces coloured by one metric; provinces without a figure drawn grey and named 'No data'.

    The attribution is drawn as given (the boundary licence's wording stays as its publisher requires).
    """
    _ = translator(lang)
    fig = _map_base(height, lang)
    hover = hover_lines(table, lang=lang)
    table = table.assign(hover=hover)
    if metric.column == "city_waste_class":
        for (label, _low, _high), colour in zip(CITY_WASTE_CLASSES, CITY_WASTE_COLOURS, strict=True):
            rows = table[table["city_waste_class"] == label]
            if not rows.empty:
                fig.add_trace(_area(boundaries, list(rows["geo_code"]), list(rows["hover"]),
                                    name=class_label(label, lang=lang), colour=colour))
        missing = table[table["city_waste_class"] == NO_DATA]
    else:
        known = table[table[metric.column].notna()]
        missing = table[table[metric.column].isna()]
        if not known.empty:
            fig.add_trace(_area(boundaries, list(known["geo_code"]), list(known["hover"]),
                                name=metric_label(metric, lang=lang), values=[float(v) for v in known[metric.column]],
                                unit=metric_unit(metric, lang=lang)))
            if metric.column == "facilities":
                fig.data[-1].colorbar.dtick = 1
    if not missing.empty:
        fig.add_trace(_area(boundaries, list(missing["geo_code"]), list(missing["hover"]),
                            name=_("provinces.legend.no_data"), colour=NO_DATA_COLOUR))
    fig.add_annotation(text=attribution, x=0.01, y=0.01, xref="paper", yref="paper", xanchor="left",
                       yanchor="bottom", showarrow=False, font=dict(size=11, color=GREY),
                       bgcolor="rgba(255,255,255,0.85)")
    return fig


def facility_province(facilities: pd.DataFrame, *, lang: str = "en") -> pd.Series:
    """Each facility's province as the language writes it ('Province not stated' where the data has none)."""
    _ = translator(lang)
    names = facilities["province"]
    if lang == "km" and "province_km" in facilities:
        names = facilities["province_km"].where(facilities["province_km"] != "", facilities["province"])
    return names.replace("", _("provinces.province_not_stated"))


def facilities_by_province(facilities: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """Stacked horizontal bars: facilities on record per province by status; provinces with none are absent."""
    _ = translator(lang)
    located = facilities.assign(province=facility_province(facilities, lang=lang))
    counts = located.groupby(["province", "status"]).size().unstack(fill_value=0)
    order = counts.sum(axis=1).sort_values(ascending=True)
    counts = counts.loc[order.index]
    fig = go.Figure(layout=go.Layout(template=template_for(lang), height=max(260, 34 * len(counts) + 130)))
    for index, status in enumerate(s for s in FACILITY_STATUS_ORDER if s in counts.columns):
        values = counts[status]
        word = status_label(status, lang=lang)
        fig.add_trace(go.Bar(
            # A plain list with None (not a NaN typed array, which breaks plotly.js stacking) for "none here".
            x=[int(v) if v > 0 else None for v in values], y=list(counts.index), orientation="h",
            name=word, marker_color=PALETTE[index % len(PALETTE)],
            hovertemplate="%{y}: %{x} " + word.lower() + "<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend=dict(y=-0.25 if len(counts) < 6 else -0.12))
    fig.update_xaxes(title_text=_("provinces.bars.axis"), dtick=1, showgrid=True, gridcolor="#e5e5e5",
                     rangemode="tozero")
    fig.update_yaxes(title_text="", type="category")
    return fig
