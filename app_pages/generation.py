"""Waste generation and the evidence: every national estimate, per-person and city figures, and a projection."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, downloads, kpi, source_line
from core import evidence
from core import generation_figures as gfig
from core.catalogue import data_dir_from_env, format_citation, short_label
from core.projection import FORMULA, project, projection_years
from core.sectors import YEAR_MAX, YEAR_MIN, Selection, apply

APPLIES = ("stage", "geo", "conf", "years")
MARK_YEARS = (2030, 2035)
RATE_MIN, RATE_MAX, RATE_STEP = -5.0, 15.0, 0.1
BASE_KEY, RATE_KEY = "gen_base", "gen_rate"


# ------------------------------------------------------------------ helpers

def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """'Producer year' per source id; a cell citing two sources gets both names."""
    labels = {row["id"]: short_label(row) for _, row in sources.iterrows()}
    return labels


def label_for(cell: str, labels: dict[str, str]) -> str:
    return "; ".join(labels.get(part, part) for part in str(cell).split(";") if part)


def empty_state(what: str, selection: Selection) -> None:
    st.info(f"No {what} match the filters you chose ({selection.describe(APPLIES)}). Widen them in the "
            "sidebar: clear the geography, confidence or stage filters, or stretch the year range (figures "
            "without a stated year are hidden by any year range).", icon=":material/filter_alt_off:")


def years_text(frame: pd.DataFrame) -> str:
    dated = frame["year"].dropna()
    if dated.empty:
        return "no stated year"
    low, high = int(math.floor(dated.min())), int(math.ceil(dated.max()))
    return str(low) if low == high else f"{low}–{high}"


def undated_note(frame: pd.DataFrame, value: str, unit: str, spec: str = ",.0f") -> str:
    undated = frame[frame["year"].isna()]
    if undated.empty:
        return ""
    parts = [f"{row[value]:{spec}} {unit} ({row['id']})" if pd.notna(row[value]) else f"a range ({row['id']})"
             for _, row in undated.iterrows()]
    return f" Not plotted because no year is stated: {'; '.join(parts)}; see the table."


def rate_ok(value: str) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number) and RATE_MIN <= number <= RATE_MAX


def link_notice(base_ids: list[str]) -> None:
    """Quietly name link values this page's own controls cannot use (Streamlit then uses the default)."""
    bad = unrecognised_link_values({BASE_KEY: base_ids, RATE_KEY: rate_ok})
    if bad:
        st.caption("Some values in the link were not recognised and the defaults are used instead: "
                   + ", ".join(f"{k}={v}" for k, v in bad) + ".")


def selection_key(selection: Selection) -> tuple:
    """The part of the selection this page reads, as a small hashable cache key."""
    values = tuple((k, tuple(selection.values.get(k) or ())) for k in APPLIES if k != "years")
    return values, (tuple(selection.years) if "years" in selection.active() else None)


def from_key(key: tuple) -> Selection:
    values, years = key
    return Selection(values={k: v for k, v in values if v}, years=years or (YEAR_MIN, YEAR_MAX))


# ------------------------------------------------------------------ cached work
# What the page draws depends only on the data folder, the selection and the projection's two controls, so it
# is built once per combination and shared read-only (cache_resource): nothing may mutate it. The builders load
# their tables themselves (a DataError is raised, never cached); the cached wrappers stay tiny because
# Streamlit reads a cached function's source on every rerun.

def build_data(data_dir: str) -> dict:
    """Everything that does not depend on the selection."""
    estimates, sources = load("estimates"), load("sources")
    labels = source_labels(sources)
    all_totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    return {"estimates": estimates, "sources": sources, "labels": labels, "all_totals": all_totals,
            "headline": headline, "setup": projection_setup(estimates, all_totals, labels, headline),
            "per_capita": gfig.per_capita_daily(estimates), "cities": gfig.city_daily(estimates)}


def build_model(data_dir: str, key: tuple) -> dict:
    """Everything the sidebar filters change."""
    data, selection = data_model(data_dir), from_key(key)
    labels, headline = data["labels"], data["headline"]
    totals = apply(data["all_totals"], selection, APPLIES)
    cards, quote = headline_specs(data["estimates"], data["sources"], totals, headline)
    return {"cards": cards, "quote": quote, "national": national_frame(totals, labels, headline),
            "evidence": evidence_rows(totals, labels),
            "per_capita": per_capita_frame(apply(data["per_capita"], selection, APPLIES)),
            "cities": city_frames(apply(data["cities"], selection, APPLIES))}


@st.cache_resource(show_spinner=False, max_entries=16)
def data_model(data_dir: str) -> dict:
    return build_data(data_dir)


@st.cache_resource(show_spinner=False, max_entries=64)
def model(data_dir: str, key: tuple) -> dict:
    return build_model(data_dir, key)


@st.cache_resource(show_spinner=False, max_entries=512)
def projection(data_dir: str, base_id: str, rate: float) -> tuple[list[dict], dict]:
    return projection_result(data_model(data_dir)["setup"], base_id, rate)


# ------------------------------------------------------------------ views

def headline_specs(estimates: pd.DataFrame, sources: pd.DataFrame, totals: pd.DataFrame,
                   headline: evidence.Headline) -> tuple[list[dict], str]:
    """The three headline cards (kpi arguments) and the quote under them."""
    source = sources.set_index("id").loc[headline.source_id]
    growth = evidence.growth_for(estimates, headline)
    cards = [dict(label=f"Generated in {headline.year} (headline)", value=evidence.format_tonnes(headline.value_t),
                  caption=f"{short_label(source)} · {headline.row_id} · headline series",
                  help=evidence.HEADLINE_RULE)]
    if growth is None:
        cards.append(dict(label="Change on the previous year", value="no figure",
                          caption="No published growth rate with the headline."))
    else:
        cards.append(dict(label=f"Change on {headline.year - 1}", value=f"{growth['value']:+.1f}%",
                          caption=f"{short_label(source)} · {growth['id']} · as published"))
    cards.append(dict(label="National figures shown below", value=f"{len(totals)}",
                      caption=f"from {totals['source_id'].nunique()} sources, after the filters; generated, "
                              "collected and landfilled"))
    return cards, f"“{headline.quote}” — {format_citation(source)} {evidence.HEADLINE_RULE}"


def headline_row(cards: list[dict], quote: str) -> None:
    for col, card in zip(st.columns(3), cards, strict=True):
        with col:
            kpi(card["label"], card["value"], caption=card["caption"], help=card.get("help"))
    st.caption(quote)


def national_frame(totals: pd.DataFrame, labels: dict[str, str], headline: evidence.Headline) -> dict | None:
    """The chart_frame arguments of the national chart (None when no national tonnage is left)."""
    if totals.empty:
        return None
    dated = totals[totals["year"].notna()]
    generated = dated[dated["scope"].eq("generated") & dated["value_t"].notna() & ~dated["derived"]]
    if generated.empty:
        title = "Published national tonnages, by year, scope and confidence"
    else:
        low, high = generated["value_t"].min(), generated["value_t"].max()
        title = (f"Published national figures for waste generated run from {low / 1e6:.2f} to {high / 1e6:.2f} "
                 "million tonnes a year; the most recent, best-rated one is the headline")
    table = totals.assign(source=[label_for(s, labels) for s in totals["source_id"]],
                          million_t_per_year=totals["value_t"] / 1e6)[
        ["id", "period", "million_t_per_year", "scope", "confidence", "method", "source", "source_id"]]
    return dict(
        key="gen-national",
        title=title,
        subtitle=f"Municipal solid waste, Cambodia, million tonnes per year (Mt/yr), {years_text(totals)}. "
                 f"{len(totals)} figures from {totals['source_id'].nunique()} sources. Colour: the confidence "
                 "the evidence ledger gives each figure; marker: what it counts."
                 + undated_note(totals.assign(v=totals["value_t"] / 1e6), "v", "Mt/yr", ".2f"),
        figure=gfig.national_evidence(totals, labels, headline_id=headline.row_id),
        table=table,
        source_ids=totals["source_id"],
        alt=(f"Scatter chart of {len(dated)} dated national waste tonnages for Cambodia, {years_text(totals)}, "
             f"coloured by confidence; the {headline.year} headline is {headline.value_t / 1e6:.2f} million "
             "tonnes a year."),
        reading=("No official annual series exists. Several 'about 4 million tonnes' figures are the same "
                 "round number repeated by news reports (medium or low confidence); the 2024 workshop figure "
                 "of 2.85 Mt is the most recent high-confidence one. Collected tonnages (open diamonds) are "
                 "lower by design: they leave out waste that is never collected. Deciding on evidence, as the "
                 "2025 workshop urged (takeaway 4; 'further research' was its first next step), starts with one "
                 "agreed national series."),
        method=("figures published in tonnes per day are multiplied by 365 and marked 'derived' (dropped when "
                "the same source gives its own yearly figure); published ranges are drawn as bars with no "
                "midpoint; periods such as 2020-21 sit at their middle. " + evidence.HEADLINE_RULE),
    )


def national_view(frame: dict | None, selection: Selection) -> None:
    st.subheader("National totals: every published estimate")
    if frame is None:
        empty_state("national tonnages", selection)
        return
    chart_frame(**frame)


def evidence_rows(totals: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame | None:
    if totals.empty:
        return None
    return totals.assign(source=[label_for(s, labels) for s in totals["source_id"]])[
        ["id", "period", "value", "unit", "qualifier", "value_t", "scope", "confidence", "source", "quote",
         "derived", "value_low", "value_high", "note", "source_id"]].rename(columns={"value_t": "tonnes_per_year"})


def evidence_table(table: pd.DataFrame | None) -> None:
    if table is None:
        return
    with st.container(border=True, key="frame-gen-evidence"):
        st.markdown("#### The evidence, figure by figure: source, scope, confidence and the words used")
        st.caption("Every national tonnage in the evidence ledger (data/estimates.csv), as published, with "
                   "the tonnes-per-year value used in the chart. Sort by any column; ids match the chart's "
                   "hover text and the projection's base figure.")
        st.dataframe(table, hide_index=True, key="table-gen-evidence", column_config={
            "quote": st.column_config.TextColumn("quote", width="large"),
            "note": st.column_config.TextColumn("note", width="medium"),
            "tonnes_per_year": st.column_config.NumberColumn("tonnes per year", format="%,.0f"),
            "value": st.column_config.NumberColumn("value as published", format="%,.6g"),
        })
        source_line(table["source_id"])
        downloads(table, name="national-waste-estimates-evidence", key="gen-evidence")


def per_capita_frame(per_capita: pd.DataFrame) -> dict | None:
    if per_capita.empty:
        return None
    in_range = per_capita[per_capita["scope"] != "projection"]
    projected = per_capita[per_capita["scope"] == "projection"]
    plotted = in_range[in_range["year"].notna()]
    national = in_range[in_range["geo_level"] == "national"]["kg_per_day"].dropna()
    local = in_range[in_range["geo_level"] != "national"]
    local_values = pd.concat([local["kg_per_day"], local["kg_per_day_low"], local["kg_per_day_high"]]).dropna()
    parts = []
    if not national.empty:
        parts.append(f"national figures say {national.min():.2g}" + (f" to {national.max():.2g}"
                     if national.max() != national.min() else "") + " kg per person a day")
    if not local_values.empty:
        parts.append(f"cities and rural communities {local_values.min():.2g} to {local_values.max():.2g} kg")
    finding = ("Published per-person figures: " + "; ".join(parts)) if parts else "Per-person waste, as published"
    projection_text = "".join(
        f" A published projection of {row['kg_per_day']:g} kg for {row['period']} ({row['id']}) is listed in "
        "the table, not plotted." for _, row in projected.iterrows())
    table = per_capita[["id", "geography", "group", "period", "value", "value_low", "value_high", "unit",
                        "kg_per_day", "kg_per_day_low", "kg_per_day_high", "method", "scope", "confidence",
                        "source_id", "quote"]]
    return dict(
        key="gen-per-capita",
        title=finding,
        subtitle=f"Municipal waste generated per person, kilograms per person per day, Cambodia, "
                 f"{years_text(plotted)}; ranges drawn as bars." + undated_note(in_range, "kg_per_day", "kg", ".2f")
                 + projection_text,
        figure=gfig.dated_dots(in_range, value="kg_per_day", low="kg_per_day_low", high="kg_per_day_high",
                               group="group", y_title="Kilograms per person per day (kg/cap/day)",
                               unit="kg/cap/day", height=400),
        table=table,
        source_ids=per_capita["source_id"],
        alt=f"Dot chart over time of {len(plotted)} dated per-person waste generation figures in kilograms per "
            "person per day, national, city and rural.",
        reading="Per-person figures are measured in single places and years, so they cannot be chained into a "
                "trend; most town and rural figures sit below the capital's.",
        method="figures published per person per year are divided by 365 and marked 'derived'; ranges have no "
               "midpoint.",
    )


def per_capita_view(frame: dict | None, selection: Selection) -> None:
    if frame is None:
        empty_state("per-person figures", selection)
        return
    chart_frame(**frame)


def city_frames(cities: pd.DataFrame) -> tuple[dict | None, dict | None] | None:
    """The chart_frame arguments of the Phnom Penh and other-cities charts (None: none left)."""
    if cities.empty:
        return None
    capital_frame = others_frame = None
    common = dict(value="t_per_day", low="t_per_day_low", high="t_per_day_high", scope="scope",
                  y_title="Tonnes per day (t/day)", unit="t/day")
    columns = ["id", "place", "geography", "period", "value", "value_low", "value_high", "qualifier", "unit",
               "t_per_day", "t_per_day_low", "t_per_day_high", "method", "scope", "confidence", "source_id",
               "quote", "note"]
    capital = cities[cities["geo_code"] == gfig.PHNOM_PENH]
    others = cities[cities["geo_code"] != gfig.PHNOM_PENH]
    if not capital.empty:
        plotted = capital[capital["year"].notna()]
        generated = plotted[plotted["scope"].eq("generated")]
        first = generated[generated["t_per_day"].notna()].sort_values("year").head(1)
        recent = generated[generated["year"].ge(2020)]
        parts = [f"{row['t_per_day']:,.0f} t a day generated in {row['period']}" for _, row in first.iterrows()]
        if not recent.empty:
            parts.append(f"figures since 2020 put it at {recent['t_per_day'].min():,.0f} to "
                         f"{recent[['t_per_day', 't_per_day_high']].max().max():,.0f} t a day")
        finding = "Phnom Penh: " + "; ".join(parts) if parts else "Phnom Penh's reported tonnages, by source"
        capital_frame = dict(
            key="gen-phnom-penh",
            title=finding,
            subtitle=f"Municipal solid waste, Phnom Penh, tonnes per day, {years_text(plotted)}. Colour and marker: "
                     "what is counted (generated, collected, landfilled)."
                     + undated_note(capital, "t_per_day", "t/day"),
            figure=gfig.dated_dots(capital.assign(series=capital["scope"].map(gfig.SCOPE_WORDS)),
                                   group="series", scope_legend=False, **common),
            table=capital[columns],
            source_ids=capital["source_id"],
            alt=f"Dot chart of {len(plotted)} dated Phnom Penh waste tonnages in tonnes per day, "
                f"{years_text(plotted)}; ranges drawn as bars.",
            reading="The capital's tonnage grew from 667 t a day in 2004 to roughly 3,000–3,500 t a day "
                    "by 2024 in most reports, while collected tonnages swing between sources. Planning the "
                    "capital's landfill needs one agreed, measured series.",
            method="yearly tonnages are divided by 365 and marked 'derived'; ranges are bars with no midpoint; "
                   "periods sit at their middle year.",
        )
    if others.empty:
        return capital_frame, None
    plotted = others[others["year"].notna()]
    others_frame = dict(
        key="gen-other-cities",
        title=other_cities_title(others),
        subtitle=f"Municipal solid waste in other cities and provinces, tonnes per day, {years_text(plotted)}; "
                 f"{others['place'].nunique()} places. Colour: place; marker: what is counted."
                 + undated_note(others, "t_per_day", "t/day"),
        figure=gfig.dated_dots(others, group="place", **common),
        table=others[columns],
        source_ids=others["source_id"],
        alt=f"Dot chart of {len(plotted)} dated tonnages for {plotted['place'].nunique()} cities other than "
            "Phnom Penh, in tonnes per day; ranges drawn as bars.",
        reading="Outside the capital only a handful of towns have a published tonnage, most from one project "
                "or news report each; most of the 25 provinces have none (see the provinces page).",
        method="yearly tonnages are divided by 365 and marked 'derived'; ranges are bars with no midpoint.",
    )
    return capital_frame, others_frame


def city_views(frames: tuple[dict | None, dict | None] | None, selection: Selection) -> None:
    st.subheader("Phnom Penh and other cities, tonnes per day")
    if frames is None:
        empty_state("city or provincial tonnages", selection)
        return
    capital_frame, others_frame = frames
    if capital_frame is None:
        st.info("No Phnom Penh tonnage matches the filters; widen the geography or confidence filter.",
                icon=":material/filter_alt_off:")
    else:
        chart_frame(**capital_frame)
    if others_frame is None:
        st.info("No tonnage for other cities or provinces matches the filters; widen the geography or "
                "confidence filter.", icon=":material/filter_alt_off:")
        return
    chart_frame(**others_frame)


def other_cities_title(others: pd.DataFrame) -> str:
    """The finding for the other-cities chart, computed from what is shown."""
    values = others.assign(top=others[["t_per_day", "t_per_day_high"]].max(axis=1))
    values = values[values["year"].notna() & values["top"].notna()]
    places = others["place"].nunique()
    lead = f"Outside Phnom Penh only {places} place{'s' if places != 1 else ''} ha{'ve' if places != 1 else 's'} a " \
           "published tonnage"
    if values.empty:
        return lead
    top = values.loc[values["top"].idxmax()]
    return f"{lead}; the largest is {top['place']}, up to {top['top']:,.0f} t a day in {top['period']}"


def set_rate(value: float) -> None:
    st.session_state[RATE_KEY] = value


def projection_setup(estimates: pd.DataFrame, all_totals: pd.DataFrame, labels: dict[str, str],
                     headline: evidence.Headline) -> dict | None:
    """What the projection's controls need: figures to start from and published rates (None: no base)."""
    options = gfig.base_options(all_totals)
    if options.empty:
        return None
    presets = gfig.growth_presets(estimates)
    growth = evidence.growth_for(estimates, headline)
    ids = list(options["id"])
    buttons = []
    for _, preset in presets.iterrows():
        end = f" {preset['end'].split()[0]}" if preset["end"] else ""
        word = "about " if preset["qualifier"] == "about" else ""
        buttons.append(dict(
            label=f"{preset['id']}{end}: {word}{preset['rate_pct']:+g}%/yr",
            key=f"gen_preset_{preset['id']}_{preset['end'].replace(' ', '_') or 'value'}",
            rate=preset["rate_pct"],
            help=f"{label_for(preset['source_id'], labels)}, {preset['period']}, {preset['confidence']} confidence: "
                 f"“{preset['quote']}”"))
    bases = options.set_index("id")
    captions = {base_id: f"**{base_id}**: {evidence.format_tonnes(base['value_t'])} generated in {base['period']}, "
                         f"{label_for(base['source_id'], labels)}, {base['confidence']} confidence, "
                         f"{base['method']}. “{base['quote']}”" for base_id, base in bases.iterrows()}
    return {
        "ids": ids,
        "index": ids.index(headline.row_id) if headline.row_id in ids else 0,
        "default_rate": float(growth["value"]) if growth is not None and pd.notna(growth["value"]) else 0.0,
        "captions": captions,
        "choices": options.assign(million_t=options["value_t"] / 1e6,
                                  source=[label_for(s, labels) for s in options["source_id"]])[
            ["id", "period", "million_t", "method", "confidence", "source"]],
        "buttons": buttons,
        "bases": bases,
        "presets": presets,
        "published": all_totals[all_totals["scope"].isin(["generated", "collected"])],
    }


def projection_result(setup: dict, base_id: str, rate: float) -> tuple[list[dict], dict]:
    """The 2030 and 2035 cards (kpi arguments) and the chart_frame arguments of one base and rate."""
    base = setup["bases"].loc[base_id]
    presets = setup["presets"]
    path = project(float(base["value_t"]), float(base["year"]), float(rate),
                   projection_years(float(base["year"]), max(MARK_YEARS)))
    at = path.set_index("year")["value"]
    cards = [dict(label=f"{year}, projection (not a published figure)", value=evidence.format_tonnes(at[float(year)]),
                  caption=f"{base_id} ({evidence.format_tonnes(base['value_t'])}, {base['period']}) growing "
                          f"{rate:+.1f}% a year for {year - base['year']:g} years") for year in MARK_YEARS]
    alternatives = {}
    for other_rate, group in presets.groupby("rate_pct", sort=True):
        if math.isclose(other_rate, rate):
            continue
        ids = "; ".join(f"{row['id']} {row['end']}".strip() for _, row in group.iterrows())
        alternatives[f"At {other_rate:+g}%/yr ({ids})"] = project(
            float(base["value_t"]), float(base["year"]), float(other_rate),
            projection_years(float(base["year"]), max(MARK_YEARS)))
    table = path.assign(million_t=path["value"] / 1e6, base_id=base_id, kind="projection, not a published figure")[
        ["year", "years_ahead", "rate_pct", "factor", "value", "million_t", "base_id", "kind"]].rename(
        columns={"value": "tonnes_per_year"})
    published = setup["published"]
    frame = dict(
        key="gen-projection",
        title=f"At {rate:+.1f}% a year from {evidence.format_tonnes(base['value_t'])} in {base['period']}, "
              f"Cambodia would generate {at[2030.0] / 1e6:.2f} Mt in 2030 and {at[2035.0] / 1e6:.2f} Mt in 2035 "
              "(projection)",
        subtitle=f"Municipal solid waste generated, Cambodia, million tonnes per year (Mt/yr), {base['period']}"
                 f"–2035. Dashed: projection, not a published figure. Dotted: the same base at the other "
                 "published growth rates. Grey: published national figures for comparison.",
        figure=gfig.projection_chart(published, path, base_label=f"{base_id}, {base['period']}",
                                     alternatives=alternatives, marks=MARK_YEARS),
        table=table,
        source_ids=list(base["source_id"].split(";")) + list(presets["source_id"]),
        alt=(f"Line chart: a dashed projection from {base['value_t'] / 1e6:.2f} million tonnes in "
             f"{base['period']} growing {rate:+.1f}% a year to {at[2030.0] / 1e6:.2f} million tonnes in 2030 and "
             f"{at[2035.0] / 1e6:.2f} in 2035, beside published national figures."),
        reading=(f"At this rate the yearly tonnage would be {at[2030.0] / base['value_t'] - 1:.0%} higher in 2030 "
                 f"and {at[2035.0] / base['value_t'] - 1:.0%} higher in 2035 than in {base['period']}. The base "
                 "matters as much as the rate: published national totals differ by a factor of four. Use this "
                 "to size plans for collection and disposal, not as a forecast to quote."),
        method=(f"compound growth, {FORMULA}; here {base['value_t']:,.0f} t × (1 + {rate:g}/100) ^ (year − "
                f"{base['year']:g}). The base is the chosen published figure ({base_id}); the rate is yours "
                "(default: the growth the headline's source published). No population, income or policy "
                "change is modelled."),
    )
    return cards, frame


def projection_view(setup: dict | None, data_dir: str) -> None:
    st.subheader("Projection to 2030 and 2035: a model, not a published figure")
    if setup is None:
        st.info("The ledger holds no dated national figure of waste generated, so no projection can start.")
        return
    ids = setup["ids"]
    link_notice(ids)
    st.markdown("Pick a published national figure to start from and an annual growth rate; the dashed line "
                "compounds that rate year after year. No source has published a figure for 2030 or 2035. "
                "The sidebar filters do not change this view.")
    left, right = st.columns([1, 1], gap="large")
    with left:
        base_id = st.selectbox(
            "Base figure (ledger id; described below)", ids,
            index=setup["index"], key=BASE_KEY,
            bind="query-params", help="Dated national figures of waste generated, newest first. The default is "
                                      "the headline figure.")
        st.caption(setup["captions"][base_id])
        with st.expander("All figures you can start from"):
            st.dataframe(setup["choices"], hide_index=True, key="table-gen-base-options")
    with right:
        rate = st.slider("Annual growth rate, % a year", min_value=RATE_MIN, max_value=RATE_MAX,
                         value=setup["default_rate"], step=RATE_STEP, format="%+.1f%%", key=RATE_KEY,
                         bind="query-params",
                         help="Default: the growth published with the headline figure.")
        st.caption("Published growth rates (click to use one):")
        buttons = st.columns(2)
        for index, button in enumerate(setup["buttons"]):
            with buttons[index % 2]:
                st.button(button["label"], key=button["key"], on_click=set_rate, args=(button["rate"],),
                          width="stretch", help=button["help"])
    cards, frame = projection(data_dir, base_id, float(rate))
    for column, card in zip(st.columns(len(MARK_YEARS)), cards, strict=True):
        with column:
            kpi(card["label"], card["value"], caption=card["caption"])
    chart_frame(**frame)


def main() -> None:
    st.title("Waste generation and the evidence")
    st.markdown("How much municipal waste Cambodia and its cities produce, according to every published "
                "estimate, which figure we use as the headline and why, and what today's growth would mean "
                "by 2030 and 2035.")
    selection = current()
    applied_note(selection, APPLIES)
    if need("estimates", "sources") is None:
        return
    data_dir = str(data_dir_from_env())
    built = model(data_dir, selection_key(selection))
    headline_row(built["cards"], built["quote"])
    national_view(built["national"], selection)
    evidence_table(built["evidence"])
    per_capita_view(built["per_capita"], selection)
    city_views(built["cities"], selection)
    projection_view(data_model(data_dir)["setup"], data_dir)


main()
