"""Overview: the headline figure, the spread of published national totals, and the workshop's takeaways."""

import pandas as pd
import streamlit as st

from components.data import need
from components.frame import chart_frame, kpi, source_line
from core import evidence, figures
from core.catalogue import format_citation


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Short legend labels: 'Producer year'."""
    labels = {}
    for _, row in sources.iterrows():
        year = "n.d." if pd.isna(row["year"]) else str(int(row["year"]))
        labels[row["id"]] = f"{row['producer'][:38]} {year}"
    return labels


def headline_row(estimates: pd.DataFrame, sources: pd.DataFrame) -> None:
    headline = evidence.headline_total(estimates)
    source = sources.set_index("id").loc[headline.source_id]
    cite = f"{source['producer']} ({int(source['year'])})" if not pd.isna(source["year"]) else source["producer"]
    growth = evidence.growth_for(estimates, headline)
    totals = evidence.national_totals(estimates)
    low, high = evidence.spread(totals)
    recycling = estimates[(estimates["indicator"] == "recycling_rate") & (estimates["geo_level"] == "national")
                          & (estimates["confidence"] == "high") & estimates["value"].notna()]
    cols = st.columns(4)
    with cols[0]:
        kpi(f"Municipal waste generated, {headline.year}", evidence.format_tonnes(headline.value_t),
            caption=f"{cite} · headline series", help=evidence.HEADLINE_RULE)
    with cols[1]:
        if growth is None:
            kpi("Change on the previous year", "no figure", caption="No published growth rate with the headline.")
        else:
            kpi(f"Change on {headline.year - 1}", f"{growth['value']:+.1f}%", caption=f"{cite} · as published")
    with cols[2]:
        kpi("Published national totals", f"{evidence.format_tonnes(low['value_t'])} to "
            f"{evidence.format_tonnes(high['value_t'])}",
            caption=f"{int(totals['value_t'].notna().sum())} dated and undated figures; see the chart below")
    with cols[3]:
        if recycling.empty:
            kpi("Share recycled", "no figure", caption="No high-confidence national recycling rate.")
        else:
            row = recycling.sort_values("year_end").iloc[-1]
            src = sources.set_index("id").loc[row["source_id"].split(";")[0]]
            kpi(f"Share recycled, {row['period']}", f"{row['value']:g}%",
                caption=f"{src['producer']} ({int(src['year'])}) · share of waste generated")
    st.caption(f"“{headline.quote}” — {format_citation(source)}")


def spread_chart(estimates: pd.DataFrame, sources: pd.DataFrame) -> None:
    totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    low, high = evidence.spread(totals)
    dated = totals[totals["year"].notna()]
    undated = len(totals) - len(dated)
    years = f"{int(dated['year'].min())}–{int(dated['year'].max())}"
    figure = figures.estimate_spread(totals, source_labels(sources), headline_id=headline.row_id)
    table = totals[["period", "value", "value_low", "value_high", "unit", "value_t", "derived", "scope",
                    "confidence", "source_id", "quote", "note"]].rename(columns={"value_t": "tonnes_per_year"})
    chart_frame(
        key="national-spread",
        title=f"Published national totals disagree: from {low['value_t'] / 1e6:.2f} to "
              f"{high['value_t'] / 1e6:.2f} million tonnes a year",
        subtitle=f"Municipal solid waste, Cambodia, million tonnes per year (Mt/yr), {years}. "
                 f"{len(totals)} published figures from {totals['source_id'].nunique()} sources"
                 + (f"; {undated} with no stated year are listed in the table only." if undated else "."),
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


def per_capita_chart(estimates: pd.DataFrame) -> None:
    rows = estimates[(estimates["indicator"] == evidence.PER_CAPITA_INDICATOR)
                     & (estimates["unit"] == "kg/cap/day")].copy()
    if rows.empty:
        st.info("No per-capita generation figure is recorded in the data.")
        return
    rows["label"] = rows["geography"] + ", " + rows["period"].astype(str) + " (" + rows["source_id"] + ")"
    rows = rows.sort_values(["geo_level", "value"], ascending=[True, False])
    figure = figures.labelled_dots(rows, label="label", value="value", low="value_low", high="value_high",
                                   unit_title="kg per person per day", colour_by="geo_level", hover="quote")
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
    loaded = need("estimates", "sources")
    if loaded is not None:
        estimates, sources = loaded
        headline_row(estimates, sources)
        spread_chart(estimates, sources)
        per_capita_chart(estimates)
    takeaways()


main()
