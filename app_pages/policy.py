"""Policy timeline: Cambodia's waste laws, sub-decrees, strategies, campaigns and projects, 1996 to 2025."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import need
from components.filters import applied_note, current, link_text
from components.frame import chart_frame, downloads, source_line
from core import policy_figures
from core.catalogue import short_label, split_ids
from core.sectors import apply

APPLIES = ("geo", "years")
KIND_KEY = "pol_kind"


def policy_rows(policies: pd.DataFrame) -> pd.DataFrame:
    """Policies tagged so the sector filters can read them: national or Phnom Penh, and the year they date from."""
    return policies.assign(geo_level=policies["geo_code"].map(lambda code: "national" if code == "KH" else "city"),
                           year_start=policies["year"], year_end=policies["year"])


def unrecognised_kinds(options: list[str]) -> list[str]:
    try:
        values = [str(v) for v in st.query_params.get_all(KIND_KEY)]
    except Exception:  # a bound parameter may not be readable here; nothing to report then
        return []
    return [link_text(v) for v in values if v and v not in options]


def kind_picker(policies: pd.DataFrame) -> list[str]:
    present = set(policies["kind"])
    known = [k for k in policy_figures.KIND_LABELS if k in present]
    options = known + sorted(present - set(known))
    bad = unrecognised_kinds(options)
    chosen = st.multiselect("Kinds of instrument shown", options=options, key=KIND_KEY, bind="query-params",
                            placeholder="All kinds",
                            help="Codes as in data/policies.csv: " + "; ".join(
                                f"{k} = {policy_figures.kind_label(k)}" for k in options))
    if bad:
        st.caption(f"Some values in the link were not recognised and the defaults are used instead "
                   f"({KIND_KEY}: {', '.join(bad[:3])}).")
    return chosen


def source_links(policies: pd.DataFrame, sources: pd.DataFrame) -> tuple[list[str], list[str | None]]:
    by_id = sources.set_index("id")
    labels, links = [], []
    for cell in policies["source_id"]:
        ids = [s for s in split_ids(cell) if s in by_id.index]
        labels.append("; ".join(short_label(by_id.loc[s]) for s in ids))
        links.append(next((by_id.loc[s, "url"] for s in ids if by_id.loc[s, "url"]), None))
    return labels, links


def timeline(policies: pd.DataFrame) -> None:
    shown = policy_figures.with_timeline_columns(policies)
    first, last = shown.iloc[0], shown.iloc[-1]
    binding = shown[shown["kind"].isin(["law", "sub_decree"])]
    title = (f"{len(shown)} waste-related laws, rules, plans and campaigns from {int(first['year'])} to "
             f"{int(last['year'])}" + (f"; {len(binding)} of them laws or sub-decrees" if not binding.empty else ""))
    table = shown[["date_shown", "year", "kind", "kind_label", "title", "geography", "status", "source_id"]]
    chart_frame(
        key="policy-timeline", title=title,
        subtitle=f"Each dot is one instrument or event, on the row of its kind; Cambodia and Phnom Penh, "
                 f"{int(first['year'])}–{int(last['year'])}. Hover for the title and date.",
        figure=policy_figures.policy_timeline(policies), table=table, source_ids=shown["source_id"],
        alt=f"Timeline of {len(shown)} Cambodian waste policy items between {int(first['year'])} and "
            f"{int(last['year'])}, one row per kind: " + ", ".join(
                f"{n} {label.lower()}" for label, n in shown["kind_label"].value_counts().items()) + ".",
        reading="Rules came first (the 1996 environment law, then sub-decrees on solid waste in 1999, urban waste "
                "in 2015 and plastic bags in 2017); since 2019 most new items are strategies, plans and campaigns, "
                "while no rule yet makes producers responsible for their packaging. The workshop's takeaways ask "
                "for policies that bring informal workers into the system and for social protection for them.",
        method=policy_figures.PLACEMENT_RULE[0].upper() + policy_figures.PLACEMENT_RULE[1:],
    )


def item_table(policies: pd.DataFrame, sources: pd.DataFrame) -> None:
    st.subheader("Every item, with a link to its source")
    shown = policy_figures.with_timeline_columns(policies)
    labels, links = source_links(shown, sources)
    table = pd.DataFrame({
        "date": shown["date_shown"], "kind": shown["kind_label"], "title": shown["title"], "link": links,
        "source": labels, "what_it_does": shown["description"], "applies_to": shown["geography"],
        "status": shown["status"].str.replace("_", " "), "confidence": shown["confidence"], "note": shown["note"],
    })
    st.dataframe(table, hide_index=True, key="policy-table", height=35 * (len(table) + 1) + 3, column_config={
        "kind": st.column_config.TextColumn("Kind"),
        "source": st.column_config.TextColumn("Source"),
        "applies_to": st.column_config.TextColumn("Applies to"),
        "status": st.column_config.TextColumn("Status"),
        "confidence": st.column_config.TextColumn("Confidence"),
        "date": st.column_config.TextColumn("Date", help="As published; 'not stated' when only a year is known."),
        "title": st.column_config.TextColumn("Title", width="large"),
        "what_it_does": st.column_config.TextColumn("What it does", width="large"),
        "link": st.column_config.LinkColumn("Link", display_text="Open source"),
        "note": st.column_config.TextColumn("Note", width="medium"),
    })
    source_line(shown["source_id"])
    downloads(table, name="policy-timeline", key="policy-table")


def main() -> None:
    st.title("Policy timeline")
    st.markdown("Three decades of Cambodian laws, sub-decrees, strategies, campaigns and projects on waste, "
                "each linked to the source it comes from.")
    selection = current()
    applied_note(selection, APPLIES)
    loaded = need("policies", "sources")
    if loaded is None:
        return
    policies, sources = loaded
    kinds = kind_picker(policies)
    shown = apply(policy_rows(policies), selection, APPLIES)
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if shown.empty:
        reasons = [selection.describe(APPLIES)] if selection.describe(APPLIES) else []
        if kinds:
            reasons.append("kinds: " + ", ".join(policy_figures.kind_label(k) for k in kinds))
        st.info(f"No policy item matches {'; '.join(reasons) or 'the current choice'}. Add kinds above, or widen "
                "the geography or year range in the sidebar.", icon=":material/filter_alt_off:")
        return
    timeline(shown)
    item_table(shown, sources)


main()
