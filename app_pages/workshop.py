"""Workshop 2025: the March 2025 national workshop, its six takeaways and next steps, linked to the evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components import views
from components.data import need
from components.filters import applied_note, current
from components.frame import source_line
from components.i18n import current_lang, tr
from core.catalogue import data_dir_from_env, split_ids
from core.site import PAGES, PageSpec

APPLIES: tuple[str, ...] = ()
THIS_PAGE = "workshop"
Rows = Sequence[Mapping]  # a section's rows as records (components.views.workshop_sections)


def linked_pages(cell: str) -> list[PageSpec]:
    """The registered pages a row points to (pages not yet in the registry are skipped, never broken)."""
    registry = {spec.url_path: spec for spec in PAGES}
    slugs = [s.strip() for s in str(cell or "").split(";") if s.strip() and s.strip() != THIS_PAGE]
    return [registry[s] for s in dict.fromkeys(slugs) if s in registry]


def evidence_links(cell: str) -> None:
    pages = linked_pages(cell)
    if not pages:
        return
    _ = tr()
    st.caption(_("workshop.evidence_behind"))
    for spec in pages:
        st.page_link(spec.path, label=_(f"site.page.{spec.url_path}"), icon=spec.icon)


def cite(row: Mapping, labels: dict[str, str]) -> str:
    names = "; ".join(labels.get(s, s) for s in split_ids(row["source_id"]))
    return f"“{row['quote']}” — {names}"


def facts(rows: Rows, labels: dict[str, str]) -> None:
    _ = tr()
    st.subheader(_("workshop.facts_heading"))
    left, right = st.columns(2, gap="medium")
    half = (len(rows) + 1) // 2
    for column, part in ((left, rows[:half]), (right, rows[half:])):
        with column:
            for row in part:
                st.markdown(_("workshop.fact_line", title=row["title"], text=row["text"]), help=cite(row, labels))


def programme(themes: Rows, speakers: Rows, labels: dict[str, str]) -> None:
    _ = tr()
    st.subheader(_("workshop.programme_heading"))
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.markdown(f"**{_('workshop.themes_heading')}**")
        for row in themes:
            st.markdown(_("workshop.theme_line", title=row["title"], text=row["text"]), help=cite(row, labels))
    with right, st.container(border=True):
        st.markdown(f"**{_('workshop.speakers_heading')}**")
        for row in speakers:
            st.markdown(_("workshop.speaker_line", title=row["title"], text=row["text"]), help=cite(row, labels))


def cards(rows: Rows, labels: dict[str, str], *, per_row: int, numbered: bool = False) -> None:
    """Bordered cards, one row of `per_row` at a time so the cards of a row line up."""
    records = list(rows)
    for start in range(0, len(records), per_row):
        columns = st.columns(per_row, gap="medium")
        for column, row in zip(columns, records[start:start + per_row], strict=False):
            with column, st.container(border=True, height="stretch"):
                heading = f"{int(row['order'])}. {row['title']}" if numbered else row["title"]
                st.markdown(f"**{heading}**", help=cite(row, labels))
                st.write(row["text"])
                evidence_links(row["related_pages"])


def context(rows: Rows, labels: dict[str, str]) -> None:
    st.subheader(tr()("workshop.context_heading"))
    cards(rows, labels, per_row=2)


def takeaways(rows: Rows, labels: dict[str, str]) -> None:
    _ = tr()
    st.subheader(_("workshop.takeaways_heading", count=len(rows)))
    st.caption(_("workshop.takeaways_caption"))
    cards(rows, labels, per_row=3, numbered=True)


def next_steps(rows: Rows, labels: dict[str, str]) -> None:
    st.subheader(tr()("workshop.next_steps_heading"))
    cards(rows, labels, per_row=2)


def main() -> None:
    _ = tr()
    st.title(_("workshop.title"))
    st.markdown(_("workshop.intro"))
    applied_note(current(), APPLIES)
    loaded = need("workshop", "sources")
    if loaded is None:
        return
    workshop = loaded[0]
    data_dir = str(data_dir_from_env())
    labels = views.source_short_labels(data_dir)
    # each section's rows as records, in order, title and text in the session's language; cached
    parts = views.workshop_sections(data_dir, current_lang())
    empty: Rows = []
    if workshop.empty:
        st.info(_("workshop.empty"))
        return
    facts(parts.get("fact", empty), labels)
    programme(parts.get("day_theme", empty), parts.get("speaker", empty), labels)
    context(parts.get("context", empty), labels)
    takeaways(parts.get("takeaway", empty), labels)
    next_steps(parts.get("next_step", empty), labels)
    source_line(workshop["source_id"])


main()
