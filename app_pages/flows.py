"""Flows: where the waste goes, per published breakdown, with what is measured and what is assumed marked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, kpi
from core import evidence
from core import flow_figures as ff
from core.catalogue import data_dir_from_env, short_label, split_ids
from core.sectors import Selection, apply

APPLIES = ("geo", "conf", "years")
DEFAULT_SET = "pheakdey-2022-national"
TOTAL_FROM_SOURCE = "source"
TOTAL_NONE = "none"
TRUCK_NOTE = ("Trucks per day are not shown: no source in the data package states the load of a Cambodian "
              "collection truck, and we do not assume one.")


# ------------------------------------------------------------------ helpers

def source_names(cell: str, by_id: pd.DataFrame) -> str:
    return "; ".join(short_label(by_id.loc[s]) if s in by_id.index else s for s in split_ids(cell))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def set_labels(summary: pd.DataFrame, by_id: pd.DataFrame) -> dict[str, str]:
    """'Cambodia, 2020-21 · Pheakdey et al. 2022' for chart rows."""
    labels = {}
    for _, row in summary.iterrows():
        first = split_ids(row["source_id"])[0]
        name = short_label(by_id.loc[first]) if first in by_id.index else first
        labels[row["set_id"]] = f"{_short(row['geography'], 24)}, {_short(row['period'], 14)} · {name}"
    return labels


def link_notice(key: str, allowed: list[str]) -> str | None:
    """A value in the link that the widget will not accept (Streamlit then uses the default)."""
    bad = unrecognised_link_values({key: allowed})
    return f"{key}={bad[0][1]}" if bad else None


def national_choices(estimates: pd.DataFrame) -> pd.DataFrame:
    totals = evidence.national_totals(estimates)
    return totals[(totals["scope"] == "generated") & totals["value_t"].notna()].reset_index(drop=True)


def describe_total(row: pd.Series, by_id: pd.DataFrame) -> str:
    year = "no year stated" if pd.isna(row.get("year")) else f"{row['period']}"
    how = "published per day, x365" if row["unit"] == "t/day" else "as published"
    wording = "" if row["qualifier"] in ("exact", "") else f", the source says '{row['qualifier'].replace('_', ' ')}'"
    return (f"{evidence.format_tonnes(row['value_t'])} a year generated ({year}; {how}{wording}) — "
            f"{source_names(row['source_id'], by_id)}, ledger row {row['id']}, {row['confidence']} confidence")


def choose_total(choice: str, rows: pd.DataFrame, estimates: pd.DataFrame, choices: pd.DataFrame,
                 by_id: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """The total the tonnages use, and a sentence saying what it is (or why there is none)."""
    first = rows.iloc[0]
    if choice == TOTAL_NONE:
        return None, "No total chosen: the flows are shown as shares of waste generated only."
    if choice == TOTAL_FROM_SOURCE:
        own = ff.same_source_total(rows, estimates)
        if own is None:
            return None, ("The source of this breakdown states no total for the same place and year, so the "
                          "flows are shown as shares only. For a national breakdown you can choose a national "
                          "total below.")
        return own, f"Total from the breakdown's own source: {describe_total(own, by_id)}."
    picked = choices[choices["id"] == choice]
    if picked.empty:
        return None, "That total is not in the ledger; the flows are shown as shares only."
    if first["geo_level"] != "national":
        return None, (f"A national total cannot be applied to a breakdown for {first['geography']}; the flows "
                      "are shown as shares only.")
    row = picked.iloc[0]
    return row, f"Chosen national total: {describe_total(row, by_id)}."


def flow_table(links: pd.DataFrame) -> pd.DataFrame:
    table = links.rename(columns={"from": "from_node", "to": "to_node"}).copy()
    table["measured_or_assumed"] = table["status"].map(ff.STATUS_LABELS)
    table["path"] = table["path_assumed"].map({True: "via the collection stage (assumed)", False: "direct"})
    columns = ["from_node", "to_node", "share_pct", "measured_or_assumed", "path", "tonnes_per_year",
               "tonnes_per_day", "kg_per_person_day", "tonnes_stated", "route_label", "confidence", "source_id",
               "row_id", "quote", "note"]
    return table[columns]


# ------------------------------------------------------------------ views

def controls(options: list[str], choices: pd.DataFrame) -> tuple[str, str]:
    total_options = [TOTAL_FROM_SOURCE, TOTAL_NONE] + list(choices["id"])
    notices = [n for n in (link_notice("flow_set", options), link_notice("flow_total", total_options),
                           link_notice("flow_stage", ["true", "false"])) if n]
    if notices:
        st.caption(f"Some values in the link were not recognised and the defaults are used instead "
                   f"({'; '.join(notices)}).")
    left, right = st.columns([1, 1])
    with left:
        set_id = st.selectbox(
            "Published breakdown (set id)", options, index=options.index(DEFAULT_SET) if DEFAULT_SET in options
            else 0, key="flow_set", bind="query-params",
            help="Each breakdown is one source's route shares for one place and year; the table at the foot of "
                 "the page lists them all.")
    with right:
        total_choice = st.selectbox(
            "Total for tonnages (ledger id)", total_options, index=0, key="flow_total", bind="query-params",
            help="'source': the total the breakdown's own source gives for the same place and year, if any. "
                 "'none': shares only. Or a ledger id (E…) of a published national total of waste generated; "
                 "the list is under 'Totals you can choose'.")
    return set_id, total_choice


def kpi_row(links: pd.DataFrame, summary_row: pd.Series, total: pd.Series | None, people: pd.Series | None) -> None:
    measured = summary_row["stated_pct"]
    assumed = links.loc[links["status"] == "assumed", "share_pct"].sum()
    cols = st.columns(4)
    with cols[0]:
        kpi("Route stated by the source", f"{measured:.4g}%",
            caption="Share of the waste whose route the source states outright (blue links)")
    with cols[1]:
        kpi("Remainder or not described",
            f"{summary_row['remainder_pct'] + summary_row['not_described_pct']:.4g}%",
            caption="100 minus the stated shares (orange) or left unexplained (grey)"
                    + (f"; {assumed:.4g}% of the flows pass through an assumed split (pink)" if assumed else ""))
    with cols[2]:
        if total is None:
            kpi("Tonnes", "shares only", caption="Choose a total above to see tonnes")
        else:
            kpi(f"Generated, {total['period'] if not pd.isna(total['year']) else 'no year stated'}",
                evidence.format_tonnes(total["value_t"]),
                caption=f"A year; {total['value_t'] / evidence.DAYS_PER_YEAR:,.0f} tonnes a day (÷365) · ledger "
                        f"{total['id']}")
    with cols[3]:
        if total is None or people is None:
            why = ("Shown for national totals with a stated year" if total is not None else
                   "Needs a chosen total")
            kpi("Per person per day", "not shown", caption=why)
        else:
            per_person = total["value_t"] * 1000 / people["population"] / evidence.DAYS_PER_YEAR
            kpi("Per person per day", f"{per_person:.2f} kg",
                caption=f"Derived: total ÷ {people['population']:,} people ({int(people['year'])}, "
                        f"{people['kind'].replace('_', ' ')}) ÷ 365")


def sankey_reading(rows: pd.DataFrame, summary_row: pd.Series) -> str:
    text = ("Like a Waste Flow Diagram, this separates what a source measured from what is inferred. "
            f"Here {summary_row['stated_pct']:.4g}% of the waste has a route stated by the source; the rest is a "
            "remainder or unexplained.")
    recovered = rows[rows["route"].isin(["recycling", "composting"])]
    if not recovered.empty and recovered["share_pct"].sum() < 25:
        text += (f" Recycling and composting together take {recovered['share_pct'].sum():.4g}%: the workshop put "
                 "low recycling down to little sorting at source and a lack of facilities.")
    return text


def sankey_view(rows: pd.DataFrame, links: pd.DataFrame, summary_row: pd.Series, total: pd.Series | None,
                people: pd.Series | None, total_text: str, stage_drawn: bool, by_id: pd.DataFrame,
                drawn: tuple | None = None) -> None:
    total_t = None if total is None else float(total["value_t"])
    if drawn is None:
        table = flow_table(ff.with_tonnages(links, total_t,
                                            None if people is None else float(people["population"])))
        figure = ff.flow_sankey(links, total_t=total_t)
    else:
        figure, table = drawn
    first = rows.iloc[0]
    biggest = rows.sort_values("share_pct", ascending=False).iloc[0]
    biggest_name = ff.route_name(biggest["route"], biggest["route_label"]).lower()
    remainder = " (a remainder)" if biggest["status"] == "remainder" else ""
    title = (f"{first['geography']}, {first['period']}: the largest flow is {biggest_name}, "
             f"{biggest['share_pct']:.4g}% of waste generated{remainder}")
    source_ids = list(rows["source_id"])
    people_text = ("" if people is None else f" Per-person figures use {people['population']:,} people "
                   f"({int(people['year'])}, {people['kind'].replace('_', ' ')}, {people['source_id']}).")
    method = (
        "shares are as published (share of waste generated). A remainder is 100 minus the stated shares: the "
        "table's note says whether the source itself states it or we did the subtraction. Where a source "
        "accounts for less than 100%, the rest is drawn as 'Not described by the source' (grey), never filled. "
        + ("The collection stage combines this breakdown with the collection rate the same study publishes; "
           "landfill, dumpsites, incineration, composting and recycling are assumed to be fed by collected waste, "
           "the other routes by uncollected waste first and then by the collected waste left over: links whose "
           "size comes from that split are 'assumed' (pink). Recycling is the least certain of these, since "
           "informal pickers and buyers take much of it before collection. " if stage_drawn else "")
        + "Tonnes = share × chosen total (derived), per day = ÷365, per person per day = ÷ population ÷ 365."
        + people_text + " " + TRUCK_NOTE
    )
    if stage_drawn:
        companion = ff.COLLECTION_COMPANIONS[first["set_id"]]
        source_ids += [s for s in links["source_id"] if s]
        st.caption(f"Collection stage from the set '{companion}' (same study); switch it off to see the "
                   "published shares alone.")
    chart_frame(
        key="flow-sankey",
        title=title,
        subtitle=(f"Share of municipal waste generated (%), {first['geography']}, {first['period']}"
                  + ("; tonnes per year from the chosen total" if total_t else "")
                  + ". Link colour: blue stated by the source, orange remainder, pink assumed split, grey not "
                    "described. " + total_text),
        figure=figure,
        table=table,
        source_ids=source_ids + ([total["source_id"]] if total is not None else [])
        + ([people["source_id"]] if people is not None else []),
        alt=(f"Sankey diagram of waste flows for {first['geography']}, {first['period']}: "
             + "; ".join(f"{a} to {b} {s:.4g}% ({st_})" for a, b, s, st_ in
                         zip(links["from"], links["to"], links["share_pct"], links["status"], strict=True)) + "."),
        reading=sankey_reading(rows, summary_row),
        method=method,
    )


def comparison_reading(treatment: pd.DataFrame) -> str:
    """The spread of the national breakdowns shown, in words (computed, so it follows the filters)."""
    national = treatment[treatment["geo_level"] == "national"]
    parts = []
    for routes, name in ((("landfill", "open_dump"), "landfill or dumpsite"), (("recycling",), "recycling")):
        values = national.loc[national["route"].isin(routes), "share_pct"]
        if len(values) > 1 and values.min() != values.max():
            parts.append(f"{name} shares run from {values.min():.4g}% to {values.max():.4g}%")
    spread = f"Across the national breakdowns shown, {' and '.join(parts)}. " if parts else ""
    return (spread + "Each source measured a different part of the system in a different year, so read each bar "
            "with its source; none is an official series. Choose one breakdown above to draw it as a flow.")


def comparison_view(treatment: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str],
                    figure=None, reading: str | None = None) -> None:
    figure = ff.breakdown_bars(treatment, labels) if figure is None else figure
    national = summary[summary["geo_level"] == "national"]
    table = summary.rename(columns={"stated_pct": "stated_share_pct", "remainder_pct": "remainder_share_pct",
                                    "not_described_pct": "not_described_share_pct"})
    chart_frame(
        key="flow-compare",
        title=f"{len(summary)} published breakdowns, {len(national)} of them national, tell different stories "
              "about where the waste goes",
        subtitle="Share of municipal waste generated by route (%), each bar one source, place and period as "
                 "published; hatched segments are remainders, an empty end is a share the source does not "
                 "describe.",
        figure=figure,
        table=table,
        source_ids=summary["source_id"],
        alt=(f"Stacked bar chart of {len(summary)} published route breakdowns: "
             + "; ".join(f"{labels[s]}: {p:.4g}% stated, {r:.4g}% remainder" for s, p, r in
                         zip(summary["set_id"], summary["stated_pct"], summary["remainder_pct"], strict=True))
             + "."),
        reading=comparison_reading(treatment) if reading is None else reading,
        method="bars are the rows of data/treatment.csv, unchanged; remainders as the table notes say.",
    )


def totals_list(shown: pd.DataFrame) -> None:
    with st.expander("Totals you can choose (national, waste generated)"):
        st.dataframe(shown, hide_index=True, key="flow-totals")
        st.caption("'source' uses the total the breakdown's own source states for the same place and year. "
                   "Totals published per day are multiplied by 365 (derived).")


# ------------------------------------------------------------------ page

# ------------------------------------------------------------------ cached work

# Everything drawn depends only on the data folder, the filters and the three controls, so it is computed
# once per such key. Cached functions take those small keys (not DataFrames) and read the tables themselves;
# the page has loaded them without error first.
# st.cache_resource throughout: the page only reads these frames, so a rerun need not unpickle copies.

def selection_key(selection: Selection) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in selection.values.items())), tuple(selection.years)


def _by_id() -> pd.DataFrame:
    return load("sources").set_index("id")


@st.cache_resource(show_spinner=False, max_entries=64)
def breakdowns(data_dir: str, sel_key: tuple) -> tuple[list[str], pd.DataFrame, pd.DataFrame | None,
                                                       dict[str, str], frozenset[str]]:
    """Sets kept by the filters, their rows, their summary and chart labels, and every set id in the table."""
    treatment = load("treatment")
    selection = Selection(values=dict(sel_key[0]), years=sel_key[1])
    # A breakdown is listed when any of its rows matches the filters, and then drawn whole.
    kept = list(dict.fromkeys(apply(treatment, selection, APPLIES)["set_id"]))
    all_sets = frozenset(treatment["set_id"])
    if not kept:
        return kept, treatment.iloc[:0], None, {}, all_sets
    shown = treatment[treatment["set_id"].isin(kept)]
    summary = ff.set_summary(shown)
    return kept, shown, summary, set_labels(summary, _by_id()), all_sets


@st.cache_resource(show_spinner=False, max_entries=16)
def total_choices(data_dir: str) -> pd.DataFrame:
    return national_choices(load("estimates"))


@st.cache_resource(show_spinner=False, max_entries=128)
def flow(data_dir: str, sel_key: tuple, set_id: str, total_choice: str, stage_drawn: bool):
    """The chosen breakdown's rows, its total (and sentence), population and links."""
    _, shown, summary, _, _ = breakdowns(data_dir, sel_key)
    treatment, estimates = load("treatment"), load("estimates")
    rows = shown[shown["set_id"] == set_id]
    summary_row = summary.set_index("set_id").loc[set_id]
    companion = ff.COLLECTION_COMPANIONS.get(set_id)
    total, total_text = choose_total(total_choice, rows, estimates, total_choices(data_dir), _by_id())
    people = None
    if total is not None and summary_row["geo_level"] == "national":
        people = ff.population_for(load("population"), total["year"])
    links = ff.flow_links(rows, treatment[treatment["set_id"] == companion] if stage_drawn else None)
    return rows, total, total_text, people, links


@st.cache_resource(show_spinner=False, max_entries=128)
def sankey(data_dir: str, sel_key: tuple, set_id: str, total_choice: str, stage_drawn: bool):
    """The Sankey figure and its table (both only read by the page and st.plotly_chart / st.dataframe)."""
    _, total, _, people, links = flow(data_dir, sel_key, set_id, total_choice, stage_drawn)
    total_t = None if total is None else float(total["value_t"])
    table = flow_table(ff.with_tonnages(links, total_t, None if people is None else float(people["population"])))
    return ff.flow_sankey(links, total_t=total_t), table


@st.cache_resource(show_spinner=False, max_entries=64)
def comparison_figure(data_dir: str, sel_key: tuple):
    """The comparison chart and its reading (the chart only read by st.plotly_chart, never changed)."""
    _, shown, _, labels, _ = breakdowns(data_dir, sel_key)
    return ff.breakdown_bars(shown, labels), comparison_reading(shown)


@st.cache_resource(show_spinner=False, max_entries=16)
def totals_table(data_dir: str) -> pd.DataFrame:
    choices = total_choices(data_dir)
    shown = choices[["id", "period", "value", "unit", "value_t", "qualifier", "derived", "confidence",
                     "source_id"]].rename(columns={"value_t": "tonnes_per_year", "id": "ledger_id"})
    by_id = _by_id()
    shown["source"] = [source_names(c, by_id) for c in shown["source_id"]]
    return shown


def main() -> None:
    st.title("Where the waste goes")
    st.markdown("From the bin to the landfill, the recycler, the fire or the river: each published breakdown "
                "drawn as a flow, with what its source measured told apart from what is a remainder or an "
                "assumption.")
    selection = current()
    applied_note(selection, APPLIES)
    loaded = need("treatment", "estimates", "population", "sources")
    if loaded is None:
        return
    sources = loaded[3]
    by_id = sources.set_index("id")
    data_dir, sel_key = str(data_dir_from_env()), selection_key(selection)
    kept, shown, summary, labels, all_sets = breakdowns(data_dir, sel_key)
    if not kept:
        st.info(f"No published breakdown matches the filters ({selection.describe(APPLIES)}). Widen the "
                "geography, confidence or year range in the sidebar: the breakdowns cover Cambodia, Phnom Penh, "
                "Battambang and one rural community, 2014 to 2024, and several state no year at all (a year "
                "filter hides those).", icon=":material/filter_alt_off:")
        return
    choices = total_choices(data_dir)

    set_id, total_choice = controls(kept, choices)
    summary_row = summary.set_index("set_id").loc[set_id]
    companion = ff.COLLECTION_COMPANIONS.get(set_id)
    has_companion = companion is not None and companion in all_sets
    stage_drawn = False
    if has_companion:
        stage_drawn = st.toggle("Show the collection stage", value=True, key="flow_stage", bind="query-params",
                                help="Combines the breakdown with the collection rate the same study publishes; "
                                     "the split between collected and uncollected waste is then an assumption "
                                     "(pink).")
    else:
        st.caption("No collection stage is drawn: the source of this breakdown publishes no collection rate "
                   "for the same place and year.")
    st.caption(f"Showing **{summary_row['geography']}, {summary_row['period']}** — "
               f"{source_names(summary_row['source_id'], by_id)}; {summary_row['routes']} published shares, "
               f"{summary_row['confidence']} confidence at the lowest.")

    stage_drawn = bool(stage_drawn)
    rows, total, total_text, people, links = flow(data_dir, sel_key, set_id, total_choice, stage_drawn)

    kpi_row(links, summary_row, total, people)
    sankey_view(rows, links, summary_row, total, people, total_text, stage_drawn, by_id,
                drawn=sankey(data_dir, sel_key, set_id, total_choice, stage_drawn))
    totals_list(totals_table(data_dir))
    figure, reading = comparison_figure(data_dir, sel_key)
    comparison_view(shown, summary, labels, figure=figure, reading=reading)


main()
