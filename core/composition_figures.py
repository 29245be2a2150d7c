"""Composition page: published breakdowns grouped into sets, and the figures that compare them (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from core.evidence import reference_year
from core.theme import GREY, PALETTE, TEMPLATE

HOVER_LIMIT = 160
MATERIAL_ORDER = ("organic", "plastic", "paper", "glass", "metal", "wood", "textile", "rubber_leather", "inert",
                  "other", "recyclables")
MATERIAL_LABELS = {"organic": "Organic / food", "plastic": "Plastic", "paper": "Paper and cardboard",
                   "glass": "Glass", "metal": "Metal", "wood": "Wood", "textile": "Textiles",
                   "rubber_leather": "Rubber and leather", "inert": "Inert / inorganic", "other": "Other",
                   "recyclables": "Recyclables (not split)"}
# Okabe-Ito where it reaches; plastic keeps the strongest colour because the page highlights it.
MATERIAL_COLOURS = {"organic": PALETTE[2], "plastic": PALETTE[3], "paper": PALETTE[5], "glass": PALETTE[0],
                    "metal": PALETTE[7], "wood": PALETTE[1], "textile": PALETTE[4], "rubber_leather": PALETTE[6],
                    "inert": "#8c8c8c", "other": "#b8b8b8", "recyclables": "#882255"}
NOT_REPORTED = "not reported"
HIDDEN = "hidden by the material filter"
GROUP_ORDER = ("National", "Phnom Penh", "Commercial waste, Phnom Penh", "Other cities and sites",
               "Rural areas and small towns", "Street sweepings")
SOURCE_SHARE_WORDS = {"households": "households", "hotels and guesthouses": "hotels_guesthouses",
                      "restaurants": "restaurants", "markets": "markets", "shops": "shops"}


def _short(text: object, limit: int = HOVER_LIMIT) -> str:
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _base(height: int = 420) -> go.Figure:
    return go.Figure(layout=go.Layout(template=TEMPLATE, height=height))


def _pct(value: float) -> str:
    return f"{value:.4g}%"


# ------------------------------------------------------------------ tidy frames

def set_group(row: pd.Series | Mapping) -> str:
    """Which comparison a breakdown belongs to: national, Phnom Penh, commercial, other cities, rural, streets."""
    if row["waste_source"] == "commercial":
        return "Commercial waste, Phnom Penh" if row["geo_code"] == "KH-12" else "Commercial waste"
    if row["waste_source"] == "street_clearance":
        return "Street sweepings"
    if row["geo_code"] == "KH-12":
        return "Phnom Penh"
    if row["geo_level"] == "national":
        return "National"
    if row["geo_level"] in ("rural", "multi_city"):
        return "Rural areas and small towns"
    return "Other cities and sites"


def place_label(row: pd.Series | Mapping, limit: int = 24) -> str:
    """A short name for where a breakdown was taken, for a bar label."""
    group = set_group(row)
    place = str(row["geography"]).split(" (")[0]
    if group == "Street sweepings":
        return f"{place} streets"
    if group.startswith("Commercial waste"):
        return "Phnom Penh commercial" if row["geo_code"] == "KH-12" else "Commercial"
    if group == "Rural areas and small towns":
        return "Rural households" if row["waste_source"] == "households" else (
            "Small rural cities" if row["geo_level"] == "multi_city" else "Rural")
    if group == "Other cities and sites":
        return place if len(place) <= limit else place[: limit - 1] + "…"
    return group


def published_share(row: pd.Series) -> str:
    """The share as the source words it: '55%', '60–80%' or 'more than 20%'."""
    if pd.notna(row["share_pct"]):
        return _pct(row["share_pct"])
    if pd.notna(row["share_low"]) and pd.notna(row["share_high"]):
        return f"{row['share_low']:.4g}–{row['share_high']:.4g}%"
    if pd.notna(row["share_low"]):
        return f"more than {_pct(row['share_low'])}"
    if pd.notna(row["share_high"]):
        return f"up to {_pct(row['share_high'])}"
    return "no figure"


def year_text(row: pd.Series | Mapping) -> str:
    start, end = row["year_start"], row["year_end"]
    if pd.isna(start) and pd.isna(end):
        return "year not stated"
    if pd.isna(start) or pd.isna(end) or int(start) == int(end):
        return str(int(end if pd.notna(end) else start))
    return f"{int(start)}–{int(end)}"


def tidy(composition: pd.DataFrame, source_labels: Mapping[str, str]) -> pd.DataFrame:
    """Composition rows with their set's group, a unique set label, reference year and the share in words."""
    rows = composition.copy()
    if rows.empty:
        return rows.assign(group=[], set_label=[], year=[], published=[], source=[])
    rows["group"] = rows.apply(set_group, axis=1)
    rows["year"] = rows.apply(reference_year, axis=1).astype(float)
    rows["published"] = rows.apply(published_share, axis=1)
    rows["source"] = [
        "; ".join(source_labels.get(s, s) for s in str(cell).split(";") if s) for cell in rows["source_id"]]
    labels: dict[str, str] = {}
    for set_id, group in rows.groupby("set_id", sort=False):
        first = group.iloc[0]
        when = year_text(first).replace("year not stated", "year n.s.")
        labels[set_id] = f"{place_label(first)} · {first['source']} · {when}"
    counts = pd.Series(labels).value_counts()
    labels = {k: (f"{v} ({k})" if counts[v] > 1 else v) for k, v in labels.items()}
    rows["set_label"] = rows["set_id"].map(labels)
    return rows


def set_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per set: group, label, year, completeness, materials given and how much of 100% is reported."""
    out = []
    for set_id, group in rows.groupby("set_id", sort=False):
        first = group.iloc[0]
        top = group["share_pct"].fillna(group["share_high"]).fillna(group["share_low"])
        out.append({"set_id": set_id, "set_label": first["set_label"], "group": first["group"],
                    "geography": first["geography"], "waste_source": first["waste_source"],
                    "period": first["period"], "year": first["year"],
                    "complete": bool(group["set_complete"].fillna(False).all()),
                    "materials": len(group), "reported_pct": float(top.sum()),
                    "confidence": first["confidence"], "source_id": first["source_id"]})
    summary = pd.DataFrame(out)
    if summary.empty:
        return summary
    summary["group_rank"] = summary["group"].map({g: i for i, g in enumerate(GROUP_ORDER)}).fillna(len(GROUP_ORDER))
    summary = summary.sort_values(["complete", "group_rank", "year"], ascending=[False, True, True],
                                  na_position="last").drop(columns="group_rank")
    return summary.reset_index(drop=True)


def stacked_segments(rows: pd.DataFrame, shown: Iterable[str] | None = None) -> pd.DataFrame:
    """Bar segments per set, in set_summary order: each material's share (or the low end of a range), the
    rest of a published range (hatched), materials hidden by a filter, and the share no material reports.

    Nothing is estimated: 'not reported' is 100 minus the sum of the published shares (upper ends of
    ranges), and is drawn only for sets the data flag as partial.
    """
    shown = set(shown) if shown is not None else set(MATERIAL_ORDER)
    order = {m: i for i, m in enumerate(MATERIAL_ORDER)}
    segments = []
    for _, summary in set_summary(rows).iterrows():
        group = rows[rows["set_id"] == summary["set_id"]].copy()
        group["rank"] = group["material"].map(order).fillna(len(order))
        hidden = 0.0
        for _, row in group.sort_values("rank").iterrows():
            base = row["share_pct"] if pd.notna(row["share_pct"]) else row["share_low"]
            extra = (row["share_high"] - row["share_low"]) if pd.isna(row["share_pct"]) and pd.notna(
                row["share_low"]) and pd.notna(row["share_high"]) else 0.0
            if pd.isna(base) and pd.notna(row["share_high"]):
                base, extra = 0.0, row["share_high"]
            if row["material"] not in shown:
                hidden += float(base) + float(extra)
                continue
            common = {"set_id": row["set_id"], "set_label": row["set_label"], "material": row["material"],
                      "published": row["published"], "material_label": row["material_label"]}
            segments.append({**common, "kind": "share", "width": float(base)})
            if extra:
                segments.append({**common, "kind": "range", "width": float(extra)})
        if hidden:
            segments.append({"set_id": summary["set_id"], "set_label": summary["set_label"], "material": HIDDEN,
                             "published": f"{hidden:.4g}% in other materials", "material_label": "",
                             "kind": "hidden", "width": hidden})
        remainder = 100.0 - summary["reported_pct"]
        if not summary["complete"] and remainder > 0:
            segments.append({"set_id": summary["set_id"], "set_label": summary["set_label"],
                             "material": NOT_REPORTED, "published": f"{remainder:.4g}% not reported by the source",
                             "material_label": "", "kind": "not_reported", "width": remainder})
    return pd.DataFrame(segments, columns=["set_id", "set_label", "material", "published", "material_label",
                                           "kind", "width"])


def source_share_rows(estimates: pd.DataFrame) -> pd.DataFrame:
    """The ledger's 'where the waste comes from' shares, with a waste_source code the sector filter knows."""
    rows = estimates[(estimates["indicator"] == "source_share") & (estimates["unit"] == "%")].copy()
    words = rows["geography"].str.extract(r"MSW from ([^)]+)\)", expand=False).str.strip().str.lower()
    rows["waste_source"] = words.map(SOURCE_SHARE_WORDS).fillna("")
    rows["label"] = words.fillna(rows["geography"]).str.capitalize()
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


# ------------------------------------------------------------------ figures

def composition_bars(segments: pd.DataFrame) -> go.Figure:
    """One horizontal 100% bar per published breakdown; ranges hatched, the unreported rest explicit."""
    labels = list(dict.fromkeys(segments["set_label"]))
    fig = _base(max(320, 36 * len(labels) + 190))
    present = [m for m in MATERIAL_ORDER if m in set(segments["material"])]
    for material in present + [HIDDEN, NOT_REPORTED]:
        for kind in ("share", "range", "hidden", "not_reported"):
            part = segments[(segments["material"] == material) & (segments["kind"] == kind)]
            if part.empty:
                continue
            colour = MATERIAL_COLOURS.get(material, "#eeeeee")
            if kind == "share":
                name, marker = MATERIAL_LABELS.get(material, material), dict(color=colour, line=dict(width=0.5,
                                                                                                     color="white"))
            elif kind == "range":
                name = f"{MATERIAL_LABELS.get(material, material)}: rest of the published range"
                marker = dict(color="white", line=dict(width=1, color=colour),
                              pattern=dict(shape="/", fgcolor=colour, size=6, solidity=0.4))
            elif kind == "hidden":
                name, marker = "Other materials (hidden by the filter)", dict(
                    color="#e6e6e6", line=dict(width=0.5, color="white"))
            else:
                name = "Not reported by the source"
                marker = dict(color="white", line=dict(width=1, color="#9a9a9a"),
                              pattern=dict(shape=".", fgcolor="#9a9a9a", size=5, solidity=0.2))
            text = [(">" if str(pub).startswith("more than") else "") + f"{w:.3g}" if kind == "share" and w >= 4.5
                    else "" for w, pub in zip(part["width"], part["published"], strict=True)]
            fig.add_trace(go.Bar(
                x=part["width"], y=part["set_label"], orientation="h", name=name, marker=marker,
                legendgroup=f"{material}-{kind}", showlegend=kind != "range" or material in ("organic", "plastic"),
                text=text, textposition="inside", insidetextanchor="middle", textangle=0,
                textfont=dict(color="white" if material in ("plastic", "glass", "metal", "recyclables",
                                                            "organic") else "#1f2328", size=12),
                customdata=list(zip(part["published"], part["material_label"], strict=True)),
                hovertemplate=(f"%{{y}}<br><b>{name}</b>: %{{customdata[0]}}" +
                               (" (as the source names it: %{customdata[1]})" if kind in ("share", "range") else "")
                               + "<extra></extra>"),
            ))
    fig.update_layout(barmode="stack", bargap=0.22, legend=dict(y=-0.04 if len(labels) > 10 else -0.2),
                      margin=dict(l=10, r=10, t=10, b=10), uniformtext=dict(minsize=9, mode="hide"))
    fig.update_xaxes(title_text="Share of the waste by weight, %",
                     range=[0, 101], dtick=10, showgrid=True, gridcolor="#e5e5e5", side="top")
    fig.update_yaxes(title_text="", autorange="reversed", type="category", categoryorder="array",
                     categoryarray=labels, ticks="", automargin=True)
    return fig


def _share_points(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    points = rows[rows["share_pct"].notna()]
    ranges = rows[rows["share_pct"].isna() & rows["share_low"].notna() & rows["share_high"].notna()]
    lower = rows[rows["share_pct"].isna() & rows["share_low"].notna() & rows["share_high"].isna()]
    return points, ranges, lower


def share_over_time(rows: pd.DataFrame, *, material_label: str = "Plastic") -> go.Figure:
    """One material's share in every dated breakdown: colour = group, ranges as bars, 'more than' as ▲."""
    fig = _base(440)
    dated = rows[rows["year"].notna()]
    groups = [g for g in GROUP_ORDER if g in set(dated["group"])] + sorted(set(dated["group"]) - set(GROUP_ORDER))
    for index, name in enumerate(groups):
        colour = PALETTE[index % len(PALETTE)]
        group = dated[dated["group"] == name]
        points, ranges, lower = _share_points(group)
        hover = ("<b>%{customdata[0]}</b> " + material_label.lower() + "<br>%{customdata[1]}<br>"
                 "%{customdata[2]}, confidence %{customdata[3]}<br><i>%{customdata[4]}</i><extra></extra>")

        def data(frame: pd.DataFrame) -> list:
            return list(zip(frame["published"], frame["set_label"], frame["period"], frame["confidence"],
                            [_short(q) for q in frame["quote"]], strict=True))

        if not points.empty:
            fig.add_trace(go.Scatter(x=points["year"], y=points["share_pct"], mode="markers", name=name,
                                     legendgroup=name, marker=dict(color=colour, size=12),
                                     customdata=data(points), hovertemplate=hover))
        for position, (_, row) in enumerate(ranges.iterrows()):
            fig.add_trace(go.Scatter(
                x=[row["year"], row["year"]], y=[row["share_low"], row["share_high"]], mode="lines+markers",
                name=name, legendgroup=name, showlegend=bool(points.empty and position == 0),
                line=dict(color=colour, width=4), marker=dict(symbol="line-ew-open", size=12, color=colour),
                customdata=data(pd.DataFrame([row, row])), hovertemplate=hover))
        if not lower.empty:
            fig.add_trace(go.Scatter(
                x=lower["year"], y=lower["share_low"], mode="markers+text", name=name, legendgroup=name,
                showlegend=bool(points.empty and ranges.empty), text=["more than"] * len(lower),
                textposition="top center",
                textfont=dict(color=colour, size=12), marker=dict(color=colour, size=13, symbol="triangle-up"),
                customdata=data(lower), hovertemplate=hover))
    fig.update_xaxes(title_text="Year the breakdown refers to", dtick=2)
    fig.update_yaxes(title_text=f"{material_label} share of the waste, %", rangemode="tozero")
    return fig


def share_spread(rows: pd.DataFrame, *, material_label: str) -> go.Figure:
    """Where breakdowns disagree: each group's published shares of one material, with the spread drawn."""
    groups = [g for g in GROUP_ORDER if g in set(rows["group"])] + sorted(set(rows["group"]) - set(GROUP_ORDER))
    fig = _base(max(280, 70 * len(groups) + 140))
    conf_colours = {"high": PALETTE[0], "medium": PALETTE[1], "low": PALETTE[3]}
    for name in groups:
        group = rows[rows["group"] == name]
        ends = pd.concat([group["share_pct"], group["share_low"], group["share_high"]]).dropna()
        if len(ends) > 1 and ends.max() > ends.min():
            fig.add_trace(go.Scatter(
                x=[ends.min(), ends.max()], y=[name, name], mode="lines", line=dict(color="#d0d0d0", width=14),
                showlegend=False, hovertemplate=f"{name}: published {material_label.lower()} shares span "
                                                f"{ends.min():.4g}–{ends.max():.4g}%<extra></extra>"))
            width = ends.max() - ends.min()
            fig.add_annotation(x=ends.max(), y=name, text=f"  spread {width:.3g} pt{'' if width == 1 else 's'}",
                               showarrow=False, xanchor="left", font=dict(size=12, color=GREY))
    seen: set[str] = set()
    for confidence, colour in conf_colours.items():
        group = rows[rows["confidence"] == confidence]
        points, ranges, lower = _share_points(group)
        legend = f"{confidence} confidence"

        def data(frame: pd.DataFrame) -> list:
            return list(zip(frame["published"], frame["set_label"], strict=True))

        hover = "%{customdata[1]}<br><b>%{customdata[0]}</b><extra></extra>"
        if not points.empty:
            fig.add_trace(go.Scatter(x=points["share_pct"], y=points["group"], mode="markers", name=legend,
                                     legendgroup=legend, marker=dict(color=colour, size=13, opacity=0.85,
                                                                     line=dict(width=1, color="white")),
                                     customdata=data(points), hovertemplate=hover))
            seen.add(legend)
        for _, row in ranges.iterrows():
            fig.add_trace(go.Scatter(
                x=[row["share_low"], row["share_high"]], y=[row["group"], row["group"]], mode="lines+markers",
                name=legend, legendgroup=legend, showlegend=legend not in seen,
                line=dict(color=colour, width=4), marker=dict(symbol="line-ns-open", size=14, color=colour),
                customdata=data(pd.DataFrame([row, row])), hovertemplate=hover))
            seen.add(legend)
        if not lower.empty:
            fig.add_trace(go.Scatter(
                x=lower["share_low"], y=lower["group"], mode="markers", name=legend, legendgroup=legend,
                showlegend=legend not in seen, marker=dict(color=colour, size=14, symbol="triangle-right"),
                customdata=data(lower), hovertemplate=hover))
            seen.add(legend)
    fig.update_xaxes(title_text=f"{material_label} share of the waste, %", range=[0, 100], dtick=10,
                     showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(title_text="", type="category", categoryorder="array", categoryarray=groups,
                     autorange="reversed", automargin=True)
    return fig


def source_share_bars(rows: pd.DataFrame) -> go.Figure:
    """Where a city's waste comes from: one bar per waste source, the qualifier kept in the label."""
    fig = _base(max(260, 44 * len(rows) + 120))
    words = {"nearly": "nearly ", "about": "about ", "more_than": "more than ", "less_than": "less than "}
    text = [f"{words.get(q, '')}{v:.4g}%" for q, v in zip(rows["qualifier"], rows["value"], strict=True)]
    fig.add_trace(go.Bar(
        x=rows["value"], y=rows["label"], orientation="h", marker=dict(color=PALETTE[0]), text=text,
        textposition="outside", cliponaxis=False, name="Share of municipal waste",
        customdata=list(zip(rows["id"], [_short(q) for q in rows["quote"]], strict=True)),
        hovertemplate="%{y}: <b>%{text}</b> (%{customdata[0]})<br><i>%{customdata[1]}</i><extra></extra>"))
    fig.update_xaxes(title_text="Share of the city's municipal solid waste, %", range=[0, 75], dtick=10,
                     showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(title_text="", autorange="reversed", type="category", automargin=True, ticksuffix="  ")
    fig.update_layout(showlegend=False)
    return fig
