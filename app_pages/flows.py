"""Flows: where the waste goes, per published breakdown, with what is measured and what is assumed marked."""

from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, kpi
from components.i18n import current_lang, tr, url_control
from core import evidence
from core import flow_figures as ff
from core.catalogue import data_dir_from_env, short_label, split_ids
from core.i18n import Translator, translator
from core.sectors import Selection, apply

APPLIES = ("geo", "conf", "years")
DEFAULT_SET = "pheakdey-2022-national"
TOTAL_FROM_SOURCE = "source"
TOTAL_NONE = "none"


# ------------------------------------------------------------------ helpers

def source_names(cell: str, by_id: pd.DataFrame) -> str:
    return "; ".join(short_label(by_id.loc[s]) if s in by_id.index else s for s in split_ids(cell))


def _short(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = limit - 1
    # Never split a Khmer syllable: back off over vowel signs and marks, and over a subscript (coeng) sign.
    while cut > 0 and (unicodedata.category(text[cut]).startswith("M") or text[cut - 1] == "\u17d2"):
        cut -= 1
    return text[:cut] + "…"


def place(geography: str, _: Translator) -> str:
    """The place of a breakdown in the language (data/treatment.csv spells it in English)."""
    return ff.place_name(geography, lang=_.lang)


def period(text: str, _: Translator) -> str:
    """The period of a breakdown in the language ('c. 2020' -> 'ប្រហែល 2020'); years stay as they are."""
    return ff.period_name(text, lang=_.lang)


def people_kind(kind: str, _: Translator) -> str:
    """'census final' (the data's code in words) or its translation."""
    return kind.replace("_", " ") if _.lang == "en" else _.label("flows_population_kind", kind)


def set_labels(summary: pd.DataFrame, by_id: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """'Cambodia, 2020-21 · Pheakdey et al. 2022' for chart rows."""
    _ = translator(lang)
    labels = {}
    for _index, row in summary.iterrows():
        first = split_ids(row["source_id"])[0]
        name = short_label(by_id.loc[first]) if first in by_id.index else first
        where, when = _short(place(row["geography"], _), 24), _short(period(row["period"], _), 14)
        labels[row["set_id"]] = f"{where}, {when} · {name}"
    return labels


def link_notice(key: str, allowed: list[str]) -> str | None:
    """A value in the link that the widget will not accept (Streamlit then uses the default)."""
    bad = unrecognised_link_values({key: allowed})
    return f"{key}={bad[0][1]}" if bad else None


def national_choices(estimates: pd.DataFrame) -> pd.DataFrame:
    totals = evidence.national_totals(estimates)
    return totals[(totals["scope"] == "generated") & totals["value_t"].notna()].reset_index(drop=True)


def describe_total(row: pd.Series, by_id: pd.DataFrame, _: Translator) -> str:
    year = _("flows.no_year") if pd.isna(row.get("year")) else f"{row['period']}"
    how = _("flows.total.per_day") if row["unit"] == "t/day" else _("flows.total.as_published")
    wording = ("" if row["qualifier"] in ("exact", "") else
               _("flows.total.qualifier", words=row["qualifier"].replace("_", " ")))
    return _("flows.total.describe", tonnes=ff.tonnes_text(row["value_t"], lang=_.lang), year=year, how=how,
             wording=wording, sources=source_names(row["source_id"], by_id), row_id=row["id"],
             confidence=ff.confidence_word(row["confidence"], lang=_.lang))


def choose_total(choice: str, rows: pd.DataFrame, estimates: pd.DataFrame, choices: pd.DataFrame,
                 by_id: pd.DataFrame, lang: str = "en") -> tuple[pd.Series | None, str]:
    """The total the tonnages use, and a sentence saying what it is (or why there is none)."""
    _ = translator(lang)
    first = rows.iloc[0]
    if choice == TOTAL_NONE:
        return None, _("flows.total.none_chosen")
    if choice == TOTAL_FROM_SOURCE:
        own = ff.same_source_total(rows, estimates)
        if own is None:
            return None, _("flows.total.source_has_none")
        return own, _("flows.total.from_source", total=describe_total(own, by_id, _))
    picked = choices[choices["id"] == choice]
    if picked.empty:
        return None, _("flows.total.not_in_ledger")
    if first["geo_level"] != "national":
        return None, _("flows.total.not_national", place=place(first["geography"], _))
    row = picked.iloc[0]
    return row, _("flows.total.chosen", total=describe_total(row, by_id, _))


def flow_table(links: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The Sankey's flows; the columns keep their names in every language, the words are in the language."""
    _ = translator(lang)
    table = links.rename(columns={"from": "from_node", "to": "to_node"}).copy()
    table["measured_or_assumed"] = [ff.status_label(s, lang=lang) for s in table["status"]]
    table["path"] = table["path_assumed"].map({True: _("flows.table.path_assumed"), False: _("flows.table.direct")})
    columns = ["from_node", "to_node", "share_pct", "measured_or_assumed", "path", "tonnes_per_year",
               "tonnes_per_day", "kg_per_person_day", "tonnes_stated", "route_label", "confidence", "source_id",
               "row_id", "quote", "note"]
    return table[columns]


# ------------------------------------------------------------------ views

def total_option(code: str) -> str:
    """The total picker's options: 'source' and 'none' in words, ledger ids as they are."""
    _ = tr()
    if code == TOTAL_FROM_SOURCE:
        return _("flows.controls.total_source")
    if code == TOTAL_NONE:
        return _("flows.controls.total_none")
    return code


def controls(options: list[str], choices: pd.DataFrame) -> tuple[str, str]:
    _ = tr()
    total_options = [TOTAL_FROM_SOURCE, TOTAL_NONE] + list(choices["id"])
    notices = [n for n in (link_notice("flow_set", options), link_notice("flow_total", total_options),
                           link_notice("flow_stage", ["true", "false"])) if n]
    if notices:
        st.caption(_("filters.unrecognised", values="; ".join(notices)))
    left, right = st.columns([1, 1])
    with left:
        # Set ids are codes (the same in every language), so the link can hold what the box shows.
        set_id = st.selectbox(
            _("flows.controls.set"), options, index=options.index(DEFAULT_SET) if DEFAULT_SET in options
            else 0, key="flow_set", bind="query-params", help=_("flows.controls.set_help"))
    with right:
        # 'source' and 'none' are shown in words, so the link holds the codes (components.i18n.url_control).
        total_choice = url_control(
            st.selectbox, _("flows.controls.total"), key="flow_total", options=total_options,
            default=TOTAL_FROM_SOURCE, format_func=total_option, help=_("flows.controls.total_help"))
    return set_id, total_choice


def kpi_row(links: pd.DataFrame, summary_row: pd.Series, total: pd.Series | None, people: pd.Series | None) -> None:
    _ = tr()
    lang = _.lang
    measured = summary_row["stated_pct"]
    assumed = links.loc[links["status"] == "assumed", "share_pct"].sum()
    cols = st.columns(4)
    with cols[0]:
        kpi(_("flows.kpi.stated"), ff.fmt(measured, ".4g", lang) + "%", caption=_("flows.kpi.stated_caption"))
    with cols[1]:
        kpi(_("flows.kpi.remainder"),
            ff.fmt(summary_row["remainder_pct"] + summary_row["not_described_pct"], ".4g", lang) + "%",
            caption=_("flows.kpi.remainder_caption")
            + (_("flows.kpi.assumed_caption", share=ff.fmt(assumed, ".4g", lang) + "%") if assumed else ""))
    with cols[2]:
        if total is None:
            kpi(_("flows.kpi.tonnes"), _("flows.kpi.shares_only"), caption=_("flows.kpi.choose_total"))
        else:
            when = total["period"] if not pd.isna(total["year"]) else _("flows.no_year")
            if lang == "en":
                label, value = _("flows.kpi.generated", period=when), ff.tonnes_text(total["value_t"], lang=lang)
            else:  # Khmer unit words are long: the unit goes into the label so the number fits its tile
                value, unit = ff.tonnes_parts(total["value_t"], lang=lang)
                label = _("flows.kpi.generated_in", period=when, unit=unit)
            kpi(label, value,
                caption=_("flows.kpi.generated_caption",
                          per_day=ff.fmt(total["value_t"] / evidence.DAYS_PER_YEAR, ",.0f", lang),
                          row_id=total["id"]))
    with cols[3]:
        if total is None or people is None:
            why = _("flows.kpi.per_person_national") if total is not None else _("flows.kpi.per_person_needs_total")
            kpi(_("flows.kpi.per_person"), _("flows.kpi.not_shown"), caption=why)
        else:
            per_person = total["value_t"] * 1000 / people["population"] / evidence.DAYS_PER_YEAR
            if lang == "en":
                label, value = _("flows.kpi.per_person"), _("flows.kpi.kg", value=ff.fmt(per_person, ".2f", lang))
            else:  # the unit in the label, as for the tonnes
                label, value = _("flows.kpi.per_person_in", unit=_("flows.unit_kg")), ff.fmt(per_person, ".2f", lang)
            kpi(label, value,
                caption=_("flows.kpi.per_person_caption", people=ff.fmt(people["population"], ",.0f", lang),
                          year=int(people["year"]), kind=people_kind(people["kind"], _)))


def sankey_reading(rows: pd.DataFrame, summary_row: pd.Series, lang: str = "en") -> str:
    _ = translator(lang)
    text = _("flows.sankey.reading", stated=ff.fmt(summary_row["stated_pct"], ".4g", lang) + "%")
    recovered = rows[rows["route"].isin(["recycling", "composting"])]
    if not recovered.empty and recovered["share_pct"].sum() < 25:
        text += _("flows.sankey.reading_recovered", share=ff.fmt(recovered["share_pct"].sum(), ".4g", lang) + "%")
    return text


def sankey_view(rows: pd.DataFrame, links: pd.DataFrame, summary_row: pd.Series, total: pd.Series | None,
                people: pd.Series | None, total_text: str, stage_drawn: bool, by_id: pd.DataFrame,
                drawn: tuple | None = None) -> None:
    _ = tr()
    lang = _.lang
    total_t = None if total is None else float(total["value_t"])
    if drawn is None:
        table = flow_table(ff.with_tonnages(links, total_t,
                                            None if people is None else float(people["population"])), lang)
        figure = ff.flow_sankey(links, total_t=total_t, lang=lang)
    else:
        figure, table = drawn
    first = rows.iloc[0]
    where = place(first["geography"], _)
    biggest = rows.sort_values("share_pct", ascending=False).iloc[0]
    biggest_name = ff.route_name(biggest["route"], biggest["route_label"], lang=lang)
    biggest_name = biggest_name.lower() if lang == "en" else biggest_name
    remainder = _("flows.sankey.title_remainder") if biggest["status"] == "remainder" else ""
    when = period(first["period"], _)
    title = _("flows.sankey.title", place=where, period=when, route=biggest_name,
              share=ff.fmt(biggest["share_pct"], ".4g", lang) + "%", remainder=remainder)
    source_ids = list(rows["source_id"])
    people_text = ("" if people is None else
                   _("flows.sankey.method_people", people=ff.fmt(people["population"], ",.0f", lang),
                     year=int(people["year"]), kind=people_kind(people["kind"], _), source=people["source_id"]))
    method = (_("flows.sankey.method_shares")
              + (_("flows.sankey.method_stage") if stage_drawn else "")
              + _("flows.sankey.method_tonnes") + people_text + " " + _("flows.truck_note"))
    if stage_drawn:
        companion = ff.COLLECTION_COMPANIONS[first["set_id"]]
        source_ids += [s for s in links["source_id"] if s]
        st.caption(_("flows.sankey.stage_caption", companion=companion))
    alt_links = "; ".join(
        _("flows.sankey.alt_link", source=a, target=b, share=ff.fmt(s, ".4g", lang) + "%",
          status=st_ if lang == "en" else ff.status_label(st_, lang=lang))
        for a, b, s, st_ in zip(links["from"], links["to"], links["share_pct"], links["status"], strict=True))
    chart_frame(
        key="flow-sankey",
        title=title,
        subtitle=(_("flows.sankey.subtitle", place=where, period=when)
                  + (_("flows.sankey.subtitle_tonnes") if total_t else "")
                  + _("flows.sankey.subtitle_colours") + " " + total_text),
        figure=figure,
        table=table,
        source_ids=source_ids + ([total["source_id"]] if total is not None else [])
        + ([people["source_id"]] if people is not None else []),
        alt=_("flows.sankey.alt", place=where, period=when, links=alt_links),
        reading=sankey_reading(rows, summary_row, lang),
        method=method,
    )


def comparison_reading(treatment: pd.DataFrame, lang: str = "en") -> str:
    """The spread of the national breakdowns shown, in words (computed, so it follows the filters)."""
    _ = translator(lang)
    national = treatment[treatment["geo_level"] == "national"]
    parts = []
    for routes, name in ((("landfill", "open_dump"), _("flows.compare.landfill_or_dumpsite")),
                         (("recycling",), _("flows.compare.recycling"))):
        values = national.loc[national["route"].isin(routes), "share_pct"]
        if len(values) > 1 and values.min() != values.max():
            parts.append(_("flows.compare.range", name=name, low=ff.fmt(values.min(), ".4g", lang) + "%",
                           high=ff.fmt(values.max(), ".4g", lang) + "%"))
    spread = _("flows.compare.spread", parts=_("flows.compare.and").join(parts)) if parts else ""
    return spread + _("flows.compare.reading")


def comparison_view(treatment: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str],
                    figure=None, reading: str | None = None) -> None:
    _ = tr()
    lang = _.lang
    figure = ff.breakdown_bars(treatment, labels, lang=lang) if figure is None else figure
    national = summary[summary["geo_level"] == "national"]
    table = summary.rename(columns={"stated_pct": "stated_share_pct", "remainder_pct": "remainder_share_pct",
                                    "not_described_pct": "not_described_share_pct"})
    alt_sets = "; ".join(
        _("flows.compare.alt_set", name=labels[s], stated=ff.fmt(p, ".4g", lang) + "%",
          remainder=ff.fmt(r, ".4g", lang) + "%")
        for s, p, r in zip(summary["set_id"], summary["stated_pct"], summary["remainder_pct"], strict=True))
    chart_frame(
        key="flow-compare",
        title=_("flows.compare.title", count=len(summary), national=len(national)),
        subtitle=_("flows.compare.subtitle"),
        figure=figure,
        table=table,
        source_ids=summary["source_id"],
        alt=_("flows.compare.alt", count=len(summary), sets=alt_sets),
        reading=comparison_reading(treatment, lang) if reading is None else reading,
        method=_("flows.compare.method"),
    )


def totals_list(shown: pd.DataFrame) -> None:
    _ = tr()
    with st.expander(_("flows.totals.expander")):
        st.dataframe(shown, hide_index=True, key="flow-totals")
        st.caption(_("flows.totals.caption"))


# ------------------------------------------------------------------ page

# ------------------------------------------------------------------ cached work

# Everything drawn depends only on the data folder, the filters, the three controls and the language, so it is
# computed once per such key. Cached functions take those small keys (not DataFrames) and read the tables
# themselves; the page has loaded them without error first.
# st.cache_resource throughout: the page only reads these frames, so a rerun need not unpickle copies.

def selection_key(selection: Selection) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in selection.values.items())), tuple(selection.years)


def _by_id() -> pd.DataFrame:
    return load("sources").set_index("id")


@st.cache_resource(show_spinner=False, max_entries=64)
def breakdowns(data_dir: str, sel_key: tuple, lang: str = "en") -> tuple[
        list[str], pd.DataFrame, pd.DataFrame | None, dict[str, str], frozenset[str]]:
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
    return kept, shown, summary, set_labels(summary, _by_id(), lang), all_sets


@st.cache_resource(show_spinner=False, max_entries=16)
def total_choices(data_dir: str) -> pd.DataFrame:
    return national_choices(load("estimates"))


@st.cache_resource(show_spinner=False, max_entries=128)
def flow(data_dir: str, sel_key: tuple, set_id: str, total_choice: str, stage_drawn: bool, lang: str = "en"):
    """The chosen breakdown's rows, its total (and sentence), population and links."""
    _, shown, summary, _, _ = breakdowns(data_dir, sel_key, lang)
    treatment, estimates = load("treatment"), load("estimates")
    rows = shown[shown["set_id"] == set_id]
    summary_row = summary.set_index("set_id").loc[set_id]
    companion = ff.COLLECTION_COMPANIONS.get(set_id)
    total, total_text = choose_total(total_choice, rows, estimates, total_choices(data_dir), _by_id(), lang)
    people = None
    if total is not None and summary_row["geo_level"] == "national":
        people = ff.population_for(load("population"), total["year"])
    links = ff.flow_links(rows, treatment[treatment["set_id"] == companion] if stage_drawn else None, lang=lang)
    return rows, total, total_text, people, links


@st.cache_resource(show_spinner=False, max_entries=128)
def sankey(data_dir: str, sel_key: tuple, set_id: str, total_choice: str, stage_drawn: bool, lang: str = "en"):
    """The Sankey figure and its table (both only read by the page and st.plotly_chart / st.dataframe)."""
    _, total, _, people, links = flow(data_dir, sel_key, set_id, total_choice, stage_drawn, lang)
    total_t = None if total is None else float(total["value_t"])
    table = flow_table(ff.with_tonnages(links, total_t, None if people is None else float(people["population"])),
                       lang)
    return ff.flow_sankey(links, total_t=total_t, lang=lang), table


@st.cache_resource(show_spinner=False, max_entries=64)
def comparison_figure(data_dir: str, sel_key: tuple, lang: str = "en"):
    """The comparison chart and its reading (the chart only read by st.plotly_chart, never changed)."""
    _, shown, _, labels, _ = breakdowns(data_dir, sel_key, lang)
    return ff.breakdown_bars(shown, labels, lang=lang), comparison_reading(shown, lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def totals_table(data_dir: str) -> pd.DataFrame:
    choices = total_choices(data_dir)
    shown = choices[["id", "period", "value", "unit", "value_t", "qualifier", "derived", "confidence",
                     "source_id"]].rename(columns={"value_t": "tonnes_per_year", "id": "ledger_id"})
    by_id = _by_id()
    shown["source"] = [source_names(c, by_id) for c in shown["source_id"]]
    return shown


def main() -> None:
    _ = tr()
    lang = current_lang()
    st.title(_("flows.title"))
    st.markdown(_("flows.intro"))
    selection = current()
    applied_note(selection, APPLIES)
    loaded = need("treatment", "estimates", "population", "sources")
    if loaded is None:
        return
    sources = loaded[3]
    by_id = sources.set_index("id")
    data_dir, sel_key = str(data_dir_from_env()), selection_key(selection)
    kept, shown, summary, labels, all_sets = breakdowns(data_dir, sel_key, lang)
    if not kept:
        st.info(_("flows.empty", selection=selection.describe(APPLIES, _)), icon=":material/filter_alt_off:")
        return
    choices = total_choices(data_dir)

    set_id, total_choice = controls(kept, choices)
    summary_row = summary.set_index("set_id").loc[set_id]
    companion = ff.COLLECTION_COMPANIONS.get(set_id)
    has_companion = companion is not None and companion in all_sets
    stage_drawn = False
    if has_companion:
        stage_drawn = st.toggle(_("flows.controls.stage"), value=True, key="flow_stage", bind="query-params",
                                help=_("flows.controls.stage_help"))
    else:
        st.caption(_("flows.no_stage"))
    st.caption(_("flows.showing", place=place(summary_row["geography"], _), period=period(summary_row["period"], _),
                 sources=source_names(summary_row["source_id"], by_id), routes=summary_row["routes"],
                 confidence=ff.confidence_word(summary_row["confidence"], lang=lang)))

    stage_drawn = bool(stage_drawn)
    rows, total, total_text, people, links = flow(data_dir, sel_key, set_id, total_choice, stage_drawn, lang)

    kpi_row(links, summary_row, total, people)
    sankey_view(rows, links, summary_row, total, people, total_text, stage_drawn, by_id,
                drawn=sankey(data_dir, sel_key, set_id, total_choice, stage_drawn, lang))
    totals_list(totals_table(data_dir))
    figure, reading = comparison_figure(data_dir, sel_key, lang)
    comparison_view(shown, summary, labels, figure=figure, reading=reading)


main()
