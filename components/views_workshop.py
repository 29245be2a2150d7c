"""The Workshop 2025 page: one cached view of its sections, and its drawing (app_pages/workshop.py calls `main`).

The page's content depends only on the data folder and the language: `workshop_view` turns the workshop table
(components.views.workshop_sections) into the texts, citations and links each section draws, once per such key.
Everything under the filter note is drawn inside a cached function, so Streamlit replays its elements on later
runs (components/views_sources.py explains this). A DataError is never cached: the view raises it and the page
shows it through components.data.need. The drawing lives here rather than in the page file, which is compiled
anew on every run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components import views
from components.data import load, need
from components.filters import applied_note, current
from components.frame import source_line
from components.i18n import tr
from components.views_sources import page_object, pages_key
from core import site
from core.catalogue import DataError, data_dir_from_env, split_ids
from core.i18n import translator

APPLIES: tuple[str, ...] = ()
THIS_PAGE = "workshop"
Rows = Sequence[Mapping]  # a section's rows as records (components.views.workshop_sections)
Line = tuple[str, str]  # a line's Markdown and its citation (the line's help)


def related(cell: str) -> tuple[str, ...]:
    """The pages a row points to, by URL path, once each (this page left out)."""
    return tuple(dict.fromkeys(s.strip() for s in str(cell or "").split(";") if s.strip() and s.strip() != THIS_PAGE))


def linked_pages(url_paths: tuple[str, ...]) -> list[site.PageSpec]:
    """The registered pages among these (pages not yet in the registry are skipped, never broken); read on every
    run, as the cached view keeps URL paths, not pages."""
    registry = {spec.url_path: spec for spec in site.PAGES}
    return [registry[s] for s in url_paths if s in registry]


def cite(row: Mapping, labels: dict[str, str]) -> str:
    names = "; ".join(labels.get(s, s) for s in split_ids(row["source_id"]))
    return f"“{row['quote']}” — {names}"


def _card(row: Mapping, labels: dict[str, str], numbered: bool) -> dict:
    heading = f"{int(row['order'])}. {row['title']}" if numbered else row["title"]
    return {"heading": f"**{heading}**", "help": cite(row, labels), "text": row["text"],
            "related": related(row["related_pages"])}


def _cards(rows: Rows, labels: dict[str, str], *, per_row: int, numbered: bool = False) -> tuple:
    """The cards one row of `per_row` at a time (so the cards of a row line up)."""
    records = [_card(row, labels, numbered) for row in rows]
    return tuple(tuple(records[start:start + per_row]) for start in range(0, len(records), per_row))


@st.cache_resource(show_spinner=False, max_entries=8)
def workshop_view(data_dir: str, lang: str) -> dict:
    """Every section's lines and cards in the language; raises the DataError of workshop.csv or sources.csv."""
    _ = translator(lang)
    workshop, _sources = load("workshop"), load("sources")
    if workshop.empty:
        return {"empty": True}
    labels = views.source_short_labels(data_dir)
    parts = views.workshop_sections(data_dir, lang)

    def lines(section: str, words) -> tuple[Line, ...]:
        return tuple((words(row), cite(row, labels)) for row in parts.get(section, ()))

    facts = lines("fact", lambda row: _("workshop.fact_line", title=row["title"], text=row["text"]))
    half = (len(facts) + 1) // 2
    return {
        "empty": False,
        "facts": (facts[:half], facts[half:]),
        "themes": lines("day_theme", lambda row: _("workshop.theme_line", title=row["title"], text=row["text"])),
        "speakers": lines("speaker", lambda row: _("workshop.speaker_line", title=row["title"], text=row["text"])),
        "context": _cards(parts.get("context", ()), labels, per_row=2),
        "takeaways": _cards(parts.get("takeaway", ()), labels, per_row=3, numbered=True),
        "takeaway_count": len(parts.get("takeaway", ())),
        "next_steps": _cards(parts.get("next_step", ()), labels, per_row=2),
        "source_ids": tuple(dict.fromkeys(s for cell in workshop["source_id"] for s in split_ids(str(cell)))),
    }


# ------------------------------------------------------------------ sections

def help_lines(lines: Sequence[Line]) -> None:
    for text, citation in lines:
        st.markdown(text, help=citation)


def facts(halves: tuple[Sequence[Line], Sequence[Line]]) -> None:
    st.subheader(tr()("workshop.facts_heading"))
    for column, part in zip(st.columns(2, gap="medium"), halves, strict=True):
        with column:
            help_lines(part)


def programme(themes: Sequence[Line], speakers: Sequence[Line]) -> None:
    _ = tr()
    st.subheader(_("workshop.programme_heading"))
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.markdown(f"**{_('workshop.themes_heading')}**")
        help_lines(themes)
    with right, st.container(border=True):
        st.markdown(f"**{_('workshop.speakers_heading')}**")
        help_lines(speakers)


def evidence_links(url_paths: tuple[str, ...]) -> None:
    pages = linked_pages(url_paths)
    if not pages:
        return
    _ = tr()
    st.caption(_("workshop.evidence_behind"))
    for spec in pages:
        st.page_link(page_object(spec), label=_(f"site.page.{spec.url_path}"), icon=spec.icon)


def cards(rows: tuple, *, per_row: int) -> None:
    """Bordered cards, one row of `per_row` at a time so the cards of a row line up."""
    _ = tr()
    for row in rows:
        for column, card in zip(st.columns(per_row, gap="medium"), row, strict=False):
            with column, st.container(border=True, height="stretch"):
                st.markdown(card["heading"], help=card["help"])
                if isinstance(card["text"], str):
                    st.markdown(card["text"])  # what st.write draws for a string
                else:
                    st.write(card["text"])
                evidence_links(card["related"])


def sections(view: dict) -> None:
    """Everything under the filter note: no widget, so it is drawn once per (data folder, language, registered
    pages) and Streamlit replays the elements on later runs (its element replay), about half the cost of drawing
    them anew."""
    _ = tr()
    if view["empty"]:
        st.info(_("workshop.empty"))
        return
    facts(view["facts"])
    programme(view["themes"], view["speakers"])
    st.subheader(_("workshop.context_heading"))
    cards(view["context"], per_row=2)
    st.subheader(_("workshop.takeaways_heading", count=view["takeaway_count"]))
    st.caption(_("workshop.takeaways_caption"))
    cards(view["takeaways"], per_row=3)
    st.subheader(_("workshop.next_steps_heading"))
    cards(view["next_steps"], per_row=2)
    source_line(view["source_ids"])


@st.cache_resource(show_spinner=False, max_entries=8)
def _replayed_sections(data_dir: str, lang: str, pages: str) -> None:
    sections(workshop_view(data_dir, lang))


def main() -> None:
    _ = tr()
    st.title(_("workshop.title"))
    st.markdown(_("workshop.intro"))
    applied_note(current(), APPLIES)
    try:  # the view is built before anything is drawn: a DataError leaves the page empty, and is never cached
        _replayed_sections(str(data_dir_from_env()), _.lang, pages_key())
    except DataError:
        need("workshop", "sources")  # shows the broken file's message
