"""Policy timeline: Cambodia's waste laws, sub-decrees, strategies, campaigns and projects, 1996 to 2025."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, downloads, source_line
from core import policy_figures
from core.catalogue import data_dir_from_env, short_label, split_ids
from core.sectors import Selection, apply

APPLIES = ("geo", "years")
KIND_KEY = "pol_kind"


def policy_rows(policies: pd.DataFrame) -> pd.DataFrame:
    """Policies tagged so the sector filters can read them: national or Phnom Penh, and the year they date from."""
    return policies.assign(geo_level=policies["geo_code"].map(lambda code: "national" if code == "KH" else "city"),
                           year_start=policies["year"], year_end=policies["year"])


def kind_picker(policies: pd.DataFrame) -> list[str]:
    present = set(policies["kind"])
    known = [k for k in policy_figures.KIND_LABELS if k in present]
    options = known + sorted(present - set(known))
    bad = [shown for _, shown in unrecognised_link_values({KIND_KEY: options})]
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


# ------------------------------------------------------------------ cached work

# The shown items, their table and the timeline depend only on the data folder, the filters and the kinds
# picked: built once per such key, from small hashable arguments (the functions read the tables themselves).

def view_key(selection: Selection, kinds: list[str]) -> tuple:
    values = tuple(sorted((k, tuple(v)) for k, v in selection.values.items()))
    return str(data_dir_from_env()), values, tuple(selection.years), tuple(kinds)


@st.cache_resource(show_spinner=False, max_entries=64)
def policy_view(data_dir: str, values: tuple, years: tuple, kinds: tuple) -> dict:
    """Everything the timeline and the list draw for one (folder, filters, kinds); only ever read."""
    shown = apply(policy_rows(load("policies")), Selection(values=dict(values), years=years), APPLIES)
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if shown.empty:
        return {"empty": True}
    rows = policy_figures.with_timeline_columns(shown)
    first, last = rows.iloc[0], rows.iloc[-1]
    binding = rows[rows["kind"].isin(["law", "sub_decree"])]
    labels, links = source_links(rows, load("sources"))
    return {
        "empty": False,
        "rows": rows,
        "title": (f"{len(rows)} waste-related laws, rules, plans and campaigns from {int(first['year'])} to "
                  f"{int(last['year'])}"
                  + (f"; {len(binding)} of them laws or sub-decrees" if not binding.empty else "")),
        "subtitle": f"Each dot is one instrument or event, on the row of its kind; Cambodia and Phnom Penh, "
                    f"{int(first['year'])}–{int(last['year'])}. Hover for the title and date.",
        "alt": f"Timeline of {len(rows)} Cambodian waste policy items between {int(first['year'])} and "
               f"{int(last['year'])}, one row per kind: " + ", ".join(
                   f"{n} {label.lower()}" for label, n in rows["kind_label"].value_counts().items()) + ".",
        "table": rows[["date_shown", "year", "kind", "kind_label", "title", "geography", "status", "source_id"]],
        "figure": policy_figures.policy_timeline(shown),
        "items": pd.DataFrame({
            "date": rows["date_shown"], "kind": rows["kind_label"], "title": rows["title"], "link": links,
            "source": labels, "what_it_does": rows["description"], "applies_to": rows["geography"],
            "status": rows["status"].str.replace("_", " "), "confidence": rows["confidence"], "note": rows["note"],
        }),
    }


def timeline(view: dict) -> None:
    chart_frame(
        key="policy-timeline", title=view["title"], subtitle=view["subtitle"], figure=view["figure"],
        table=view["table"], source_ids=view["rows"]["source_id"], alt=view["alt"],
        reading="Rules came first (the 1996 environment law, then sub-decrees on solid waste in 1999, urban waste "
                "in 2015 and plastic bags in 2017); since 2019 most new items are strategies, plans and campaigns, "
                "while no rule yet makes producers responsible for their packaging. The workshop's takeaways ask "
                "for policies that bring informal workers into the system and for social protection for them.",
        method=policy_figures.PLACEMENT_RULE[0].upper() + policy_figures.PLACEMENT_RULE[1:],
    )


def item_table(view: dict) -> None:
    st.subheader("Every item, with a link to its source")
    shown, table = view["rows"], view["items"]
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
    policies = loaded[0]
    kinds = kind_picker(policies)
    view = policy_view(*view_key(selection, kinds))
    if view["empty"]:
        reasons = [selection.describe(APPLIES)] if selection.describe(APPLIES) else []
        if kinds:
            reasons.append("kinds: " + ", ".join(policy_figures.kind_label(k) for k in kinds))
        st.info(f"No policy item matches {'; '.join(reasons) or 'the current choice'}. Add kinds above, or widen "
                "the geography or year range in the sidebar.", icon=":material/filter_alt_off:")
        return
    timeline(view)
    item_table(view)


main()
