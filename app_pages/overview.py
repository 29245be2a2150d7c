"""Overview: the headline figure, the spread of published national totals, and the workshop's takeaways."""

import pandas as pd
import streamlit as st

from components.data import need
from components.filters import applied_note, current
from components.frame import chart_frame, kpi, source_line
from components.present import briefing_download
from core import evidence, figures
from core.catalogue import format_citation, short_label


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Short legend labels ('Pheakdey et al. 2022'); two sources with one label get a title cue."""
    labels = {row["id"]: short_label(row) for _, row in sources.iterrows()}
    counts = pd.Series(list(labels.values())).value_counts()
    titles = sources.set_index("id")["title"]
    for source, label in labels.items():
        if counts[label] > 1:
            labels[source] = f"{label}: {' '.join(str(titles[source]).split()[:4])}…"
    return labels


def headline_row(estimates: pd.DataFrame, sources: pd.DataFrame) -> None:
    headline = evidence.headline_total(estimates)
    by_id = sources.set_index("id", drop=False)
    source = by_id.loc[headline.source_id]
    cite = short_label(source)
    growth = evidence.growth_for(estimates, headline)
    totals = evidence.national_totals(estimates)
    low, high = evidence.spread(totals)
    recycling = evidence.national_recycling_rate(estimates)
    cols = st.columns(4)
    with cols[0]:
        kpi(f"Waste generated, {headline.year}", evidence.format_tonnes(headline.value_t),
            caption=f"Municipal solid waste, Cambodia. {cite}; headline series.", help=evidence.HEADLINE_RULE)
    with cols[1]:
        if growth is None:
            kpi("Change on the previous year", "no figure", caption="No published growth rate with the headline.")
        else:
            kpi(f"Change on {headline.year - 1}", f"{growth['value']:+.1f}%",
                caption=f"Year-on-year growth in waste generated. {cite}.")
    with cols[2]:
        kpi("Published totals", f"{low['value_t'] / 1e6:.2f}–{high['value_t'] / 1e6:.2f} Mt",
            caption=f"Lowest ({short_label(by_id.loc[low['source_id'].split(';')[0]])}) and highest "
                    f"({short_label(by_id.loc[high['source_id'].split(';')[0]])}) dated national figures; "
                    "see the chart below.")
    with cols[3]:
        if recycling is None:
            kpi("Share recycled", "no figure", caption="No national recycling rate is published.")
        else:
            src = by_id.loc[recycling["source_id"].split(";")[0]]
            kpi(f"Recycled, {recycling['period']}", f"{recycling['value']:g}%",
                caption=f"Share of waste generated, national. {short_label(src)}; "
                        f"{recycling['confidence']} confidence.")
    st.caption(f"“{headline.quote}” — {format_citation(source)}")


def spread_chart(estimates: pd.DataFrame, sources: pd.DataFrame) -> None:
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
    chart_frame(
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


def per_capita_chart(estimates: pd.DataFrame, sources: pd.DataFrame) -> None:
    rows = estimates[(estimates["indicator"] == evidence.PER_CAPITA_INDICATOR)
                     & (estimates["unit"] == "kg/cap/day")].copy()
    if rows.empty:
        st.info("No per-capita generation figure is recorded in the data.")
        return
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
    chart_frame(
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


def takeaways() -> None:
    loaded = need("workshop")
    if loaded is None:
        return
    workshop = loaded[0]
    cards = workshop[workshop["section"] == "takeaway"].sort_values("order")
    st.subheader("What the March 2025 national workshop concluded")
    st.caption("Six key takeaways of the National Technical Workshop on the waste recycling sector, Phnom Penh, "
               "25–26 March 2025 (UNEP, IGES-CCET, COMPOSTED), in our words.")
    columns = st.columns(3)
    for index, (_, card) in enumerate(cards.iterrows()):
        with columns[index % 3], st.container(border=True):
            st.markdown(f"**{card['title']}**")
            st.write(card["text"])
    source_line(cards["source_id"])


def main() -> None:
    st.title("Cambodia's waste at a glance")
    st.markdown("How much municipal waste Cambodia produces, how sure we are of it, and what the 2025 national "
                "workshop asked for next. Every number below names its source and year.")
    # The overview shows every published figure by design; the sector filters shape the analysis pages.
    applied_note(current(), ())
    loaded = need("estimates", "sources")
    if loaded is not None:
        estimates, sources = loaded
        headline_row(estimates, sources)
        spread_chart(estimates, sources)
        per_capita_chart(estimates, sources)
    takeaways()
    st.caption("Presenting? The Story page steps through these findings one chart at a time; the briefing pack "
               "puts them in one HTML file that opens offline and can be emailed.")
    briefing_download("overview-briefing")


main()
