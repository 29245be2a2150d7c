"""Recycling and the informal sector: rates, prices per currency, waste pickers; pure figure builders."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.evidence import reference_year
from core.flow_figures import confidence_word, fmt
from core.i18n import translator
from core.theme import PALETTE, colour_for, template_for

RATE_INDICATORS = ("recycling_rate", "route_share")
PRICE_INDICATORS = ("recyclable_price", "compost_price")
# One panel per currency and unit: riel, US dollars and Thai baht are never put on one axis, and no
# exchange rate is applied (none is sourced). A price per 20 kg is divided by 20 and marked derived.
PRICE_UNITS = {"riel/kg": "Riel per kg", "USD/kg": "US dollars per kg", "THB/kg": "Thai baht per kg"}
PER_KG = {"USD/20kg": ("USD/kg", 20.0)}
INCOME_UNITS = {"riel/day": "Riel per day", "USD/day": "US dollars per day", "USD/month": "US dollars per month"}
QUALIFIER_SIGNS = {"less_than": "<", "up_to": "≤", "more_than": ">", "at_least": "≥", "about": "~", "nearly": "~"}
CONFIDENCE_SYMBOLS = {"high": "circle", "medium": "diamond", "low": "circle-open"}
MATERIAL_NAMES = {"plastic": "Plastic", "metal": "Metal", "rubber_leather": "Rubber", "paper": "Paper",
                  "organic": "Compost", "recyclables": "Mixed recyclables", "mixed": "Mixed"}


def material_name(material: str, *, lang: str = "en") -> str:
    """A material of the recycling figures in words ('organic' is compost here)."""
    if lang == "en":
        return MATERIAL_NAMES.get(material, material)
    return translator(lang).label("recycled_material", material)


def unit_name(unit: str, *, lang: str = "en") -> str:
    """A currency-and-period unit in words ('riel/kg' -> 'Riel per kg'); the code itself stays on the axis."""
    names = PRICE_UNITS | INCOME_UNITS
    if lang == "en":
        return names.get(unit, unit)
    return translator(lang).label("recycling_unit", unit)


def value_text(row: pd.Series, unit: str = "", *, lang: str = "en") -> str:
    """'<10%' or '0.12–0.5 USD/kg': the figure with the source's own qualifier, no rounding."""
    suffix = unit if unit in ("%",) else (f" {unit}" if unit else "")
    if pd.isna(row["value"]):
        return f"{fmt(row['value_low'], ',.6g', lang)}–{fmt(row['value_high'], ',.6g', lang)}{suffix}"
    return f"{QUALIFIER_SIGNS.get(row['qualifier'], '')}{fmt(row['value'], ',.6g', lang)}{suffix}"


def unit_symbol(unit: str, *, lang: str = "en") -> str:
    """A unit written after a number: the data's code in English ('t/day', 'families'), else in the language."""
    if lang == "en" or not translator(lang).has(f"label.recycling_symbol.{unit.replace('/', '_').lower()}"):
        return unit
    return translator(lang).label("recycling_symbol", unit)


def place_name(geography: str, *, lang: str = "en") -> str:
    """A place as data/estimates.csv spells it, or in the language (company names stay as they are)."""
    return geography if lang == "en" else translator(lang).label("recycling_place", geography)


def period_name(period: str, *, lang: str = "en") -> str:
    """A period as the data words it ('c. 2021', 'not dated'), or in the language; bare years stay as they are."""
    return period if lang == "en" else translator(lang).label("recycling_period", period)


def rate_rows(estimates: pd.DataFrame) -> pd.DataFrame:
    """Published shares of waste recycled (national and city), one row per figure."""
    return estimates[estimates["indicator"].isin(RATE_INDICATORS) & (estimates["unit"] == "%")
                     & (estimates["scope"] == "recycled")]


def price_rows(estimates: pd.DataFrame) -> pd.DataFrame:
    """Prices of recyclables in their own currency; per-20-kg prices turned into per-kg and marked derived."""
    rows = estimates[estimates["indicator"].isin(PRICE_INDICATORS)].copy()
    rows["derived"] = rows["unit"].isin(list(PER_KG))
    rows["unit_shown"] = rows["unit"]
    for unit, (target, divisor) in PER_KG.items():
        mask = rows["unit"] == unit
        for column in ("value", "value_low", "value_high"):
            rows.loc[mask, column] = rows.loc[mask, column] / divisor
        rows.loc[mask, "unit_shown"] = target
    rows["year"] = rows.apply(reference_year, axis=1).astype(float) if not rows.empty else pd.Series(dtype=float)
    return rows


def ranked_dots(frame: pd.DataFrame, *, label: str, unit_title: str, colour_by: str | None = None,
                colours: dict[str, str] | None = None, unit: str = "", lang: str = "en") -> go.Figure:
    """One row per published figure: the value as a dot (symbol = confidence), a range as a bar, a bound as
    an arrow-like marker with its sign in the label; figures are never merged or averaged."""
    _ = translator(lang)
    frame = frame.reset_index(drop=True)
    fig = go.Figure(layout=go.Layout(template=template_for(lang), height=max(260, 40 * len(frame) + 150)))
    groups = frame.groupby(colour_by, sort=False) if colour_by else [(_("recycling.fig.published_figure"), frame)]
    for index, (name, group) in enumerate(groups):
        colour = (colours or {}).get(name, colour_for(index))
        points = group[group["value"].notna()]
        symbols = [("triangle-left" if q in ("less_than", "up_to") else "triangle-right"
                    if q in ("more_than", "at_least") else CONFIDENCE_SYMBOLS.get(c, "circle"))
                   for q, c in zip(points["qualifier"], points["confidence"], strict=True)]
        fig.add_trace(go.Scatter(
            x=points["value"], y=points[label], mode="markers+text", name=str(name),
            marker=dict(size=14, color=colour, symbol=symbols, line=dict(width=2, color=colour)),
            text=[value_text(r, unit, lang=lang) for _i, r in points.iterrows()], textposition="middle right",
            cliponaxis=False,
            customdata=list(zip([confidence_word(c, lang=lang) for c in points["confidence"]],
                                [q[:150] for q in points["quote"]], strict=True)),
            hovertemplate=("%{y}: <b>%{text}</b><br>"
                           + _("recycling.fig.hover_confidence", confidence="%{customdata[0]}")
                           + "<br><i>%{customdata[1]}</i><extra></extra>"),
        ))
        ranged = group[group["value"].isna() & group["value_low"].notna() & group["value_high"].notna()]
        for _i, row in ranged.iterrows():
            fig.add_trace(go.Scatter(
                x=[row["value_low"], row["value_high"]], y=[row[label], row[label]], mode="lines+markers",
                line=dict(color=colour, width=5), marker=dict(symbol="line-ns-open", size=12, color=colour),
                name=str(name), showlegend=False,
                hovertemplate=_("recycling.fig.hover_range", label=row[label],
                                value=value_text(row, unit, lang=lang)) + "<extra></extra>",
            ))
    top = pd.concat([frame["value"], frame["value_high"]]).max()
    fig.update_xaxes(title_text=unit_title, rangemode="tozero", showgrid=True, gridcolor="#e5e5e5",
                     range=[0, float(top) * 1.25 if pd.notna(top) and top > 0 else 1])
    fig.update_yaxes(title_text="", autorange="reversed", type="category", categoryorder="array",
                     categoryarray=list(dict.fromkeys(frame[label])))
    fig.update_layout(showlegend=bool(colour_by), margin=dict(l=10, r=30, t=10, b=10),
                      legend=dict(orientation="h", y=-0.35 if len(frame) < 6 else -0.2, yanchor="top"))
    return fig


def price_panels(prices: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """Prices over time, one panel per currency (never one shared axis), colour = material."""
    _ = translator(lang)
    dated = prices[prices["year"].notna()]
    units = [u for u in PRICE_UNITS if u in set(dated["unit_shown"])]
    fig = make_subplots(rows=1, cols=max(1, len(units)), subplot_titles=[unit_name(u, lang=lang) for u in units],
                        horizontal_spacing=0.09)
    fig.update_layout(template=template_for(lang), height=440, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", y=-0.3, yanchor="top"))
    materials = list(dict.fromkeys(dated["material"]))
    shown: set[str] = set()
    for col, unit in enumerate(units, start=1):
        panel = dated[dated["unit_shown"] == unit]
        for material, group in panel.groupby("material", sort=False):
            colour = colour_for(materials.index(material))
            name = material_name(material, lang=lang)
            points = group[group["value"].notna()]
            if not points.empty:
                fig.add_trace(go.Scatter(
                    x=points["year"], y=points["value"], mode="markers", name=name, legendgroup=material,
                    showlegend=material not in shown,
                    marker=dict(size=13, color=colour, line=dict(width=2, color=colour),
                                symbol=["circle-open" if d else "circle" for d in points["derived"]]),
                    customdata=list(zip([place_name(g, lang=lang) for g in points["geography"]],
                                        [period_name(p, lang=lang) for p in points["period"]],
                                        [_("recycling.fig.derived", note=n[:90]) if d
                                         else _("recycling.fig.as_published")
                                         for d, n in zip(points["derived"], points["note"], strict=True)],
                                        [q[:140] for q in points["quote"]], strict=True)),
                    hovertemplate=(f"{name}: <b>%{{y}} {unit}</b><br>%{{customdata[0]}}, %{{customdata[1]}}<br>"
                                   "%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>"),
                ), row=1, col=col)
                shown.add(material)
            for _i, row in group[group["value"].isna() & group["value_low"].notna()].iterrows():
                fig.add_trace(go.Scatter(
                    x=[row["year"], row["year"]], y=[row["value_low"], row["value_high"]], mode="lines+markers",
                    name=name, legendgroup=material, showlegend=material not in shown,
                    line=dict(color=colour, width=4), marker=dict(symbol="line-ew-open", size=12, color=colour),
                    hovertemplate=_("recycling.fig.hover_price_range", name=name, value=f"%{{y}} {unit}",
                                    place=place_name(row["geography"], lang=lang),
                                    period=period_name(row["period"], lang=lang)) + "<extra></extra>",
                ), row=1, col=col)
                shown.add(material)
        fig.update_yaxes(title_text=unit, rangemode="tozero", row=1, col=col, gridcolor="#e5e5e5")
        if len(set(panel["year"])) == 1:  # one year only: a visible window around it, not a zero-width axis
            year = float(panel["year"].iloc[0])
            fig.update_xaxes(range=[year - 1.5, year + 1.5], row=1, col=col)
        # Whole years only, at most about five ticks: automatic ticks on a short span fall on half years, and
        # "d" then prints one year twice (2008.5 and 2009 both read 2009).
        years = panel["year"].dropna()
        span = float(years.max() - years.min()) if not years.empty else 0.0
        fig.update_xaxes(title_text=_("recycling.fig.price_year"), row=1, col=col, tickformat="d", tickmode="linear",
                         tick0=float(math.floor(years.min())) if not years.empty else 0.0,
                         dtick=max(1, math.ceil(span / 4)))
    return fig


def income_panels(income: pd.DataFrame, *, label: str, lang: str = "en") -> go.Figure:
    """Waste pickers' earnings, one panel per currency and period (day, month): never one shared axis."""
    units = [u for u in INCOME_UNITS if u in set(income["unit"])]
    counts = [max(1, int((income["unit"] == u).sum())) for u in units]
    fig = make_subplots(rows=max(1, len(units)), cols=1, row_heights=counts or None, vertical_spacing=0.16)
    fig.update_layout(template=template_for(lang), height=max(300, 46 * len(income) + 90 * len(units) + 60),
                      showlegend=False, margin=dict(l=10, r=40, t=40, b=10))
    for index, unit in enumerate(units, start=1):
        panel = income[income["unit"] == unit].reset_index(drop=True)
        colour = PALETTE[(index - 1) % len(PALETTE)]
        points = panel[panel["value"].notna()]
        fig.add_trace(go.Scatter(
            x=points["value"], y=points[label], mode="markers+text",
            marker=dict(size=13, color=colour, symbol=["triangle-left" if q in ("less_than", "up_to") else
                                                       CONFIDENCE_SYMBOLS.get(c, "circle") for q, c in
                                                       zip(points["qualifier"], points["confidence"], strict=True)]),
            text=[value_text(r, lang=lang) for _i, r in points.iterrows()], textposition="middle right",
            cliponaxis=False,
            customdata=[q[:150] for q in points["quote"]],
            hovertemplate="%{y}: <b>%{text}</b> " + unit + "<br><i>%{customdata}</i><extra></extra>",
        ), row=index, col=1)
        for _i, row in panel[panel["value"].isna() & panel["value_low"].notna()].iterrows():
            fig.add_trace(go.Scatter(
                x=[row["value_low"], row["value_high"]], y=[row[label], row[label]], mode="lines+markers",
                line=dict(color=colour, width=5), marker=dict(symbol="line-ns-open", size=12, color=colour),
                hovertemplate=f"{row[label]}: {value_text(row, lang=lang)} {unit}<extra></extra>",
            ), row=index, col=1)
        top = pd.concat([panel["value"], panel["value_high"]]).max()
        fig.update_xaxes(title_text=f"{unit_name(unit, lang=lang)} ({unit})", rangemode="tozero", showgrid=True,
                         gridcolor="#e5e5e5", row=index, col=1,
                         range=[0, float(top) * 1.3 if pd.notna(top) and top > 0 else 1])
        fig.update_yaxes(title_text="", autorange="reversed", type="category", row=index, col=1)
    return fig


def export_names(exports: pd.DataFrame, *, lang: str = "en") -> list[str]:
    """Material names for export rows; the ledger says 'metal', the quote names it ('cooper', sic, for copper)."""
    copper = "Metal (copper)" if lang == "en" else translator(lang).label("recycled_material", "metal_copper")
    return [(copper if m == "metal" and ("copper" in q.lower() or "cooper" in q.lower())
             else material_name(m, lang=lang)) for m, q in zip(exports["material"], exports["quote"], strict=True)]
