"""Waste flows: the links of a published route breakdown (measured, remainder, assumed) and their Sankey."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.catalogue import split_ids
from core.evidence import DAYS_PER_YEAR, format_tonnes, reference_year
from core.i18n import formatted as fmt
from core.i18n import translator
from core.theme import GREY, PALETTE, template_for

GENERATED = "Waste generated"
COLLECTED = "Collected"
UNCOLLECTED = "Not collected"
GAP = "Not described by the source"
STAGE_ROUTES = {"collected": COLLECTED, "uncollected": UNCOLLECTED}

ROUTE_NAMES = {
    "landfill": "Landfill",
    "open_dump": "Dumpsite or open dumping",
    "open_burning": "Open burning",
    "recycling": "Recycling",
    "composting": "Composting",
    "incineration": "Incineration",
    "uncontrolled": "Uncontrolled disposal",
    "burned_or_dumped_in_water": "Burned or dumped in water",
    "unaccounted": "Unaccounted for",
    "other": "Other",
    "collected": COLLECTED,
    "uncollected": UNCOLLECTED,
}
ROUTE_COLOURS = {
    "landfill": PALETTE[0], "open_dump": PALETTE[3], "open_burning": PALETTE[1], "recycling": PALETTE[2],
    "composting": PALETTE[6], "incineration": PALETTE[4], "collected": PALETTE[5], "uncollected": PALETTE[7],
    "uncontrolled": "#4d4d4d", "burned_or_dumped_in_water": "#7a7a7a", "unaccounted": "#a6a6a6",
    "other": "#cfcfcf",
}

# Where a route set is drawn with a collection stage, these routes are assumed to be fed by collected
# waste (landfills, dumpsites and plants receive what trucks bring); the other routes (uncontrolled,
# burning, unaccounted) take the uncollected waste first and then whatever collected waste is left.
COLLECTED_ROUTES = ("landfill", "open_dump", "incineration", "composting", "recycling")

# A route breakdown and the collection rate published by the same study for the same place: drawn together
# only when the reader keeps the collection stage switched on.
COLLECTION_COMPANIONS = {
    "pheakdey-2022-national": "pheakdey-2022-collection-national",
    "wb-city-pp": "wb-city-pp-collection",
}

STATUS_LABELS = {
    "stated": "Stated by the source",
    "remainder": "Remainder (100 minus the stated shares)",
    "assumed": "Assumed: split by this page's rule",
    "not described": "Not described by the source",
}
STATUS_COLOURS = {"stated": PALETTE[0], "remainder": PALETTE[1], "assumed": PALETTE[4], "not described": "#b0b0b0"}
SHARE_TOLERANCE = 0.05  # percentage points left over from transcribed shares that is not worth a gap link
CONFIDENCE_ORDER = {"low": 0, "medium": 1, "high": 2}
POPULATION_KIND_RANK = {"census_final": 4, "census_preliminary": 3, "census_provisional": 3, "estimate": 2,
                        "projection": 1}


def _rgba(hex_colour: str, alpha: float) -> str:
    hex_colour = hex_colour.lstrip("#")
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def _clean(value: float) -> float:
    # Shares are subtracted from each other; drop float noise such as 83.85000000000001.
    return round(float(value), 6)


# Tonnages are written by one function for every page (core.evidence.format_tonnes).
tonnes_text = format_tonnes


def route_name(route: str, route_label: str = "", *, lang: str = "en") -> str:
    """The standard name of a route; 'other' keeps the source's own words (e.g. 'buried')."""
    if route == "other" and route_label:
        if lang == "en":
            return route_label[:1].upper() + route_label[1:]
        # The source's own words stay as published, after the route's name in the language.
        _ = translator(lang)
        return _("flows.route_other_words", name=_.label("route", "other"), words=route_label)
    if lang != "en" and translator(lang).has(f"label.route.{route}"):
        return translator(lang).label("route", route)
    return ROUTE_NAMES.get(route, route.replace("_", " ").capitalize())


def place_name(geography: str, *, lang: str = "en") -> str:
    """The place of a breakdown as data/treatment.csv spells it, or in the language."""
    return geography if lang == "en" else translator(lang).label("flows_place", geography)


def period_name(period: str, *, lang: str = "en") -> str:
    """The period of a breakdown as the data words it ('c. 2020', 'not stated'), or in the language."""
    return period if lang == "en" else translator(lang).label("flows_period", period)


def node_name(node: str, *, lang: str = "en") -> str:
    """A node of the Sankey in the language: the stages and the gap by their English name, routes by name."""
    if lang == "en":
        return node
    _ = translator(lang)
    names = {GENERATED: _("flows.node_generated"), COLLECTED: _.label("route", "collected"),
             UNCOLLECTED: _.label("route", "uncollected"), GAP: _("flows.node_gap")}
    return names.get(node, node)


def status_label(status: str, *, lang: str = "en") -> str:
    """'stated', 'remainder', 'assumed', 'not described' in words (the legend and the table)."""
    if lang == "en":
        return STATUS_LABELS.get(status, status)
    return translator(lang).label("flow_status", status)


# ------------------------------------------------------------------ the published sets

def set_summary(treatment: pd.DataFrame) -> pd.DataFrame:
    """One row per published breakdown, in file order: place, period, share stated, remainder, sources."""
    records = []
    for set_id, rows in treatment.groupby("set_id", sort=False):
        stated = rows.loc[rows["status"] == "stated", "share_pct"].sum()
        remainder = rows.loc[rows["status"] == "remainder", "share_pct"].sum()
        sources: list[str] = []
        for cell in rows["source_id"]:
            sources += [s for s in split_ids(cell) if s not in sources]
        first = rows.iloc[0]
        records.append({
            "set_id": set_id, "geography": first["geography"], "geo_level": first["geo_level"],
            "geo_code": first["geo_code"], "period": first["period"], "year_start": first["year_start"],
            "year_end": first["year_end"],
            "kind": "collection" if set(rows["route"]) <= set(STAGE_ROUTES) else "routes",
            "routes": len(rows), "stated_pct": _clean(stated), "remainder_pct": _clean(remainder),
            "not_described_pct": _clean(max(0.0, 100 - rows["share_pct"].sum())),
            "confidence": min(rows["confidence"], key=lambda c: CONFIDENCE_ORDER.get(c, 0)),
            "source_id": ";".join(sources),
        })
    return pd.DataFrame.from_records(records)


# ------------------------------------------------------------------ links

def _link(source: str, target: str, share: float, status: str, row: pd.Series | None, *,
          via_stage: bool = False) -> dict:
    def cell(name: str) -> object:
        return row[name] if row is not None else ""

    return {
        "from": source, "to": target, "share_pct": _clean(share), "status": status,
        "route": cell("route") if row is not None else "", "route_label": cell("route_label") if row is not None
        else "share the source leaves unexplained",
        "path_assumed": via_stage, "row_status": row["status"] if row is not None else "not described",
        "tonnes_stated": row["tonnes"] if row is not None else float("nan"),
        "row_id": cell("id"), "confidence": cell("confidence"), "source_id": cell("source_id"),
        "quote": cell("quote"),
        "note": cell("note") if row is not None else "100 minus the shares the source gives (this page's "
                                                      "arithmetic); the source does not say where it goes",
    }


def flow_links(rows: pd.DataFrame, collection: pd.DataFrame | None = None, *, lang: str = "en") -> pd.DataFrame:
    """The links of one published breakdown, each marked stated, remainder, assumed or not described.

    Shares are of waste generated and are kept as published. With `collection` (the collected / not
    collected rows of the same study), a collection stage is put in between: the routes in COLLECTED_ROUTES
    draw on collected waste, the others on uncollected waste first; a link whose size comes from that split
    is 'assumed'. `from` and `to` name the nodes in `lang`; `from_id` and `to_id` keep their English names
    (the same in every language, for drawing).
    """
    links = _flow_links(rows, collection)
    links["from_id"], links["to_id"] = links["from"], links["to"]
    if lang == "en":
        return links
    _ = translator(lang)
    names = {node: node_name(node, lang=lang) for node in (GENERATED, COLLECTED, UNCOLLECTED, GAP)}
    for frame in (rows, collection if collection is not None else rows.iloc[:0]):
        for route, words in zip(frame["route"], frame["route_label"], strict=True):
            names.setdefault(route_name(route, words), route_name(route, words, lang=lang))
    links["from"] = links["from_id"].map(names).fillna(links["from_id"])
    links["to"] = links["to_id"].map(names).fillna(links["to_id"])
    gap = links["row_status"] == "not described"  # this page's own words, not a source's
    links.loc[gap, "route_label"] = _("flows.gap_words")
    links.loc[gap, "note"] = _("flows.gap_note")
    return links


def _flow_links(rows: pd.DataFrame, collection: pd.DataFrame | None = None) -> pd.DataFrame:
    routes = rows[~rows["route"].isin(list(STAGE_ROUTES))]
    stages = rows[rows["route"].isin(list(STAGE_ROUTES))]
    if collection is not None and not routes.empty:
        stages = collection[collection["route"].isin(list(STAGE_ROUTES))]
    links: list[dict] = []
    if routes.empty or stages.empty:
        # No collection stage: every share flows straight from what was generated.
        for _, row in rows.iterrows():
            links.append(_link(GENERATED, route_name(row["route"], row["route_label"]), row["share_pct"],
                               row["status"], row))
        left = 100 - rows["share_pct"].sum()
        if left > SHARE_TOLERANCE:
            links.append(_link(GENERATED, GAP, left, "not described", None))
        return pd.DataFrame(links)

    capacity: dict[str, float] = {}
    for _, row in stages.iterrows():
        node = STAGE_ROUTES[row["route"]]
        capacity[node] = capacity.get(node, 0.0) + float(row["share_pct"])
        links.append(_link(GENERATED, node, row["share_pct"], row["status"], row))
    stage_left = 100 - stages["share_pct"].sum()
    if stage_left > SHARE_TOLERANCE:
        links.append(_link(GENERATED, GAP, stage_left, "not described", None))

    fed_by_collection = routes[routes["route"].isin(COLLECTED_ROUTES)]
    others = routes[~routes["route"].isin(COLLECTED_ROUTES)]
    for group, order in ((fed_by_collection, (COLLECTED, UNCOLLECTED)), (others, (UNCOLLECTED, COLLECTED))):
        for _, row in group.iterrows():
            need = float(row["share_pct"])
            parts = []
            for node in order:
                take = min(need, capacity.get(node, 0.0))
                if take > SHARE_TOLERANCE / 10:
                    parts.append((node, take))
                    capacity[node] = capacity[node] - take
                    need -= take
            if need > SHARE_TOLERANCE / 10:  # more route share than the collection stage holds
                parts.append((GENERATED, need))
            whole = len(parts) == 1
            for node, take in parts:
                links.append(_link(node, route_name(row["route"], row["route_label"]), take,
                                   row["status"] if whole else "assumed", row, via_stage=node != GENERATED))
    for node, left in capacity.items():
        if left > SHARE_TOLERANCE:
            links.append(_link(node, GAP, left, "not described", None, via_stage=True))
    return pd.DataFrame(links)


# ------------------------------------------------------------------ tonnages and equivalents

def generated_totals(estimates: pd.DataFrame) -> pd.DataFrame:
    """Every published total of waste generated (any place) in tonnes per year; t/day x 365 is 'derived'."""
    rows = estimates[(estimates["indicator"] == "msw_total") & (estimates["scope"] == "generated")
                     & estimates["unit"].isin(["t/yr", "t/day"]) & estimates["value"].notna()].copy()
    rows["derived"] = rows["unit"].eq("t/day")
    rows["value_t"] = rows["value"] * rows["unit"].map({"t/yr": 1, "t/day": DAYS_PER_YEAR}).astype(float)
    rows["year"] = rows.apply(reference_year, axis=1).astype(float)
    return rows


def _years_overlap(a_start, a_end, b_start, b_end) -> bool:
    a_undated = pd.isna(a_start) and pd.isna(a_end)
    b_undated = pd.isna(b_start) and pd.isna(b_end)
    if a_undated or b_undated:
        return a_undated and b_undated
    a_start = a_end if pd.isna(a_start) else a_start
    a_end = a_start if pd.isna(a_end) else a_end
    b_start = b_end if pd.isna(b_start) else b_start
    b_end = b_start if pd.isna(b_end) else b_end
    return int(a_start) <= int(b_end) and int(b_start) <= int(a_end)


def same_source_total(rows: pd.DataFrame, estimates: pd.DataFrame) -> pd.Series | None:
    """The total of waste generated that the set's own source gives for the same place and year, if any.

    A yearly figure is preferred to a daily one (which would have to be multiplied by 365).
    """
    first = rows.iloc[0]
    if not first["geo_code"]:
        return None
    sources = {s for cell in rows["source_id"] for s in split_ids(cell)}
    totals = generated_totals(estimates)
    match = totals[(totals["geo_code"] == first["geo_code"]) & (totals["geo_level"] == first["geo_level"])]
    match = match[[bool(sources & set(split_ids(cell))) for cell in match["source_id"]]]
    match = match[[_years_overlap(first["year_start"], first["year_end"], s, e)
                   for s, e in zip(match["year_start"], match["year_end"], strict=True)]]
    if match.empty:
        return None
    return match.sort_values("derived").iloc[0]


def population_for(population: pd.DataFrame, year: float | None) -> pd.Series | None:
    """The national population nearest the year (census before estimate before projection, then confidence)."""
    if year is None or pd.isna(year):
        return None
    rows = population[(population["geo_level"] == "national") & population["year"].notna()].copy()
    if rows.empty:
        return None
    rows["distance"] = (rows["year"].astype(float) - float(year)).abs()
    rows["kind_rank"] = rows["kind"].map(POPULATION_KIND_RANK).fillna(0)
    rows["conf_rank"] = rows["confidence"].map(CONFIDENCE_ORDER).fillna(0)
    return rows.sort_values(["distance", "kind_rank", "conf_rank"], ascending=[True, False, False]).iloc[0]


def with_tonnages(links: pd.DataFrame, total_t: float | None, people: float | None) -> pd.DataFrame:
    """Add tonnes per year and per day (share x chosen total) and kg per person per day, all derived."""
    out = links.copy()
    if total_t is None:
        for column in ("tonnes_per_year", "tonnes_per_day", "kg_per_person_day"):
            out[column] = float("nan")
        return out
    out["tonnes_per_year"] = out["share_pct"] / 100 * total_t
    out["tonnes_per_day"] = out["tonnes_per_year"] / DAYS_PER_YEAR
    out["kg_per_person_day"] = (out["tonnes_per_day"] * 1000 / people) if people else float("nan")
    return out


# ------------------------------------------------------------------ figures

def _share_text(value: float, lang: str = "en") -> str:
    return fmt(value, ".4g", lang) + "%"


def _ids(links: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The English node names of the links (from_id/to_id), or from/to for links built elsewhere."""
    return links.get("from_id", links["from"]), links.get("to_id", links["to"])


def node_shares(links: pd.DataFrame) -> dict[str, float]:
    """Share of waste generated through each node (what flows in; for the start node, what flows out);
    keyed by the nodes' English names."""
    sources, targets = _ids(links)
    shares = links["share_pct"].groupby(targets.to_numpy(), sort=False).sum().to_dict()
    shares[GENERATED] = float(links.loc[(sources == GENERATED).to_numpy(), "share_pct"].sum())
    return {node: _clean(value) for node, value in shares.items()}


def node_statuses(links: pd.DataFrame) -> dict[str, str]:
    """A node's status is that of the published share it stands for (a split into assumed links keeps it)."""
    statuses = {}
    _, targets = _ids(links)
    for node, group in links.groupby(targets.to_numpy(), sort=False):
        kinds = set(group["row_status"])
        statuses[node] = next(iter(kinds)) if len(kinds) == 1 else "mixed"
    return statuses


def flow_sankey(links: pd.DataFrame, *, total_t: float | None = None, lang: str = "en") -> go.Figure:
    """The Sankey of one breakdown: link colour says stated, remainder, assumed or not described."""
    _ = translator(lang)
    sources, targets = _ids(links)
    shown = dict(zip(sources, links["from"], strict=True)) | dict(zip(targets, links["to"], strict=True))
    order = [GENERATED, COLLECTED, UNCOLLECTED]
    nodes = [n for n in order if n in set(sources) | set(targets)]
    nodes += [n for n in dict.fromkeys(targets) if n not in nodes and n != GAP]
    if GAP in set(targets):
        nodes.append(GAP)
    index = {node: i for i, node in enumerate(nodes)}
    shares = node_shares(links)
    statuses = node_statuses(links)
    labels = []
    for node in nodes:
        # Two short lines keep labels of neighbouring columns from running into each other.
        text = f"{shown.get(node, node)}<br>{_share_text(shares.get(node, 0), lang)}"
        if statuses.get(node) == "remainder":
            text += _("flows.sankey.node_remainder")
        if total_t is not None:
            text += _("flows.sankey.per_year", tonnes=tonnes_text(shares.get(node, 0) / 100 * total_t, lang=lang))
        labels.append(text)
    node_colours = ["#b0b0b0" if n == GAP else GREY for n in nodes]
    hover_tonnes = ([_("flows.sankey.hover_tonnes", tonnes=tonnes_text(v / 100 * total_t, lang=lang))
                     for v in links["share_pct"]]
                    if total_t is not None else [_("flows.sankey.hover_no_total")] * len(links))
    path = [_("flows.sankey.hover_path_assumed") if p else "" for p in links["path_assumed"]]
    # Khmer lines are taller (marks above and below the letters): more room between the nodes.
    tall = lang != "en"
    fig = go.Figure(layout=go.Layout(template=template_for(lang), height=560 if tall else 480))
    fig.add_trace(go.Sankey(
        arrangement="snap", valueformat=".4~g", valuesuffix="%",
        node=dict(label=labels, color=node_colours, pad=30 if tall else 22, thickness=18,
                  line=dict(color="white", width=1),
                  hovertemplate="%{label}<extra></extra>"),
        link=dict(
            source=[index[s] for s in sources], target=[index[t] for t in targets],
            value=links["share_pct"].tolist(),
            color=[_rgba(STATUS_COLOURS[s], 0.55) for s in links["status"]],
            customdata=list(zip([status_label(s, lang=lang) for s in links["status"]], links["route_label"],
                                hover_tonnes, path, strict=True)),
            hovertemplate=("%{source.label} → %{target.label}<br>"
                           + _("flows.sankey.hover_share", value="<b>%{value}</b>",
                               status="%{customdata[0]}%{customdata[3]}")
                           + "<br>" + _("flows.hover_words", words="%{customdata[1]}")
                           + "<br>%{customdata[2]}<extra></extra>"),
        ),
    ))
    # A legend for the link colours: empty scatter traces on hidden axes.
    for status in [s for s in STATUS_LABELS if s in set(links["status"])]:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=status_label(status, lang=lang),
                                 marker=dict(symbol="square", size=14, color=_rgba(STATUS_COLOURS[status], 0.55)),
                                 hoverinfo="skip"))
    fig.update_xaxes(visible=False, title_text="")
    fig.update_yaxes(visible=False, title_text="")
    fig.update_layout(showlegend=True, legend=dict(y=-0.04), margin=dict(l=10, r=10, t=10, b=40))
    return fig


def breakdown_bars(treatment: pd.DataFrame, labels: dict[str, str], *, lang: str = "en") -> go.Figure:
    """Every published breakdown as one bar of route shares; remainders hatched, unexplained shares left empty."""
    _ = translator(lang)
    set_ids = list(dict.fromkeys(treatment["set_id"]))
    y = [labels.get(s, s) for s in set_ids]
    fig = go.Figure(layout=go.Layout(template=template_for(lang), height=max(320, 38 * len(set_ids) + 170)))
    for route in ROUTE_NAMES:
        for status in ("stated", "remainder"):
            rows = treatment[(treatment["route"] == route) & (treatment["status"] == status)]
            if rows.empty:
                continue
            name = route_name(route, lang=lang)
            mark = _("flows.sankey.remainder_mark") if status == "remainder" else ""
            fig.add_trace(go.Bar(
                x=rows["share_pct"], y=[labels.get(s, s) for s in rows["set_id"]], orientation="h",
                name=name + mark, legendgroup=route,
                showlegend=True,
                marker=dict(color=ROUTE_COLOURS.get(route, GREY), line=dict(color="white", width=1),
                            # "overlay": white hatching over the route's colour. The default ("replace") has a
                            # transparent background, which left the legend's remainder swatches blank.
                            pattern=dict(shape="/" if status == "remainder" else "", fgcolor="white",
                                         solidity=0.35, fillmode="overlay")),
                text=[_share_text(v, lang) for v in rows["share_pct"]], textposition="inside",
                insidetextanchor="middle",
                customdata=list(zip(rows["route_label"], rows["period"],
                                    [confidence_word(c, lang=lang) for c in rows["confidence"]], strict=True)),
                hovertemplate=("%{y}<br>" + _("flows.bars.hover_share", name=name, value="<b>%{x:.4g}%</b>",
                                                 mark=mark)
                               + "<br>" + _("flows.hover_words", words="%{customdata[0]}") + "<br>"
                               + _("flows.bars.hover_period", period="%{customdata[1]}",
                                   confidence="%{customdata[2]}") + "<extra></extra>"),
            ))
    # The axis sits on top so that the long legend below never runs into its title.
    fig.update_layout(barmode="stack", legend=dict(orientation="h", y=-0.02, yanchor="top"),
                      margin=dict(l=10, r=10, t=60, b=10))
    # To 101, not 100: Plotly leaves out a tick label that falls exactly on the end of the range.
    fig.update_xaxes(title_text=_("flows.bars.axis"), range=[0, 101], dtick=10, showgrid=True,
                     gridcolor="#e5e5e5", side="top")
    fig.update_yaxes(title_text="", autorange="reversed", type="category", categoryorder="array", categoryarray=y)
    return fig


def confidence_word(code: str, *, lang: str = "en") -> str:
    """'high', 'medium', 'low' as the data spells it (English) or in the language (the filters' words)."""
    if lang == "en" or code not in ("high", "medium", "low"):
        return code
    return translator(lang)(f"filters.conf.option.{code}")
