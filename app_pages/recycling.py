"""Recycling and the informal sector: rates, depots, revenue, exports, prices, waste pickers, and the gaps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current
from components.frame import chart_frame, kpi, source_line
from core import evidence
from core import recycling_figures as rf
from core.catalogue import data_dir_from_env, short_label, split_ids
from core.sectors import YEAR_MAX, YEAR_MIN, Selection, apply

APPLIES = ("stage", "actor", "material", "geo", "conf", "years")
TOPICS = ("recycling", "informal", "plastic")
GEO_GROUPS = {"national": "Cambodia (national)", "city": "Phnom Penh and other cities", "site": "Single sites",
              "region": "Region"}
# Figures the workshop and the research dossier looked for and did not find ("Gaps" of data_national.md).
# They are shown as gaps, never as zero; each says what is published instead.
GAPS = (
    ("Share of women among waste pickers, Cambodia-wide",
     "No source gives it. The workshop asked for gender inclusion for informal workers.",
     "No Cambodia-wide or city figure."),
    ("A national count (census) of waste pickers",
     "Only about 3,000 (c. 2021), marked '(?)' by its own source, and Phnom Penh counts from 500 to 4,000.",
     "Doubtful national figure only."),
    ("National counts of itinerant buyers and junk shops",
     "Only 462 recycling depots nationally (2018) and up to 400 scrap dealers in Phnom Penh (undated).",
     "No national count."),
    ("National plastic recycling capacity",
     "Only one recycler's reported 100 tonnes a day (c. 2023, low confidence, from an article title).",
     "No national figure."),
    ("Exports of recyclables after 2017",
     "The last published figures are 17,000 t of copper and 10,000 t of plastic in 2017.",
     "No statistics after 2017."),
    ("Current prices of recyclables",
     "The most recent price in the ledger is for compost (2020); plastic and metal prices date from 2005-2017.",
     "No recent price series."),
)
WORKSHOP_ROWS = ("W12", "W24", "W28", "W33")


# ------------------------------------------------------------------ helpers

def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def labels_for(rows: pd.DataFrame, by_id: pd.DataFrame) -> pd.Series:
    """'Phnom Penh, 2024 · CamboJA News n.d.': one row label per figure (place, period, first source)."""
    def one(row: pd.Series) -> str:
        first = split_ids(row["source_id"])[0]
        name = short_label(by_id.loc[first]) if first in by_id.index else first
        return f"{_short(row['geography'], 28)}, {_short(row['period'], 16)} · {name} ({row['id']})"
    return rows.apply(one, axis=1) if not rows.empty else pd.Series(dtype=str)


def cite(row: pd.Series, by_id: pd.DataFrame) -> str:
    first = split_ids(row["source_id"])[0]
    return short_label(by_id.loc[first]) if first in by_id.index else first


def empty_note(what: str, selection) -> None:
    st.info(f"No {what} matches the filters ({selection.describe(APPLIES) or 'none set'}). Widen the stage, "
            "actor, material, geography, confidence or year filters in the sidebar; undated figures are hidden "
            "by any year filter.", icon=":material/filter_alt_off:")


def table_of(rows: pd.DataFrame, extra: list[str] | None = None) -> pd.DataFrame:
    columns = ["id", "indicator", "geography", "period", "value", "value_low", "value_high", "qualifier", "unit"]
    columns += (extra or []) + ["confidence", "source_id", "quote", "note"]
    return rows[columns]


def selection_key(selection: Selection) -> tuple:
    """The part of the selection this page reads, as a small hashable cache key."""
    values = tuple((k, tuple(selection.values.get(k) or ())) for k in APPLIES if k != "years")
    return values, (tuple(selection.years) if "years" in selection.active() else None)


def from_key(key: tuple) -> Selection:
    values, years = key
    return Selection(values={k: v for k, v in values if v}, years=years or (YEAR_MIN, YEAR_MAX))


# ------------------------------------------------------------------ cached work (data folder + selection only)
# Everything the page draws from the estimates depends only on the data folder and the selection, so it is
# built once per (folder, selection) by build_model and shared read-only (cache_resource): nothing may mutate
# it. The cached wrappers stay tiny because Streamlit reads a cached function's source on every rerun.

def build_model(data_dir: str, key: tuple, filtered: str) -> dict:
    """Loads its tables itself: a DataError is raised, never cached."""
    estimates = load("estimates")
    rows = apply(estimates[estimates["topic"].isin(TOPICS)], from_key(key), APPLIES)
    by_id = load("sources").set_index("id")
    if rows.empty:
        return {"empty": True}
    return {"empty": False, "kpis": kpi_specs(rows, by_id, filtered), "rates": rates_frame(rows, by_id),
            "industry": industry_specs(rows, by_id), "exports": exports_frame(rows), "prices": prices_frame(rows),
            "pickers": pickers_frames(rows, by_id)}


@st.cache_resource(show_spinner=False, max_entries=64)
def model(data_dir: str, key: tuple, filtered: str) -> dict:
    return build_model(data_dir, key, filtered)


# ------------------------------------------------------------------ views

def kpi_specs(rows: pd.DataFrame, by_id: pd.DataFrame, filtered: str) -> list[tuple[str, str, str]]:
    """(label, value, caption) of the four headline numbers."""
    specs: list[tuple[str, str, str]] = []

    def kpi(label: str, value: str, *, caption: str) -> None:
        specs.append((label, value, caption))

    rates = rf.rate_rows(rows)
    national = rates[rates["geo_level"] == "national"]
    latest = evidence.national_recycling_rate(rows)
    revenue = rows[rows["indicator"] == "revenue"]
    depots = rows[rows["indicator"] == "recycling_depots"]
    change = rows[rows["indicator"] == "recycling_depots_change"]
    pickers = rows[(rows["indicator"] == "waste_pickers") & (rows["geo_level"] == "national")]
    if latest is None:
        kpi("Recycled (national)", "no figure", caption=f"No national rate{filtered}.")
    else:
        spread = (f"; published national figures: {national['value'].min():g}% to {national['value'].max():g}%"
                  if len(national) > 1 else "")
        kpi("Recycled (national)", f"{latest['value']:g}%",
            caption=f"Share of waste, {latest['period']} · {cite(latest, by_id)} · {latest['confidence']} "
                    f"confidence{spread}")
    if revenue.empty:
        kpi("Revenue from recyclables", "no figure", caption=f"No revenue figure{filtered}.")
    else:
        row = revenue.iloc[0]
        kpi(f"Revenue, {row['period']}", f"US${row['value'] / 1e6:g}M",
            caption=f"Recovered from recyclables, national · {cite(row, by_id)} · {row['confidence']} "
                    "confidence")
    if depots.empty:
        kpi("Recycling depots", "no figure", caption=f"No depot count{filtered}.")
    else:
        row = depots.iloc[0]
        delta = f" ({change.iloc[0]['value']:+g} on the year before)" if not change.empty else ""
        kpi(f"Depots, {row['period']}", f"{row['value']:,.0f}",
            caption=f"Recycling depots, national · {cite(row, by_id)} · {row['confidence']} "
                    f"confidence{delta}")
    if pickers.empty:
        kpi("Waste pickers, Cambodia", "not published", caption=f"No national count{filtered}.")
    else:
        row = pickers.iloc[0]
        kpi(f"Waste pickers, {row['period']}", rf.value_text(row),
            caption=f"Cambodia · {cite(row, by_id)} · {row['confidence']} confidence"
                + ("; the source itself marks it '(?)'" if "(?)" in row["quote"] else "") + "; no census exists")
    return specs


def kpi_row(specs: list[tuple[str, str, str]]) -> None:
    for col, (label, value, caption) in zip(st.columns(4), specs, strict=True):
        with col:
            kpi(label, value, caption=caption)


def rates_reading(rates: pd.DataFrame) -> str:
    """National against Phnom Penh, computed from the figures shown."""
    national = rates[rates["geo_level"] == "national"]
    city = rates[rates["geo_code"] == "KH-12"]
    parts = []
    if not national.empty:
        parts.append(f"National figures put recycling at {national['value'].min():g}% to "
                     f"{national['value'].max():g}% of waste")
    if not city.empty:
        parts.append(f"Phnom Penh figures at {city['value'].min():g}% to {city['value'].max():g}%")
    text = "; ".join(parts) + ". " if parts else ""
    return (text + "They come from different sources, years and methods, so they are shown side by side, not "
            "averaged. The workshop put low recycling down to little sorting at source and missing facilities.")


def rates_frame(rows: pd.DataFrame, by_id: pd.DataFrame) -> dict | None:
    """The chart_frame arguments of the rates chart (None when no rate is left)."""
    rates = rf.rate_rows(rows).copy()
    if rates.empty:
        return None
    rates["label"] = labels_for(rates, by_id)
    rates["place"] = rates["geo_level"].map(GEO_GROUPS).fillna("Other places")
    rates = rates.sort_values(["place", "value"], ascending=[True, False])
    figure = rf.ranked_dots(rates, label="label", unit_title="Share recycled (%)",
                            colour_by="place", unit="%")
    low, high = rates["value"].min(), rates["value"].max()
    return dict(
        key="recycling-rates",
        title=f"Published recycling rates run from {low:g}% to {high:g}% of waste, depending on place, year and "
              "who counts",
        subtitle=f"Share of waste recycled (%), national and city figures side by side, {len(rates)} published "
                 "figures; marker: filled circle high, diamond medium, open circle low confidence; a triangle is "
                 "a bound ('less than').",
        figure=figure,
        table=table_of(rates, ["geo_level"]),
        source_ids=rates["source_id"],
        alt=f"Dot chart of {len(rates)} recycling rates: " + "; ".join(
            f"{lab}: {rf.value_text(r, '%')}" for lab, (_, r) in zip(rates["label"], rates.iterrows(), strict=True)),
        reading=rates_reading(rates),
        method="figures as published; two rows that repeat the same 2020-21 study (direct and via a secondary "
               "dossier) are both shown, not merged.",
    )


def rates_view(frame: dict | None, selection) -> None:
    if frame is None:
        empty_note("recycling rate", selection)
        return
    chart_frame(**frame)


def industry_specs(rows: pd.DataFrame, by_id: pd.DataFrame) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(label, value, caption) of each business card, and the source ids they cite."""
    # The national depot count is in the headline row above.
    picks = rows[rows["indicator"].isin(["scrap_dealers", "recycling_factories", "recycler_throughput",
                                          "pet_waste"])]
    names = {"recycling_depots": "Recycling depots", "scrap_dealers": "Scrap dealers",
             "recycling_factories": "Recycling factories",
             "recycler_throughput": "One business's throughput", "pet_waste": "PET waste generated"}
    specs = []
    for _, row in picks.iterrows():
        unit = "" if row["unit"] == "count" else row["unit"]
        forecast = " (forecast)" if row["scope"] == "projection" else ""
        specs.append((names[row["indicator"]] + forecast, rf.value_text(row, unit),
                      f"{row['geography']}, {row['period']} · {cite(row, by_id)} · {row['confidence']} confidence"))
    return specs, list(picks["source_id"])


def industry_cards(industry: tuple[list[tuple[str, str, str]], list[str]], selection) -> None:
    specs, source_ids = industry
    st.subheader("Dealers, factories, recyclers, and the plastic there is to recycle")
    if not specs:
        empty_note("count of recycling businesses", selection)
        return
    cols = st.columns(min(3, len(specs)))
    for index, (label, value, caption) in enumerate(specs):
        with cols[index % len(cols)]:
            kpi(label, value, caption=caption)
    source_line(source_ids)


def exports_frame(rows: pd.DataFrame) -> dict | None:
    exports = rows[rows["indicator"] == "exports"]
    if exports.empty:
        return None
    years = ", ".join(sorted(set(exports["period"])))
    return dict(
        key="recycling-exports",
        title=f"In {years}, Cambodia exported " + " and ".join(
            f"{v:,.0f} t of {q.lower()}" for v, q in zip(exports["value"], rf.export_names(exports), strict=True))
        + " for recycling; no later figure is published",
        subtitle=f"Exports of recyclables, tonnes (t), national, {years}, as published.",
        figure=rf.exports_bars(exports),
        table=table_of(exports, ["material"]),
        source_ids=exports["source_id"],
        alt="Bar chart of exports of recyclables: " + "; ".join(
            f"{m} {v:,.0f} t in {p}" for m, v, p in zip(exports["material"], exports["value"], exports["period"],
                                                       strict=True)),
        reading="Most recovered material leaves the country to be processed; without export statistics after "
                "2017 nobody can say how much still does.",
    )


def exports_view(frame: dict | None, selection) -> None:
    if frame is None:
        empty_note("export figure", selection)
        return
    chart_frame(**frame)


def prices_frame(rows: pd.DataFrame) -> dict | None:
    prices = rf.price_rows(rows)
    if prices.empty:
        return None
    undated = prices[prices["year"].isna()]
    undated_text = "; ".join(f"{rf.value_text(r, r['unit_shown'])} for {r['material']} ({r['geography']}, "
                             f"{r['period']})" for _, r in undated.iterrows())
    dated = prices[prices["year"].notna()]
    years = f"{int(dated['year'].min())}–{int(dated['year'].max())}" if not dated.empty else "no year stated"
    return dict(
        key="recycling-prices",
        title="What a kilogram of recyclables fetched: a few scattered prices, each in its own currency",
        subtitle=(f"Prices of recyclables and compost per kilogram, one panel per currency (riel, US dollars, Thai "
                  f"baht; never converted), Phnom Penh, Battambang and export buyers, {years}. Open markers are "
                  "derived (a price per 20 kg divided by 20)."
                  + (f" Not plotted because no year is stated: {undated_text}." if undated_text else "")),
        figure=rf.price_panels(prices),
        table=prices[["id", "indicator", "material", "geography", "period", "value", "value_low", "value_high",
                      "qualifier", "unit_shown", "unit", "derived", "confidence", "source_id", "quote", "note"]]
        .rename(columns={"unit_shown": "unit_per_kg_shown", "unit": "unit_as_published"}),
        source_ids=prices["source_id"],
        alt="Three panels of recyclable prices by year: " + "; ".join(
            f"{r['material']} {rf.value_text(r, r['unit_shown'])} in {r['period']}" for _, r in prices.iterrows()),
        reading=("Pickers sell at the bottom of the chain, for a few hundred to a thousand riel a kilogram in the "
                 "prices recorded, and export prices can collapse, as paper did in the 2008-09 slump. With no "
                 "current price series, pickers' earnings cannot be tracked."),
        method="no exchange rate is applied because none is sourced; the US$1.50 for 20 kg of plastic bottles is "
               "divided by 20 (derived). Values in the source's own currency and unit are in the table.",
    )


def prices_view(frame: dict | None, selection) -> None:
    if frame is None:
        empty_note("price of recyclables", selection)
        return
    chart_frame(**frame)


def pickers_frames(rows: pd.DataFrame, by_id: pd.DataFrame) -> list[dict] | None:
    """The chart_frame arguments of the waste-picker charts (None when no figure on pickers is left)."""
    counts = rows[(rows["indicator"] == "waste_pickers")].copy()
    income = rows[rows["indicator"] == "picker_income"].copy()
    shares = rows[rows["indicator"].isin(["waste_picker_minor_share", "picker_low_income_share"])].copy()
    if counts.empty and income.empty and shares.empty:
        return None
    frames: list[dict] = []
    persons = counts[counts["unit"] == "persons"].copy()
    if not persons.empty:
        persons["label"] = labels_for(persons, by_id)
        others = counts[counts["unit"] != "persons"]
        other_text = "; ".join(f"{rf.value_text(r)} {r['unit']} at {r['geography']} ({r['period']})"
                               for _, r in others.iterrows())
        frames.append(dict(
            key="picker-counts",
            title=f"Counts of waste pickers range from {persons['value'].min():,.0f} to "
                  f"{persons['value'].max():,.0f} people, and none is a census",
            subtitle="Waste pickers, persons, by place and period as published (national, Phnom Penh, the Stung "
                     "Meanchey dump)." + (f" Counted in another unit, not plotted: {other_text}." if other_text
                                          else ""),
            figure=rf.ranked_dots(persons, label="label", unit_title="Waste pickers (persons)"),
            table=table_of(counts),
            source_ids=counts["source_id"],
            alt=f"Dot chart of {len(persons)} counts of waste pickers: " + "; ".join(
                f"{lab}: {rf.value_text(r)}" for lab, (_, r) in zip(persons["label"], persons.iterrows(),
                                                                     strict=True)),
            reading=("Informal workers do much of Cambodia's collecting and recovery, yet even their number is "
                     "a guess. The workshop asked that they be brought into the formal system with social "
                     "protection: counting them is the first step."),
        ))
    if not income.empty:
        income["label"] = labels_for(income, by_id)
        frames.append(dict(
            key="picker-income",
            title="Waste pickers earn a few dollars a day or less, in every source that measured it",
            subtitle="Earnings of waste pickers and their families, one panel per currency and period (riel per "
                     "day, US dollars per day, US dollars per month; never converted), 1997–2019.",
            figure=rf.income_panels(income, label="label"),
            table=table_of(income),
            source_ids=income["source_id"],
            alt="Dot chart of waste pickers' earnings: " + "; ".join(
                f"{lab}: {rf.value_text(r)} {r['unit']}" for lab, (_, r) in zip(income["label"], income.iterrows(),
                                                                             strict=True)),
            reading=("Earnings are per person in some sources and per family in others (see the table), and "
                     "come from single dumps or small surveys: they show poverty, not an average. The workshop "
                     "called for social protection for informal waste workers."),
            method="figures as published, each in its own currency and period; no exchange rate is applied.",
        ))
    if not shares.empty:
        shares["label"] = labels_for(shares, by_id)
        names = {"waste_picker_minor_share": "Children among pickers",
                 "picker_low_income_share": "Earning under a threshold"}
        shares["what"] = shares["indicator"].map(names)
        frames.append(dict(
            key="picker-conditions",
            title="Many pickers are children, and most picker families earn very little",
            subtitle="Shares (%) from surveys and NGO estimates in Phnom Penh, as published; each row is a "
                     "different question (see the table).",
            figure=rf.ranked_dots(shares, label="label", unit_title="Share (%)",
                                  colour_by="what", unit="%"),
            table=table_of(shares),
            source_ids=shares["source_id"],
            alt="Dot chart of conditions of waste pickers: " + "; ".join(
                f"{lab}: {rf.value_text(r, '%')} ({r['note'][:80]})" for lab, (_, r) in
                zip(shares["label"], shares.iterrows(), strict=True)),
            reading="These are old and local figures, but every one points the same way: unsafe, poorly paid work "
                    "with many children. No Cambodia-wide survey of pickers' conditions, or of how many are women, "
                    "is published.",
        ))
    return frames


def pickers_view(frames: list[dict] | None, selection) -> None:
    if frames is None:
        empty_note("figure on waste pickers", selection)
        return
    st.subheader("Waste pickers: how many, what they earn, how they live")
    for frame in frames:
        chart_frame(**frame)


def gaps_view() -> None:
    st.subheader("What is not published")
    st.caption("Figures the March 2025 workshop and this dashboard's research looked for and did not find. They "
               "are gaps, not zeros.")
    cols = st.columns(3)
    for index, (title, instead, status) in enumerate(GAPS):
        with cols[index % 3], st.container(border=True):
            st.markdown(f"**{title}**")
            st.markdown(f":gray-badge[:material/block: Not published] {status}")
            st.caption(instead)
    st.caption("Gaps as listed in the project's research dossier (data_national.md, section 'Gaps'): not found in "
               "any source consulted.")


def build_cards(data_dir: str) -> tuple[list[tuple[object, object]], list[str]]:
    """(title, text) of the workshop's informal-sector rows, and their source ids."""
    workshop = load("workshop")
    cards = workshop[workshop["id"].isin(WORKSHOP_ROWS)]
    return [(card["title"], card["text"]) for _, card in cards.iterrows()], list(cards["source_id"])


@st.cache_resource(show_spinner=False, max_entries=16)
def workshop_cards(data_dir: str) -> tuple[list[tuple[object, object]], list[str]]:
    return build_cards(data_dir)


def workshop_view() -> None:
    if need("workshop") is None:
        return
    cards, source_ids = workshop_cards(str(data_dir_from_env()))
    if not cards:
        return
    st.subheader("What the workshop asked for the informal sector")
    cols = st.columns(len(cards))
    for col, (title, text) in zip(cols, cards, strict=True):
        with col, st.container(border=True):
            st.markdown(f"**{title}**")
            st.write(text)
    source_line(source_ids)


# ------------------------------------------------------------------ page

def main() -> None:
    st.title("Recycling and the informal sector")
    st.markdown("How much of Cambodia's waste is recycled, who does it, what they earn for it, and what nobody "
                "has yet measured.")
    selection = current()
    applied_note(selection, APPLIES)
    if need("estimates", "sources") is not None:
        built = model(str(data_dir_from_env()), selection_key(selection),
                      " under these filters" if selection.active() else "")
        if built["empty"]:
            empty_note("figure on recycling, the informal sector or plastic", selection)
        else:
            kpi_row(built["kpis"])
            rates_view(built["rates"], selection)
            industry_cards(built["industry"], selection)
            exports_view(built["exports"], selection)
            prices_view(built["prices"], selection)
            pickers_view(built["pickers"], selection)
    gaps_view()
    workshop_view()


main()
