"""Workshop 2025: the March 2025 national workshop, its six takeaways and next steps, linked to the evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components import views
from components.data import need
from components.filters import applied_note, current
from components.frame import source_line
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
    st.caption("The evidence behind it:")
    for spec in pages:
        st.page_link(spec.path, label=spec.title, icon=spec.icon)


def cite(row: Mapping, labels: dict[str, str]) -> str:
    names = "; ".join(labels.get(s, s) for s in split_ids(row["source_id"]))
    return f"“{row['quote']}” — {names}"


def facts(rows: Rows, labels: dict[str, str]) -> None:
    st.subheader("What the workshop was")
    left, right = st.columns(2, gap="medium")
    half = (len(rows) + 1) // 2
    for column, part in ((left, rows[:half]), (right, rows[half:])):
        with column:
            for row in part:
                st.markdown(f"**{row['title']}.** {row['text']}", help=cite(row, labels))


def programme(themes: Rows, speakers: Rows, labels: dict[str, str]) -> None:
    st.subheader("The programme")
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.markdown("**Themes of the two days**")
        for row in themes:
            st.markdown(f"- **{row['title']}.** {row['text']}", help=cite(row, labels))
    with right, st.container(border=True):
        st.markdown("**Speakers named by the organisers**")
        for row in speakers:
            st.markdown(f"- **{row['title']}**: {row['text']}", help=cite(row, labels))


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
    st.subheader("The starting point, as the organisers described it")
    cards(rows, labels, per_row=2)


def takeaways(rows: Rows, labels: dict[str, str]) -> None:
    st.subheader(f"The {len(rows)} key takeaways")
    st.caption("In our words; hover the question mark for the organisers' own wording. Each card links to the "
               "pages of this dashboard whose evidence bears on it.")
    cards(rows, labels, per_row=3, numbered=True)


def next_steps(rows: Rows, labels: dict[str, str]) -> None:
    st.subheader("The next steps the workshop agreed")
    cards(rows, labels, per_row=2)


def main() -> None:
    st.title("Workshop 2025")
    st.markdown("The National Technical Workshop on Cambodia's waste recycling sector (Phnom Penh, March 2025): "
                "who met, what they discussed, the six takeaways and the next steps, each linked to the "
                "evidence in this dashboard.")
    applied_note(current(), APPLIES)
    loaded = need("workshop", "sources")
    if loaded is None:
        return
    workshop = loaded[0]
    data_dir = str(data_dir_from_env())
    labels = views.source_short_labels(data_dir)
    parts = views.workshop_sections(data_dir)  # each section's rows as records, in order; cached
    empty: Rows = []
    if workshop.empty:
        st.info("data/workshop.csv has no rows yet, so there is nothing to show here.")
        return
    facts(parts.get("fact", empty), labels)
    programme(parts.get("day_theme", empty), parts.get("speaker", empty), labels)
    context(parts.get("context", empty), labels)
    takeaways(parts.get("takeaway", empty), labels)
    next_steps(parts.get("next_step", empty), labels)
    source_line(workshop["source_id"])


main()
