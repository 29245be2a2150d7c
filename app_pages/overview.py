"""Overview: the headline figure, the spread of published national totals, and the workshop's takeaways."""

import streamlit as st

from components import views
from components.data import need
from components.filters import applied_note, current
from components.frame import chart_frame, kpi, source_line
from components.present import briefing_download
from core.catalogue import data_dir_from_env


def headline_row() -> None:
    cards, quote = views.overview_headline(str(data_dir_from_env()))
    cols = st.columns(4)
    for column, card in zip(cols, cards, strict=True):
        with column:
            kpi(**card)
    st.caption(quote)


def spread_chart() -> None:
    chart_frame(**views.overview_spread(str(data_dir_from_env())))


def per_capita_chart() -> None:
    frame = views.overview_per_capita(str(data_dir_from_env()))
    if frame is None:
        st.info("No per-capita generation figure is recorded in the data.")
        return
    chart_frame(**frame)


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
    if loaded is not None:  # the cached builders below read the same (validated, cached) tables
        headline_row()
        spread_chart()
        per_capita_chart()
    takeaways()
    st.caption("Presenting? The Story page steps through these findings one chart at a time; the briefing pack "
               "puts them in one HTML file that opens offline and can be emailed.")
    briefing_download("overview-briefing")


main()
