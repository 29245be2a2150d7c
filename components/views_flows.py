"""The Flows page's content, built once per (data folder, filters, controls, language) and shared (DESIGN.md
section 6).

A page file runs anew on every rerun, so the page (app_pages/flows.py) only draws; everything it draws is computed
here. flows_page() is the one cached builder: it takes small hashable keys (the data folder string, the filters
that apply, the language), reads the tables itself, and raises a DataError uncached (the page shows it). The
breakdown a reader picks (set, total, collection stage) is drawn from FlowsPage.flow(), built the first time it is
asked for and kept with the page, so a rerun is one cache lookup. The results are shared resources: callers must
not mutate them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.data import load
from components.filters import unrecognised_link_values
from components.i18n import url_control
from core import evidence
from core import flow_figures as ff
from core.catalogue import short_label, split_ids
from core.i18n import Translator, shorten, translator
from core.sectors import Selection, apply

APPLIES = ("geo", "conf", "years")
DEFAULT_SET = "pheakdey-2022-national"
TOTAL_FROM_SOURCE = "source"
TOTAL_NONE = "none"
FLOWS_KEPT = 48  # drawn breakdowns (set, total, stage) kept per page view


# ------------------------------------------------------------------ helpers (Streamlit-free)

def source_names(cell: str, by_id: pd.DataFrame) -> str:
    return "; ".join(short_label(by_id.loc[s]) if s in by_id.index else s for s in split_ids(cell))


_short = shorten  # core.i18n.shorten: never inside a Khmer syllable


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


def kpi_cards(links: pd.DataFrame, summary_row: pd.Series, total: pd.Series | None, people: pd.Series | None,
              _: Translator) -> tuple[tuple[str, str, str], ...]:
    """The four headline tiles as (label, value, caption)."""
    lang = _.lang
    measured = summary_row["stated_pct"]
    assumed = links.loc[links["status"] == "assumed", "share_pct"].sum()
    cards = [(_("flows.kpi.stated"), ff.fmt(measured, ".4g", lang) + "%", _("flows.kpi.stated_caption")),
             (_("flows.kpi.remainder"),
              ff.fmt(summary_row["remainder_pct"] + summary_row["not_described_pct"], ".4g", lang) + "%",
              _("flows.kpi.remainder_caption")
              + (_("flows.kpi.assumed_caption", share=ff.fmt(assumed, ".4g", lang) + "%") if assumed else ""))]
    if total is None:
        cards.append((_("flows.kpi.tonnes"), _("flows.kpi.shares_only"), _("flows.kpi.choose_total")))
    else:
        when = total["period"] if not pd.isna(total["year"]) else _("flows.no_year")
        if lang == "en":
            label, value = _("flows.kpi.generated", period=when), ff.tonnes_text(total["value_t"], lang=lang)
        else:  # Khmer unit words are long: the unit goes into the label so the number fits its tile
            value, unit = evidence.tonnes_parts(total["value_t"], lang=lang)
            label = _("flows.kpi.generated_in", period=when, unit=unit)
        cards.append((label, value, _("flows.kpi.generated_caption",
                                      per_day=ff.fmt(total["value_t"] / evidence.DAYS_PER_YEAR, ",.0f", lang),
                                      row_id=total["id"])))
    if total is None or people is None:
        why = _("flows.kpi.per_person_national") if total is not None else _("flows.kpi.per_person_needs_total")
        cards.append((_("flows.kpi.per_person"), _("flows.kpi.not_shown"), why))
    else:
        per_person = total["value_t"] * 1000 / people["population"] / evidence.DAYS_PER_YEAR
        if lang == "en":
            label, value = _("flows.kpi.per_person"), _("flows.kpi.kg", value=ff.fmt(per_person, ".2f", lang))
        else:  # the unit in the label, as for the tonnes
            label, value = _("flows.kpi.per_person_in", unit=_("flows.unit_kg")), ff.fmt(per_person, ".2f", lang)
        cards.append((label, value, _("flows.kpi.per_person_caption", people=ff.fmt(people["population"], ",.0f", lang),
                                      year=int(people["year"]), kind=people_kind(people["kind"], _))))
    return tuple(cards)


def sankey_reading(rows: pd.DataFrame, summary_row: pd.Series, lang: str = "en") -> str:
    _ = translator(lang)
    text = _("flows.sankey.reading", stated=ff.fmt(summary_row["stated_pct"], ".4g", lang) + "%")
    recovered = rows[rows["route"].isin(["recycling", "composting"])]
    if not recovered.empty and recovered["share_pct"].sum() < 25:
        text += _("flows.sankey.reading_recovered", share=ff.fmt(recovered["share_pct"].sum(), ".4g", lang) + "%")
    return text


def sankey_frame(rows: pd.DataFrame, links: pd.DataFrame, summary_row: pd.Series, total: pd.Series | None,
                 people: pd.Series | None, total_text: str, stage_drawn: bool, lang: str) -> dict:
    """The Sankey's chart_frame arguments (key excepted)."""
    _ = translator(lang)
    total_t = None if total is None else float(total["value_t"])
    table = flow_table(ff.with_tonnages(links, total_t, None if people is None else float(people["population"])),
                       lang)
    figure = ff.flow_sankey(links, total_t=total_t, lang=lang)
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
        source_ids += [s for s in links["source_id"] if s]
    alt_links = "; ".join(
        _("flows.sankey.alt_link", source=a, target=b, share=ff.fmt(s, ".4g", lang) + "%",
          status=st_ if lang == "en" else ff.status_label(st_, lang=lang))
        for a, b, s, st_ in zip(links["from"], links["to"], links["share_pct"], links["status"], strict=True))
    return dict(
        title=title,
        subtitle=(_("flows.sankey.subtitle", place=where, period=when)
                  + (_("flows.sankey.subtitle_tonnes") if total_t else "")
                  + _("flows.sankey.subtitle_colours") + " " + total_text),
        figure=figure,
        table=table,
        source_ids=tuple(source_ids + ([total["source_id"]] if total is not None else [])
                         + ([people["source_id"]] if people is not None else [])),
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


def comparison_frame(treatment: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str], lang: str) -> dict:
    """The comparison chart's chart_frame arguments (key excepted)."""
    _ = translator(lang)
    national = summary[summary["geo_level"] == "national"]
    table = summary.rename(columns={"stated_pct": "stated_share_pct", "remainder_pct": "remainder_share_pct",
                                    "not_described_pct": "not_described_share_pct"})
    alt_sets = "; ".join(
        _("flows.compare.alt_set", name=labels[s], stated=ff.fmt(p, ".4g", lang) + "%",
          remainder=ff.fmt(r, ".4g", lang) + "%")
        for s, p, r in zip(summary["set_id"], summary["stated_pct"], summary["remainder_pct"], strict=True))
    return dict(
        title=_("flows.compare.title", count=len(summary), national=len(national)),
        subtitle=_("flows.compare.subtitle"),
        figure=ff.breakdown_bars(treatment, labels, lang=lang),
        table=table,
        source_ids=tuple(summary["source_id"]),
        alt=_("flows.compare.alt", count=len(summary), sets=alt_sets),
        reading=comparison_reading(treatment, lang),
        method=_("flows.compare.method"),
    )


def totals_table(choices: pd.DataFrame, by_id: pd.DataFrame) -> pd.DataFrame:
    shown = choices[["id", "period", "value", "unit", "value_t", "qualifier", "derived", "confidence",
                     "source_id"]].rename(columns={"value_t": "tonnes_per_year", "id": "ledger_id"})
    shown["source"] = [source_names(c, by_id) for c in shown["source_id"]]
    return shown


# ------------------------------------------------------------------ the cached page

def selection_key(selection: Selection) -> tuple:
    """The filters that apply here, as a small hashable key (a filter this page ignores does not split the cache)."""
    return (tuple((k, tuple(selection.values.get(k) or ())) for k in APPLIES if k != "years"),
            tuple(selection.years))


@dataclass(frozen=True)
class SetInfo:
    """What the page says about a breakdown before it is drawn."""

    has_companion: bool  # a collection stage of the same study exists, so the stage switch is offered
    showing: str  # the 'Showing ...' line


@dataclass(frozen=True)
class FlowView:
    """One drawn breakdown: the headline tiles, the line above the Sankey (or "") and the Sankey's frame."""

    kpis: tuple[tuple[str, str, str], ...]
    stage_caption: str
    sankey: dict


class FlowsPage:
    """Everything the page draws for one (folder, filters, language); only ever read.

    `kept` lists the breakdowns the filters keep (empty: the page says so and draws nothing else). The breakdown
    the reader picks is drawn from flow(set_id, total_choice, stage_drawn), built on first use and kept.
    """

    def __init__(self, data_dir: str, sel_key: tuple, lang: str) -> None:
        # The tables in the order the page has always checked them, so a broken one is named the same way.
        treatment, estimates, population, sources = (load(n) for n in ("treatment", "estimates", "population",
                                                                         "sources"))
        self.lang = lang
        selection = Selection(values=dict(sel_key[0]), years=sel_key[1])
        # A breakdown is listed when any of its rows matches the filters, and then drawn whole.
        self.kept: list[str] = list(dict.fromkeys(apply(treatment, selection, APPLIES)["set_id"]))
        if not self.kept:
            return
        _ = translator(lang)
        by_id = sources.set_index("id")
        all_sets = frozenset(treatment["set_id"])
        shown = treatment[treatment["set_id"].isin(self.kept)]
        summary = ff.set_summary(shown)
        labels = set_labels(summary, by_id, lang)
        choices = national_choices(estimates)
        self.total_options: list[str] = [TOTAL_FROM_SOURCE, TOTAL_NONE] + list(choices["id"])
        self.sets: dict[str, SetInfo] = {}
        summary_rows = summary.set_index("set_id")
        for set_id, row in summary_rows.iterrows():
            companion = ff.COLLECTION_COMPANIONS.get(set_id)
            self.sets[set_id] = SetInfo(
                has_companion=companion is not None and companion in all_sets,
                showing=_("flows.showing", place=place(row["geography"], _), period=period(row["period"], _),
                          sources=source_names(row["source_id"], by_id), routes=row["routes"],
                          confidence=ff.confidence_word(row["confidence"], lang=lang)))
        self.totals = totals_table(choices, by_id)
        self.comparison = comparison_frame(shown, summary, labels, lang)
        self._tables = treatment, estimates, population, by_id, shown, summary_rows, choices
        self._flows: OrderedDict[tuple, FlowView] = OrderedDict()
        self._lock = threading.Lock()

    def flow(self, set_id: str, total_choice: str, stage_drawn: bool) -> FlowView:
        key = (set_id, total_choice, stage_drawn)
        with self._lock:
            view = self._flows.get(key)
            if view is None:
                view = self._flows[key] = self._flow(*key)
                while len(self._flows) > FLOWS_KEPT:
                    self._flows.popitem(last=False)
            return view

    def _flow(self, set_id: str, total_choice: str, stage_drawn: bool) -> FlowView:
        lang = self.lang
        _ = translator(lang)
        treatment, estimates, population, by_id, shown, summary_rows, choices = self._tables
        rows = shown[shown["set_id"] == set_id]
        summary_row = summary_rows.loc[set_id]
        companion = ff.COLLECTION_COMPANIONS.get(set_id)
        total, total_text = choose_total(total_choice, rows, estimates, choices, by_id, lang)
        people = None
        if total is not None and summary_row["geo_level"] == "national":
            people = ff.population_for(population, total["year"])
        links = ff.flow_links(rows, treatment[treatment["set_id"] == companion] if stage_drawn else None, lang=lang)
        return FlowView(
            kpis=kpi_cards(links, summary_row, total, people, _),
            stage_caption=_("flows.sankey.stage_caption", companion=companion) if stage_drawn else "",
            sankey=sankey_frame(rows, links, summary_row, total, people, total_text, stage_drawn, lang))


@st.cache_resource(show_spinner=False, max_entries=64)
def flows_page(data_dir: str, sel_key: tuple, lang: str) -> FlowsPage:
    """The page's content; raises DataError (uncached) when a table the page reads is broken."""
    return FlowsPage(data_dir, sel_key, lang)


# ------------------------------------------------------------------ the controls

def link_notices(checks: dict[str, list[str]]) -> list[str]:
    """'key=value' for the first value in the link that each control will not accept (Streamlit then uses the
    default), in the order of `checks`."""
    first: dict[str, str] = {}
    for key, shown in unrecognised_link_values(checks):
        first.setdefault(key, shown)
    return [f"{key}={shown}" for key, shown in first.items()]


def controls(page: FlowsPage, _: Translator) -> tuple[str, str]:
    """The breakdown and total pickers (and a notice for link values they cannot use)."""
    options = page.kept
    notices = link_notices({"flow_set": options, "flow_total": page.total_options, "flow_stage": ["true", "false"]})
    if notices:
        st.caption(_("filters.unrecognised", values="; ".join(notices)))
    words = {TOTAL_FROM_SOURCE: _("flows.controls.total_source"), TOTAL_NONE: _("flows.controls.total_none")}
    left, right = st.columns([1, 1])
    with left:
        # Set ids are codes (the same in every language), so the link can hold what the box shows.
        set_id = st.selectbox(
            _("flows.controls.set"), options, index=options.index(DEFAULT_SET) if DEFAULT_SET in options
            else 0, key="flow_set", bind="query-params", help=_("flows.controls.set_help"))
    with right:
        # 'source' and 'none' are shown in words (ledger ids as they are), so the link holds the codes
        # (components.i18n.url_control). The words are fixed when drawn, so the box reads the same later.
        total_choice = url_control(
            st.selectbox, _("flows.controls.total"), key="flow_total", options=page.total_options,
            default=TOTAL_FROM_SOURCE, format_func=lambda code: words.get(code, code),
            help=_("flows.controls.total_help"))
    return set_id, total_choice
