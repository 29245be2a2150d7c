"""The Overview page: one cached view of everything it draws, and its drawing (app_pages/overview.py calls `main`).

The page's content depends only on the data folder and the language. `overview_view` gathers the headline cards,
the two charts (components.views builds them) and the workshop's takeaways once per such key, so a rerun makes
one cache lookup instead of one per table and builder. When a table is broken the view raises its DataError
(never cached) and the page draws section by section as before, each broken file showing its own message. The
headline and the takeaways are drawn inside cached functions, so Streamlit replays their elements on later runs
(components/views_sources.py explains this). The drawing lives here rather than in the page file, which is
compiled anew on every run.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from components import views
from components.data import load, need
from components.filters import applied_note, current
from components.frame import chart_frame, kpi, source_line
from components.i18n import tr
from components.present import briefing_download
from core.catalogue import DataError, data_dir_from_env, split_ids
from core.evidence import in_language


def source_ids(cells: Iterable[object]) -> tuple[str, ...]:
    """Every source cited by these cells, once each, in order (what components.frame.source_line reads)."""
    return tuple(dict.fromkeys(s for cell in cells for s in split_ids(str(cell))))


def takeaway_cards(lang: str) -> tuple[tuple[tuple[str, object], ...], tuple[str, ...]]:
    """The workshop's takeaways in the language, in order, as (bold title, text), and the sources they cite."""
    workshop = in_language(load("workshop"), lang)  # title and text in the language
    cards = workshop[workshop["section"] == "takeaway"].sort_values("order")
    return (tuple((f"**{title}**", text) for title, text in zip(cards["title"], cards["text"], strict=True)),
            source_ids(cards["source_id"]))


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_view(data_dir: str, lang: str) -> dict:
    """Everything the page draws for one data folder and language; raises the DataError of a broken table."""
    for name in ("estimates", "sources", "workshop"):
        load(name)
    cards, quote = views.overview_headline(data_dir, lang)
    spread = views.overview_spread(data_dir, lang)
    per_capita = views.overview_per_capita(data_dir, lang)
    return {
        "cards": cards,
        "quote": quote,
        "spread": spread | {"source_ids": source_ids(spread["source_ids"])},
        "per_capita": None if per_capita is None else
        per_capita | {"source_ids": source_ids(per_capita["source_ids"])},
        "takeaways": takeaway_cards(lang),
    }


# ------------------------------------------------------------------ sections

def headline_row(cards: list[dict], quote: str) -> None:
    for column, card in zip(st.columns(4), cards, strict=True):
        with column:
            kpi(**card)
    st.caption(quote)


def per_capita_chart(frame: dict | None) -> None:
    if frame is None:
        st.info(tr()("overview.no_per_capita"))
        return
    chart_frame(**frame)


def takeaways(cards: tuple[tuple[str, object], ...], cited: tuple[str, ...]) -> None:
    _ = tr()
    st.subheader(_("overview.takeaways_heading"))
    st.caption(_("overview.takeaways_caption"))
    columns = st.columns(3)
    for index, (title, text) in enumerate(cards):
        with columns[index % 3], st.container(border=True):
            if isinstance(text, str):  # one Markdown element of two paragraphs, drawn as the two elements were
                st.markdown(f"{title}\n\n{text}")
            else:
                st.markdown(title)
                st.write(text)
    source_line(cited)


# The headline cards and the takeaways hold no widget: they are drawn once per (data folder, language) and
# Streamlit replays their elements on later runs (its element replay), about half the cost of drawing them anew.
# The charts' frames hold download buttons (widgets), so they are drawn on every run.

@st.cache_resource(show_spinner=False, max_entries=8)
def _replayed_headline(data_dir: str, lang: str) -> dict:
    """The headline row, replayed; returns overview_view's view (its DataError comes before anything is drawn)."""
    view = overview_view(data_dir, lang)
    headline_row(view["cards"], view["quote"])
    return view


@st.cache_resource(show_spinner=False, max_entries=8)
def _replayed_takeaways(data_dir: str, lang: str) -> None:
    takeaways(*overview_view(data_dir, lang)["takeaways"])


def _section_by_section(data_dir: str, lang: str) -> None:
    """The page when a table is broken: each section reads its own tables and shows their errors."""
    if need("estimates", "sources") is not None:
        headline_row(*views.overview_headline(data_dir, lang))
        chart_frame(**views.overview_spread(data_dir, lang))
        per_capita_chart(views.overview_per_capita(data_dir, lang))
    if need("workshop") is not None:
        takeaways(*takeaway_cards(lang))


def main() -> None:
    _ = tr()
    st.title(_("overview.title"))
    st.markdown(_("overview.intro"))
    # The overview shows every published figure by design; the sector filters shape the analysis pages.
    applied_note(current(), ())
    data_dir = str(data_dir_from_env())
    try:
        view = _replayed_headline(data_dir, _.lang)
    except DataError:
        _section_by_section(data_dir, _.lang)
    else:
        chart_frame(**view["spread"])
        per_capita_chart(view["per_capita"])
        _replayed_takeaways(data_dir, _.lang)
    st.caption(_("overview.presenting"))
    briefing_download("overview-briefing")
