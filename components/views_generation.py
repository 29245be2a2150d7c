"""The Waste generation page's views: cached builders of its figures, tables and texts, and the functions that
draw them (app_pages/generation.py calls them).

The drawing code lives in this module rather than in the page file: a page file is compiled anew on every rerun
and a cached function defined there is re-created each time. What the page draws depends only on the data folder,
the selection, the language and the projection's two controls, so it is built once per combination and shared
read-only (cache_resource): callers must not mutate it. The builders load their tables themselves (a DataError
is raised, never cached).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components.data import load
from components.filters import unrecognised_link_values
from components.frame import chart_frame, chart_tabs, downloads, kpi, lazy_panel, prepared_table, source_line
from core import evidence, sectors
from core import generation_figures as gfig
from core.catalogue import format_citation, short_label, split_ids
from core.generation_figures import fmt, tonnes_text
from core.i18n import Translator, printed_ends, translator
from core.projection import project, projection_years
from core.sectors import Selection, apply

APPLIES = ("stage", "geo", "conf", "years")
MARK_YEARS = (2030, 2035)
RATE_MIN, RATE_MAX, RATE_STEP = -5.0, 15.0, 0.1
BASE_KEY, RATE_KEY = "gen_base", "gen_rate"
SHOW_KEY = "gen_proj"  # the projection's switch (in the link while on)


# ------------------------------------------------------------------ helpers

def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """'Producer year' per source id; a cell citing two sources gets both names."""
    labels = {row["id"]: short_label(row) for _index, row in sources.iterrows()}
    return labels


def label_for(cell: str, labels: dict[str, str]) -> str:
    return "; ".join(labels.get(part, part) for part in str(cell).split(";") if part)


def empty_state(what: str, selection: Selection, _: Translator) -> None:
    """`what` is a key of generation.empty.*: the figures no row is left of."""
    st.info(_("generation.empty_state", what=_(f"generation.empty.{what}"),
              selection=selection.describe(APPLIES, _)), icon=":material/filter_alt_off:")


def years_text(frame: pd.DataFrame, lang: str = "en") -> str:
    dated = frame["year"].dropna()
    if dated.empty:
        _ = translator(lang)
        return _("generation.no_stated_year")
    low, high = int(math.floor(dated.min())), int(math.ceil(dated.max()))
    return str(low) if low == high else f"{low}–{high}"


def undated_note(frame: pd.DataFrame, value: str, unit: str, spec: str = ",.0f", lang: str = "en") -> str:
    """' Not plotted because no year is stated: ...' (with its leading space), or '' when every row is dated."""
    _ = translator(lang)
    undated = frame[frame["year"].isna()]
    if undated.empty:
        return ""
    parts = [f"{fmt(row[value], spec, lang)} {unit} ({row['id']})" if pd.notna(row[value])
             else _("generation.undated.range", id=row["id"]) for _index, row in undated.iterrows()]
    return " " + _("generation.undated.note", items="; ".join(parts))


def rate_ok(value: str) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number) and RATE_MIN <= number <= RATE_MAX


def switch_ok(value: str) -> bool:
    """A value the projection's bound switch reads: Streamlit's booleans, in any case (it writes 'true')."""
    return value.lower() in ("true", "false")


def link_notice(base_ids: list[str], _: Translator) -> None:
    """Quietly name link values this page's own controls cannot use (Streamlit then uses the default). Drawn at the
    top, under the filters' note, so a reader who opened a mangled link sees it on the first screen, not beside the
    projection at the page's end."""
    bad = unrecognised_link_values({SHOW_KEY: switch_ok, BASE_KEY: base_ids, RATE_KEY: rate_ok})
    if bad:
        st.caption(_("generation.link_notice", values=", ".join(f"{k}={v}" for k, v in bad)))


def selection_key(selection: Selection) -> str:
    """The part of the selection this page reads, as a cache key (core.sectors.selection_key)."""
    return sectors.selection_key(selection, APPLIES)


from_key = sectors.selection_from_key


def cited(cells) -> tuple[str, ...]:
    """The source ids of these cells, each once, in order ('a;b' cites two): what source_line would compute from
    the cells, done once in the cached builder rather than on every rerun."""
    return tuple(dict.fromkeys(source for cell in cells for source in split_ids(str(cell))))


# ------------------------------------------------------------------ cached work
# What the page draws depends only on the data folder, the selection, the language and the projection's two
# controls, so it is built once per combination and shared read-only (cache_resource): nothing may mutate it.
# The builders load their tables themselves (a DataError is raised, never cached). A warm rerun makes two
# cached calls: model (everything but the projection's result) and projection.

def build_data(data_dir: str, lang: str = "en") -> dict:
    """Everything that does not depend on the selection."""
    estimates, sources = load("estimates"), load("sources")
    labels = source_labels(sources)
    all_totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    return {"estimates": estimates, "sources": sources, "labels": labels, "all_totals": all_totals,
            "headline": headline, "setup": projection_setup(estimates, all_totals, labels, headline, lang),
            "per_capita": gfig.per_capita_daily(estimates), "cities": gfig.city_daily(estimates)}


def build_model(data_dir: str, key: str, lang: str = "en") -> dict:
    """Everything the sidebar filters change."""
    data, selection = data_model(data_dir, lang), from_key(key)
    labels, headline = data["labels"], data["headline"]
    totals = apply(data["all_totals"], selection, APPLIES)
    cards, quote = headline_specs(data["estimates"], data["sources"], totals, headline, lang)
    return {"cards": cards, "quote": quote, "national": national_frame(totals, labels, headline, lang),
            "evidence": evidence_rows(totals, labels), "evidence_sources": cited(totals["source_id"]),
            "setup": data["setup"],
            "per_capita": per_capita_frame(apply(data["per_capita"], selection, APPLIES), lang),
            "cities": city_frames(apply(data["cities"], selection, APPLIES), lang)}


@st.cache_resource(show_spinner=False, max_entries=16)
def data_model(data_dir: str, lang: str) -> dict:
    return build_data(data_dir, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def model(data_dir: str, key: str, lang: str) -> dict:
    """Everything the page draws except the projection's result (key: selection_key of the selection)."""
    return build_model(data_dir, key, lang)


@st.cache_resource(show_spinner=False, max_entries=512)
def projection(data_dir: str, base_id: str, rate: float, lang: str) -> tuple[list[dict], dict]:
    return projection_result(data_model(data_dir, lang)["setup"], base_id, rate, lang)


# ------------------------------------------------------------------ views

def headline_specs(estimates: pd.DataFrame, sources: pd.DataFrame, totals: pd.DataFrame,
                   headline: evidence.Headline, lang: str = "en") -> tuple[list[dict], str]:
    """The three headline cards (kpi arguments) and the quote under them."""
    _ = translator(lang)
    source = sources.set_index("id").loc[headline.source_id]
    growth = evidence.growth_for(estimates, headline)
    cards = [dict(label=_("generation.kpi.headline", year=headline.year),
                  value=tonnes_text(headline.value_t, lang=lang),
                  caption=_("generation.kpi.headline_caption", source=short_label(source), id=headline.row_id),
                  help=_("generation.headline_rule"))]
    if growth is None:
        cards.append(dict(label=_("generation.kpi.change"), value=_("generation.no_figure"),
                          caption=_("generation.kpi.change_none")))
    else:
        cards.append(dict(label=_("generation.kpi.change_on", year=headline.year - 1),
                          value=fmt(growth["value"], "+.1f", lang) + "%",
                          caption=_("generation.kpi.change_caption", source=short_label(source), id=growth["id"])))
    cards.append(dict(label=_("generation.kpi.count"), value=f"{len(totals)}",
                      caption=_("generation.kpi.count_caption", sources=totals["source_id"].nunique())))
    return cards, f"“{headline.quote}” — {format_citation(source)} {_('generation.headline_rule')}"


def headline_row(cards: list[dict], quote: str) -> None:
    for col, card in zip(st.columns(3), cards, strict=True):
        with col:
            kpi(card["label"], card["value"], caption=card["caption"], help=card.get("help"))
    st.caption(quote)


def national_frame(totals: pd.DataFrame, labels: dict[str, str], headline: evidence.Headline,
                   lang: str = "en") -> dict | None:
    """The chart_frame arguments of the national chart (None when no national tonnage is left)."""
    _ = translator(lang)
    if totals.empty:
        return None
    dated = totals[totals["year"].notna()]
    generated = dated[dated["scope"].eq("generated") & dated["value_t"].notna() & ~dated["derived"]]
    if generated.empty:
        title = _("generation.national.title_plain")
    else:
        # Compared as shown: figures that print alike are one value, not a range "from 4.00 to 4.00".
        kind, low, high = printed_ends(generated["value_t"] / 1e6, lambda v: fmt(v, ".2f", lang))
        title = _("generation.national.title", low=low, high=high) if kind == "range" else \
            _("generation.national.title_one", value=low) if kind == "one" else \
            _("generation.national.title_same", count=len(generated), value=low)
    table = totals.assign(source=[label_for(s, labels) for s in totals["source_id"]],
                          million_t_per_year=totals["value_t"] / 1e6)[
        ["id", "period", "million_t_per_year", "scope", "confidence", "method", "source", "source_id"]]
    return dict(
        key="gen-national",
        title=title,
        subtitle=_("generation.national.subtitle", years=years_text(totals, lang), count=len(totals),
                   sources=totals["source_id"].nunique())
                 + undated_note(totals.assign(v=totals["value_t"] / 1e6), "v", _("generation.unit.mt_yr"), ".2f",
                                lang),
        figure=gfig.national_evidence(totals, labels, headline_id=headline.row_id, lang=lang),
        table=table,
        source_ids=cited(totals["source_id"]),
        alt=_("generation.national.alt", count=len(dated), years=years_text(totals, lang), year=headline.year,
              value=fmt(headline.value_t / 1e6, ".2f", lang)),
        reading=_("generation.national.reading"),
        method=_("generation.national.method") + " " + _("generation.headline_rule"),
    )


def national_view(frame: dict | None, selection: Selection, _: Translator) -> None:
    st.subheader(_("generation.heading.national"))
    if frame is None:
        empty_state("national", selection, _)
        return
    chart_frame(**frame)


def evidence_rows(totals: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame | None:
    if totals.empty:
        return None
    return totals.assign(source=[label_for(s, labels) for s in totals["source_id"]])[
        ["id", "period", "value", "unit", "qualifier", "value_t", "scope", "confidence", "source", "quote",
         "derived", "value_low", "value_high", "note", "source_id"]].rename(columns={"value_t": "tonnes_per_year"})


def evidence_table(table: pd.DataFrame | None, source_ids: tuple[str, ...], _: Translator) -> None:
    if table is None:
        return
    with st.container(border=True, key="frame-gen-evidence"):
        st.markdown(f"#### {_('generation.evidence.title')}")
        st.caption(_("generation.evidence.caption"))
        # The table and its downloads are built only while their panel is open (a data grid is heavy to load).
        panel = lazy_panel(_("generation.evidence.panel"), key="gen-evidence", icon=":material/table:")
        if panel is not None:
            with panel:
                # Column headers stay the data's names (a download matches data/); only the wide text columns and
                # the two number columns get a display format.
                st.dataframe(prepared_table(table), hide_index=True, key="table-gen-evidence", column_config={
                    "quote": st.column_config.TextColumn("quote", width="large"),
                    "note": st.column_config.TextColumn("note", width="medium"),
                    "tonnes_per_year": st.column_config.NumberColumn("tonnes per year", format="%,.0f"),
                    "value": st.column_config.NumberColumn("value as published", format="%,.6g"),
                })
                downloads(table, name="national-waste-estimates-evidence", key="gen-evidence")
        source_line(source_ids, key="cite-gen-evidence")


def per_capita_frame(per_capita: pd.DataFrame, lang: str = "en") -> dict | None:
    _ = translator(lang)
    if per_capita.empty:
        return None
    in_range = per_capita[per_capita["scope"] != "projection"]
    projected = per_capita[per_capita["scope"] == "projection"]
    plotted = in_range[in_range["year"].notna()]
    national = in_range[in_range["geo_level"] == "national"]["kg_per_day"].dropna()
    local = in_range[in_range["geo_level"] != "national"]
    local_values = pd.concat([local["kg_per_day"], local["kg_per_day_low"], local["kg_per_day_high"]]).dropna()
    parts = []
    if not national.empty:  # compared as shown: ends that print alike are one value, not "0.73 to 0.73"
        kind, low, high = printed_ends(national, lambda v: fmt(v, ".2g", lang))
        parts.append(_("generation.per_capita.national_range", low=low, high=high) if kind == "range" else
                     _("generation.per_capita.national_one", value=low))
    if not local_values.empty:
        kind, low, high = printed_ends(local_values, lambda v: fmt(v, ".2g", lang))
        parts.append(_("generation.per_capita.local", low=low, high=high) if kind == "range" else
                     _("generation.per_capita.local_one", value=low))
    finding = _("generation.per_capita.title", parts="; ".join(parts)) if parts else \
        _("generation.per_capita.title_plain")
    unit = _("generation.unit.kg")
    projection_text = "".join(
        " " + _("generation.per_capita.projection", value=fmt(row["kg_per_day"], "g", lang), unit=unit,
                period=row["period"], id=row["id"]) for _index, row in projected.iterrows())
    table = per_capita[["id", "geography", "group", "period", "value", "value_low", "value_high", "unit",
                        "kg_per_day", "kg_per_day_low", "kg_per_day_high", "method", "scope", "confidence",
                        "source_id", "quote"]]
    groups = {gfig.PER_CAPITA_GROUPS.get(level, level): gfig.group_name(level, lang=lang)
              for level in in_range["geo_level"].dropna().unique()}
    return dict(
        key="gen-per-capita",
        title=finding,
        subtitle=_("generation.per_capita.subtitle", years=years_text(plotted, lang))
                 + undated_note(in_range, "kg_per_day", unit, ".2f", lang) + projection_text,
        figure=gfig.dated_dots(in_range, value="kg_per_day", low="kg_per_day_low", high="kg_per_day_high",
                               group="group", y_title=_("generation.axis.kg_per_day"),
                               unit=_("generation.unit.kg_cap_day"), height=400, group_names=groups, lang=lang),
        table=table,
        source_ids=cited(per_capita["source_id"]),
        alt=_("generation.per_capita.alt", count=len(plotted)),
        reading=_("generation.per_capita.reading"),
        method=_("generation.per_capita.method"),
    )


def per_capita_view(frame: dict | None, selection: Selection, _: Translator) -> None:
    if frame is None:
        empty_state("per_capita", selection, _)
        return
    chart_frame(**frame)


def city_frames(cities: pd.DataFrame, lang: str = "en") -> tuple[dict | None, dict | None] | None:
    """The chart_frame arguments of the Phnom Penh and other-cities charts (None: none left)."""
    _ = translator(lang)
    if cities.empty:
        return None
    capital_frame = others_frame = None
    unit = _("generation.unit.t_day")
    common = dict(value="t_per_day", low="t_per_day_low", high="t_per_day_high", scope="scope",
                  y_title=_("generation.axis.t_per_day"), unit=unit, lang=lang)
    columns = ["id", "place", "geography", "period", "value", "value_low", "value_high", "qualifier", "unit",
               "t_per_day", "t_per_day_low", "t_per_day_high", "method", "scope", "confidence", "source_id",
               "quote", "note"]
    capital = cities[cities["geo_code"] == gfig.PHNOM_PENH]
    others = cities[cities["geo_code"] != gfig.PHNOM_PENH]
    if not capital.empty:
        plotted = capital[capital["year"].notna()]
        generated = plotted[plotted["scope"].eq("generated")]
        first = generated[generated["t_per_day"].notna()].sort_values("year").head(1)
        recent = generated[generated["year"].ge(2020)]
        parts = [_("generation.capital.first", value=fmt(row["t_per_day"], ",.0f", lang), period=row["period"])
                 for _index, row in first.iterrows()]
        if not recent.empty:
            low = fmt(recent["t_per_day"].min(), ",.0f", lang)
            high = fmt(recent[["t_per_day", "t_per_day_high"]].max().max(), ",.0f", lang)
            parts.append(_("generation.capital.recent", low=low, high=high) if low != high else
                         _("generation.capital.recent_one", value=low))
        finding = _("generation.capital.title", parts="; ".join(parts)) if parts else \
            _("generation.capital.title_plain")
        scopes = {scope: gfig.scope_name(scope, lang=lang) for scope in capital["scope"].dropna().unique()}
        capital_frame = dict(
            key="gen-phnom-penh",
            title=finding,
            subtitle=_("generation.capital.subtitle", years=years_text(plotted, lang))
                     + undated_note(capital, "t_per_day", unit, lang=lang),
            figure=gfig.dated_dots(capital.assign(series=capital["scope"]), group="series", scope_legend=False,
                                   group_names=scopes, **common),
            table=capital[columns],
            source_ids=cited(capital["source_id"]),
            alt=_("generation.capital.alt", count=len(plotted), years=years_text(plotted, lang)),
            reading=_("generation.capital.reading"),
            method=_("generation.capital.method"),
        )
    if others.empty:
        return capital_frame, None
    plotted = others[others["year"].notna()]
    places = {place: gfig.place_name(code, place, lang=lang)
              for place, code in zip(others["place"], others["geo_code"], strict=True)}
    others_frame = dict(
        key="gen-other-cities",
        title=other_cities_title(others, lang),
        subtitle=_("generation.others.subtitle", years=years_text(plotted, lang), places=others["place"].nunique())
                 + undated_note(others, "t_per_day", unit, lang=lang),
        figure=gfig.dated_dots(others, group="place", group_names=places, **common),
        table=others[columns],
        source_ids=cited(others["source_id"]),
        alt=_("generation.others.alt", count=len(plotted), places=plotted["place"].nunique()),
        reading=_("generation.others.reading"),
        method=_("generation.others.method"),
    )
    return capital_frame, others_frame


def city_views(frames: tuple[dict | None, dict | None] | None, selection: Selection, _: Translator) -> None:
    st.subheader(_("generation.heading.cities"))
    if frames is None:
        empty_state("cities", selection, _)
        return
    capital_frame, others_frame = frames
    if capital_frame is None:
        st.info(_("generation.capital.none"), icon=":material/filter_alt_off:")
    if others_frame is None:
        st.info(_("generation.others.none"), icon=":material/filter_alt_off:")
    # The capital and the other places: tabs, so a first visit draws one of the two charts.
    tabs = [(_("generation.tab.capital"), capital_frame), (_("generation.tab.others"), others_frame)]
    chart_tabs([(label, frame) for label, frame in tabs if frame is not None], key="cities")


def other_cities_title(others: pd.DataFrame, lang: str = "en") -> str:
    """The finding for the other-cities chart, computed from what is shown."""
    _ = translator(lang)
    values = others.assign(top=others[["t_per_day", "t_per_day_high"]].max(axis=1))
    values = values[values["year"].notna() & values["top"].notna()]
    places = others["place"].nunique()
    lead = _("generation.others.title_one" if places == 1 else "generation.others.title", places=places)
    if values.empty:
        return lead
    top = values.loc[values["top"].idxmax()]
    return _("generation.others.title_largest", lead=lead, place=gfig.place_name(top["geo_code"], top["place"],
                                                                                 lang=lang),
             value=fmt(top["top"], ",.0f", lang), period=top["period"])


def end_words(end: str, lang: str = "en") -> str:
    """Which end of a published range a preset is: 'low end', 'high end' (or 'low', 'high'); '' for a value."""
    _ = translator(lang)
    return _(f"generation.preset.{end.replace(' ', '_')}") if end else ""


def set_rate(value: float) -> None:
    st.session_state[RATE_KEY] = value


def projection_setup(estimates: pd.DataFrame, all_totals: pd.DataFrame, labels: dict[str, str],
                     headline: evidence.Headline, lang: str = "en") -> dict | None:
    """What the projection's controls need: figures to start from and published rates (None: no base)."""
    _ = translator(lang)
    options = gfig.base_options(all_totals)
    if options.empty:
        return None
    presets = gfig.growth_presets(estimates)
    growth = evidence.growth_for(estimates, headline)
    ids = list(options["id"])
    buttons = []
    for _index, preset in presets.iterrows():
        end = " " + end_words(preset["end"].split()[0], lang) if preset["end"] else ""
        rate = fmt(preset["rate_pct"], "+g", lang)
        buttons.append(dict(
            label=(_("generation.preset.about", id=preset["id"], end=end, rate=rate)
                   if preset["qualifier"] == "about" else
                   _("generation.preset.label", id=preset["id"], end=end, rate=rate)),
            key=f"gen_preset_{preset['id']}_{preset['end'].replace(' ', '_') or 'value'}",
            rate=preset["rate_pct"],
            help=_("generation.preset.help", source=label_for(preset["source_id"], labels), period=preset["period"],
                   confidence=gfig.confidence_name(preset["confidence"], lang=lang), quote=preset["quote"])))
    bases = options.set_index("id")
    captions = {base_id: _("generation.base.caption", id=base_id, value=tonnes_text(base["value_t"], lang=lang),
                           period=base["period"], source=label_for(base["source_id"], labels),
                           confidence=gfig.confidence_name(base["confidence"], lang=lang),
                           method=gfig.method_name(base["method"], lang=lang), quote=base["quote"])
                for base_id, base in bases.iterrows()}
    return {
        "ids": ids,
        "index": ids.index(headline.row_id) if headline.row_id in ids else 0,
        "default_rate": float(growth["value"]) if growth is not None and pd.notna(growth["value"]) else 0.0,
        "captions": captions,
        "choices": options.assign(million_t=options["value_t"] / 1e6,
                                  source=[label_for(s, labels) for s in options["source_id"]])[
            ["id", "period", "million_t", "method", "confidence", "source"]],
        "buttons": buttons,
        "bases": bases,
        "presets": presets,
        "published": all_totals[all_totals["scope"].isin(["generated", "collected"])],
    }


def projection_result(setup: dict, base_id: str, rate: float, lang: str = "en") -> tuple[list[dict], dict]:
    """The 2030 and 2035 cards (kpi arguments) and the chart_frame arguments of one base and rate."""
    _ = translator(lang)
    base = setup["bases"].loc[base_id]
    presets = setup["presets"]
    path = project(float(base["value_t"]), float(base["year"]), float(rate),
                   projection_years(float(base["year"]), max(MARK_YEARS)))
    at = path.set_index("year")["value"]
    base_t = tonnes_text(base["value_t"], lang=lang)
    signed = fmt(rate, "+.1f", lang)
    cards = [dict(label=_("generation.kpi.projection", year=year), value=tonnes_text(at[float(year)], lang=lang),
                  caption=_("generation.kpi.projection_caption", id=base_id, value=base_t, period=base["period"],
                            rate=signed, years=fmt(year - base["year"], "g", lang)))
             for year in MARK_YEARS]
    alternatives = {}
    for other_rate, group in presets.groupby("rate_pct", sort=True):
        if math.isclose(other_rate, rate):
            continue
        ids = "; ".join(f"{row['id']} {end_words(row['end'], lang)}".strip() for _index, row in group.iterrows())
        alternatives[_("generation.projection.alternative", rate=fmt(other_rate, "+g", lang), ids=ids)] = project(
            float(base["value_t"]), float(base["year"]), float(other_rate),
            projection_years(float(base["year"]), max(MARK_YEARS)))
    table = path.assign(million_t=path["value"] / 1e6, base_id=base_id, kind="projection, not a published figure")[
        ["year", "years_ahead", "rate_pct", "factor", "value", "million_t", "base_id", "kind"]].rename(
        columns={"value": "tonnes_per_year"})
    published = setup["published"]
    mt2030, mt2035 = fmt(at[2030.0] / 1e6, ".2f", lang), fmt(at[2035.0] / 1e6, ".2f", lang)
    frame = dict(
        key="gen-projection",
        title=_("generation.projection.title", rate=signed, base=base_t, period=base["period"], mt2030=mt2030,
                mt2035=mt2035),
        subtitle=_("generation.projection.subtitle", period=base["period"]),
        figure=gfig.projection_chart(published, path, base_label=f"{base_id}, {base['period']}",
                                     alternatives=alternatives, marks=MARK_YEARS, lang=lang),
        table=table,
        source_ids=cited(list(base["source_id"].split(";")) + list(presets["source_id"])),
        alt=_("generation.projection.alt", base=fmt(base["value_t"] / 1e6, ".2f", lang), period=base["period"],
              rate=signed, mt2030=mt2030, mt2035=mt2035),
        reading=_("generation.projection.reading", up2030=fmt(at[2030.0] / base["value_t"] - 1, ".0%", lang),
                  up2035=fmt(at[2035.0] / base["value_t"] - 1, ".0%", lang), period=base["period"]),
        method=_("generation.projection.method", formula=_("generation.formula"),
                 base=fmt(base["value_t"], ",.0f", lang), rate=fmt(rate, "g", lang),
                 year=fmt(base["year"], "g", lang), id=base_id),
    )
    return cards, frame


def projection_view(setup: dict | None, data_dir: str, _: Translator) -> None:
    """The projection: a model, so it is shown on request (a switch kept in the link as gen_proj); a link that sets
    its base or rate opens it. Off, its controls and chart are not built (a chart and eight controls fewer)."""
    st.subheader(_("generation.heading.projection"))
    if setup is None:
        st.info(_("generation.projection.no_base"))
        return
    ids = setup["ids"]
    st.markdown(_("generation.projection.intro"))
    linked = any(key in st.query_params for key in (BASE_KEY, RATE_KEY))
    shown = st.toggle(_("generation.projection.show"), value=linked, key=SHOW_KEY, bind="query-params",
                      help=_("generation.projection.show_help"))
    if not shown:
        return
    left, right = st.columns([1, 1], gap="large")
    with left:
        # The options are ledger ids (the same words in every language), so the link may hold them as shown.
        base_id = st.selectbox(
            _("generation.control.base"), ids,
            index=setup["index"], key=BASE_KEY,
            bind="query-params", help=_("generation.control.base_help"))
        st.caption(setup["captions"][base_id])
        choices = lazy_panel(_("generation.control.base_all"), key="gen-base-options")
        if choices is not None:
            with choices:
                st.dataframe(prepared_table(setup["choices"]), hide_index=True, key="table-gen-base-options")
    with right:
        rate = st.slider(_("generation.control.rate"), min_value=RATE_MIN, max_value=RATE_MAX,
                         value=setup["default_rate"], step=RATE_STEP, format="%+.1f%%", key=RATE_KEY,
                         bind="query-params", help=_("generation.control.rate_help"))
        st.caption(_("generation.control.presets"))
        buttons = st.columns(2)
        for index, button in enumerate(setup["buttons"]):
            with buttons[index % 2]:
                st.button(button["label"], key=button["key"], on_click=set_rate, args=(button["rate"],),
                          width="stretch", help=button["help"])
    cards, frame = projection(data_dir, base_id, float(rate), _.lang)
    for column, card in zip(st.columns(len(MARK_YEARS)), cards, strict=True):
        with column:
            kpi(card["label"], card["value"], caption=card["caption"])
    chart_frame(**frame)
