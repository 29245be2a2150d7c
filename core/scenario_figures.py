"""Figure builders of the Scenario lab: pure functions from tidy frames to plotly.graph_objects figures.

Every public builder takes a keyword-only `lang` ("en" or "km"): legend, hover and axis texts come from the
catalogue (locales/scenario.csv, keys `scenario.fig.*`) and numbers follow the language's separators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from core.i18n import translator
from core.theme import GREY, INK, PALETTE, template_for

MT = 1e6  # tonnes per million tonnes
KG_PER_T = 1e3
# The English axis titles (the catalogue holds them in both languages: scenario.fig.axis_*).
CO2E_MT = "Million tonnes CO₂e"
CO2E_CHANGE_MT = "Change, million tonnes CO₂e"
INTENSITY_KG = "kg CO₂e per tonne of waste"
EXTRA = "<extra></extra>"  # hides Plotly's secondary hover box

# One colour per model route, kept the same on every chart. Okabe-Ito first (colour-blind safe); the
# routes that rarely appear together take the extra shades. Each bar is also named in hover and legend.
ROUTE_COLOURS: Mapping[str, str] = {
    "unmanaged_deep": PALETTE[3],       # vermillion
    "unmanaged_shallow": PALETTE[1],    # orange
    "uncategorised_dump": "#A65628",
    "semi_aerobic": PALETTE[6],         # yellow
    "sanitary_landfill": PALETTE[0],    # blue
    "sanitary_landfill_capture": PALETTE[5],  # sky blue
    "open_burning": PALETTE[7],         # black
    "incineration": GREY,
    "composting": PALETTE[2],           # bluish green
    "anaerobic_digestion": "#7BC8A4",
    "recycling": PALETTE[4],            # reddish purple
    "uncollected": "#882255",
}
CASE_COLOURS = (PALETTE[0], PALETTE[3])  # low end / default, high end / alternative


def _base(height: int = 420, lang: str = "en") -> go.Figure:
    return go.Figure(layout=go.Layout(template=template_for(lang), height=height))


def route_colour(route: str) -> str:
    return ROUTE_COLOURS.get(route, GREY)


def net_comparison(totals: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """Direct emissions up, recycling credits down, the net as a labelled marker: one column per case.

    ``totals`` has one row per case (baseline, scenario A ...) with columns ``case``, ``direct_co2e``,
    ``avoided_co2e`` and ``net_co2e`` in tonnes CO2e.
    """
    _ = translator(lang)
    fig = _base(400, lang)
    cases = list(totals["case"])
    fig.add_trace(go.Bar(
        x=cases, y=totals["direct_co2e"] / MT, name=_("scenario.fig.direct_name"),
        marker_color=PALETTE[3],
        hovertemplate=_("scenario.fig.direct_hover", case="%{x}", value="%{y:.3f}") + EXTRA,
    ))
    fig.add_trace(go.Bar(
        x=cases, y=-totals["avoided_co2e"] / MT, name=_("scenario.fig.avoided_name"),
        marker_color=PALETTE[2],
        hovertemplate=_("scenario.fig.avoided_hover", case="%{x}", value="%{y:.3f}") + EXTRA,
    ))
    fig.add_trace(go.Scatter(
        x=cases, y=totals["net_co2e"] / MT, name=_("scenario.fig.net_name"), mode="markers+text",
        marker=dict(symbol="diamond", size=14, color=INK, line=dict(color="white", width=1.5)),
        text=[_.num(v / MT, 2, grouping=False) for v in totals["net_co2e"]], textposition="top center",
        textfont=dict(size=15, color=INK), cliponaxis=False,  # the label above the tallest column stays whole
        hovertemplate=_("scenario.fig.net_hover", case="%{x}", value="%{y:.3f}") + EXTRA,
    ))
    fig.update_layout(barmode="relative", bargap=0.45)
    fig.update_xaxes(title_text="")
    fig.update_yaxes(title_text=_("scenario.fig.axis_mt"), rangemode="normal", zeroline=True,
                     zerolinecolor=GREY)
    return fig


def emissions_by_route(by_route: pd.DataFrame, route_labels: Mapping[str, str], *, lang: str = "en") -> go.Figure:
    """Stacked net emissions per case, one segment per route where the waste was treated.

    ``by_route`` has columns ``case``, ``route`` (model route) and ``net_co2e`` (tonnes); negative values
    (recycling credits) stack below zero.
    """
    _ = translator(lang)
    fig = _base(440, lang)
    cases = list(dict.fromkeys(by_route["case"]))
    routes = list(dict.fromkeys(by_route["route"]))
    for route in routes:
        rows = by_route[by_route["route"] == route].set_index("case").reindex(cases)
        values = rows["net_co2e"].fillna(0) / MT
        if (values.abs() < 1e-12).all():
            continue
        label = route_labels.get(route, route)
        fig.add_trace(go.Bar(
            x=cases, y=values, name=label, marker_color=route_colour(route),
            hovertemplate="%{x}<br>" + _("scenario.fig.route_hover", route=label, value="%{y:.3f}") + EXTRA,
        ))
    fig.update_layout(barmode="relative", bargap=0.45)
    fig.update_xaxes(title_text="")
    fig.update_yaxes(title_text=_("scenario.fig.axis_net_mt"), rangemode="normal", zeroline=True,
                     zerolinecolor=GREY)
    return fig


def route_intensity(intensity: pd.DataFrame, averages: Mapping[str, float], *, lang: str = "en") -> go.Figure:
    """Net kg CO2e per tonne of the mixed waste sent to each route, with each case's average marked.

    ``intensity`` has columns ``route``, ``label`` and ``net_co2e_per_t`` (t CO2e per t); ``averages`` maps a
    case name to its average intensity (t CO2e per t), drawn as a dashed vertical line.
    """
    _ = translator(lang)
    rows = intensity.sort_values("net_co2e_per_t", ascending=True).reset_index(drop=True)
    fig = _base(max(320, 40 * len(rows) + 140), lang)
    values = rows["net_co2e_per_t"] * KG_PER_T
    fig.add_trace(go.Bar(
        x=values, y=rows["label"], orientation="h", name=_("scenario.fig.route_name"),
        marker_color=[route_colour(r) for r in rows["route"]], showlegend=False,
        text=[_.num(v, 0) for v in values], textposition="outside", cliponaxis=False,
        hovertemplate=_("scenario.fig.intensity_hover", route="%{y}", value="%{x:,.0f}") + EXTRA,
    ))
    dashes = ("dash", "dot", "dashdot")
    for index, (case, value) in enumerate(averages.items()):
        fig.add_trace(go.Scatter(
            x=[value * KG_PER_T] * len(rows), y=list(rows["label"]),
            mode="lines", name=_("scenario.fig.average_name", case=case, value=_.num(value * KG_PER_T, 0)),
            line=dict(color=(INK, PALETTE[0], PALETTE[3])[index % 3], width=2, dash=dashes[index % 3]),
            hovertemplate=_("scenario.fig.average_hover", case=case, value="%{x:,.0f}") + EXTRA,
        ))
    fig.update_xaxes(title_text=_("scenario.fig.axis_intensity"), showgrid=True, gridcolor="#e5e5e5",
                     zeroline=True, zerolinecolor=GREY, rangemode="normal")
    fig.update_yaxes(title_text="", type="category", categoryorder="array", categoryarray=list(rows["label"]))
    fig.update_layout(margin=dict(l=10, r=60, t=30, b=10))
    return fig


def tornado(swings: pd.DataFrame, *, x_title: str | None = None, case_names: Sequence[str] | None = None,
            lang: str = "en") -> go.Figure:
    """Horizontal bars: how far each parameter moves the result from the default, widest swing on top.

    ``swings`` has columns ``label``, ``delta_low`` and ``delta_high`` (tonnes CO2e, relative to the
    default result) and optionally ``low_text``/``high_text`` for the hover. ``x_title`` and ``case_names``
    default to the catalogue's texts in ``lang``.
    """
    _ = translator(lang)
    if x_title is None:
        x_title = _("scenario.fig.axis_change_mt")
    if case_names is None:
        case_names = (_("scenario.fig.low_case"), _("scenario.fig.high_case"))
    rows = swings.reset_index(drop=True)
    order = (rows["delta_high"] - rows["delta_low"]).abs().sort_values(ascending=True).index
    rows = rows.loc[order].reset_index(drop=True)
    fig = _base(max(320, 34 * len(rows) + 150), lang)
    hover = "%{y}<br>" + _("scenario.fig.swing_hover", case="%{customdata}", value="%{x:+.3f}") + EXTRA
    for column, name, colour, text_column in (("delta_low", case_names[0], CASE_COLOURS[0], "low_text"),
                                              ("delta_high", case_names[1], CASE_COLOURS[1], "high_text")):
        fig.add_trace(go.Bar(
            x=rows[column] / MT, y=rows["label"], orientation="h", name=name, marker_color=colour,
            customdata=rows[text_column] if text_column in rows else rows["label"],
            hovertemplate=hover,
        ))
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_xaxes(title_text=x_title, showgrid=True, gridcolor="#e5e5e5", zeroline=True, zerolinecolor=INK,
                     zerolinewidth=2, rangemode="normal")
    fig.update_yaxes(title_text="", type="category", categoryorder="array", categoryarray=list(rows["label"]))
    return fig
