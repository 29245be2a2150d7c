"""The story: the dashboard's key findings as an ordered list of slides, each built from the data (no Streamlit).

Each slide has one chart (or a short list of points), a title that states the finding, and the ids of the
sources it rests on. The Story page draws them one at a time; core.briefing writes them all into one HTML file.
The figures come from the same builders the analysis pages use, so a slide and its page always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from core import composition_figures as cfig
from core import evidence, figures, ghg
from core import flow_figures as ff
from core import scenario_figures as sfig
from core.catalogue import short_label, split_ids
from core.scenario import (
    BASELINE_SET,
    DEFAULT_SITE,
    DOSSIER_TO_MODEL,
    PRESET_COMPOST_PCT,
    PRESET_LANDFILL,
    SHARE_TOLERANCE,
    SITE_ROUTES,
    composition_sets,
    model_composition,
)
from core.theme import TEMPLATE

Tables = Mapping[str, pd.DataFrame]
SLIDE_HEIGHT = 430  # px: a chart, its title and its source line fit a 1280x720 screen share

# ------------------------------------------------------------------ the scenario preset
# The Scenario lab's preset, "compost half the organic waste and close open dumping", with the lab's default
# assumptions. The page file app_pages/scenario.py runs itself on import, so the pure pieces the preset needs
# are mirrored here; tests/test_story_page.py checks them against the page's own constants.


@dataclass(frozen=True)
class Slide:
    """One slide: the finding as a title, one figure or a few points, and its sources."""

    key: str
    label: str  # short name for a menu
    title: str
    subtitle: str
    source_ids: tuple[str, ...]
    figure: go.Figure | None = None
    alt: str = ""
    metrics: tuple[tuple[str, str, str], ...] = ()  # (label, value, caption)
    points: tuple[tuple[str, str], ...] = ()  # (title, text)
    note: str = ""
    table: pd.DataFrame | None = field(default=None, compare=False)


# ------------------------------------------------------------------ helpers

def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Short legend labels ('Pheakdey et al. 2022'); two sources with one label get a title cue (as Overview)."""
    labels = {row["id"]: short_label(row) for _, row in sources.iterrows()}
    counts = pd.Series(list(labels.values()), dtype="object").value_counts()
    titles = sources.set_index("id")["title"]
    for source, label in labels.items():
        if counts[label] > 1:
            labels[source] = f"{label}: {' '.join(str(titles[source]).split()[:4])}…"
    return labels


def _ids(cells) -> tuple[str, ...]:
    out: list[str] = []
    for cell in cells:
        for source in split_ids(str(cell)):
            if source and source not in out:
                out.append(source)
    return tuple(out)


def fit(figure: go.Figure, height: int = SLIDE_HEIGHT) -> go.Figure:
    """The figure at slide height (a copy); the builders' own heights suit a scrolling page."""
    out = go.Figure(figure)
    out.update_layout(height=height)
    return out


def _mt(value_t: float) -> str:
    return f"{value_t / 1e6:.2f}"


def _signed_pct(new: float, old: float) -> str:
    change = round((new - old) / old * 100) if old else 0
    return "0%" if change == 0 else f"{change:+d}%".replace("-", "−")


# ------------------------------------------------------------------ slides

def headline_slide(t: Tables) -> Slide:
    estimates, sources = t["estimates"], t["sources"]
    headline = evidence.headline_total(estimates)
    growth = evidence.growth_for(estimates, headline)
    low, high = evidence.spread(evidence.national_totals(estimates))
    by_id = sources.set_index("id", drop=False)
    cite = short_label(by_id.loc[headline.source_id]) if headline.source_id in by_id.index else headline.source_id
    value = evidence.format_tonnes(headline.value_t)
    growth_text = ("" if growth is None else
                   f", {abs(growth['value']):.1f}% {'more' if growth['value'] >= 0 else 'less'} than in "
                   f"{headline.year - 1}")
    metrics = [(f"Waste generated, {headline.year}", value, f"Municipal solid waste, Cambodia. {cite}.")]
    if growth is not None:
        metrics.append((f"Change on {headline.year - 1}", f"{growth['value']:+.1f}%",
                        f"Year-on-year growth in waste generated. {cite}."))
    metrics.append(("Published national totals", f"{_mt(low['value_t'])}–{_mt(high['value_t'])} Mt",
                    "Lowest and highest dated national figures of waste generated: see the next slide."))
    return Slide(
        key="headline", label="Headline",
        title=f"Cambodia generated about {value} of municipal waste in {headline.year}{growth_text}",
        subtitle="The dashboard's headline figure: the most recent national figure for waste generated, at "
                 "the highest confidence, as published for the March 2025 national workshop.",
        source_ids=_ids([headline.source_id] + ([growth["source_id"]] if growth is not None else [])),
        metrics=tuple(metrics), note=f"“{headline.quote}”",
    )


def spread_slide(t: Tables) -> Slide:
    estimates, sources = t["estimates"], t["sources"]
    totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    low, high = evidence.spread(totals)
    dated = totals[totals["year"].notna()]
    years = f"{int(dated['year'].min())}–{int(dated['year'].max())}"
    figure = figures.estimate_spread(totals, source_labels(sources), headline_id=headline.row_id)
    figure.update_layout(legend=dict(font=dict(size=11)))
    return Slide(
        key="spread", label="Spread of estimates",
        title=f"Published national totals disagree: from {_mt(low['value_t'])} to {_mt(high['value_t'])} "
              "million tonnes a year",
        subtitle=f"Municipal solid waste, Cambodia, Mt/yr, {years}; {len(totals)} published figures from "
                 f"{totals['source_id'].nunique()} sources. Filled: generated; open diamonds: collected; open "
                 "squares: disposed; crosses: forecasts. There is no official annual series.",
        source_ids=_ids(totals["source_id"]), figure=fit(figure),
        alt=f"Scatter chart of {len(dated)} published national waste totals for Cambodia, {years}, from "
            f"{_mt(low['value_t'])} to {_mt(high['value_t'])} million tonnes a year; the {headline.year} headline "
            f"is {_mt(headline.value_t)}.",
        table=totals[["period", "value", "unit", "value_t", "scope", "confidence", "source_id"]],
    )


PLACE_LABELS = {"national": "National", "city": "City or town", "multi_city": "Several small towns",
                "rural": "Rural community", "urban": "Urban areas", "province": "Province"}


def per_capita_slide(t: Tables) -> Slide:
    estimates, sources = t["estimates"], t["sources"]
    rows = estimates[(estimates["indicator"] == evidence.PER_CAPITA_INDICATOR)
                     & (estimates["unit"] == "kg/cap/day")].copy()
    if rows.empty:
        raise LookupError("no per-capita generation figure in the ledger")
    labels = source_labels(sources)
    year = rows["year_end"].map(lambda y: "year not stated" if pd.isna(y) else str(int(y)))
    kind = rows["scope"].map(lambda s: " (projection)" if s == "projection" else "")
    rows["label"] = (rows["geography"].str.slice(0, 30) + ", " + year + kind + " — "
                     + rows["source_id"].map(lambda s: labels.get(s.split(";")[0], s)))
    rows["place"] = rows["geo_level"].map(PLACE_LABELS).fillna(rows["geo_level"])
    rows = rows.sort_values(["geo_level", "value"], ascending=[True, False])
    figure = figures.labelled_dots(rows, label="label", value="value", low="value_low", high="value_high",
                                   unit_title="kg per person per day", colour_by="place", hover="quote")
    national = rows[(rows["geo_level"] == "national") & (rows["scope"] != "projection") & rows["value"].notna()]
    span = (f"{national['value'].min():g} to {national['value'].max():g} kg" if not national.empty
            else "about half a kilogram")
    return Slide(
        key="per-capita", label="Per person",
        title=f"Each Cambodian throws away {span} of waste a day, by the published national figures",
        subtitle="Municipal waste generated per person, kg per person per day, by place and year as published; "
                 "rural towns report less than the cities, where collection (and so measurement) is.",
        source_ids=_ids(rows["source_id"]), figure=fit(figure),
        alt=f"Dot chart of {len(rows)} per-capita waste generation figures; national figures run from {span}.",
        table=rows[["geography", "period", "value", "unit", "confidence", "source_id"]],
    )


MATERIAL_WORDS = {"organic": "Food and other organic waste", "plastic": "Plastic", "paper": "Paper"}


def composition_slide(t: Tables) -> Slide:
    composition, sources = t["composition"], t["sources"]
    complete = composition[composition["set_complete"].fillna(False).astype(bool)
                           & composition["geo_level"].eq("national")]
    if complete.empty:
        raise LookupError("no complete national composition in data/composition.csv")
    rows = cfig.tidy(complete, source_labels(sources))
    latest = rows.sort_values("year", na_position="first")["set_id"].iloc[-1]
    rows = rows[rows["set_id"] == latest].copy()
    rows["value"] = rows["share_pct"].fillna(rows["share_low"])
    rows = rows.sort_values("value")
    rows["name"] = rows["material"].map(cfig.MATERIAL_LABELS).fillna(rows["material_label"])
    first = rows.iloc[0]
    top = rows.iloc[-1]
    figure = go.Figure(layout=go.Layout(template=TEMPLATE, height=SLIDE_HEIGHT))
    figure.add_trace(go.Bar(
        x=rows["value"], y=rows["name"], orientation="h",
        marker_color=[cfig.MATERIAL_COLOURS.get(m, "#8c8c8c") for m in rows["material"]],
        text=[f"{v:.3g}%" for v in rows["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: <b>%{x:.3g}%</b> of the waste by weight<extra></extra>",
    ))
    figure.update_layout(showlegend=False, margin=dict(l=10, r=40, t=10, b=10))
    figure.update_xaxes(title_text="Share of the waste by weight, %", range=[0, min(100.0, top["value"] * 1.15)],
                        showgrid=True, gridcolor="#e5e5e5")
    figure.update_yaxes(title_text="")
    plastic = rows[rows["material"] == "plastic"]
    plastic_text = "" if plastic.empty else f"; plastic is {plastic['value'].iloc[0]:.3g}%"
    caution = str(first.get("note") or "")
    caution_text = (" Caution: its codebook says the data come from Siem Reap municipality." if "Siem Reap" in caution
                    else "")
    return Slide(
        key="composition", label="Composition",
        title=f"{MATERIAL_WORDS.get(top['material'], top['name'])} is {top['value']:.3g}% of the "
              f"only complete national breakdown{plastic_text}",
        subtitle=f"Share of the waste by weight, %, Cambodia, {cfig.year_text(first)}, {first['source']}: the one "
                 f"national breakdown that covers every material.{caution_text}",
        source_ids=_ids(rows["source_id"]), figure=figure,
        alt="Horizontal bar chart of the waste's materials, largest last: "
            + "; ".join(f"{n} {v:.3g}%" for n, v in zip(rows["name"], rows["value"], strict=True)) + ".",
        table=rows[["material", "material_label", "share_pct", "period", "confidence", "source_id"]],
    )


def flows_slide(t: Tables) -> Slide:
    treatment, estimates = t["treatment"], t["estimates"]
    rows = treatment[treatment["set_id"] == BASELINE_SET]
    if rows.empty:
        raise LookupError(f"data/treatment.csv has no rows of the set '{BASELINE_SET}'")
    companion = ff.COLLECTION_COMPANIONS.get(BASELINE_SET)
    stage = treatment[treatment["set_id"] == companion] if companion else None
    links = ff.flow_links(rows, stage if stage is not None and not stage.empty else None)
    total = ff.same_source_total(rows, estimates)
    total_t = None if total is None else float(total["value_t"])
    figure = ff.flow_sankey(links, total_t=total_t)
    first = rows.iloc[0]
    biggest = rows.sort_values("share_pct", ascending=False).iloc[0]
    name = ff.route_name(biggest["route"], biggest["route_label"]).lower()
    if biggest["status"] == "remainder":
        name += " (a remainder)"
    recovered = rows.loc[rows["route"].isin(["recycling", "composting"]), "share_pct"].sum()
    source_ids = _ids(list(rows["source_id"]) + [s for s in links["source_id"] if s]
                      + ([total["source_id"]] if total is not None else []))
    return Slide(
        key="flows", label="Where it goes",
        title=f"{first['geography']}, {first['period']}: the largest flow is {name}, {biggest['share_pct']:.4g}% "
              f"of waste generated; recycling and composting take {recovered:.4g}%",
        subtitle="Share of municipal waste generated, %"
                 + (f", tonnes a year from the same study's total ({evidence.format_tonnes(total_t)})"
                    if total_t else "")
                 + ". Link colour: blue stated by the source, orange remainder, pink assumed split, grey not "
                   "described.",
        source_ids=source_ids, figure=fit(figure),
        alt=f"Sankey diagram of waste flows for {first['geography']}, {first['period']}: "
            + "; ".join(f"{a} to {b} {s:.4g}%" for a, b, s in
                        zip(links["from"], links["to"], links["share_pct"], strict=True)) + ".",
        table=links[["from", "to", "share_pct", "status", "source_id"]],
    )


# -- the scenario preset

def _baseline_rows(treatment: pd.DataFrame) -> pd.DataFrame:
    rows = treatment[treatment["set_id"] == BASELINE_SET]
    shares = pd.to_numeric(rows["share_pct"], errors="coerce")
    if rows.empty or shares.isna().any() or abs(shares.sum() - 100) > SHARE_TOLERANCE:
        raise LookupError(f"the baseline route set '{BASELINE_SET}' is missing or does not add up to 100%")
    unknown = set(rows["route"]) - set(DOSSIER_TO_MODEL) - set(SITE_ROUTES)
    if unknown:
        raise LookupError(f"the model has no route for {', '.join(sorted(unknown))}")
    return rows.assign(share_pct=shares)


def _baseline_routes(rows: pd.DataFrame, site: str = DEFAULT_SITE) -> dict[str, float]:
    shares: dict[str, float] = {}
    for route, share in zip(rows["route"], rows["share_pct"], strict=True):
        target = site if route in SITE_ROUTES else DOSSIER_TO_MODEL[route]
        shares[target] = shares.get(target, 0.0) + float(share)
    total = sum(shares.values())
    return {route: share * 100 / total for route, share in shares.items()}


def _kept_pct(rows: pd.DataFrame) -> tuple[int, int]:
    """Today's recycling and incineration shares, rounded as the lab's sliders start."""
    recycle = sum(round(float(s)) for r, s in zip(rows["route"], rows["share_pct"], strict=True)
                  if r not in SITE_ROUTES and DOSSIER_TO_MODEL[r] == "recycling")
    incin = sum(round(float(s)) for r, s in zip(rows["route"], rows["share_pct"], strict=True)
                if r not in SITE_ROUTES and DOSSIER_TO_MODEL[r] == "incineration")
    return recycle, incin


def _composition(composition: pd.DataFrame) -> tuple[str, dict[str, float]]:
    """The lab's default composition: the first complete breakdown the model can read, national first."""
    sets = composition_sets(composition)
    if not sets:
        raise LookupError("no complete composition the model can read")
    set_id, rows = next(iter(sets.items()))
    return set_id, model_composition(rows)


def preset_cases(t: Tables) -> tuple[pd.DataFrame, dict[str, object]]:
    """Net emissions of today's routes and of the preset with and without landfill gas capture."""
    treatment, composition, table, estimates = (t["treatment"], t["composition"], t["emission_factors"],
                                                t["estimates"])
    rows = _baseline_rows(treatment)
    set_id, mix = _composition(composition)
    headline = evidence.headline_total(estimates)
    params = ghg.parameters_from_table(table)
    recycle, incin = _kept_pct(rows)
    landfill_pct = 100 - PRESET_COMPOST_PCT - recycle - incin
    cases = [("Today's routes", _baseline_routes(rows), ghg.DEFAULT_RESIDUE_ROUTE)]
    names = {"a": "Preset, landfill gas captured", "b": "Preset, no gas capture"}
    for prefix, (_lever, residue) in PRESET_LANDFILL.items():
        routes = {"composting": float(PRESET_COMPOST_PCT), residue: float(landfill_pct)}
        if recycle:
            routes["recycling"] = float(recycle)
        if incin:
            routes["incineration"] = float(incin)
        cases.append((names[prefix], routes, residue))
    records = []
    for name, routes, residue in cases:
        totals = ghg.summary(ghg.run_scenario(headline.value_t, mix, routes, params, residue_route=residue))
        records.append({"case": name, **{k: totals[k] for k in ("direct_co2e", "avoided_co2e", "net_co2e")}})
    used = [row_id for key, row_id in params.row_ids.items() if key[0] in ghg.MODEL_PARAMETERS]
    factor_sources = table.set_index("id").loc[used, "source_id"]
    info = {"headline": headline, "set_id": set_id, "recycle": recycle, "incin": incin,
            "landfill_pct": landfill_pct,
            "source_ids": _ids(list(rows["source_id"]) + [headline.source_id]
                               + list(composition.loc[composition["set_id"] == set_id, "source_id"])
                               + [split_ids(c)[0] for c in factor_sources])}
    return pd.DataFrame(records), info


def scenario_slide(t: Tables) -> Slide:
    totals, info = preset_cases(t)
    base, with_capture, without = totals["net_co2e"]
    figure = sfig.net_comparison(totals)
    figure.update_layout(height=SLIDE_HEIGHT)
    headline = info["headline"]
    return Slide(
        key="scenario", label="Scenario",
        title=f"Composting half the organic waste and closing open dumping: {_mt(base)} → {_mt(with_capture)} Mt "
              f"CO₂e ({_signed_pct(with_capture, base)}) if the landfill captures its gas, {_mt(without)} "
              f"({_signed_pct(without, base)}) if not",
        subtitle=f"Net committed (lifetime) emissions of one year's waste ({_mt(headline.value_t)} Mt, "
                 f"{headline.year}), Mt CO₂e, GWP100 AR5. Preset: {PRESET_COMPOST_PCT}% of all waste composted, "
                 f"recycling {info['recycle']}% and incineration {info['incin']}% as today, the other "
                 f"{info['landfill_pct']}% and all rejects to a sanitary landfill. Other assumptions: Scenario lab.",
        source_ids=tuple(info["source_ids"]), figure=figure,
        alt="Bar chart of net committed emissions: "
            + "; ".join(f"{c} {v / 1e6:.2f} Mt CO2e" for c, v in zip(totals["case"], totals["net_co2e"],
                                                                      strict=True)) + ".",
        table=totals,
    )


def takeaways_slide(t: Tables) -> Slide:
    workshop = t["workshop"]
    cards = workshop[workshop["section"] == "takeaway"].sort_values("order")
    if cards.empty:
        raise LookupError("data/workshop.csv has no takeaways")
    return Slide(
        key="takeaways", label="Workshop takeaways",
        title=f"The March 2025 national workshop drew {len(cards)} takeaways: back formal and informal "
              "recyclers with policy, finance, technology and evidence",
        subtitle="National Technical Workshop on the waste recycling sector, Phnom Penh, 25–26 March 2025 "
                 "(UNEP, IGES-CCET, COMPOSTED), in our words.",
        source_ids=_ids(cards["source_id"]),
        points=tuple(zip(cards["title"], cards["text"], strict=True)),
    )


def next_steps_slide(t: Tables) -> Slide:
    workshop = t["workshop"]
    steps = workshop[workshop["section"] == "next_step"].sort_values("order")
    if steps.empty:
        raise LookupError("data/workshop.csv has no next steps")
    names = [str(s).lower() for s in steps["title"]]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return Slide(
        key="next-steps", label="Next steps",
        title=f"Next steps the workshop agreed: {listed}",
        subtitle="The concrete follow-up actions named at the close of the March 2025 workshop. The dashboard's "
                 "own gap: a measured national waste characterisation would settle most of the spread shown here.",
        source_ids=_ids(steps["source_id"]),
        points=tuple(zip(steps["title"], steps["text"], strict=True)),
    )


@dataclass(frozen=True)
class SlideSpec:
    key: str
    label: str
    needs: tuple[str, ...]
    build: Callable[[Tables], Slide]


SLIDES: tuple[SlideSpec, ...] = (
    SlideSpec("headline", "Headline", ("estimates", "sources"), headline_slide),
    SlideSpec("spread", "Spread of estimates", ("estimates", "sources"), spread_slide),
    SlideSpec("per-capita", "Per person", ("estimates", "sources"), per_capita_slide),
    SlideSpec("composition", "Composition", ("composition", "sources"), composition_slide),
    SlideSpec("flows", "Where it goes", ("treatment", "estimates"), flows_slide),
    SlideSpec("scenario", "Scenario", ("treatment", "composition", "emission_factors", "estimates"),
              scenario_slide),
    SlideSpec("takeaways", "Workshop takeaways", ("workshop",), takeaways_slide),
    SlideSpec("next-steps", "Next steps", ("workshop",), next_steps_slide),
)
TABLES_NEEDED = tuple(dict.fromkeys(name for spec in SLIDES for name in spec.needs))


def parse_slide(raw: object, count: int = len(SLIDES)) -> int | None:
    """A 1-based slide number from a link value, or None when it is not a whole number from 1 to count."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdecimal() or len(text) > 4:
        return None
    number = int(text)
    return number if 1 <= number <= count else None


def build_all(t: Tables) -> list[Slide]:
    """Every slide, in order (raises LookupError, KeyError or ValueError on a data problem)."""
    return [spec.build(t) for spec in SLIDES]
