"""The Provinces page's content, built once per (data folder, filters, language) and shared (DESIGN.md section 6).

A page file runs anew on every rerun, so the page (app_pages/provinces.py) only draws; everything it draws is
computed here, in cached builders that take small hashable keys (the data folder string, the filters that apply,
the language) and read the tables themselves. A DataError is raised by a builder, never cached; the page shows
it. The results are shared resources: callers must not mutate them.

- provinces_page(): everything, in one cache lookup per rerun: the facility chart and list (ProvincesView) and
  the maps (ProvinceMaps: the simplified boundaries and the province table, with the map of each metric built the
  first time it is drawn). A broken table raises; a broken boundary file comes back as an error to show where the
  map goes, and the rest of the page is drawn as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components.data import catalogue, load
from components.filters import unrecognised_link_values
from components.i18n import url_control
from core import map_figures
from core.catalogue import DataError, short_label, split_ids
from core.geo import display_boundaries
from core.i18n import Translator, translator
from core.sectors import Selection, apply
from core.site import BOUNDARY_ATTRIBUTION

APPLIES = ("stage", "geo", "conf", "years")
FACILITY_APPLIES = ("stage", "geo", "conf")  # facility records carry no reference year to filter on
METRIC_KEY = "prov_metric"
BOUNDARY_SOURCE = "geoboundaries-khm-adm1"
N_PROVINCES = 25


class _Memo:
    """Values built on first use and kept (thread-safe), for the parts of a cached view chosen after it is read."""

    def __init__(self, build: Callable[[Any], Any]) -> None:
        self._build, self._values, self._lock = build, {}, threading.Lock()

    def get(self, key: Any) -> Any:
        value = self._values.get(key)
        if value is None:
            with self._lock:
                value = self._values.get(key)
                if value is None:
                    value = self._values[key] = self._build(key)
        return value


# ------------------------------------------------------------------ keys

def selection_key(selection: Selection) -> tuple:
    """The filters that apply here, as a small hashable key (a filter this page ignores does not split the cache)."""
    return (tuple((k, tuple(selection.values.get(k) or ())) for k in APPLIES if k != "years"),
            tuple(selection.years))


def _selection(key: tuple) -> Selection:
    return Selection(values=dict(key[0]), years=key[1])


# ------------------------------------------------------------------ helpers (Streamlit-free)

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


def status_sentence(facilities: pd.DataFrame, _: Translator) -> str:
    counts = facilities["status"].value_counts()
    planned = int(counts.get("planned", 0) + counts.get("under_construction", 0))
    return _("provinces.status_sentence", total=len(facilities), operating=int(counts.get("operating", 0)),
             planned=planned, closed=int(counts.get("closed", 0)))


def _set_only(config: dict) -> dict:
    """A column setting without its unset (None) entries: Streamlit drops them when it sends the setting, and
    copies the setting on every run, so they would only be copied."""
    return {k: _set_only(v) if isinstance(v, dict) else v for k, v in config.items() if v is not None}


def facility_columns(_: Translator) -> dict:
    """The landfill list's column settings in the language."""
    column = st.column_config.TextColumn
    return {name: _set_only(config) for name, config in {
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
    }.items()}


def conflict_lines(facilities: pd.DataFrame, _: Translator) -> list[str]:
    """One Markdown list item per site whose area the sources give differently (or qualify)."""
    lines = []
    for _index, row in facilities[facilities["area_note"] != ""].iterrows():
        area = _("provinces.conflicts.no_figure") if pd.isna(row["area_ha"]) else \
            _("provinces.conflicts.area", area=f"{row['area_ha']:g}" if _.lang == "en" else
              _.num(float(row["area_ha"])))
        name = (row.get("name_km") or row["name"]) if _.lang == "km" else row["name"]
        lines.append(_("provinces.conflicts.line", name=name, area=area, note=row["area_note"]))
    return lines


# ------------------------------------------------------------------ cached builders

@st.cache_resource(show_spinner=False, max_entries=64)
def _filtered(data_dir: str, sel_key: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facilities (tagged for the filters) and estimates, filtered by the selection."""
    selection = _selection(sel_key)
    return (apply(facility_rows(load("facilities")), selection, FACILITY_APPLIES),
            apply(load("estimates"), selection, APPLIES))


def _facility_chart(facilities: pd.DataFrame, lang: str) -> dict:
    """The facility chart's chart_frame arguments (key excepted)."""
    _ = translator(lang)
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
        figure=map_figures.facilities_by_province(facilities, lang=lang), table=table,
        source_ids=tuple(facilities["source_id"]),
        alt=_("provinces.bars.alt", facilities=len(facilities), provinces=len(per_province)),
        reading=_("provinces.bars.reading", sentence=status_sentence(facilities, _)),
    )


@dataclass(frozen=True)
class ProvincesView:
    """What the page draws besides the map, for one (folder, filters, language)."""

    facilities_empty: bool
    chart: dict | None = None  # chart_frame arguments of the facilities-by-province bars
    list_caption: str = ""
    table: pd.DataFrame | None = None  # the landfill list as shown and downloaded
    table_height: int = 0
    columns: dict | None = None
    conflicts_heading: str = ""
    conflicts: tuple[str, ...] = ()  # one Markdown list item per site whose area the sources give differently
    source_ids: tuple[str, ...] = ()


@st.cache_resource(show_spinner=False, max_entries=64)
def provinces_view(data_dir: str, sel_key: tuple, lang: str) -> ProvincesView:
    """The facility chart and list; raises DataError (uncached) when a table the page reads is broken."""
    # The tables in the order the page has always checked them, so a broken one is named the same way.
    for name in ("population", "facilities", "estimates", "sources"):
        load(name)
    facilities = _filtered(data_dir, sel_key)[0]
    if facilities.empty:
        return ProvincesView(facilities_empty=True)
    _ = translator(lang)
    table = facility_table(facilities, load("sources"), lang=lang)
    lines = conflict_lines(facilities, _)
    return ProvincesView(
        facilities_empty=False,
        chart=_facility_chart(facilities, lang),
        list_caption=_("provinces.list.caption", sites=len(facilities),
                       opened=int(facilities["opened"].notna().sum()),
                       intakes=int(facilities["intake_t_per_day"].notna().sum())),
        table=table, table_height=35 * (len(table) + 1) + 3, columns=facility_columns(_),
        conflicts_heading=_("provinces.conflicts.heading", count=len(lines)),
        conflicts=tuple(lines),
        source_ids=tuple(facilities["source_id"]),
    )


@st.cache_resource(show_spinner=False)
def _display_boundaries(path: str, modified: float) -> dict:
    # Simplified once per process and file version: a rerun reuses the ~51 KB geometry.
    return display_boundaries(Path(path))


def _map_view(metric: map_figures.Metric, geometry: dict, table: pd.DataFrame, population: pd.DataFrame,
              facilities: pd.DataFrame, estimates: pd.DataFrame, lang: str) -> dict:
    """The map's chart_frame arguments (key excepted) for one metric."""
    _ = translator(lang)
    figure = map_figures.province_choropleth(table, geometry, metric, attribution=BOUNDARY_ATTRIBUTION, lang=lang)
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
        "population": lambda: _("provinces.subtitle.population"),
        "population_share": lambda: _("provinces.subtitle.share"),
        "facilities": lambda: _("provinces.subtitle.facilities"),
        "city_waste_class": lambda: _("provinces.subtitle.city_waste", years=city_years(estimates, _)),
    }[metric.column]()
    reading = {
        "population": lambda: _("provinces.reading.population", sentence=top_five_sentence(table, _)),
        "population_share": lambda: _("provinces.reading.share", sentence=top_three_sentence(table, _)),
        "facilities": lambda: _("provinces.reading.facilities"),
        "city_waste_class": lambda: _("provinces.reading.city_waste"),
    }[metric.column]()
    alt = _("provinces.alt.map", metric=map_figures.metric_label(metric, lang=lang).lower(), missing=missing)
    return dict(title=map_title(table, metric, _),
                subtitle=subtitle + (" " + _("provinces.subtitle.grey", missing=missing) if missing else ""),
                figure=figure, table=map_table(table, lang), source_ids=tuple(sources), alt=alt, reading=reading,
                method=method)


class ProvinceMaps:
    """The province map of each metric for one (folder, boundary file, filters, language); only ever read.

    Each metric's map is built the first time it is drawn and then kept, so a rerun needs one cache lookup
    (provinces_page) whatever the metric.
    """

    def __init__(self, geometry: dict, population: pd.DataFrame, facilities: pd.DataFrame,
                 estimates: pd.DataFrame, lang: str) -> None:
        self.facilities_empty, self.estimates_empty = facilities.empty, estimates.empty
        table = map_figures.province_metrics(province_list(geometry), population, facilities, estimates, lang=lang)
        self._views = _Memo(lambda code: _map_view(map_figures.METRIC_BY_CODE[code], geometry, table, population,
                                                   facilities, estimates, lang))

    def view(self, metric_code: str) -> dict:
        """chart_frame arguments (key excepted) of the map of one metric."""
        return self._views.get(metric_code)


class _BoundaryError(DataError):
    """The boundary file cannot be drawn (the tables can): the page shows it where the map goes."""


def _boundary_error(problem: Exception) -> DataError:
    return _BoundaryError("data/khm_adm1.geojson", "valid GeoJSON", f"the boundaries cannot be read "
                          f"({type(problem).__name__}: {str(problem)[:120]})",
                          fix="restore data/khm_adm1.geojson from the repository.")


@st.cache_resource(show_spinner=False, max_entries=64)
def _provinces_page(data_dir: str, geo_key: tuple[str, float], sel_key: tuple,
                    lang: str) -> tuple[ProvincesView, ProvinceMaps]:
    view = provinces_view(data_dir, sel_key, lang)  # a broken table raises first, as the page always checked
    try:
        geometry = _display_boundaries(*geo_key)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as problem:
        raise _boundary_error(problem) from problem
    facilities, estimates = _filtered(data_dir, sel_key)
    return view, ProvinceMaps(geometry, load("population"), facilities, estimates, lang)


_BOUNDARY_PATHS: dict[str, Path] = {}  # data folder -> boundary file, once the catalogue has named it


def provinces_page(data_dir: str, sel_key: tuple, lang: str) -> tuple[ProvincesView, ProvinceMaps | None,
                                                                      DataError | None]:
    """The page's content for this folder, boundary file version, filters and language: one cache lookup.

    Raises DataError (uncached) when a table is broken. When only the boundaries are, the maps are None and the
    error (to show where the map goes) comes third; the rest of the page is drawn as usual.
    """
    problem: DataError
    try:
        path = _BOUNDARY_PATHS.get(data_dir)
        if path is None:
            path = _BOUNDARY_PATHS[data_dir] = catalogue().path("boundaries")
        geo_key = (str(path), path.stat().st_mtime)
    except DataError as error:  # the data package cannot name the file (a broken table is raised below first)
        problem = error
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:  # e.g. the file is missing
        problem = _boundary_error(error)
    else:
        try:
            return (*_provinces_page(data_dir, geo_key, sel_key, lang), None)
        except _BoundaryError as error:
            problem = error
    return provinces_view(data_dir, sel_key, lang), None, problem


# ------------------------------------------------------------------ the metric picker

_PICKER: dict[str, tuple[list[str], list[str], Callable[[str], str]]] = {}


def _picker_words(lang: str) -> tuple[list[str], list[str], Callable[[str], str]]:
    words = _PICKER.get(lang)
    if words is None:
        options = {m.code: map_figures.metric_option(m, lang=lang) for m in map_figures.METRICS}
        words = _PICKER[lang] = (list(options), [map_figures.metric_caption(m, lang=lang) for m in map_figures.METRICS],
                                 options.__getitem__)
    return words


def metric_picker(_: Translator) -> map_figures.Metric:
    """The metric radio (its link keeps the English code: ?prov_metric=City+waste) and a notice for a bad link."""
    bad = unrecognised_link_values({METRIC_KEY: map_figures.METRIC_BY_CODE})
    options, captions, words = _picker_words(_.lang)
    code = url_control(st.radio, _("provinces.metric_picker"), key=METRIC_KEY, options=options,
                       default=map_figures.METRICS[0].code, format_func=words, captions=captions, horizontal=True)
    if bad:
        st.caption(_("filters.unrecognised", values=f"{METRIC_KEY}: {bad[0][1]}"))
    return map_figures.METRIC_BY_CODE.get(code, map_figures.METRICS[0])
