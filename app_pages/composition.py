"""Composition: what the waste is made of, by place, waste source and year; plastics; where breakdowns disagree."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, kpi
from core import composition_figures as cfig
from core.catalogue import data_dir_from_env, short_label
from core.sectors import DATA_VALUE, OTHER_MATERIALS, YEAR_MAX, YEAR_MIN, Selection, apply

APPLIES = ("material", "wsource", "geo", "conf", "years")
SET_FILTERS = ("wsource", "geo", "conf", "years")  # the material filter picks segments, not whole breakdowns
SPREAD_KEY = "comp_spread"
SPREAD_DEFAULT = "organic"
SPREAD_MIN_SETS = 3


# ------------------------------------------------------------------ helpers

def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for _, row in sources.iterrows():
        label = short_label(row)
        labels[row["id"]] = "untitled dossier" if label.startswith("Unknown") else label
    return labels


def chosen_materials(selection: Selection) -> set[str]:
    """Material codes of the data that the material filter keeps ('other' covers the minor materials)."""
    picked = set(selection.values.get("material") or ())
    if not picked:
        return set(cfig.MATERIAL_ORDER)
    wanted = {DATA_VALUE.get("material", {}).get(v, v) for v in picked}
    return wanted | (OTHER_MATERIALS if "other" in wanted else set())


def empty_state(what: str, selection: Selection, applies: tuple[str, ...] = APPLIES) -> None:
    st.info(f"No {what} match the filters you chose ({selection.describe(applies)}). Widen them in the sidebar: "
            "clear the material, waste source, geography or confidence filters, or stretch the year range "
            "(breakdowns without a stated year are hidden by any year range).", icon=":material/filter_alt_off:")


def spread_notice(options: list[str]) -> None:
    bad = [shown for _, shown in unrecognised_link_values({SPREAD_KEY: options})]
    if bad:
        st.caption(f"Some values in the link were not recognised and the defaults are used instead: "
                   f"{SPREAD_KEY}={', '.join(bad)}.")


def selection_key(selection: Selection, applies: tuple[str, ...]) -> tuple:
    """The part of a selection these filters read, as a small hashable cache key."""
    values = tuple((k, tuple(selection.values.get(k) or ())) for k in applies if k != "years")
    years = tuple(selection.years) if "years" in applies and "years" in selection.active() else None
    return values, years


def from_key(key: tuple) -> Selection:
    values, years = key
    return Selection(values={k: v for k, v in values if v}, years=years or (YEAR_MIN, YEAR_MAX))


# ------------------------------------------------------------------ cached work (data folder + selection only)
# What the page draws depends only on the data folder and the selection (and the spread chart's material), so
# it is built once per combination and shared read-only (cache_resource): nothing may mutate it. The builders
# load their tables themselves (a DataError is raised, never cached); the cached wrappers stay tiny because
# Streamlit reads a cached function's source on every rerun.

def build_model(data_dir: str, set_key: tuple, shown: tuple[str, ...]) -> dict:
    rows = cfig.tidy(apply(load("composition"), from_key(set_key), SET_FILTERS), source_labels(load("sources")))
    if rows.empty:
        return {"empty": True}
    visible = rows[rows["material"].isin(shown)]
    return {"empty": False,
            "kpis": kpi_specs(visible, cfig.set_summary(rows[rows["set_id"].isin(visible["set_id"])])),
            "comparison": comparison_frame(rows, set(shown)),
            "plastic": plastic_frame(rows, set(shown)),
            "spread": spread_frames(visible, set(shown))}


@st.cache_resource(show_spinner=False, max_entries=64)
def model(data_dir: str, set_key: tuple, shown: tuple[str, ...]) -> dict:
    return build_model(data_dir, set_key, shown)


@st.cache_resource(show_spinner=False, max_entries=64)
def sources_model(data_dir: str, key: tuple) -> dict | None:
    return source_frame(load("estimates"), from_key(key))


# ------------------------------------------------------------------ views

def kpi_specs(rows: pd.DataFrame, summary: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, value, caption) of the three headline numbers."""
    specs: list[tuple[str, str, str]] = []

    def kpi(label: str, value: str, *, caption: str) -> None:
        specs.append((label, value, caption))

    complete = int(summary["complete"].sum())
    kpi("Published breakdowns shown", f"{len(summary)}",
        caption=f"{complete} complete (all materials, adding to 100%), {len(summary) - complete} partial")
    organic = rows[(rows["material"] == "organic")]
    ends = pd.concat([organic["share_pct"], organic["share_low"], organic["share_high"]]).dropna()
    if ends.empty:
        kpi("Organic share", "no figure", caption="No organic share among the breakdowns shown.")
    else:
        kpi("Organic share, all breakdowns shown", f"{ends.min():.3g}–{ends.max():.3g}%",
            caption=f"lowest and highest published values across {organic['set_id'].nunique()} breakdowns")
    plastic = rows[(rows["material"] == "plastic")]
    ends = pd.concat([plastic["share_pct"], plastic["share_low"], plastic["share_high"]]).dropna()
    if ends.empty:
        kpi("Plastic share", "no figure", caption="No plastic share among the breakdowns shown.")
    else:
        kpi("Plastic share, all breakdowns shown", f"{ends.min():.3g}–{ends.max():.3g}%",
            caption=f"lowest and highest published values across {plastic['set_id'].nunique()} breakdowns")
    return specs


def kpi_row(specs: list[tuple[str, str, str]]) -> None:
    for col, (label, value, caption) in zip(st.columns(3), specs, strict=True):
        with col:
            kpi(label, value, caption=caption)


def comparison_frame(rows: pd.DataFrame, shown: set[str]) -> dict | None:
    """The chart_frame arguments of the comparison chart (None when no set reports a chosen material)."""
    segments = cfig.stacked_segments(rows, shown)
    if segments[segments["kind"].isin(["share", "range"])].empty:
        return None
    keep = segments.loc[segments["kind"].isin(["share", "range"]), "set_id"].unique()
    segments = segments[segments["set_id"].isin(keep)]
    summary = cfig.set_summary(rows)
    summary = summary[summary["set_id"].isin(keep)]
    table = rows[rows["set_id"].isin(keep)][
        ["set_id", "set_label", "group", "geography", "waste_source", "period", "material", "material_label",
         "share_pct", "share_low", "share_high", "published", "set_complete", "confidence", "source_id", "quote",
         "note"]]
    complete = int(summary["complete"].sum())
    partial = len(summary) - complete
    years = summary["year"].dropna()
    span = f"{int(years.min())}–{int(years.max())}" if not years.empty else "years not stated"
    return dict(
        key="comp-sets",
        title=(f"Food and other organic waste is the largest part of every breakdown that reports it; only "
               f"{complete} of the "
               f"{len(summary)} published breakdowns cover all materials" if complete < len(summary) else
               "Food and other organic waste is the largest part of every breakdown that reports it"),
        subtitle=(f"Share of municipal waste by weight, %, one bar per published breakdown, Cambodia, {span} "
                  f"(some undated). Complete breakdowns first, then {partial} partial ones grouped by place and "
                  "waste source; hatched: the rest of a published range; dotted: the share the source does not "
                  "report."),
        figure=cfig.composition_bars(segments),
        table=table,
        source_ids=summary["source_id"],
        alt=(f"Horizontal stacked bars of {len(summary)} published waste compositions for Cambodia: "
             f"{complete} complete and {partial} partial, the unreported remainder drawn as a separate "
             "dotted segment."),
        reading=("Whatever the place or year, organic waste is half or more of what is thrown away, so what "
                 "happens to it (composting, separate collection) decides most of what reaches landfills; plastic "
                 "is the second-largest material in most breakdowns. Most breakdowns give two or three "
                 "materials only: the gaps are gaps in the evidence, not in the waste. The 2010 'national' World "
                 "Bank figure comes from Siem Reap municipality."),
        method=("shares are as published. 'Not reported' = 100 − the sum of the published shares (upper ends "
                "of ranges); it is drawn only for breakdowns the data flag as partial. Complete breakdowns may "
                "add up to 99.5–100.5% through rounding. A 'more than' figure is drawn at its lower bound."),
    )


def comparison_view(frame: dict | None, selection: Selection) -> None:
    if frame is None:
        empty_state("breakdowns that report the chosen materials", selection)
        return
    chart_frame(**frame)


def plastic_frame(rows: pd.DataFrame, shown: set[str]) -> dict | str:
    """The chart_frame arguments of the plastic chart, or why it is not drawn ('hidden' or 'empty')."""
    if "plastic" not in shown:
        return "hidden"
    plastic = rows[rows["material"] == "plastic"]
    if plastic.empty:
        return "empty"
    dated = plastic[plastic["year"].notna()]
    undated = plastic[plastic["year"].isna()]
    capital = dated[dated["group"] == "Phnom Penh"].sort_values("year")
    capital = capital[capital["share_pct"].notna()]
    national = dated[dated["group"] == "National"]
    parts = []
    if len(capital) >= 2:
        first, last = capital.iloc[0], capital.iloc[-1]
        parts.append(f"Plastic's share of Phnom Penh's waste went from {first['published']} in "
                     f"{int(first['year'])} to {last['published']} in {int(last['year'])}")
    if not national.empty:
        ends = pd.concat([national["share_pct"], national["share_low"], national["share_high"]]).dropna()
        parts.append(f"national figures since {int(national['year'].min())} say {ends.min():.3g}"
                     + (f"–{ends.max():.3g}%" if ends.max() > ends.min() else "%"))
    title = "; ".join(parts) if parts else "Plastic's share of the waste, in every dated breakdown"
    undated_text = "; ".join(f"{r['published']} ({r['set_label']})" for _, r in undated.iterrows())
    return dict(
        key="comp-plastic",
        title=title,
        subtitle=("Plastic share of the waste by weight, %, by the year each breakdown refers to; ranges drawn as "
                  "bars, ▲ = 'more than'. Street sweepings are a different stream, shown for comparison."
                  + (f" Not plotted because no year is stated: {undated_text}." if undated_text else "")),
        figure=cfig.share_over_time(plastic),
        table=plastic[["set_label", "group", "period", "published", "share_pct", "share_low", "share_high",
                       "material_label", "confidence", "source_id", "quote"]],
        source_ids=plastic["source_id"],
        alt=f"Scatter chart over time of {len(dated)} dated plastic shares in Cambodian waste, coloured by place.",
        reading=("In the capital plastic went from a small part of the waste in 1999 to about a fifth since 2015, "
                 "and several sources name plastic bags. Comparing ways to handle it before deciding is what the "
                 "2025 workshop's life-cycle takeaway (4) is for."),
        method="shares as published, placed at the middle of their period; no line joins figures from different "
               "sources.",
    )


def plastic_view(frame: dict | str, selection: Selection) -> None:
    if frame == "hidden":
        st.info("The plastic chart is hidden because the material filter leaves plastic out; add 'Plastic' to "
                "the material filter to see it.", icon=":material/filter_alt_off:")
        return
    if frame == "empty":
        empty_state("plastic shares", selection)
        return
    chart_frame(**frame)


def spread_frames(rows: pd.DataFrame, shown: set[str]) -> dict[str, dict]:
    """The chart_frame arguments of the spread chart for each material it can show, in the control's order."""
    # Only materials that at least three breakdowns report can disagree in a way worth a chart.
    counts = rows.groupby("material")["set_id"].nunique()
    options = [m for m in cfig.MATERIAL_ORDER if m in shown and counts.get(m, 0) >= SPREAD_MIN_SETS]
    return {material: spread_frame(rows, material) for material in options}


def spread_frame(rows: pd.DataFrame, material: str) -> dict:
    label = cfig.MATERIAL_LABELS.get(material, material)
    chosen = rows[rows["material"] == material]
    widest = None
    for name, group in chosen.groupby("group"):
        ends = pd.concat([group["share_pct"], group["share_low"], group["share_high"]]).dropna()
        if len(group) > 1 and (widest is None or ends.max() - ends.min() > widest[1]):
            widest = (name, ends.max() - ends.min(), ends.min(), ends.max(), len(group))
    title = (f"{widest[0]}: {widest[4]} published {label.lower()} shares span {widest[2]:.3g}–{widest[3]:.3g}%, "
             "the widest disagreement of any place" if widest else f"{label}: published shares by place")
    return dict(
        key="comp-spread",
        title=title,
        subtitle=(f"{label} share of the waste by weight, %, every published breakdown, grouped by place and waste "
                  "source, all years; grey band: from the lowest to the highest published value; colour: "
                  "confidence."),
        figure=cfig.share_spread(chosen, material_label=label),
        table=chosen[["group", "set_label", "period", "published", "share_pct", "share_low", "share_high",
                      "confidence", "source_id", "quote", "note"]],
        source_ids=chosen["source_id"],
        alt=f"Dot chart of published {label.lower()} shares grouped by place, with the spread of each group.",
        reading=("Part of the spread is real (the season, the neighbourhood, whether the sample was taken at the "
                 "household or at the dump) and part is method: many figures are rounded statements rather than "
                 "sampling studies. A measured national waste characterisation would settle it: the 'further "
                 "research' the 2025 workshop listed as its first next step."),
        method="the grey band runs from the lowest to the highest published value in the group (ends of ranges "
               "included); nothing is averaged.",
    )


def spread_view(frames: dict[str, dict]) -> None:
    options = list(frames)
    if not options:
        st.info("No material is reported by three or more of the breakdowns left by the filters, so there is no "
                "disagreement to show; widen the material or geography filters.", icon=":material/filter_alt_off:")
        return
    spread_notice(options)
    default = SPREAD_DEFAULT if SPREAD_DEFAULT in options else options[0]
    material = st.segmented_control("Material to compare across places",
                                    options, default=default, key=SPREAD_KEY, bind="query-params",
                                    required=True) or default
    chart_frame(**frames[material])


def source_frame(estimates: pd.DataFrame, selection: Selection) -> dict | None:
    rows = apply(cfig.source_share_rows(estimates), selection, APPLIES)
    if rows.empty:
        return None
    total = rows["value"].sum()
    place = rows["geography"].iloc[0].split(" (")[0]
    top = rows.iloc[0]
    return dict(
        key="comp-wsource",
        title=(f"Households produce {'nearly ' if top['qualifier'] == 'nearly' else ''}{top['value']:.3g}% of "
               f"{place}'s waste; hotels, restaurants, markets and shops the rest"
               if top["waste_source"] == "households" else f"Where {place}'s waste comes from"),
        subtitle=(f"Share of municipal solid waste by where it is thrown away, %, {place}, year not stated. "
                  f"The published shares add up to {total:.4g}%."),
        figure=cfig.source_share_bars(rows),
        table=rows[["id", "label", "waste_source", "geography", "period", "value", "qualifier", "unit",
                    "confidence", "source_id", "quote", "note"]],
        source_ids=rows["source_id"],
        alt=f"Horizontal bars of {len(rows)} waste sources' shares of {place}'s municipal waste, largest first.",
        reading=("Hotels, guesthouses and restaurants produce about three in every ten tonnes in the capital, by "
                 "this one undated statement: a limited number of businesses, easier to reach with separation or "
                 "collection rules than every household."),
        method=(f"shares as published in one statement; they add up to {total:.4g}%, not 100%, because the "
                "household share is given as 'nearly 60 percent'. Nothing is rescaled." if abs(total - 100) > 0.5
                else "shares as published in one statement."),
    )


def source_view(data_dir: str, selection: Selection) -> None:
    frame = sources_model(data_dir, selection_key(selection, APPLIES))
    if frame is None:
        empty_state("waste-source shares", selection)
        return
    chart_frame(**frame)


def main() -> None:
    st.title("What the waste is made of")
    st.markdown("The share of food, plastic, paper and other materials in Cambodia's municipal waste, in every "
                "published breakdown: national, Phnom Penh, rural towns and commercial waste, by source and year, "
                "and where the breakdowns disagree.")
    selection = current()
    applied_note(selection, APPLIES)
    data_dir = str(data_dir_from_env())
    loaded = need("composition", "sources")
    if loaded is not None:
        built = model(data_dir, selection_key(selection, SET_FILTERS), tuple(sorted(chosen_materials(selection))))
        if built["empty"]:
            empty_state("published breakdowns", selection, SET_FILTERS)
        else:
            kpi_row(built["kpis"])
            comparison_view(built["comparison"], selection)
            st.subheader("Plastics")
            plastic_view(built["plastic"], selection)
            st.subheader("Where the breakdowns disagree")
            spread_view(built["spread"])
    st.subheader("Where the waste comes from")
    if need("estimates") is not None:
        source_view(data_dir, selection)


main()
