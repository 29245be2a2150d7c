"""Figure builders: pure functions from tidy frames to plotly.graph_objects figures, one shared template."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from core.i18n import translator
from core.theme import SCOPE_SYMBOLS, colour_for, template_for

HOVER_NOTE_LIMIT = 160


def _short(text: str, limit: int = HOVER_NOTE_LIMIT) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _base(height: int = 420, lang: str = "en") -> go.Figure:
    return go.Figure(layout=go.Layout(template=template_for(lang), height=height))


def word(lang: str, group: str, code: object) -> str:
    """A scope or confidence code in words of the language (`overview.scope.<code>`, `overview.confidence.<code>`);
    a code the catalogue does not know is shown as the data spell it. The English words are the codes themselves."""
    _ = translator(lang)
    if group == "scope" and _.has(f"overview.scope.{code}"):
        return _(f"overview.scope.{code}")
    if group == "confidence" and _.has(f"overview.confidence.{code}"):
        return _(f"overview.confidence.{code}")
    return str(code)


def estimate_spread(totals: pd.DataFrame, source_labels: Mapping[str, str], *, headline_id: str | None = None,
                    lang: str = "en") -> go.Figure:
    """Every national total on one time axis: colour = source, marker = scope, ranges as bars, no midpoints."""
    _ = translator(lang)
    fig = _base(560, lang)
    dated = totals[totals["year"].notna()]
    for index, (source, group) in enumerate(dated.groupby("source_id", sort=False)):
        colour = colour_for(index, wide=True)
        label = source_labels.get(source, source_labels.get(source.split(";")[0], source))
        points = group[group["value_t"].notna()]
        if not points.empty:
            fig.add_trace(go.Scatter(
                x=points["year"], y=points["value_t"] / 1e6, mode="markers", name=label, legendgroup=source,
                marker=dict(color=colour, size=13, line=dict(width=2, color=colour),
                            symbol=[SCOPE_SYMBOLS.get(s, "circle") for s in points["scope"]]),
                customdata=list(zip(points["period"], [word(lang, "scope", s) for s in points["scope"]],
                                    [word(lang, "confidence", c) for c in points["confidence"]],
                                    [_("overview.method_derived") if d else _("overview.method_published")
                                     for d in points["derived"]],
                                    [_short(q) for q in points["quote"]], strict=True)),
                hovertemplate=(f"<b>%{{y:.2f}} {_('overview.hover_mt')}</b> (%{{customdata[1]}})<br>"
                               f"{_('overview.hover_year')} %{{customdata[0]}}<br>"
                               f"{_('overview.hover_source')} {label}<br>"
                               f"{_('overview.hover_confidence')} %{{customdata[2]}}<br>%{{customdata[3]}}<br>"
                               "<i>%{customdata[4]}</i><extra></extra>"),
            ))
        ranges = group[group["value_t"].isna() & group["value_t_low"].notna() & group["value_t_high"].notna()]
        for _index, row in ranges.iterrows():
            fig.add_trace(go.Scatter(
                x=[row["year"], row["year"]], y=[row["value_t_low"] / 1e6, row["value_t_high"] / 1e6],
                mode="lines+markers", name=_("overview.range_name", label=label), legendgroup=source,
                showlegend=points.empty, line=dict(color=colour, width=4),
                marker=dict(symbol="line-ew-open", size=12, color=colour),
                hovertemplate=f"{label}: %{{y:.2f}} {_('overview.hover_range_end')}<extra></extra>",
            ))
    if headline_id is not None and headline_id in set(totals["id"]):
        row = totals.set_index("id").loc[headline_id]
        fig.add_annotation(x=row["year"], y=row["value_t"] / 1e6, text=_("overview.headline_marker"), showarrow=True,
                           arrowhead=0, ax=-50, ay=-35, font=dict(size=13))
    fig.update_xaxes(title_text=_("overview.axis_year"), dtick=2)
    fig.update_yaxes(title_text=_("overview.axis_mt"))
    fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, xanchor="left", yanchor="top", font=dict(size=12)),
                      margin=dict(l=10, r=10, t=20, b=40))
    return fig


def labelled_dots(frame: pd.DataFrame, *, label: str, value: str, unit_title: str, low: str | None = None,
                  high: str | None = None, colour_by: str | None = None, hover: str | None = None,
                  lang: str = "en") -> go.Figure:
    """A ranked dot chart: one row per published figure, ranges drawn as bars, gaps simply absent."""
    _ = translator(lang)
    frame = frame.reset_index(drop=True)
    fig = _base(max(300, 34 * len(frame) + 120), lang)
    groups = frame.groupby(colour_by, sort=False) if colour_by else [("", frame)]
    for index, (name, group) in enumerate(groups):
        colour = colour_for(index)
        points = group[group[value].notna()]
        fig.add_trace(go.Scatter(
            x=points[value], y=points[label], mode="markers", name=str(name) or _("overview.published_figure"),
            marker=dict(size=13, color=colour), showlegend=bool(colour_by),
            text=[_short(t) for t in points[hover]] if hover else None,
            hovertemplate="%{y}: <b>%{x}</b> " + unit_title + ("<br><i>%{text}</i>" if hover else "")
            + "<extra></extra>",
        ))
        if low and high:
            ranged = group[group[low].notna() & group[high].notna()]
            for _index, row in ranged.iterrows():
                fig.add_trace(go.Scatter(
                    x=[row[low], row[high]], y=[row[label], row[label]], mode="lines+markers",
                    line=dict(color=colour, width=5), marker=dict(symbol="line-ns-open", size=12, color=colour),
                    name=str(name) or _("overview.published_range"), showlegend=bool(colour_by) and points.empty,
                    hovertemplate=f"{row[label]}: {_('overview.hover_range')} %{{x}} {unit_title}<extra></extra>",
                ))
    fig.update_xaxes(title_text=unit_title, rangemode="tozero", showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(title_text="", autorange="reversed", type="category", categoryorder="array",
                     categoryarray=list(frame[label]))
    return fig
