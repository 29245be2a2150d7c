"""Generation page: tidy frames from the evidence ledger and the figures drawn from them (no Streamlit).

The frames keep the ledger's codes and English words (tables and downloads match data/); the figures take a
keyword-only `lang` ('en' or 'km') and put what a reader sees in that language (locales/generation.csv).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from core.evidence import (
    DAYS_PER_YEAR,
    NATIONAL_TONNAGE_INDICATORS,
    PER_CAPITA_INDICATOR,
    format_tonnes,
    reference_year,
)
from core.i18n import formatted as fmt
from core.i18n import translator
from core.theme import GREY, PALETTE, SCOPE_SYMBOLS, colour_for, template_for

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


def _base(height: int = 440, lang: str = "en") -> go.Figure:
    return go.Figure(layout=go.Layout(template=template_for(lang), height=height))


# ------------------------------------------------------------------ words and numbers in the reader's language

CONFIDENCES = ("high", "medium", "low")
# Tonnages are written by one function for every page (core.evidence); this page's views use it by this name.
tonnes_text = format_tonnes


def scope_name(scope: object, *, lang: str = "en") -> str:
    """What a figure counts, in words: 'generated', 'collected', 'generated or collected (not stated)'."""
    _ = translator(lang)
    return _(f"generation.scope.{scope}") if scope in SCOPE_WORDS else str(scope)


def confidence_name(confidence: object, *, lang: str = "en", word: bool = False) -> str:
    """'high' -> 'high confidence' (or, with word=True, 'high') in the language."""
    _ = translator(lang)
    if confidence not in CONFIDENCES:
        return str(confidence)
    return _(f"generation.confidence_word.{confidence}") if word else _(f"generation.confidence.{confidence}")


def method_name(method: object, *, lang: str = "en") -> str:
    """How a figure was taken from its source ('as published', 'published t/yr ÷ 365') in the language."""
    _ = translator(lang)
    words = {"as published": _("generation.method.as_published"),  # the ledger's words (core.evidence, below)
             "published t/yr ÷ 365": _("generation.method.t_yr"),
             "published kg/cap/yr ÷ 365": _("generation.method.kg_yr"),
             "published t/day x 365": _("generation.method.t_day")}
    return words.get(str(method), str(method))


def place_name(geo_code: object, default: object, *, lang: str = "en") -> str:
    """A city or province the ledger has tonnages for, named in the language (English: as the page names it)."""
    if lang == "en":
        return str(default)
    known = translator(lang).label("place", geo_code)
    return known if known != str(geo_code) else str(default)


def group_name(geo_level: object, *, lang: str = "en") -> str:
    """The per-person chart's groups ('National', 'Cities', ...) from the geography level."""
    _ = translator(lang)
    return _(f"generation.group.{geo_level}") if geo_level in PER_CAPITA_GROUPS else str(
        PER_CAPITA_GROUPS.get(geo_level, geo_level))


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
    for _index, row in rows.iterrows():
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
                      headline_id: str | None = None, lang: str = "en") -> go.Figure:
    """Every dated national tonnage: colour = confidence, marker = scope, published ranges as bars."""
    _ = translator(lang)
    fig = _base(480, lang)
    dated = totals[totals["year"].notna()]
    for confidence, colour in CONFIDENCE_COLOURS.items():
        group = dated[dated["confidence"] == confidence]
        points = group[group["value_t"].notna()]
        legend = confidence_name(confidence, lang=lang)
        if not points.empty:
            fig.add_trace(go.Scatter(
                x=points["year"], y=points["value_t"] / 1e6, mode="markers", name=legend,
                legendgroup=confidence, opacity=0.9, showlegend=False,
                marker=dict(color=colour, size=13, line=dict(width=2, color=colour),
                            symbol=[SYMBOLS.get(s, "circle") for s in points["scope"]]),
                customdata=list(zip(points["id"], points["period"], [scope_name(s, lang=lang) for s in points["scope"]],
                                    [source_labels.get(s, s) for s in points["source_id"]],
                                    [method_name(m, lang=lang) for m in points["method"]],
                                    [_short(q) for q in points["quote"]], strict=True)),
                hovertemplate=_("generation.hover.national", value="%{y:.2f}", scope="%{customdata[2]}",
                                id="%{customdata[0]}", period="%{customdata[1]}", source="%{customdata[3]}",
                                confidence=confidence_name(confidence, lang=lang, word=True),
                                method="%{customdata[4]}", quote="%{customdata[5]}") + "<extra></extra>",
            ))
        ranges = group[group["value_t"].isna() & group["value_t_low"].notna() & group["value_t_high"].notna()]
        for _index, row in ranges.iterrows():
            label = source_labels.get(row["source_id"], row["source_id"])
            fig.add_trace(_range_trace(
                [row["year"], row["year"]], [row["value_t_low"] / 1e6, row["value_t_high"] / 1e6],
                colour=colour, name=_("generation.trace.range", name=label), legendgroup=confidence,
                hover=_("generation.hover.national_range", id=row["id"], source=label, value="%{y:.2f}")))
    for confidence, colour in CONFIDENCE_COLOURS.items():
        if (dated["confidence"] == confidence).any():  # a plain swatch: the marker shapes belong to scope
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=confidence_name(confidence, lang=lang),
                                     legendgroup=confidence, marker=dict(color=colour, size=12, symbol="square"),
                                     hoverinfo="skip"))
    if headline_id is not None and headline_id in set(dated["id"]):
        row = dated.set_index("id").loc[headline_id]
        fig.add_annotation(x=row["year"], y=row["value_t"] / 1e6, text=_("generation.annotation.headline"),
                           showarrow=True, arrowhead=0, ax=-55, ay=-40, font=dict(size=13))
    for scope in sorted(set(dated["scope"])):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                                 name=_("generation.trace.scope", scope=scope_name(scope, lang=lang)),
                                 marker=dict(symbol=SYMBOLS.get(scope, "circle"), size=12, color="#555",
                                             line=dict(width=2, color="#555")), hoverinfo="skip"))
    fig.update_xaxes(title_text=_("generation.axis.year_of_figure"), dtick=2)
    fig.update_yaxes(title_text=_("generation.axis.mt_per_year"))
    return fig


def dated_dots(frame: pd.DataFrame, *, value: str, low: str, high: str, group: str, y_title: str,
               unit: str, scope: str | None = None, scope_legend: bool = True, height: int = 420,
               group_names: Mapping[str, str] | None = None, lang: str = "en") -> go.Figure:
    """Published figures over time, one colour per group; ranges as vertical bars; undated rows are left out.

    `group_names` names the groups in the legend (default: as the frame spells them); `y_title` and `unit`
    come in the reader's language.
    """
    _ = translator(lang)
    names = group_names or {}
    fig = _base(height, lang)
    dated = frame[frame["year"].notna()]
    hover = _("generation.hover.dated", value="%{y:,.4~g}", unit=unit, scope="%{customdata[3]}",
              id="%{customdata[0]}", place="%{customdata[1]}", period="%{customdata[2]}",
              confidence="%{customdata[4]}", method="%{customdata[5]}", source="%{customdata[6]}",
              quote="%{customdata[7]}") + "<extra></extra>"
    for index, (code, rows) in enumerate(dated.groupby(group, sort=False)):
        name = str(names.get(code, code))
        colour = colour_for(index)
        points = rows[rows[value].notna()]
        symbols = [SYMBOLS.get(s, "circle") for s in points[scope]] if scope else "circle"
        if not points.empty:
            fig.add_trace(go.Scatter(
                x=points["year"], y=points[value], mode="markers", name=name, legendgroup=str(code),
                showlegend=not (scope and scope_legend), cliponaxis=False,
                marker=dict(color=colour, size=12, symbol=symbols, line=dict(width=2, color=colour)),
                customdata=list(zip(points["id"], points["geography"], points["period"],
                                    [scope_name(s, lang=lang) for s in points[scope]] if scope
                                    else [""] * len(points),
                                    [confidence_name(c, lang=lang, word=True) for c in points["confidence"]],
                                    [method_name(m, lang=lang) for m in points["method"]],
                                    points["source_id"], [_short(q) for q in points["quote"]], strict=True)),
                hovertemplate=hover,
            ))
        ranged = rows[rows[value].isna() & rows[low].notna() & rows[high].notna()]
        for _index, row in ranged.iterrows():
            fig.add_trace(_range_trace(
                [row["year"], row["year"]], [row[low], row[high]], colour=colour,
                name=_("generation.trace.range", name=name), legendgroup=str(code),
                hover=_("generation.hover.dated_range", id=row["id"], place=row["geography"], period=row["period"],
                        value="%{y:,.4~g}", unit=unit)))
            if points.empty and not (scope and scope_legend):  # a group with ranges only needs its legend entry
                fig.data[-1].showlegend = True
                fig.data[-1].name = name
        if scope and scope_legend:  # a plain swatch per group: the marker shapes belong to scope
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, legendgroup=str(code),
                                     marker=dict(color=colour, size=12, symbol="square"), hoverinfo="skip"))
    if scope and scope_legend:
        for item in sorted(set(dated[scope])):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=scope_name(item, lang=lang),
                                     marker=dict(symbol=SYMBOLS.get(item, "circle"), size=11, color="#555",
                                                 line=dict(width=2, color="#555")), hoverinfo="skip"))
    if not dated.empty:  # half a year of room either side so that no marker sits on the frame
        fig.update_xaxes(range=[float(dated["year"].min()) - 0.7, float(dated["year"].max()) + 0.7])
    fig.update_xaxes(title_text=_("generation.axis.year_of_figure"), dtick=2)
    fig.update_yaxes(title_text=y_title)
    return fig


def projection_chart(published: pd.DataFrame, path: pd.DataFrame, *, base_label: str,
                     alternatives: Mapping[str, pd.DataFrame] | None = None,
                     marks: tuple[int, ...] = (2030, 2035), lang: str = "en") -> go.Figure:
    """Published national totals (grey), the chosen base and its compound-growth path drawn dashed.

    `published` holds dated national figures in t/yr (`year`, `value_t`); `path` is core.projection.project
    output in t/yr; `alternatives` are other rates' paths (named in the reader's language), drawn thin and
    dotted for comparison.
    """
    _ = translator(lang)
    fig = _base(460, lang)
    shown = published[published["year"].notna() & published["value_t"].notna()]
    projected = _("generation.hover.projected", value="%{y:.2f}", year="%{x:.0f}") + "<extra></extra>"
    fig.add_trace(go.Scatter(
        x=shown["year"], y=shown["value_t"] / 1e6, mode="markers", name=_("generation.trace.published"),
        marker=dict(color="#b0b0b0", size=9, symbol=[SYMBOLS.get(s, "circle") for s in shown["scope"]],
                    line=dict(width=1.5, color="#8a8a8a")),
        customdata=list(zip(shown["id"], shown["source_id"], [scope_name(s, lang=lang) for s in shown["scope"]],
                            strict=True)),
        hovertemplate=_("generation.hover.published", value="%{y:.2f}", scope="%{customdata[2]}",
                        id="%{customdata[0]}", source="%{customdata[1]}") + "<extra></extra>"))
    for index, (label, other) in enumerate((alternatives or {}).items()):
        fig.add_trace(go.Scatter(
            x=other["year"], y=other["value"] / 1e6, mode="lines", name=label,
            line=dict(color=colour_for(index + 1), width=1.5, dash="dot"),
            hovertemplate=_("generation.hover.alternative", name=label, value="%{y:.2f}", year="%{x:.0f}")
            + "<extra></extra>"))
    rate = float(path["rate_pct"].iloc[0])
    fig.add_trace(go.Scatter(
        x=path["year"], y=path["value"] / 1e6, mode="lines",
        name=_("generation.trace.projection", rate=fmt(rate, "+.1f", lang)),
        line=dict(color=PALETTE[0], width=3, dash="dash"), hovertemplate=projected))
    base = path.iloc[0]
    fig.add_trace(go.Scatter(
        x=[base["year"]], y=[base["value"] / 1e6], mode="markers", name=_("generation.trace.base", base=base_label),
        marker=dict(color=PALETTE[0], size=14, line=dict(width=2, color="white")),
        hovertemplate=_("generation.trace.base", base=base_label) + "<extra></extra>"))
    marked = path[path["year"].isin([float(y) for y in marks])]
    fig.add_trace(go.Scatter(
        x=marked["year"], y=marked["value"] / 1e6, mode="markers", name=_("generation.trace.marks"),
        marker=dict(color="white", size=12, line=dict(width=3, color=PALETTE[0])), showlegend=False,
        hovertemplate=projected))
    for index, (_index, row) in enumerate(marked.iterrows()):
        last = index == len(marked) - 1
        fig.add_annotation(x=row["year"], y=row["value"] / 1e6,
                           text=_("generation.annotation.projected", value=fmt(row["value"] / 1e6, ".2f", lang),
                                  year=f"{row['year']:.0f}"),
                           showarrow=True, arrowhead=0, ax=-30 if last else 0,
                           ay=50, xanchor="right" if last else "center", font=dict(color=PALETTE[0], size=13),
                           arrowcolor=PALETTE[0])
    fig.update_xaxes(title_text=_("generation.axis.year"), dtick=2, range=[min(2009.5, float(shown["year"].min()) - 0.5)
                                                                         if not shown.empty else 2009.5,
                                                                         max(marks) + 1])
    fig.update_yaxes(title_text=_("generation.axis.mt_per_year"), rangemode="tozero", gridcolor="#e5e5e5",
                     linecolor=GREY)
    return fig
