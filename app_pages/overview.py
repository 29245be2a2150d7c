"""Overview: the headline figure, the spread of published national totals, and the workshop's takeaways."""

import streamlit as st

from components import views
from components.data import need
from components.filters import applied_note, current
from components.frame import chart_frame, kpi, source_line
from components.i18n import current_lang, tr
from components.present import briefing_download
from core.catalogue import data_dir_from_env
from core.evidence import in_language


def headline_row() -> None:
    cards, quote = views.overview_headline(str(data_dir_from_env()), current_lang())
    cols = st.columns(4)
    for column, card in zip(cols, cards, strict=True):
        with column:
            kpi(**card)
    st.caption(quote)


def spread_chart() -> None:
    chart_frame(**views.overview_spread(str(data_dir_from_env()), current_lang()))


def per_capita_chart() -> None:
    frame = views.overview_per_capita(str(data_dir_from_env()), current_lang())
    if frame is None:
        st.info(tr()("overview.no_per_capita"))
        return
    chart_frame(**frame)


def takeaways() -> None:
    _ = tr()
    loaded = need("workshop")
    if loaded is None:
        return
    workshop = in_language(loaded[0], _.lang)  # title and text in the session's language
    cards = workshop[workshop["section"] == "takeaway"].sort_values("order")
    st.subheader(_("overview.takeaways_heading"))
    st.caption(_("overview.takeaways_caption"))
    columns = st.columns(3)
    for index, (_row, card) in enumerate(cards.iterrows()):
        with columns[index % 3], st.container(border=True):
            st.markdown(f"**{card['title']}**")
            st.write(card["text"])
    source_line(cards["source_id"])


def main() -> None:
    _ = tr()
    st.title(_("overview.title"))
    st.markdown(_("overview.intro"))
    # The overview shows every published figure by design; the sector filters shape the analysis pages.
    applied_note(current(), ())
    loaded = need("estimates", "sources")
    if loaded is not None:  # the cached builders below read the same (validated, cached) tables
        headline_row()
        spread_chart()
        per_capita_chart()
    takeaways()
    st.caption(_("overview.presenting"))
    briefing_download("overview-briefing")


main()
