"""The Recycling page's views: cached builders of its figures, tables and texts, and the functions that draw
them (app_pages/recycling.py calls them).

The drawing code lives in this module rather than in the page file: a page file is compiled anew on every rerun
and a cached function defined there is re-created each time. Everything the page draws from the estimates
depends only on the data folder, the selection and the language, so it is built once per combination and shared
read-only (cache_resource): callers must not mutate it. The builders load their tables themselves (a DataError
is raised, never cached).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, show_data_error
from components.frame import chart_frame, chart_tabs, kpi, source_line
from core import evidence, sectors
from core import recycling_figures as rf
from core.catalogue import DataError, data_dir_from_env, short_label, split_ids
from core.explorer import escape_markdown
from core.flow_figures import confidence_word, fmt
from core.i18n import Translator, printed_ends, shorten, translator, year_range
from core.sectors import Selection, apply

APPLIES = ("stage", "actor", "material", "geo", "conf", "years")
TOPICS = ("recycling", "informal", "plastic")
# The place groups of the rates chart (geo_level codes; any other level is 'other'): words in locales/recycling.csv.
GEO_GROUPS = ("national", "city", "site", "region")
# Figures the workshop and the research dossier looked for and did not find ("Gaps" of data_national.md).
# They are shown as gaps, never as zero; each says what is published instead. Each name stands for three texts
# in locales/recycling.csv: recycling.gap.<name>.title, .instead and .status.
GAPS = ("women", "census", "buyers", "capacity", "exports", "prices")
WORKSHOP_ROWS = ("W12", "W24", "W28", "W33")


# ------------------------------------------------------------------ helpers

_short = shorten  # core.i18n.shorten: never inside a Khmer syllable


def labels_for(rows: pd.DataFrame, by_id: pd.DataFrame, lang: str = "en") -> pd.Series:
    """'Phnom Penh, 2024 · CamboJA News n.d.': one row label per figure (place, period, first source)."""
    def one(row: pd.Series) -> str:
        first = split_ids(row["source_id"])[0]
        name = short_label(by_id.loc[first]) if first in by_id.index else first
        where = _short(rf.place_name(row["geography"], lang=lang), 28)
        return f"{where}, {_short(rf.period_name(row['period'], lang=lang), 16)} · {name} ({row['id']})"
    return rows.apply(one, axis=1) if not rows.empty else pd.Series(dtype=str)


def cite(row: pd.Series, by_id: pd.DataFrame) -> str:
    first = split_ids(row["source_id"])[0]
    return short_label(by_id.loc[first]) if first in by_id.index else first


def empty_note(what: str, selection, _: Translator) -> None:
    """`what` names the missing figure: recycling.empty.<what> in locales/recycling.csv."""
    st.info(_("recycling.empty", what=_(f"recycling.empty.{what}"),
              selection=selection.describe(APPLIES, _) or _("recycling.none_set")),
            icon=":material/filter_alt_off:")


def table_of(rows: pd.DataFrame, extra: list[str] | None = None) -> pd.DataFrame:
    columns = ["id", "indicator", "geography", "period", "value", "value_low", "value_high", "qualifier", "unit"]
    columns += (extra or []) + ["confidence", "source_id", "quote", "note"]
    return rows[columns]


def selection_key(selection: Selection) -> str:
    """The part of the selection this page reads, as a cache key (core.sectors.selection_key)."""
    return sectors.selection_key(selection, APPLIES)


from_key = sectors.selection_from_key


def _g(value: float, lang: str) -> str:
    """A share or count as the source gives it ('{:g}'), in the language's separators."""
    return fmt(value, "g", lang)


def cited(cells) -> tuple[str, ...]:
    """The source ids of these cells, each once, in order ('a;b' cites two): what source_line would compute from
    the cells, done once in the cached builder rather than on every rerun."""
    return tuple(dict.fromkeys(source for cell in cells for source in split_ids(str(cell))))


# ------------------------------------------------------------------ cached work (data folder + selection only)
# Everything the page draws from the estimates depends only on the data folder, the selection and the language,
# so it is built once per (folder, selection, language) by build_model and shared read-only (cache_resource):
# nothing may mutate it.

def build_model(data_dir: str, key: str, filtered: str, lang: str = "en") -> dict:
    """Loads its tables itself: a DataError is raised, never cached."""
    estimates = load("estimates")
    rows = apply(estimates[estimates["topic"].isin(TOPICS)], from_key(key), APPLIES)
    by_id = load("sources").set_index("id")
    if rows.empty:
        return {"empty": True}
    return {"empty": False, "kpis": kpi_specs(rows, by_id, filtered, lang), "rates": rates_frame(rows, by_id, lang),
            "industry": industry_specs(rows, by_id, lang), "exports": exports_specs(rows, by_id, lang),
            "prices": prices_frame(rows, lang), "pickers": pickers_frames(rows, by_id, lang)}


@st.cache_resource(show_spinner=False, max_entries=64)
def model(data_dir: str, key: str, filtered: str, lang: str = "en") -> dict:
    return build_model(data_dir, key, filtered, lang)


# ------------------------------------------------------------------ views

def kpi_specs(rows: pd.DataFrame, by_id: pd.DataFrame, filtered: str,
              lang: str = "en") -> list[tuple[str, str, str]]:
    """(label, value, caption) of the four headline numbers."""
    _ = translator(lang)
    specs: list[tuple[str, str, str]] = []

    def kpi(label: str, value: str, *, caption: str) -> None:
        specs.append((label, value, caption))

    def sourced(row: pd.Series) -> dict[str, str]:
        return {"source": cite(row, by_id), "confidence": confidence_word(row["confidence"], lang=lang)}

    rates = rf.rate_rows(rows)
    national = rates[rates["geo_level"] == "national"]
    latest = evidence.national_recycling_rate(rows)
    revenue = rows[rows["indicator"] == "revenue"]
    depots = rows[rows["indicator"] == "recycling_depots"]
    change = rows[rows["indicator"] == "recycling_depots_change"]
    pickers = rows[(rows["indicator"] == "waste_pickers") & (rows["geo_level"] == "national")]
    no_figure = _("recycling.kpi.no_figure")
    if latest is None:
        kpi(_("recycling.kpi.rate"), no_figure, caption=_("recycling.kpi.rate_none", filtered=filtered))
    else:
        # A spread only when the national figures differ: two figures of 4% are not "4% to 4%".
        spread = (_("recycling.kpi.rate_spread", low=_g(national["value"].min(), lang) + "%",
                    high=_g(national["value"].max(), lang) + "%") if national["value"].nunique() > 1 else "")
        kpi(_("recycling.kpi.rate"), _g(latest["value"], lang) + "%",
            caption=_("recycling.kpi.rate_caption", period=rf.period_name(latest["period"], lang=lang),
                      spread=spread, **sourced(latest)))
    if revenue.empty:
        kpi(_("recycling.kpi.revenue_none_label"), no_figure,
            caption=_("recycling.kpi.revenue_none", filtered=filtered))
    else:
        row = revenue.iloc[0]
        when = rf.period_name(row["period"], lang=lang)
        if lang == "en":
            label, value = _("recycling.kpi.revenue", period=when), _("recycling.kpi.revenue_value",
                                                                      value=_g(row["value"] / 1e6, lang))
        else:  # Khmer unit words are long: the unit goes into the label so the number fits its tile
            label = _("recycling.kpi.revenue_in", period=when, unit=_("recycling.kpi.revenue_unit"))
            value = _g(row["value"] / 1e6, lang)
        kpi(label, value, caption=_("recycling.kpi.revenue_caption", **sourced(row)))
    if depots.empty:
        kpi(_("recycling.kpi.depots_none_label"), no_figure, caption=_("recycling.kpi.depots_none", filtered=filtered))
    else:
        row = depots.iloc[0]
        delta = (_("recycling.kpi.depots_change", change=fmt(change.iloc[0]["value"], "+g", lang))
                 if not change.empty else "")
        kpi(_("recycling.kpi.depots", period=rf.period_name(row["period"], lang=lang)),
            fmt(row["value"], ",.0f", lang),
            caption=_("recycling.kpi.depots_caption", delta=delta, **sourced(row)))
    if pickers.empty:
        kpi(_("recycling.kpi.pickers_none_label"), _("recycling.kpi.not_published"),
            caption=_("recycling.kpi.pickers_none", filtered=filtered))
    else:
        row = pickers.iloc[0]
        kpi(_("recycling.kpi.pickers", period=rf.period_name(row["period"], lang=lang)), rf.value_text(row, lang=lang),
            caption=_("recycling.kpi.pickers_caption", **sourced(row))
            + (_("recycling.kpi.pickers_doubtful") if "(?)" in row["quote"] else "")
            + _("recycling.kpi.pickers_no_census"))
    return specs


def kpi_row(specs: list[tuple[str, str, str]]) -> None:
    for col, (label, value, caption) in zip(st.columns(4), specs, strict=True):
        with col:
            kpi(label, value, caption=caption)


def _agreement(values: pd.Series, lang: str) -> tuple[str, str, str]:
    """core.i18n.printed_ends of rates, printed with "%"."""
    return printed_ends(values, lambda v: _g(v, lang) + "%")


def rates_reading(rates: pd.DataFrame, lang: str = "en") -> str:
    """National against Phnom Penh, computed from the figures shown."""
    _ = translator(lang)
    national = rates[rates["geo_level"] == "national"]
    city = rates[rates["geo_code"] == "KH-12"]
    parts = []
    if not national.empty:
        kind, low, high = _agreement(national["value"], lang)
        parts.append(_("recycling.rates.reading_national", low=low, high=high) if kind == "range"
                     else _("recycling.rates.reading_national_one", value=low) if kind == "one"
                     else _("recycling.rates.reading_national_same", value=low))
    if not city.empty:
        kind, low, high = _agreement(city["value"], lang)
        parts.append(_("recycling.rates.reading_city", low=low, high=high) if kind == "range"
                     else _("recycling.rates.reading_city_one", value=low) if kind == "one"
                     else _("recycling.rates.reading_city_same", value=low))
    text = _("recycling.rates.reading_parts", parts="; ".join(parts)) if parts else ""
    return text + (_("recycling.rates.reading_single") if len(rates) == 1 else _("recycling.rates.reading"))


def rates_frame(rows: pd.DataFrame, by_id: pd.DataFrame, lang: str = "en") -> dict | None:
    """The chart_frame arguments of the rates chart (None when no rate is left)."""
    _ = translator(lang)
    rates = rf.rate_rows(rows).copy()
    if rates.empty:
        return None
    rates["label"] = labels_for(rates, by_id, lang)
    group = rates["geo_level"].where(rates["geo_level"].isin(GEO_GROUPS), "other")
    # Sorted by the English group names in every language, so both show the groups in the same order.
    rates["place_order"] = [translator("en")(f"recycling.place_group.{g}") for g in group]
    rates["place"] = [_(f"recycling.place_group.{g}") for g in group]
    rates = rates.sort_values(["place_order", "value"], ascending=[True, False])
    figure = rf.ranked_dots(rates, label="label", unit_title=_("recycling.rates.axis"),
                            colour_by="place", unit="%", lang=lang)
    kind, low, high = _agreement(rates["value"], lang)
    return dict(
        key="recycling-rates",
        title=(_("recycling.rates.title", low=low, high=high) if kind == "range"
               else _("recycling.rates.title_one", value=low) if kind == "one"
               else _("recycling.rates.title_same", count=len(rates), value=low)),
        subtitle=_("recycling.rates.subtitle", count=len(rates)),
        figure=figure,
        table=table_of(rates, ["geo_level"]),
        source_ids=cited(rates["source_id"]),
        alt=_("recycling.rates.alt", count=len(rates), items="; ".join(
            f"{lab}: {rf.value_text(r, '%', lang=lang)}"
            for lab, (_i, r) in zip(rates["label"], rates.iterrows(), strict=True))),
        reading=rates_reading(rates, lang),
        method=_("recycling.rates.method"),
    )


def rates_view(frame: dict | None, selection, _: Translator) -> None:
    if frame is None:
        empty_note("rate", selection, _)
        return
    chart_frame(**frame)


# A slash between word joiners (U+2060): a unit such as 'តោន/ឆ្នាំ' (t/yr) does not wrap at its slash; the
# joiners are invisible.
UNIT_SLASH = "\u2060/\u2060"


def records_table(head: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of records: the header, a figure column (the second) aligned right, and every cell escaped
    (no Markdown or table syntax can come from the data)."""
    lines = ["| " + " | ".join(head) + " |", "|---|---:|" + "---|" * (len(head) - 2)]
    lines += ["| " + " | ".join(escape_markdown(str(cell)) for cell in cells) + " |" for cells in rows]
    return "\n".join(lines)


def industry_specs(rows: pd.DataFrame, by_id: pd.DataFrame, lang: str = "en") -> tuple[str | None, tuple[str, ...]]:
    """The businesses' figures as one Markdown table (what was counted, the figure, where and when, the source, its
    confidence) and the source ids it cites; None when the filters leave none.

    A table rather than headline cards: these are single figures, several about one business, each from its own
    place, year and source, so they are listed as records and not dressed as comparable indicators. Every cell
    that comes from the data is escaped (no Markdown or table syntax can come from it).
    """
    _ = translator(lang)
    # The national depot count is in the headline row above.
    picks = rows[rows["indicator"].isin(["scrap_dealers", "recycling_factories", "recycler_throughput",
                                          "pet_waste"])]
    if picks.empty:
        return None, ()
    head = [_(f"recycling.industry.col_{name}") for name in ("what", "figure", "where", "source", "confidence")]
    records = []
    for _i, row in picks.iterrows():
        unit = "" if row["unit"] == "count" else rf.unit_symbol(row["unit"], lang=lang)
        unit = unit.replace("/", UNIT_SLASH)  # 'តោន/ឆ្នាំ' stays whole in a narrow column
        forecast = _("recycling.industry.forecast") if row["scope"] == "projection" else ""
        cells = [_(f"recycling.industry.{row['indicator']}") + forecast,
                 rf.value_text(row, unit, lang=lang).replace(" ", "\u00a0"),  # a figure and its unit on one line
                 f"{rf.place_name(row['geography'], lang=lang)}, {rf.period_name(row['period'], lang=lang)}",
                 cite(row, by_id), confidence_word(row["confidence"], lang=lang)]
        records.append(cells)
    return records_table(head, records), cited(picks["source_id"])


def industry_view(industry: tuple[str | None, tuple[str, ...]], selection, _: Translator) -> None:
    table, source_ids = industry
    st.subheader(_("recycling.industry.heading"))
    if table is None:
        empty_note("businesses", selection, _)
        return
    st.caption(_("recycling.industry.caption"))
    st.markdown(table)
    source_line(source_ids, key="cite-industry")


def exports_specs(rows: pd.DataFrame, by_id: pd.DataFrame, lang: str = "en") -> dict | None:
    """The published exports of recyclables as a titled table of records (None when the filters leave none).

    A table, not a chart: the ledger has one year of exports (two materials, 2017), and the title already states
    both figures; two bars would add nothing to read but one more chart to draw (about 0.1x of the bare page's
    time to all charts drawn, in the benchmark)."""
    _ = translator(lang)
    exports = rows[rows["indicator"] == "exports"]
    if exports.empty:
        return None
    years = ", ".join(rf.period_name(p, lang=lang) for p in sorted(set(exports["period"])))
    tonnes = rf.unit_symbol("t", lang=lang)
    names = rf.export_names(exports, lang=lang)
    head = [_(f"recycling.exports.col_{name}") for name in ("material", "tonnes", "where")] + [
        _(f"recycling.industry.col_{name}") for name in ("source", "confidence")]
    records = [[name, f"{fmt(row['value'], ',.0f', lang)}\u00a0{tonnes}",
                f"{rf.place_name(row['geography'], lang=lang)}, {rf.period_name(row['period'], lang=lang)}",
                cite(row, by_id), confidence_word(row["confidence"], lang=lang)]
               for name, (_i, row) in zip(names, exports.iterrows(), strict=True)]
    return dict(
        title=_("recycling.exports.title", years=years, items=_("recycling.and").join(
            _("recycling.exports.title_item", tonnes=f"{fmt(v, ',.0f', lang)} {tonnes}",
              material=q.lower() if lang == "en" else q)
            for v, q in zip(exports["value"], names, strict=True))),
        subtitle=_("recycling.exports.subtitle", years=years),
        table=records_table(head, records),
        reading=_("recycling.exports.reading"),
        source_ids=cited(exports["source_id"]),
    )


def exports_view(spec: dict | None, selection, _: Translator) -> None:
    if spec is None:
        empty_note("exports", selection, _)
        return
    with st.container(border=True, key="frame-recycling-exports"):
        st.markdown(f"#### {spec['title']}")
        st.caption(spec["subtitle"])
        st.markdown(spec["table"])
        st.markdown(f"**{_('frame.reading')}** {spec['reading']}")
        source_line(spec["source_ids"], key="cite-exports")


def prices_frame(rows: pd.DataFrame, lang: str = "en") -> dict | None:
    _ = translator(lang)
    prices = rf.price_rows(rows)
    if prices.empty:
        return None

    def material(code: str) -> str:
        return code if lang == "en" else rf.material_name(code, lang=lang)

    undated = prices[prices["year"].isna()]
    undated_text = "; ".join(
        _("recycling.prices.undated_item", value=rf.value_text(r, r["unit_shown"], lang=lang),
          material=material(r["material"]), place=rf.place_name(r["geography"], lang=lang),
          period=rf.period_name(r["period"], lang=lang)) for _i, r in undated.iterrows())
    dated = prices[prices["year"].notna()]
    years = (year_range(int(dated["year"].min()), int(dated["year"].max())) if not dated.empty
             else _("recycling.no_year"))
    return dict(
        key="recycling-prices",
        title=_("recycling.prices.title"),
        subtitle=(_("recycling.prices.subtitle", years=years)
                  + (_("recycling.prices.undated", items=undated_text) if undated_text else "")),
        figure=rf.price_panels(prices, lang=lang),
        table=prices[["id", "indicator", "material", "geography", "period", "value", "value_low", "value_high",
                      "qualifier", "unit_shown", "unit", "derived", "confidence", "source_id", "quote", "note"]]
        .rename(columns={"unit_shown": "unit_per_kg_shown", "unit": "unit_as_published"}),
        source_ids=cited(prices["source_id"]),
        alt=_("recycling.prices.alt", items="; ".join(
            _("recycling.prices.alt_item", material=material(r["material"]),
              value=rf.value_text(r, r["unit_shown"], lang=lang), period=rf.period_name(r["period"], lang=lang))
            for _i, r in prices.iterrows())),
        reading=_("recycling.prices.reading"),
        method=_("recycling.prices.method"),
    )


def prices_view(frame: dict | None, selection, _: Translator) -> None:
    if frame is None:
        empty_note("prices", selection, _)
        return
    chart_frame(**frame)


def pickers_frames(rows: pd.DataFrame, by_id: pd.DataFrame, lang: str = "en") -> list[dict] | None:
    """The chart_frame arguments of the waste-picker charts (None when no figure on pickers is left)."""
    _ = translator(lang)
    counts = rows[(rows["indicator"] == "waste_pickers")].copy()
    income = rows[rows["indicator"] == "picker_income"].copy()
    shares = rows[rows["indicator"].isin(["waste_picker_minor_share", "picker_low_income_share"])].copy()
    if counts.empty and income.empty and shares.empty:
        return None
    frames: list[dict] = []
    persons = counts[counts["unit"] == "persons"].copy()
    if not persons.empty:
        persons["label"] = labels_for(persons, by_id, lang)
        kind, low, high = printed_ends(persons["value"], lambda v: fmt(v, ",.0f", lang))
        others = counts[counts["unit"] != "persons"]
        other_text = "; ".join(
            _("recycling.pickers.other_item", value=f"{rf.value_text(r, lang=lang)} "
                                                     f"{rf.unit_symbol(r['unit'], lang=lang)}",
              place=rf.place_name(r["geography"], lang=lang), period=rf.period_name(r["period"], lang=lang))
            for _i, r in others.iterrows())
        frames.append(dict(
            key="picker-counts",
            title=(_("recycling.pickers.counts_title", low=low, high=high) if kind == "range"
                   else _("recycling.pickers.counts_title_one", value=low) if kind == "one"
                   else _("recycling.pickers.counts_title_same", count=len(persons), value=low)),
            subtitle=_("recycling.pickers.counts_subtitle")
            + (_("recycling.pickers.counts_other", items=other_text) if other_text else ""),
            figure=rf.ranked_dots(persons, label="label", unit_title=_("recycling.pickers.counts_axis"), lang=lang),
            table=table_of(counts),
            source_ids=cited(counts["source_id"]),
            alt=_("recycling.pickers.counts_alt", count=len(persons), items="; ".join(
                f"{lab}: {rf.value_text(r, lang=lang)}"
                for lab, (_i, r) in zip(persons["label"], persons.iterrows(), strict=True))),
            reading=_("recycling.pickers.counts_reading"),
        ))
    if not income.empty:
        income["label"] = labels_for(income, by_id, lang)
        frames.append(dict(
            key="picker-income",
            title=_("recycling.pickers.income_title"),
            subtitle=_("recycling.pickers.income_subtitle"),
            figure=rf.income_panels(income, label="label", lang=lang),
            table=table_of(income),
            source_ids=cited(income["source_id"]),
            alt=_("recycling.pickers.income_alt", items="; ".join(
                f"{lab}: {rf.value_text(r, lang=lang)} {r['unit']}"
                for lab, (_i, r) in zip(income["label"], income.iterrows(), strict=True))),
            reading=_("recycling.pickers.income_reading"),
            method=_("recycling.pickers.income_method"),
        ))
    if not shares.empty:
        shares["label"] = labels_for(shares, by_id, lang)
        shares["what"] = [_(f"recycling.pickers.{indicator}") for indicator in shares["indicator"]]
        frames.append(dict(
            key="picker-conditions",
            title=_("recycling.pickers.conditions_title"),
            subtitle=_("recycling.pickers.conditions_subtitle"),
            figure=rf.ranked_dots(shares, label="label", unit_title=_("recycling.pickers.conditions_axis"),
                                  colour_by="what", unit="%", lang=lang),
            table=table_of(shares),
            source_ids=cited(shares["source_id"]),
            alt=_("recycling.pickers.conditions_alt", items="; ".join(
                f"{lab}: {rf.value_text(r, '%', lang=lang)} ({r['note'][:80]})" for lab, (_i, r) in
                zip(shares["label"], shares.iterrows(), strict=True))),
            reading=_("recycling.pickers.conditions_reading"),
        ))
    return frames


def pickers_view(frames: list[dict] | None, selection, _: Translator) -> None:
    if frames is None:
        empty_note("pickers", selection, _)
        return
    st.subheader(_("recycling.pickers.heading"))
    # Three charts on one question (how many, what they earn, how they live): tabs, so a first visit draws one.
    chart_tabs([(_(f"recycling.pickers.tab.{frame['key'].removeprefix('picker-')}"), frame) for frame in frames],
               key="pickers")


def gaps_view(_: Translator) -> None:
    st.subheader(_("recycling.gaps.heading"))
    st.caption(_("recycling.gaps.intro"))
    cols = st.columns(3)
    for index, name in enumerate(GAPS):
        with cols[index % 3], st.container(border=True):
            # Title and status as two paragraphs of one Markdown element: drawn exactly as two elements are.
            st.markdown(f"**{_(f'recycling.gap.{name}.title')}**\n\n"
                        f":gray-badge[:material/block: {_('recycling.gaps.badge')}] "
                        f"{_(f'recycling.gap.{name}.status')}")
            st.caption(_(f"recycling.gap.{name}.instead"))
    st.caption(_("recycling.gaps.dossier"))


def build_cards(data_dir: str, lang: str = "en") -> tuple[list[tuple[object, object]], tuple[str, ...]]:
    """(title, text) of the workshop's informal-sector rows in the language, and their source ids.

    data/workshop.csv carries the Khmer text beside the English (title_km, text_km); an empty Khmer cell
    falls back to the English."""
    workshop = load("workshop")
    cards = workshop[workshop["id"].isin(WORKSHOP_ROWS)]

    def cell(card: pd.Series, column: str) -> object:
        twin = card.get(f"{column}_{lang}") if lang != "en" else None
        return twin if isinstance(twin, str) and twin.strip() else card[column]

    return [(cell(card, "title"), cell(card, "text")) for _i, card in cards.iterrows()], cited(cards["source_id"])


@st.cache_resource(show_spinner=False, max_entries=16)
def workshop_cards(data_dir: str, lang: str = "en") -> tuple[list[tuple[object, object]], tuple[str, ...]]:
    return build_cards(data_dir, lang)


def workshop_view(_: Translator) -> None:
    try:  # a broken workshop file is shown as a data error (components.data.need), never cached
        cards, source_ids = workshop_cards(str(data_dir_from_env()), _.lang)
    except DataError as error:
        show_data_error(error)
        return
    if not cards:
        return
    st.subheader(_("recycling.workshop.heading"))
    cols = st.columns(len(cards))
    for col, (title, text) in zip(cols, cards, strict=True):
        with col, st.container(border=True):
            if isinstance(text, str):  # one Markdown element of two paragraphs, drawn as st.write's would be
                st.markdown(f"**{title}**\n\n{text}")
            else:
                st.markdown(f"**{title}**")
                st.write(text)
    source_line(source_ids)
