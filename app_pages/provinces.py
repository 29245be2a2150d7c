"""Provinces and facilities: an offline province map (population, facilities, city waste) and the landfill list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import catalogue, load, need, show_data_error
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, downloads, source_line
from components.i18n import current_lang, tr, url_control
from core import map_figures
from core.catalogue import DataError, data_dir_from_env, short_label, split_ids
from core.geo import display_boundaries
from core.i18n import Translator, translator
from core.sectors import Selection, apply
from core.site import BOUNDARY_ATTRIBUTION

APPLIES = ("stage", "geo", "conf", "years")
FACILITY_APPLIES = ("stage", "geo", "conf")  # facility records carry no reference year to filter on
METRIC_KEY = "prov_metric"
BOUNDARY_SOURCE = "geoboundaries-khm-adm1"
N_PROVINCES = 25


@st.cache_resource(show_spinner=False)
def _display_boundaries(path: str, modified: float) -> dict:
    # Simplified once per process and file version: a rerun reuses the ~51 KB geometry.
    return display_boundaries(Path(path))


def boundaries() -> tuple[dict, tuple[str, float]] | None:
    """The simplified province boundaries and their (path, mtime) key, or None after a friendly error."""
    try:
        path = catalogue().path("boundaries")
        key = (str(path), path.stat().st_mtime)
        return _display_boundaries(*key), key
    except DataError as error:
        show_data_error(error)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as problem:
        show_data_error(DataError("data/khm_adm1.geojson", "valid GeoJSON", f"the boundaries cannot be read "
                                  f"({type(problem).__name__}: {str(problem)[:120]})",
                                  fix="restore data/khm_adm1.geojson from the repository."))
    return None


# ------------------------------------------------------------------ cached work

# What the page draws depends only on the data folder, the boundary file, the filters and the language, so
# tables and figures are built once per (folder, filters[, metric], language). The cached functions take those
# small keys, not DataFrames, and read the tables themselves (the page has loaded them without error first).

def selection_key(selection: Selection) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in selection.values.items())), tuple(selection.years)


def _selection(key: tuple) -> Selection:
    return Selection(values=dict(key[0]), years=key[1])


@st.cache_data(show_spinner=False, max_entries=64)
def filtered_tables(data_dir: str, sel_key: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facilities (tagged for the filters) and estimates, filtered by the selection."""
    selection = _selection(sel_key)
    return (apply(facility_rows(load("facilities")), selection, FACILITY_APPLIES),
            apply(load("estimates"), selection, APPLIES))


@st.cache_data(show_spinner=False, max_entries=64)
def province_table(data_dir: str, geo_key: tuple[str, float], sel_key: tuple, lang: str) -> pd.DataFrame:
    facilities, estimates = filtered_tables(data_dir, sel_key)
    return map_figures.province_metrics(province_list(_display_boundaries(*geo_key)), load("population"),
                                        facilities, estimates, lang=lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def choropleth(data_dir: str, geo_key: tuple[str, float], sel_key: tuple, metric_code: str, lang: str):
    """The province map (never changed after it is built: st.plotly_chart only reads it)."""
    return map_figures.province_choropleth(province_table(data_dir, geo_key, sel_key, lang),
                                           _display_boundaries(*geo_key), map_figures.METRIC_BY_CODE[metric_code],
                                           attribution=BOUNDARY_ATTRIBUTION, lang=lang)


@st.cache_data(show_spinner=False, max_entries=64)
def city_years_text(data_dir: str, sel_key: tuple, lang: str) -> str:
    return city_years(filtered_tables(data_dir, sel_key)[1], translator(lang))


@st.cache_resource(show_spinner=False, max_entries=64)
def facility_figure(data_dir: str, sel_key: tuple, lang: str):
    return map_figures.facilities_by_province(filtered_tables(data_dir, sel_key)[0], lang=lang)


@st.cache_data(show_spinner=False, max_entries=64)
def facility_view(data_dir: str, sel_key: tuple, lang: str) -> pd.DataFrame:
    return facility_table(filtered_tables(data_dir, sel_key)[0], load("sources"), lang=lang)


def province_list(geometry: dict) -> pd.DataFrame:
    rows = [{"geo_code": f["id"], "name": f["properties"].get("name_nis2019") or f["properties"]["shapeName"]}
            for f in geometry["features"]]
    return pd.DataFrame(rows)


def facility_rows(facilities: pd.DataFrame) -> pd.DataFrame:
    """Facilities tagged so the sector filters can read them: disposal stage, single sites, formal actor."""
    return facilities.assign(stage="treatment_disposal", geo_level="site", actor="formal")


def filter_words(selection, applies: tuple[str, ...], _: Translator) -> str:
    return selection.describe(applies, _) or _("provinces.current_filters")


def name_list(names: list[str], _: Translator) -> str:
    """'A', 'A and B', 'A, B and C' in the language."""
    if len(names) <= 1:
        return "".join(names)
    return _("provinces.name_list", rest=", ".join(names[:-1]), last=names[-1])


def shown_names(table: pd.DataFrame, lang: str) -> pd.Series:
    """The provinces' names as the language writes them (Khmer script in Khmer)."""
    return table["name_km"] if lang == "km" and "name_km" in table else table["name"]


def unrecognised_metric() -> str | None:
    bad = unrecognised_link_values({METRIC_KEY: map_figures.METRIC_BY_CODE})
    return bad[0][1] if bad else None


def metric_picker() -> map_figures.Metric:
    _ = tr()
    bad = unrecognised_metric()
    # The link keeps the English code (?prov_metric=City+waste) whatever the language; the options show words.
    code = url_control(st.radio, _("provinces.metric_picker"), key=METRIC_KEY,
                       options=[m.code for m in map_figures.METRICS], default=map_figures.METRICS[0].code,
                       format_func=lambda c: map_figures.metric_option(map_figures.METRIC_BY_CODE[c], lang=_.lang),
                       captions=[map_figures.metric_caption(m, lang=_.lang) for m in map_figures.METRICS],
                       horizontal=True)
    if bad:
        st.caption(_("filters.unrecognised", values=f"{METRIC_KEY}: {bad}"))
    return map_figures.METRIC_BY_CODE.get(code, map_figures.METRICS[0])


def map_title(table: pd.DataFrame, metric: map_figures.Metric, _: Translator) -> str:
    names = shown_names(table, _.lang)
    if metric.column in ("population", "population_share"):
        ranked = table.dropna(subset=["population"]).sort_values("population", ascending=False)
        if ranked.empty:
            return _("provinces.title.no_population")
        top = ranked.iloc[0]
        if metric.column == "population":
            return _("provinces.title.population", name=names[ranked.index[0]],
                     millions=_.num(top["population"] / 1e6, 2), share=_.num(top["population_share"], 1))
        three = ranked.head(3)
        return _("provinces.title.share", share=_.num(three["population_share"].sum(), 0),
                 names=", ".join(names[three.index]))
    if metric.column == "facilities":
        known = table[table["facilities"].notna()]
        return _("provinces.title.facilities", known=len(known), total=N_PROVINCES, other=N_PROVINCES - len(known))
    known = table[table["city_waste_class"] != map_figures.NO_DATA]
    if known.empty:
        return _("provinces.title.no_city_waste")
    top = known.sort_values("city_waste_low", ascending=False).index[0]
    return _("provinces.title.city_waste", known=len(known), total=N_PROVINCES, name=names[top])


def national_total(population: pd.DataFrame, _: Translator) -> str:
    rows = population[(population["geo_level"] == "national") & (population["kind"] == "census_final")
                      & (population["year"] == 2019)]
    return _("provinces.national_total", total=_.num(int(rows["population"].iloc[0]))) if not rows.empty else \
        _("provinces.not_recorded")


def city_years(estimates: pd.DataFrame, _: Translator) -> str:
    chosen = map_figures.latest_city_waste(estimates)
    if chosen.empty:
        return _("provinces.city_years.none")
    low, high = int(chosen["year"].min()), int(chosen["year"].max())
    return _("provinces.city_years.one", year=low) if low == high else \
        _("provinces.city_years.range", low=low, high=high)


def top_five_sentence(table: pd.DataFrame, _: Translator) -> str:
    five = table.dropna(subset=["population_share"]).sort_values("population_share", ascending=False).head(5)
    if len(five) < 5:
        return ""
    names = list(shown_names(five, _.lang))
    return _("provinces.top_five", names=name_list(names, _), share=_.num(five["population_share"].sum(), 0))


def top_three_sentence(table: pd.DataFrame, _: Translator) -> str:
    three = table.dropna(subset=["population_share"]).sort_values("population_share", ascending=False).head(3)
    if len(three) != 3:
        return ""
    return _("provinces.top_three", share=_.num(three["population_share"].sum(), 0),
             names=name_list(list(shown_names(three, _.lang)), _))


def map_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The numbers behind the map, with gaps written out as 'no data' (never 0); in Khmer with the Khmer names."""
    gap = map_figures.no_data(lang=lang)
    out = pd.DataFrame({
        "province": table["name"], "geo_code": table["geo_code"],
        "population_2019": table["population"].astype("Int64"),
        "share_of_national_population_pct": table["population_share"].round(2),
        "facilities_on_record": [gap if pd.isna(v) else str(int(v)) for v in table["facilities"]],
        "facility_status": table["facility_statuses"].replace("", gap),
        "city_waste_generated": table["city_waste_text"].replace("", gap),
        "city_waste_class": table["city_waste_class"] if lang == "en" else
        table["city_waste_class"].map(lambda label: map_figures.class_label(label, lang=lang)),
        "city_waste_source": table["city_waste_source_id"],
    })
    if lang == "km":
        out.insert(1, "province_km", table["name_km"])
    return out.sort_values("province").reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def map_view(data_dir: str, geo_key: tuple[str, float], sel_key: tuple, metric_code: str, lang: str) -> dict:
    """The map's chart_frame arguments for one (folder, boundaries, filters, metric, language); only ever read."""
    _ = translator(lang)
    metric = map_figures.METRIC_BY_CODE[metric_code]
    table = province_table(data_dir, geo_key, sel_key, lang)
    population = load("population")
    facilities, estimates = filtered_tables(data_dir, sel_key)
    figure = choropleth(data_dir, geo_key, sel_key, metric.code, lang)
    missing = table[metric.column].isna().sum() if metric.column != "city_waste_class" else \
        (table["city_waste_class"] == map_figures.NO_DATA).sum()
    sources = [BOUNDARY_SOURCE] + list(table["population_source_id"])
    method = None
    if metric.column == "population_share":
        method = _("provinces.method.share", total=national_total(population, _))
    if metric.column == "facilities":
        sources += list(facilities["source_id"])
        method = _("provinces.method.facilities")
    if metric.column == "city_waste_class":
        sources += [s for s in table["city_waste_source_id"] if s]
        method = map_figures.city_waste_rule(lang=lang)
    subtitle = {
        "population": _("provinces.subtitle.population"),
        "population_share": _("provinces.subtitle.share"),
        "facilities": _("provinces.subtitle.facilities"),
        "city_waste_class": _("provinces.subtitle.city_waste", years=city_years_text(data_dir, sel_key, lang)),
    }[metric.column]
    reading = {
        "population": _("provinces.reading.population", sentence=top_five_sentence(table, _)),
        "population_share": _("provinces.reading.share", sentence=top_three_sentence(table, _)),
        "facilities": _("provinces.reading.facilities"),
        "city_waste_class": _("provinces.reading.city_waste"),
    }[metric.column]
    alt = _("provinces.alt.map", metric=map_figures.metric_label(metric, lang=lang).lower(), missing=missing)
    return dict(title=map_title(table, metric, _),
                subtitle=subtitle + (" " + _("provinces.subtitle.grey", missing=missing) if missing else ""),
                figure=figure, table=map_table(table, lang), source_ids=sources, alt=alt, reading=reading,
                method=method)


def province_map(geo_key: tuple[str, float], population: pd.DataFrame, facilities: pd.DataFrame,
                 estimates: pd.DataFrame, selection) -> None:
    _ = tr()
    metric = metric_picker()
    data_dir, sel_key = str(data_dir_from_env()), selection_key(selection)
    filtered_out = (metric.column == "facilities" and facilities.empty) or \
                   (metric.column == "city_waste_class" and estimates.empty)
    if filtered_out and selection.active():
        words = filter_words(selection, APPLIES, _)
        st.info(_("provinces.empty_map.facilities", filters=words) if metric.column == "facilities" else
                _("provinces.empty_map.city_waste", filters=words), icon=":material/filter_alt_off:")
        return
    chart_frame(key="province-map", **map_view(data_dir, geo_key, sel_key, metric.code, _.lang))
    st.caption(_("provinces.map_caption", attribution=BOUNDARY_ATTRIBUTION))


def facility_table(facilities: pd.DataFrame, sources: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """The landfill and dumpsite list as shown: sourced columns, gaps left empty, the area conflicts in words.

    In Khmer the kind, status and province are in Khmer and the Khmer site name (name_km) follows the name.
    """
    _ = translator(lang)
    by_id = sources.set_index("id")
    labels, links = [], []
    for cell in facilities["source_id"]:
        ids = [s for s in split_ids(cell) if s in by_id.index]
        labels.append("; ".join(short_label(by_id.loc[s]) for s in ids))
        links.append(next((by_id.loc[s, "url"] for s in ids if by_id.loc[s, "url"]), None))
    if lang == "en":
        capacity = [f"{value:,.0f} {'m³' if unit == 'm3' else 't'}" if not pd.isna(value) else ""
                    for value, unit in zip(facilities["capacity_value"], facilities["capacity_unit"], strict=True)]
        kind = facilities["kind"].str.replace("_", " ")
        province = facilities["province"]
    else:
        capacity = ["" if pd.isna(value) else _("provinces.capacity_m3" if unit == "m3" else "provinces.capacity_t",
                                                 value=_.num(value, 0))
                    for value, unit in zip(facilities["capacity_value"], facilities["capacity_unit"], strict=True)]
        kind = facilities["kind"].map(lambda code: _.label("facility_kind", code))
        province = facilities.get("province_km", facilities["province"])
    table = pd.DataFrame({
        "name": facilities["name"], "kind": kind,
        "status": facilities["status"].map(lambda code: map_figures.status_label(code, lang=lang)),
        "province": province, "opened": _gap_text(facilities["opened"]),
        "closed": _gap_text(facilities["closed"]), "area_ha": _gap_text(facilities["area_ha"], _),
        "area_note": facilities["area_note"], "capacity": capacity,
        "intake_t_per_day": _gap_text(facilities["intake_t_per_day"], _),
        "intake_year": _gap_text(facilities["intake_year"]), "operator": facilities["operator"],
        "source": labels, "link": links,
        "confidence": facilities["confidence"] if lang == "en" else
        facilities["confidence"].map(lambda level: _(f"filters.conf.option.{level}")),
        "note": facilities["note"],
    })
    if lang == "km" and "name_km" in facilities:
        table.insert(0, "name_km", facilities["name_km"])
    return table.reset_index(drop=True)


def _gap_text(values: pd.Series, _: Translator | None = None) -> list[str]:
    """Numbers as published ('31.4', '2009'; '31,4' in Khmer); an unpublished one stays an empty cell, never 0 or
    'None'. Years pass no translator: they are written without grouping in both languages."""
    if _ is not None and _.lang != "en":
        return ["" if pd.isna(v) else _.num(float(v)) if not float(v).is_integer() else _.num(int(v)) for v in values]
    return ["" if pd.isna(v) else f"{float(v):,.12g}" if not float(v).is_integer() else f"{int(v)}" for v in values]


def facility_list(facilities: pd.DataFrame, sources: pd.DataFrame, selection) -> None:
    _ = tr()
    st.subheader(_("provinces.list.heading"))
    st.caption(_("provinces.list.caption", sites=len(facilities), opened=int(facilities["opened"].notna().sum()),
                 intakes=int(facilities["intake_t_per_day"].notna().sum())))
    table = facility_view(str(data_dir_from_env()), selection_key(selection), _.lang)
    column = st.column_config.TextColumn
    st.dataframe(table, hide_index=True, key="facility-table", height=35 * (len(table) + 1) + 3, column_config={
        "name_km": column(_("provinces.column.name_km"), width="medium"),
        "name": column(_("provinces.column.name"), width="medium"),
        "kind": column(_("provinces.column.kind")),
        "status": column(_("provinces.column.status")),
        "province": column(_("provinces.column.province")),
        "opened": column(_("provinces.column.opened")),
        "closed": column(_("provinces.column.closed")),
        "area_ha": column(_("provinces.column.area_ha")),
        "area_note": column(_("provinces.column.area_note"), width="medium"),
        "capacity": column(_("provinces.column.capacity")),
        "intake_t_per_day": column(_("provinces.column.intake")),
        "intake_year": column(_("provinces.column.intake_year")),
        "operator": column(_("provinces.column.operator")),
        "source": column(_("provinces.column.source")),
        "confidence": column(_("provinces.column.confidence")),
        "link": st.column_config.LinkColumn(_("provinces.column.link"), display_text=_("provinces.open_source")),
        "note": column(_("provinces.column.note"), width="large"),
    })
    conflicts = facilities[facilities["area_note"] != ""]
    if not conflicts.empty:
        with st.expander(_("provinces.conflicts.heading", count=len(conflicts))):
            for _index, row in conflicts.iterrows():
                area = _("provinces.conflicts.no_figure") if pd.isna(row["area_ha"]) else \
                    _("provinces.conflicts.area", area=f"{row['area_ha']:g}" if _.lang == "en" else
                      _.num(float(row["area_ha"])))
                name = (row.get("name_km") or row["name"]) if _.lang == "km" else row["name"]
                st.markdown(_("provinces.conflicts.line", name=name, area=area, note=row["area_note"]))
    source_line(facilities["source_id"])
    downloads(table, name="landfills-and-dumpsites", key="facility-table")


def status_sentence(facilities: pd.DataFrame, _: Translator) -> str:
    counts = facilities["status"].value_counts()
    planned = int(counts.get("planned", 0) + counts.get("under_construction", 0))
    return _("provinces.status_sentence", total=len(facilities), operating=int(counts.get("operating", 0)),
             planned=planned, closed=int(counts.get("closed", 0)))


@st.cache_resource(show_spinner=False, max_entries=64)
def facility_chart_view(data_dir: str, sel_key: tuple, lang: str) -> dict:
    """The facility chart's chart_frame arguments for one (folder, filters, language); only ever read."""
    _ = translator(lang)
    facilities = filtered_tables(data_dir, sel_key)[0]
    located = facilities[facilities["province"] != ""]
    per_province = located.groupby(map_figures.facility_province(located, lang=lang)).size() \
        .sort_values(ascending=False, kind="stable")
    top = per_province.index[0] if not per_province.empty else ""
    tied = per_province[per_province == per_province.iloc[0]].index.tolist() if not per_province.empty else []
    lead = name_list(tied, _) if len(tied) <= 3 else _("provinces.n_provinces", count=len(tied))
    if not top:
        title = _("provinces.bars.title_none")
    else:
        title = _("provinces.bars.title_one" if len(tied) == 1 else "provinces.bars.title_tied",
                  provinces=len(per_province), lead=lead, most=int(per_province.iloc[0]))
    table = facilities.groupby(["province", "status"]).size().rename("facilities").reset_index()
    return dict(
        title=title,
        subtitle=_("provinces.bars.subtitle"),
        figure=facility_figure(data_dir, sel_key, lang), table=table,
        source_ids=facilities["source_id"],
        alt=_("provinces.bars.alt", facilities=len(facilities), provinces=len(per_province)),
        reading=_("provinces.bars.reading", sentence=status_sentence(facilities, _)),
    )


def facility_chart(facilities: pd.DataFrame, selection) -> None:
    chart_frame(key="facilities-by-province",
                **facility_chart_view(str(data_dir_from_env()), selection_key(selection), current_lang()))


def main() -> None:
    _ = tr()
    st.title(_("site.page.provinces"))
    st.markdown(_("provinces.intro"))
    selection = current()
    applied_note(selection, APPLIES)
    st.caption(_("provinces.filters_note"))
    loaded = need("population", "facilities", "estimates", "sources")
    if loaded is None:
        return
    population, _facilities, _estimates, sources = loaded
    facilities, estimates = filtered_tables(str(data_dir_from_env()), selection_key(selection))
    drawn = boundaries()
    if drawn is not None:
        province_map(drawn[1], population, facilities, estimates, selection)
    if facilities.empty:
        st.info(_("provinces.empty_facilities", filters=filter_words(selection, FACILITY_APPLIES, _)),
                icon=":material/filter_alt_off:")
        return
    facility_chart(facilities, selection)
    facility_list(facilities, sources, selection)


main()
