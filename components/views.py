"""Cached builders of page content that depends only on the data folder (DESIGN.md section 6).

They live in a module, not in the page files: a page file runs anew on every rerun, so a cached function
defined there is re-created (and its source re-hashed) each time. Each builder takes the data folder string,
loads its tables with components.data.load (a DataError is raised, never cached) and returns plain arguments
and figures that the page draws. The results are shared resources: callers must not mutate them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load
from core import evidence, figures
from core.catalogue import format_citation, short_label

# ------------------------------------------------------------------ overview


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Short legend labels ('Pheakdey et al. 2022'); two sources with one label get a title cue."""
    labels = {row["id"]: short_label(row) for _, row in sources.iterrows()}
    counts = pd.Series(list(labels.values())).value_counts()
    titles = sources.set_index("id")["title"]
    for source, label in labels.items():
        if counts[label] > 1:
            labels[source] = f"{label}: {' '.join(str(titles[source]).split()[:4])}…"
    return labels


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_headline(data_dir: str) -> tuple[list[dict], str]:
    """The four headline cards (kpi arguments) and the quote line; built once per data folder."""
    estimates, sources = load("estimates"), load("sources")
    headline = evidence.headline_total(estimates)
    by_id = sources.set_index("id", drop=False)
    source = by_id.loc[headline.source_id]
    cite = short_label(source)
    growth = evidence.growth_for(estimates, headline)
    totals = evidence.national_totals(estimates)
    low, high = evidence.spread(totals)
    recycling = evidence.national_recycling_rate(estimates)
    cards = [dict(label=f"Waste generated, {headline.year}", value=evidence.format_tonnes(headline.value_t),
                  caption=f"Municipal solid waste, Cambodia. {cite}; headline series.", help=evidence.HEADLINE_RULE)]
    if growth is None:
        cards.append(dict(label="Change on the previous year", value="no figure",
                          caption="No published growth rate with the headline."))
    else:
        cards.append(dict(label=f"Change on {headline.year - 1}", value=f"{growth['value']:+.1f}%",
                          caption=f"Year-on-year growth in waste generated. {cite}."))
    cards.append(dict(
        label="Published totals", value=f"{low['value_t'] / 1e6:.2f}–{high['value_t'] / 1e6:.2f} Mt",
        caption=f"Lowest ({short_label(by_id.loc[low['source_id'].split(';')[0]])}) and highest "
                f"({short_label(by_id.loc[high['source_id'].split(';')[0]])}) dated national figures; "
                "see the chart below."))
    if recycling is None:
        cards.append(dict(label="Share recycled", value="no figure",
                          caption="No national recycling rate is published."))
    else:
        src = by_id.loc[recycling["source_id"].split(";")[0]]
        cards.append(dict(label=f"Recycled, {recycling['period']}", value=f"{recycling['value']:g}%",
                          caption=f"Share of waste generated, national. {short_label(src)}; "
                                  f"{recycling['confidence']} confidence."))
    return cards, f"“{headline.quote}” — {format_citation(source)}"


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_spread(data_dir: str) -> dict:
    """The chart_frame arguments of the spread chart (figure included); built once per data folder."""
    estimates, sources = load("estimates"), load("sources")
    totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    low, high = evidence.spread(totals)
    dated = totals[totals["year"].notna()]
    undated = totals[totals["year"].isna()]
    undated_text = "; ".join(f"{evidence.format_tonnes(v)} ({s})" for v, s in
                             zip(undated["value_t"], undated["source_id"], strict=True) if not pd.isna(v))
    years = f"{int(dated['year'].min())}–{int(dated['year'].max())}"
    figure = figures.estimate_spread(totals, source_labels(sources), headline_id=headline.row_id)
    table = totals[["period", "value", "value_low", "value_high", "unit", "value_t", "derived", "scope",
                    "confidence", "source_id", "quote", "note"]].rename(columns={"value_t": "tonnes_per_year"})
    return dict(
        key="national-spread",
        title=f"Published national totals disagree: from {low['value_t'] / 1e6:.2f} to "
              f"{high['value_t'] / 1e6:.2f} million tonnes a year generated",
        subtitle=f"Municipal solid waste, Cambodia, million tonnes per year (Mt/yr), {years}. Filled circles: waste "
                 "generated; open diamonds: collected; open squares: disposed or landfilled; crosses: a forecast. "
                 f"{len(totals)} published figures from {totals['source_id'].nunique()} sources"
                 + (f". Not plotted because no year is stated: {undated_text}; see the table."
                    if undated_text else "."),
        figure=figure,
        table=table,
        source_ids=totals["source_id"],
        alt=(f"Scatter chart of {len(dated)} published national waste totals for Cambodia between {years}, "
             f"ranging from {low['value_t'] / 1e6:.2f} to {high['value_t'] / 1e6:.2f} million tonnes per year; "
             f"the {headline.year} headline is {headline.value_t / 1e6:.2f} million tonnes."),
        reading=("There is no official annual series: published totals differ by a factor of four, partly "
                 "because some count waste generated and others only waste collected (open markers), and "
                 "because methods and years differ. Read any single number with its source and scope."),
        method=("figures published in tonnes per day are multiplied by 365 and marked 'derived'; published "
                "ranges are drawn as bars with no midpoint; periods (e.g. 2020-21) sit at their middle. "
                + evidence.HEADLINE_RULE),
    )


PLACE_LABELS = {"national": "National", "city": "City or town", "multi_city": "Several small towns",
                "rural": "Rural community", "urban": "Urban areas", "province": "Province"}


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_per_capita(data_dir: str) -> dict | None:
    """The chart_frame arguments of the per-capita chart, or None when no figure is recorded."""
    estimates, sources = load("estimates"), load("sources")
    rows = estimates[(estimates["indicator"] == evidence.PER_CAPITA_INDICATOR)
                     & (estimates["unit"] == "kg/cap/day")].copy()
    if rows.empty:
        return None
    labels = source_labels(sources)
    year = rows["year_end"].map(lambda y: "year not stated" if pd.isna(y) else str(int(y)))
    kind = rows["scope"].map(lambda s: " (projection)" if s == "projection" else "")
    rows["label"] = (rows["geography"].str.slice(0, 34) + ", " + year + kind + " — "
                     + rows["source_id"].map(lambda s: labels.get(s.split(";")[0], s)))
    rows["place"] = rows["geo_level"].map(PLACE_LABELS).fillna(rows["geo_level"])
    rows = rows.sort_values(["geo_level", "value"], ascending=[True, False])
    figure = figures.labelled_dots(rows, label="label", value="value", low="value_low", high="value_high",
                                   unit_title="kg per person per day", colour_by="place", hover="quote")
    national = rows[rows["geo_level"] == "national"]
    return dict(
        key="per-capita",
        title="A Cambodian produces roughly half a kilogram to 0.8 kg of waste a day, by the published figures",
        subtitle="Municipal waste generated per person, kilograms per person per day, by place and year as "
                 "published; ranges drawn as bars.",
        figure=figure,
        table=rows[["geography", "geo_level", "period", "value", "value_low", "value_high", "unit", "confidence",
                    "source_id", "quote"]],
        source_ids=rows["source_id"],
        alt=f"Dot chart of {len(rows)} per-capita waste generation figures; national figures range from "
            f"{national['value'].min():g} to {national['value'].max():g} kg per person per day.",
        reading="Rural towns and villages report less waste per person than the national and Phnom Penh "
                "figures; collection services, and so measurement, are concentrated in cities.",
    )


# ------------------------------------------------------------------ story


@st.cache_resource(show_spinner=False, max_entries=64)
def story_slide(data_dir: str, number: int):
    """Slide `number` (1-based) of core.story.SLIDES, built from the data; a LookupError, KeyError or
    ValueError of the builder propagates uncached, as does a DataError."""
    from core import story

    spec = story.SLIDES[number - 1]
    return spec.build({name: load(name) for name in spec.needs})


# ------------------------------------------------------------------ workshop


@st.cache_resource(show_spinner=False, max_entries=8)
def source_short_labels(data_dir: str) -> dict[str, str]:
    """Every source's short label ('Pheakdey et al. 2022'), by id."""
    return {row["id"]: short_label(row) for _, row in load("sources").iterrows()}


@st.cache_resource(show_spinner=False, max_entries=8)
def workshop_sections(data_dir: str) -> dict[str, list[dict]]:
    """The workshop table's rows as records, by section, each section in its 'order'."""
    workshop = load("workshop")
    return {str(name): group.sort_values("order").to_dict("records")
            for name, group in workshop.groupby("section")}
