"""Composition page: published breakdowns grouped into sets, and the figures that compare them (no Streamlit).

Every public builder takes a keyword-only `lang` ('en' or 'km'); the words come from locales/composition.csv,
the numbers follow the language (1,234.5 or 1.234,5). Group names, material codes and set ids stay English
codes in the frames (filters and tests read them); only what a reader sees is translated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from core.evidence import reference_year
from core.i18n import formatted as fmt
from core.i18n import translator
from core.theme import GREY, INK, PALETTE, readable_ink, template_for

HOVER_LIMIT = 160
MATERIAL_ORDER = ("organic", "plastic", "paper", "glass", "metal", "wood", "textile", "rubber_leather", "inert",
                  "other", "recyclables")
# English names (label.material.<code> in locales/composition.csv says the same; tests check it).
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
# Group codes (English words, kept in the frames and tables); label.place_group.<code> names them.
GROUP_ORDER = ("National", "Phnom Penh", "Commercial waste, Phnom Penh", "Other cities and sites",
               "Rural areas and small towns", "Street sweepings")
SOURCE_SHARE_WORDS = {"households": "households", "hotels and guesthouses": "hotels_guesthouses",
                      "restaurants": "restaurants", "markets": "markets", "shops": "shops"}
CONFIDENCES = ("high", "medium", "low")


def material_name(code: object, *, lang: str = "en") -> str:
    """A material code in words ('plastic' -> 'Plastic' / 'ប្លាស្ទិក'); unknown codes as the data spells them."""
    return translator(lang).label("material", code)


def group_name(group: object, *, lang: str = "en") -> str:
    """A comparison group ('Phnom Penh', 'Street sweepings', ...) in the language."""
    return translator(lang).label("place_group", group)


def confidence_name(confidence: object, *, lang: str = "en") -> str:
    """'high' -> 'high confidence' / 'ទំនុកចិត្តខ្ពស់'."""
    _ = translator(lang)
    return _(f"composition.confidence.{confidence}") if confidence in CONFIDENCES else str(confidence)


def _short(text: object, limit: int = HOVER_LIMIT) -> str:
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _base(height: int = 420, lang: str = "en") -> go.Figure:
    return go.Figure(layout=go.Layout(template=template_for(lang), height=height))


def _pct(value: float, lang: str = "en") -> str:
    return fmt(value, ".4g", lang) + "%"


# ------------------------------------------------------------------ tidy frames

def set_group(row: pd.Series | Mapping, *, lang: str = "en") -> str:
    """Which comparison a breakdown belongs to: national, Phnom Penh, commercial, other cities, rural, streets.

    The group is a code (English words, the same in every language); group_name() puts it in words.
    """
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


def _place(row: pd.Series | Mapping, lang: str) -> str:
    """The place as the data names it (English), or its name in the language when the catalogue knows it."""
    place = str(row["geography"]).split(" (")[0]
    if lang == "en":
        return place
    known = translator(lang).label("place", row["geo_code"])
    return known.split(" (")[0] if known != str(row["geo_code"]) else place


def place_label(row: pd.Series | Mapping, limit: int = 24, *, lang: str = "en") -> str:
    """A short name for where a breakdown was taken, for a bar label."""
    _ = translator(lang)
    group = set_group(row)
    place = _place(row, lang)
    if group == "Street sweepings":
        return _("composition.place.streets", place=place)
    if group.startswith("Commercial waste"):
        return _("composition.place.pp_commercial") if row["geo_code"] == "KH-12" else _(
            "composition.place.commercial")
    if group == "Rural areas and small towns":
        return _("composition.place.rural_households") if row["waste_source"] == "households" else (
            _("composition.place.small_rural_cities") if row["geo_level"] == "multi_city" else
            _("composition.place.rural"))
    if group == "Other cities and sites":
        if lang != "en" and row["geo_level"] == "site":
            place = _("composition.place.site", place=place)
        return place if len(place) <= limit else place[: limit - 1] + "…"
    return group_name(group, lang=lang)


def published_share(row: pd.Series, *, lang: str = "en") -> str:
    """The share as the source words it: '55%', '60–80%' or 'more than 20%'."""
    _ = translator(lang)
    if pd.notna(row["share_pct"]):
        return _pct(row["share_pct"], lang)
    if pd.notna(row["share_low"]) and pd.notna(row["share_high"]):
        return f"{fmt(row['share_low'], '.4g', lang)}–{fmt(row['share_high'], '.4g', lang)}%"
    if pd.notna(row["share_low"]):
        return _("composition.share.more_than", value=_pct(row["share_low"], lang))
    if pd.notna(row["share_high"]):
        return _("composition.share.up_to", value=_pct(row["share_high"], lang))
    return _("composition.share.no_figure")


def year_text(row: pd.Series | Mapping, *, lang: str = "en", short: bool = False) -> str:
    """'2019', '2020–2021', or 'year not stated' ('year n.s.' when short)."""
    start, end = row["year_start"], row["year_end"]
    if pd.isna(start) and pd.isna(end):
        _ = translator(lang)
        return _("composition.year.not_stated_short" if short else "composition.year.not_stated")
    if pd.isna(start) or pd.isna(end) or int(start) == int(end):
        return str(int(end if pd.notna(end) else start))
    return f"{int(start)}–{int(end)}"


def tidy(composition: pd.DataFrame, source_labels: Mapping[str, str], *, lang: str = "en") -> pd.DataFrame:
    """Composition rows with their set's group, a unique set label, reference year and the share in words."""
    rows = composition.copy()
    if rows.empty:
        return rows.assign(group=[], set_label=[], year=[], published=[], source=[])
    rows["group"] = rows.apply(set_group, axis=1)
    rows["year"] = rows.apply(reference_year, axis=1).astype(float)
    rows["published"] = rows.apply(published_share, axis=1, lang=lang)
    rows["source"] = [
        "; ".join(source_labels.get(s, s) for s in str(cell).split(";") if s) for cell in rows["source_id"]]
    labels: dict[str, str] = {}
    for set_id, group in rows.groupby("set_id", sort=False):
        first = group.iloc[0]
        when = year_text(first, lang=lang, short=True)
        labels[set_id] = f"{place_label(first, lang=lang)} · {first['source']} · {when}"
    counts = pd.Series(labels).value_counts()
    labels = {k: (f"{v} ({k})" if counts[v] > 1 else v) for k, v in labels.items()}
    rows["set_label"] = rows["set_id"].map(labels)
    return rows


def set_summary(rows: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
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


def stacked_segments(rows: pd.DataFrame, shown: Iterable[str] | None = None, *, lang: str = "en") -> pd.DataFrame:
    """Bar segments per set, in set_summary order: each material's share (or the low end of a range), the
    rest of a published range (hatched), materials hidden by a filter, and the share no material reports.

    Nothing is estimated: 'not reported' is 100 minus the sum of the published shares (upper ends of
    ranges), and is drawn only for sets the data flag as partial.
    """
    _ = translator(lang)
    shown = set(shown) if shown is not None else set(MATERIAL_ORDER)
    order = {m: i for i, m in enumerate(MATERIAL_ORDER)}
    segments = []
    for _row, summary in set_summary(rows).iterrows():
        group = rows[rows["set_id"] == summary["set_id"]].copy()
        group["rank"] = group["material"].map(order).fillna(len(order))
        hidden = 0.0
        for _index, row in group.sort_values("rank").iterrows():
            base = row["share_pct"] if pd.notna(row["share_pct"]) else row["share_low"]
            extra = (row["share_high"] - row["share_low"]) if pd.isna(row["share_pct"]) and pd.notna(
                row["share_low"]) and pd.notna(row["share_high"]) else 0.0
            if pd.isna(base) and pd.notna(row["share_high"]):
                base, extra = 0.0, row["share_high"]
            if row["material"] not in shown:
                hidden += float(base) + float(extra)
                continue
            more_than = bool(pd.isna(row["share_pct"]) and pd.notna(row["share_low"]) and pd.isna(row["share_high"]))
            common = {"set_id": row["set_id"], "set_label": row["set_label"], "material": row["material"],
                      "published": row["published"], "material_label": row["material_label"],
                      "more_than": more_than}
            segments.append({**common, "kind": "share", "width": float(base)})
            if extra:
                segments.append({**common, "kind": "range", "width": float(extra)})
        if hidden:
            segments.append({"set_id": summary["set_id"], "set_label": summary["set_label"], "material": HIDDEN,
                             "published": _("composition.segment.hidden", value=_pct(hidden, lang)),
                             "material_label": "", "kind": "hidden", "width": hidden, "more_than": False})
        remainder = 100.0 - summary["reported_pct"]
        if not summary["complete"] and remainder > 0:
            segments.append({"set_id": summary["set_id"], "set_label": summary["set_label"],
                             "material": NOT_REPORTED,
                             "published": _("composition.segment.not_reported", value=_pct(remainder, lang)),
                             "material_label": "", "kind": "not_reported", "width": remainder, "more_than": False})
    return pd.DataFrame(segments, columns=["set_id", "set_label", "material", "published", "material_label",
                                           "kind", "width", "more_than"])


def source_share_rows(estimates: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """The ledger's 'where the waste comes from' shares, with a waste_source code the sector filter knows."""
    _ = translator(lang)
    rows = estimates[(estimates["indicator"] == "source_share") & (estimates["unit"] == "%")].copy()
    words = rows["geography"].str.extract(r"MSW from ([^)]+)\)", expand=False).str.strip().str.lower()
    rows["waste_source"] = words.map(SOURCE_SHARE_WORDS).fillna("")
    fallback = words.fillna(rows["geography"]).str.capitalize()
    rows["label"] = [_.label("waste_source", code) if code else word
                     for code, word in zip(rows["waste_source"], fallback, strict=True)]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


# ------------------------------------------------------------------ figures

def composition_bars(segments: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """One horizontal 100% bar per published breakdown; ranges hatched, the unreported rest explicit."""
    _ = translator(lang)
    labels = list(dict.fromkeys(segments["set_label"]))
    fig = _base(max(320, 36 * len(labels) + 190), lang)
    present = [m for m in MATERIAL_ORDER if m in set(segments["material"])]
    more = segments["more_than"] if "more_than" in segments else segments["published"].astype(str).str.startswith(
        "more than")
    for material in present + [HIDDEN, NOT_REPORTED]:
        for kind in ("share", "range", "hidden", "not_reported"):
            chosen = (segments["material"] == material) & (segments["kind"] == kind)
            part = segments[chosen]
            if part.empty:
                continue
            colour = MATERIAL_COLOURS.get(material, "#eeeeee")
            if kind == "share":
                name, marker = material_name(material, lang=lang), dict(color=colour, line=dict(width=0.5,
                                                                                                  color="white"))
            elif kind == "range":
                name = _("composition.bars.range", material=material_name(material, lang=lang))
                marker = dict(color="white", line=dict(width=1, color=colour),
                              pattern=dict(shape="/", fgcolor=colour, size=6, solidity=0.4))
            elif kind == "hidden":
                name, marker = _("composition.bars.hidden"), dict(
                    color="#e6e6e6", line=dict(width=0.5, color="white"))
            else:
                name = _("composition.bars.not_reported")
                marker = dict(color="white", line=dict(width=1, color="#9a9a9a"),
                              pattern=dict(shape=".", fgcolor="#9a9a9a", size=5, solidity=0.2))
            text = [(">" if bool(lower) else "") + fmt(w, ".3g", lang) if kind == "share" and w >= 4.5 else ""
                    for w, lower in zip(part["width"], more[chosen], strict=True)]
            named = " " + _("composition.bars.hover_named", label="%{customdata[1]}") \
                if kind in ("share", "range") else ""
            # A trace with no label to show gets no text at all: Plotly would still place and measure an empty
            # label in each of its bars (the chart has ~100 bars: about a quarter of its drawing time in Chromium).
            labelled = any(text)
            fig.add_trace(go.Bar(
                x=part["width"], y=part["set_label"], orientation="h", name=name, marker=marker,
                legendgroup=f"{material}-{kind}", showlegend=kind != "range" or material in ("organic", "plastic"),
                text=text if labelled else None, textposition="inside" if labelled else "none",
                insidetextanchor="middle", textangle=0,
                # WCAG AA: black or white, whichever contrasts more with a filled bar; ink on the pale ones.
                textfont=dict(color=readable_ink(colour) if kind == "share" else INK, size=12),
                customdata=list(zip(part["published"], part["material_label"], strict=True)),
                hovertemplate=f"%{{y}}<br><b>{name}</b>: %{{customdata[0]}}{named}<extra></extra>",
            ))
    fig.update_layout(barmode="stack", bargap=0.22, legend=dict(y=-0.04 if len(labels) > 10 else -0.2),
                      margin=dict(l=10, r=10, t=10, b=10), uniformtext=dict(minsize=9, mode="hide"))
    fig.update_xaxes(title_text=_("composition.axis.share_by_weight"),
                     range=[0, 101], dtick=10, showgrid=True, gridcolor="#e5e5e5", side="top")
    fig.update_yaxes(title_text="", autorange="reversed", type="category", categoryorder="array",
                     categoryarray=labels, ticks="", automargin=True)
    return fig


def _share_points(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    points = rows[rows["share_pct"].notna()]
    ranges = rows[rows["share_pct"].isna() & rows["share_low"].notna() & rows["share_high"].notna()]
    lower = rows[rows["share_pct"].isna() & rows["share_low"].notna() & rows["share_high"].isna()]
    return points, ranges, lower


def share_over_time(rows: pd.DataFrame, *, material_label: str | None = None, lang: str = "en") -> go.Figure:
    """One material's share in every dated breakdown: colour = group, ranges as bars, 'more than' as ▲."""
    _ = translator(lang)
    material_label = material_label or material_name("plastic", lang=lang)
    fig = _base(440, lang)
    dated = rows[rows["year"].notna()]
    groups = [g for g in GROUP_ORDER if g in set(dated["group"])] + sorted(set(dated["group"]) - set(GROUP_ORDER))
    hover = _("composition.over_time.hover", published="%{customdata[0]}", material=material_label.lower(),
              label="%{customdata[1]}", period="%{customdata[2]}", confidence="%{customdata[3]}",
              quote="%{customdata[4]}") + "<extra></extra>"
    for index, code in enumerate(groups):
        colour = PALETTE[index % len(PALETTE)]
        name = group_name(code, lang=lang)
        group = dated[dated["group"] == code]
        points, ranges, lower = _share_points(group)

        def data(frame: pd.DataFrame) -> list:
            return list(zip(frame["published"], frame["set_label"], frame["period"],
                            [_(f"composition.confidence_word.{c}") if c in CONFIDENCES else c
                             for c in frame["confidence"]],
                            [_short(q) for q in frame["quote"]], strict=True))

        if not points.empty:
            fig.add_trace(go.Scatter(x=points["year"], y=points["share_pct"], mode="markers", name=name,
                                     legendgroup=code, marker=dict(color=colour, size=12),
                                     customdata=data(points), hovertemplate=hover))
        for position, (_index, row) in enumerate(ranges.iterrows()):
            fig.add_trace(go.Scatter(
                x=[row["year"], row["year"]], y=[row["share_low"], row["share_high"]], mode="lines+markers",
                name=name, legendgroup=code, showlegend=bool(points.empty and position == 0),
                line=dict(color=colour, width=4), marker=dict(symbol="line-ew-open", size=12, color=colour),
                customdata=data(pd.DataFrame([row, row])), hovertemplate=hover))
        if not lower.empty:
            fig.add_trace(go.Scatter(
                x=lower["year"], y=lower["share_low"], mode="markers+text", name=name, legendgroup=code,
                showlegend=bool(points.empty and ranges.empty),
                text=[_("composition.over_time.more_than")] * len(lower), textposition="top center",
                textfont=dict(color=INK, size=12), marker=dict(color=colour, size=13, symbol="triangle-up"),
                customdata=data(lower), hovertemplate=hover))
    fig.update_xaxes(title_text=_("composition.axis.year"), dtick=2)
    fig.update_yaxes(title_text=_("composition.axis.material_share", material=material_label), rangemode="tozero")
    return fig


def share_spread(rows: pd.DataFrame, *, material_label: str, lang: str = "en") -> go.Figure:
    """Where breakdowns disagree: each group's published shares of one material, with the spread drawn."""
    _ = translator(lang)
    codes = [g for g in GROUP_ORDER if g in set(rows["group"])] + sorted(set(rows["group"]) - set(GROUP_ORDER))
    names = {code: group_name(code, lang=lang) for code in codes}
    fig = _base(max(280, 70 * len(codes) + 140), lang)
    conf_colours = {"high": PALETTE[0], "medium": PALETTE[1], "low": PALETTE[3]}
    for code in codes:
        name = names[code]
        group = rows[rows["group"] == code]
        ends = pd.concat([group["share_pct"], group["share_low"], group["share_high"]]).dropna()
        if len(ends) > 1 and ends.max() > ends.min():
            span = f"{fmt(ends.min(), '.4g', lang)}–{fmt(ends.max(), '.4g', lang)}%"
            fig.add_trace(go.Scatter(
                x=[ends.min(), ends.max()], y=[name, name], mode="lines", line=dict(color="#d0d0d0", width=14),
                showlegend=False, hovertemplate=_("composition.spread.hover", group=name,
                                                  material=material_label.lower(), span=span)
                + "<extra></extra>"))
            width = ends.max() - ends.min()
            fig.add_annotation(x=ends.max(), y=name, showarrow=False, xanchor="left", font=dict(size=12, color=GREY),
                               text="  " + _("composition.spread.point" if width == 1 else "composition.spread.points",
                                             width=fmt(width, ".3g", lang)))
    seen: set[str] = set()
    hover = "%{customdata[1]}<br><b>%{customdata[0]}</b><extra></extra>"
    for confidence, colour in conf_colours.items():
        group = rows[rows["confidence"] == confidence]
        points, ranges, lower = _share_points(group)
        legend = confidence_name(confidence, lang=lang)

        def data(frame: pd.DataFrame) -> list:
            return list(zip(frame["published"], frame["set_label"], strict=True))

        def ys(frame: pd.DataFrame) -> list[str]:
            return [names.get(g, g) for g in frame["group"]]

        if not points.empty:
            fig.add_trace(go.Scatter(x=points["share_pct"], y=ys(points), mode="markers", name=legend,
                                     legendgroup=legend, marker=dict(color=colour, size=13, opacity=0.85,
                                                                     line=dict(width=1, color="white")),
                                     customdata=data(points), hovertemplate=hover))
            seen.add(legend)
        for _index, row in ranges.iterrows():
            fig.add_trace(go.Scatter(
                x=[row["share_low"], row["share_high"]], y=[names.get(row["group"], row["group"])] * 2,
                mode="lines+markers", name=legend, legendgroup=legend, showlegend=legend not in seen,
                line=dict(color=colour, width=4), marker=dict(symbol="line-ns-open", size=14, color=colour),
                customdata=data(pd.DataFrame([row, row])), hovertemplate=hover))
            seen.add(legend)
        if not lower.empty:
            fig.add_trace(go.Scatter(
                x=lower["share_low"], y=ys(lower), mode="markers", name=legend, legendgroup=legend,
                showlegend=legend not in seen, marker=dict(color=colour, size=14, symbol="triangle-right"),
                customdata=data(lower), hovertemplate=hover))
            seen.add(legend)
    # To 101, not 100: Plotly leaves out a tick label that falls exactly on the end of the range.
    fig.update_xaxes(title_text=_("composition.axis.material_share", material=material_label), range=[0, 101],
                     dtick=10, showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(title_text="", type="category", categoryorder="array", categoryarray=[names[c] for c in codes],
                     autorange="reversed", automargin=True)
    return fig


def qualified(qualifier: object, value: float, *, lang: str = "en") -> str:
    """A published share with its qualifier: 'nearly 60%', '16.7%'."""
    _ = translator(lang)
    number = _pct(value, lang)
    if qualifier in ("nearly", "about", "more_than", "less_than"):
        return _(f"composition.qualifier.{qualifier}", value=number)
    return number


def source_share_bars(rows: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """Where a city's waste comes from: one bar per waste source, the qualifier kept in the label."""
    _ = translator(lang)
    fig = _base(max(260, 44 * len(rows) + 120), lang)
    text = [qualified(q, v, lang=lang) for q, v in zip(rows["qualifier"], rows["value"], strict=True)]
    fig.add_trace(go.Bar(
        x=rows["value"], y=rows["label"], orientation="h", marker=dict(color=PALETTE[0]), text=text,
        textposition="outside", cliponaxis=False, name=_("composition.sources.trace"),
        customdata=list(zip(rows["id"], [_short(q) for q in rows["quote"]], strict=True)),
        hovertemplate="%{y}: <b>%{text}</b> (%{customdata[0]})<br><i>%{customdata[1]}</i><extra></extra>"))
    fig.update_xaxes(title_text=_("composition.axis.city_share"), range=[0, 75], dtick=10,
                     showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(title_text="", autorange="reversed", type="category", automargin=True, ticksuffix="  ")
    fig.update_layout(showlegend=False)
    return fig
