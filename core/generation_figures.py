"""Generation page: tidy frames from the evidence ledger and the figures drawn from them (no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from core.evidence import DAYS_PER_YEAR, NATIONAL_TONNAGE_INDICATORS, PER_CAPITA_INDICATOR, reference_year
from core.theme import GREY, PALETTE, SCOPE_SYMBOLS, TEMPLATE, colour_for

HOVER_LIMIT = 160
CONFIDENCE_COLOURS = {"high": PALETTE[0], "medium": PALETTE[1], "low": PALETTE[3]}
# 'other' in the ledger means the source does not say whether the tonnage was generated or collected.
SYMBOLS = {**SCOPE_SYMBOLS, "other": "triangle-up-open"}
SCOPE_WORDS = {"generated": "generated", "collected": "collected", "landfilled": "landfilled",
               "disposed": "disposed of", "other": "generated or collected (not stated)",
               "projection": "published projection"}
CITY_LEVELS = ("city", "province", "site")
PHNOM_PENH = "KH-12"
# Province codes of the cities the ledger has tonnages for, named as a reader knows them.
PLACE_NAMES = {"KH-12": "Phnom Penh", "KH-17": "Siem Reap", "KH-18": "Sihanoukville (Preah Sihanouk)",
               "KH-2": "Battambang", "KH-7": "Kampot"}
PER_CAPITA_GROUPS = {"national": "National", "city": "Cities", "multi_city": "Small rural cities",
                     "rural": "Rural communities", "urban": "Urban areas"}


def _short(text: object, limit: int = HOVER_LIMIT) -> str:
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _base(height: int = 440) -> go.Figure:
    return go.Figure(layout=go.Layout(template=TEMPLATE, height=height))


# ------------------------------------------------------------------ tidy frames

def _with_year(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.copy()
    rows["year"] = rows.apply(reference_year, axis=1).astype(float) if not rows.empty else pd.Series(dtype=float)
    return rows


def city_daily(estimates: pd.DataFrame) -> pd.DataFrame:
    """City, province and site tonnages in tonnes per day; yearly figures ÷ 365 are flagged 'derived'."""
    rows = estimates[estimates["indicator"].isin(NATIONAL_TONNAGE_INDICATORS)
                     & estimates["geo_level"].isin(CITY_LEVELS)
                     & estimates["unit"].isin(["t/day", "t/yr"])].copy()
    divisor = rows["unit"].map({"t/day": 1, "t/yr": DAYS_PER_YEAR}).astype(float)
    for column in ("value", "value_low", "value_high"):
        rows[column.replace("value", "t_per_day")] = rows[column] / divisor
    rows["derived"] = rows["unit"].eq("t/yr")
    rows["method"] = rows["derived"].map({True: "published t/yr ÷ 365", False: "as published"})
    rows["place"] = [PLACE_NAMES.get(code, geo) for code, geo in zip(rows["geo_code"], rows["geography"],
                                                                      strict=True)]
    rows = _with_year(rows)
    return rows.sort_values(["place", "year"], na_position="last").reset_index(drop=True)


def per_capita_daily(estimates: pd.DataFrame) -> pd.DataFrame:
    """Per-person generation in kg per person per day; kg/cap/yr figures ÷ 365 are flagged 'derived'."""
    rows = estimates[(estimates["indicator"] == PER_CAPITA_INDICATOR)
                     & estimates["unit"].isin(["kg/cap/day", "kg/cap/yr"])].copy()
    divisor = rows["unit"].map({"kg/cap/day": 1, "kg/cap/yr": DAYS_PER_YEAR}).astype(float)
    for column in ("value", "value_low", "value_high"):
        rows[column.replace("value", "kg_per_day")] = rows[column] / divisor
    rows["derived"] = rows["unit"].eq("kg/cap/yr")
    rows["method"] = rows["derived"].map({True: "published kg/cap/yr ÷ 365", False: "as published"})
    rows["group"] = rows["geo_level"].map(PER_CAPITA_GROUPS).fillna(rows["geo_level"])
    rows = _with_year(rows)
    return rows.sort_values(["year", "group"], na_position="last").reset_index(drop=True)


def base_options(totals: pd.DataFrame) -> pd.DataFrame:
    """National figures a projection can start from: waste generated, dated, with a single value (no range)."""
    rows = totals[totals["scope"].eq("generated") & totals["year"].notna() & totals["value_t"].notna()]
    return rows.sort_values(["year", "id"], ascending=[False, True]).reset_index(drop=True)


def growth_presets(estimates: pd.DataFrame) -> pd.DataFrame:
    """Published national growth rates of waste generated, one row per rate a reader may pick.

    A published range gives two presets (its low and its high end, marked in `end`), never a midpoint.
    """
    rows = estimates[(estimates["indicator"] == "msw_growth_rate") & (estimates["unit"] == "%")]
    presets = []
    for _, row in rows.iterrows():
        ends = [("", row["value"])] if pd.notna(row["value"]) else [
            (end, row[column]) for end, column in (("low end", "value_low"), ("high end", "value_high"))
            if pd.notna(row[column])]
        for end, rate in ends:
            presets.append({"id": row["id"], "end": end, "rate_pct": float(rate), "period": row["period"],
                            "qualifier": row["qualifier"], "source_id": row["source_id"],
                            "confidence": row["confidence"], "quote": row["quote"]})
    return pd.DataFrame(presets, columns=["id", "end", "rate_pct", "period", "qualifier", "source_id",
                                          "confidence", "quote"])


# ------------------------------------------------------------------ figures

def _range_trace(x: list, y: list, *, colour: str, name: str, hover: str, legendgroup: str,
                 horizontal: bool = False) -> go.Scatter:
    return go.Scatter(x=x, y=y, mode="lines+markers", name=name, legendgroup=legendgroup, showlegend=False,
                      line=dict(color=colour, width=4),
                      marker=dict(symbol="line-ns-open" if horizontal else "line-ew-open", size=12, color=colour),
                      hovertemplate=hover + "<extra></extra>")


def national_evidence(totals: pd.DataFrame, source_labels: Mapping[str, str], *,
                      headline_id: str | None = None) -> go.Figure:
    """Every dated national tonnage: colour = confidence, marker = scope, published ranges as bars."""
    fig = _base(480)
    dated = totals[totals["year"].notna()]
    for confidence, colour in CONFIDENCE_COLOURS.items():
        group = dated[dated["confidence"] == confidence]
        points = group[group["value_t"].notna()]
        if not points.empty:
            fig.add_trace(go.Scatter(
                x=points["year"], y=points["value_t"] / 1e6, mode="markers", name=f"{confidence} confidence",
                legendgroup=confidence, opacity=0.9, showlegend=False,
                marker=dict(color=colour, size=13, line=dict(width=2, color=colour),
                            symbol=[SYMBOLS.get(s, "circle") for s in points["scope"]]),
                customdata=list(zip(points["id"], points["period"], points["scope"],
                                    [source_labels.get(s, s) for s in points["source_id"]], points["method"],
                                    [_short(q) for q in points["quote"]], strict=True)),
                hovertemplate=("<b>%{y:.2f} million t/yr</b> %{customdata[2]} (%{customdata[0]})<br>"
                               "Year: %{customdata[1]}<br>Source: %{customdata[3]}<br>"
                               f"Confidence: {confidence}<br>%{{customdata[4]}}<br>"
                               "<i>%{customdata[5]}</i><extra></extra>"),
            ))
        ranges = group[group["value_t"].isna() & group["value_t_low"].notna() & group["value_t_high"].notna()]
        for _, row in ranges.iterrows():
            label = source_labels.get(row["source_id"], row["source_id"])
            fig.add_trace(_range_trace(
                [row["year"], row["year"]], [row["value_t_low"] / 1e6, row["value_t_high"] / 1e6],
                colour=colour, name=f"{label} (range)", legendgroup=confidence,
                hover=f"{row['id']} {label}: %{{y:.2f}} million t/yr (end of the published range)"))
    for confidence, colour in CONFIDENCE_COLOURS.items():
        if (dated["confidence"] == confidence).any():  # a plain swatch: the marker shapes belong to scope
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{confidence} confidence",
                                     legendgroup=confidence, marker=dict(color=colour, size=12, symbol="square"),
                                     hoverinfo="skip"))
    if headline_id is not None and headline_id in set(dated["id"]):
        row = dated.set_index("id").loc[headline_id]
        fig.add_annotation(x=row["year"], y=row["value_t"] / 1e6, text="Headline", showarrow=True, arrowhead=0,
                           ax=-55, ay=-40, font=dict(size=13))
    for scope in sorted(set(dated["scope"])):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"Scope: {SCOPE_WORDS.get(scope, scope)}",
                                 marker=dict(symbol=SYMBOLS.get(scope, "circle"), size=12, color="#555",
                                             line=dict(width=2, color="#555")), hoverinfo="skip"))
    fig.update_xaxes(title_text="Year the figure refers to", dtick=2)
    fig.update_yaxes(title_text="Million tonnes per year (Mt/yr)")
    return fig


def dated_dots(frame: pd.DataFrame, *, value: str, low: str, high: str, group: str, y_title: str,
               unit: str, scope: str | None = None, scope_legend: bool = True, height: int = 420) -> go.Figure:
    """Published figures over time, one colour per group; ranges as vertical bars; undated rows are left out."""
    fig = _base(height)
    dated = frame[frame["year"].notna()]
    for index, (name, rows) in enumerate(dated.groupby(group, sort=False)):
        colour = colour_for(index)
        points = rows[rows[value].notna()]
        symbols = [SYMBOLS.get(s, "circle") for s in points[scope]] if scope else "circle"
        if not points.empty:
            fig.add_trace(go.Scatter(
                x=points["year"], y=points[value], mode="markers", name=str(name), legendgroup=str(name),
                showlegend=not (scope and scope_legend), cliponaxis=False,
                marker=dict(color=colour, size=12, symbol=symbols, line=dict(width=2, color=colour)),
                customdata=list(zip(points["id"], points["geography"], points["period"],
                                    points[scope].map(SCOPE_WORDS).fillna(points[scope]) if scope
                                    else [""] * len(points), points["confidence"], points["method"],
                                    points["source_id"], [_short(q) for q in points["quote"]], strict=True)),
                hovertemplate=("<b>%{y:,.4~g} " + unit + "</b> %{customdata[3]} (%{customdata[0]})<br>"
                               "%{customdata[1]}, %{customdata[2]}<br>Confidence: %{customdata[4]}; "
                               "%{customdata[5]}<br>Source: %{customdata[6]}<br><i>%{customdata[7]}</i>"
                               "<extra></extra>"),
            ))
        ranged = rows[rows[value].isna() & rows[low].notna() & rows[high].notna()]
        for _, row in ranged.iterrows():
            fig.add_trace(_range_trace(
                [row["year"], row["year"]], [row[low], row[high]], colour=colour, name=f"{name} (range)",
                legendgroup=str(name),
                hover=f"{row['id']} {row['geography']}, {row['period']}: %{{y:,.4~g}} {unit} "
                      "(end of the published range)"))
            if points.empty and not (scope and scope_legend):  # a group with ranges only needs its legend entry
                fig.data[-1].showlegend = True
                fig.data[-1].name = str(name)
        if scope and scope_legend:  # a plain swatch per group: the marker shapes belong to scope
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=str(name), legendgroup=str(name),
                                     marker=dict(color=colour, size=12, symbol="square"), hoverinfo="skip"))
    if scope and scope_legend:
        for item in sorted(set(dated[scope])):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=SCOPE_WORDS.get(item, item),
                                     marker=dict(symbol=SYMBOLS.get(item, "circle"), size=11, color="#555",
                                                 line=dict(width=2, color="#555")), hoverinfo="skip"))
    if not dated.empty:  # half a year of room either side so that no marker sits on the frame
        fig.update_xaxes(range=[float(dated["year"].min()) - 0.7, float(dated["year"].max()) + 0.7])
    fig.update_xaxes(title_text="Year the figure refers to", dtick=2)
    fig.update_yaxes(title_text=y_title)
    return fig


def projection_chart(published: pd.DataFrame, path: pd.DataFrame, *, base_label: str,
                     alternatives: Mapping[str, pd.DataFrame] | None = None,
                     marks: tuple[int, ...] = (2030, 2035)) -> go.Figure:
    """Published national totals (grey), the chosen base and its compound-growth path drawn dashed.

    `published` holds dated national figures in t/yr (`year`, `value_t`); `path` is core.projection.project
    output in t/yr; `alternatives` are other rates' paths, drawn thin and dotted for comparison.
    """
    fig = _base(460)
    shown = published[published["year"].notna() & published["value_t"].notna()]
    fig.add_trace(go.Scatter(
        x=shown["year"], y=shown["value_t"] / 1e6, mode="markers", name="Published national figures",
        marker=dict(color="#b0b0b0", size=9, symbol=[SYMBOLS.get(s, "circle") for s in shown["scope"]],
                    line=dict(width=1.5, color="#8a8a8a")),
        customdata=list(zip(shown["id"], shown["source_id"], shown["scope"], strict=True)),
        hovertemplate="%{y:.2f} million t/yr, %{customdata[2]} (%{customdata[0]}, %{customdata[1]})"
                      "<extra></extra>"))
    for index, (label, other) in enumerate((alternatives or {}).items()):
        fig.add_trace(go.Scatter(
            x=other["year"], y=other["value"] / 1e6, mode="lines", name=label,
            line=dict(color=colour_for(index + 1), width=1.5, dash="dot"),
            hovertemplate=f"{label}: %{{y:.2f}} million t/yr in %{{x:.0f}} (projection)<extra></extra>"))
    rate = float(path["rate_pct"].iloc[0])
    fig.add_trace(go.Scatter(
        x=path["year"], y=path["value"] / 1e6, mode="lines", name=f"Projection at {rate:+.1f}% a year",
        line=dict(color=PALETTE[0], width=3, dash="dash"),
        hovertemplate="%{y:.2f} million t/yr in %{x:.0f}: projection, not a published figure<extra></extra>"))
    base = path.iloc[0]
    fig.add_trace(go.Scatter(
        x=[base["year"]], y=[base["value"] / 1e6], mode="markers", name=f"Base: {base_label}",
        marker=dict(color=PALETTE[0], size=14, line=dict(width=2, color="white")),
        hovertemplate=f"Base: {base_label}<extra></extra>"))
    marked = path[path["year"].isin([float(y) for y in marks])]
    fig.add_trace(go.Scatter(
        x=marked["year"], y=marked["value"] / 1e6, mode="markers", name="Projected 2030 and 2035",
        marker=dict(color="white", size=12, line=dict(width=3, color=PALETTE[0])), showlegend=False,
        hovertemplate="%{y:.2f} million t/yr in %{x:.0f}: projection, not a published figure<extra></extra>"))
    for index, (_, row) in enumerate(marked.iterrows()):
        last = index == len(marked) - 1
        fig.add_annotation(x=row["year"], y=row["value"] / 1e6, text=f"{row['value'] / 1e6:.2f} Mt in "
                           f"{row['year']:.0f}<br>(projection)", showarrow=True, arrowhead=0, ax=-30 if last else 0,
                           ay=50, xanchor="right" if last else "center", font=dict(color=PALETTE[0], size=13),
                           arrowcolor=PALETTE[0])
    fig.update_xaxes(title_text="Year", dtick=2, range=[min(2009.5, float(shown["year"].min()) - 0.5)
                                                        if not shown.empty else 2009.5, max(marks) + 1])
    fig.update_yaxes(title_text="Million tonnes per year (Mt/yr)", rangemode="tozero", gridcolor="#e5e5e5",
                     linecolor=GREY)
    return fig
