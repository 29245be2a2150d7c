"""Provinces and facilities: an offline province map (population, facilities, city waste) and the landfill list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import catalogue, load, need, show_data_error
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, downloads, source_line
from core import map_figures
from core.catalogue import DataError, data_dir_from_env, short_label, split_ids
from core.geo import display_boundaries
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

# What the page draws depends only on the data folder, the boundary file and the filters, so tables and
# figures are built once per (folder, filters[, metric]). The cached functions take those small keys, not
# DataFrames, and read the tables themselves (the page has loaded them without error first).

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
def province_table(data_dir: str, geo_key: tuple[str, float], sel_key: tuple) -> pd.DataFrame:
    facilities, estimates = filtered_tables(data_dir, sel_key)
    return map_figures.province_metrics(province_list(_display_boundaries(*geo_key)), load("population"),
                                        facilities, estimates)


@st.cache_resource(show_spinner=False, max_entries=64)
def choropleth(data_dir: str, geo_key: tuple[str, float], sel_key: tuple, metric_code: str):
    """The province map (never changed after it is built: st.plotly_chart only reads it)."""
    return map_figures.province_choropleth(province_table(data_dir, geo_key, sel_key), _display_boundaries(*geo_key),
                                           map_figures.METRIC_BY_CODE[metric_code],
                                           attribution=BOUNDARY_ATTRIBUTION)


@st.cache_data(show_spinner=False, max_entries=64)
def city_years_text(data_dir: str, sel_key: tuple) -> str:
    return city_years(filtered_tables(data_dir, sel_key)[1])


@st.cache_resource(show_spinner=False, max_entries=64)
def facility_figure(data_dir: str, sel_key: tuple):
    return map_figures.facilities_by_province(filtered_tables(data_dir, sel_key)[0])


@st.cache_data(show_spinner=False, max_entries=64)
def facility_view(data_dir: str, sel_key: tuple) -> pd.DataFrame:
    return facility_table(filtered_tables(data_dir, sel_key)[0], load("sources"))


def province_list(geometry: dict) -> pd.DataFrame:
    rows = [{"geo_code": f["id"], "name": f["properties"].get("name_nis2019") or f["properties"]["shapeName"]}
            for f in geometry["features"]]
    return pd.DataFrame(rows)


def facility_rows(facilities: pd.DataFrame) -> pd.DataFrame:
    """Facilities tagged so the sector filters can read them: disposal stage, single sites, formal actor."""
    return facilities.assign(stage="treatment_disposal", geo_level="site", actor="formal")


def filter_words(selection, applies: tuple[str, ...]) -> str:
    return selection.describe(applies) or "the current filters"


def unrecognised_metric() -> str | None:
    bad = unrecognised_link_values({METRIC_KEY: map_figures.METRIC_BY_CODE})
    return bad[0][1] if bad else None


def metric_picker() -> map_figures.Metric:
    bad = unrecognised_metric()
    code = st.radio("Colour the provinces by", options=[m.code for m in map_figures.METRICS],
                    captions=[m.caption for m in map_figures.METRICS], horizontal=True, key=METRIC_KEY,
                    bind="query-params")
    if bad:
        st.caption(f"Some values in the link were not recognised and the defaults are used instead "
                   f"({METRIC_KEY}: {bad}).")
    return map_figures.METRIC_BY_CODE.get(code, map_figures.METRICS[0])


def map_title(table: pd.DataFrame, metric: map_figures.Metric) -> str:
    if metric.column in ("population", "population_share"):
        ranked = table.dropna(subset=["population"]).sort_values("population", ascending=False)
        if ranked.empty:
            return "No province population figure is recorded"
        top = ranked.iloc[0]
        if metric.column == "population":
            return (f"{top['name']} is the most populous province: {top['population'] / 1e6:.2f} million people "
                    f"in 2019, {top['population_share']:.1f}% of Cambodia")
        three = ranked.head(3)
        return (f"Three provinces hold {three['population_share'].sum():.0f}% of Cambodia's people: "
                f"{', '.join(three['name'])}")
    if metric.column == "facilities":
        known = table[table["facilities"].notna()]
        return (f"Landfills and dumpsites are on record for only {len(known)} of {N_PROVINCES} provinces; "
                f"the other {N_PROVINCES - len(known)} are gaps in the evidence, not empty land")
    known = table[table["city_waste_class"] != map_figures.NO_DATA]
    if known.empty:
        return "No city waste figure matches the filters"
    top = known.sort_values("city_waste_low", ascending=False).iloc[0]
    return (f"A city waste figure is published for only {len(known)} of {N_PROVINCES} provinces; "
            f"{top['name']}'s is the largest")


def national_total(population: pd.DataFrame) -> str:
    rows = population[(population["geo_level"] == "national") & (population["kind"] == "census_final")
                      & (population["year"] == 2019)]
    return f"{int(rows['population'].iloc[0]):,} (NIS 2019)" if not rows.empty else "(not recorded)"


def city_years(estimates: pd.DataFrame) -> str:
    chosen = map_figures.latest_city_waste(estimates)
    if chosen.empty:
        return "no year"
    low, high = int(chosen["year"].min()), int(chosen["year"].max())
    return f"figures from {low}" if low == high else f"figures from {low} to {high}"


def top_five_sentence(table: pd.DataFrame) -> str:
    five = table.dropna(subset=["population_share"]).sort_values("population_share", ascending=False).head(5)
    if len(five) < 5:
        return ""
    return (f"The five most populous provinces ({', '.join(five['name'][:4])} and {five['name'].iloc[4]}) hold "
            f"{five['population_share'].sum():.0f}% of Cambodia's people.")


def top_three_sentence(table: pd.DataFrame) -> str:
    three = table.dropna(subset=["population_share"]).sort_values("population_share", ascending=False).head(3)
    return (f"{three['population_share'].sum():.0f}% of Cambodians live in {', '.join(three['name'][:2])} "
            f"and {three['name'].iloc[2]}.") if len(three) == 3 else ""


def map_table(table: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the map, with gaps written out as 'no data' (never 0)."""
    out = pd.DataFrame({
        "province": table["name"], "geo_code": table["geo_code"],
        "population_2019": table["population"].astype("Int64"),
        "share_of_national_population_pct": table["population_share"].round(2),
        "facilities_on_record": [map_figures.NO_DATA if pd.isna(v) else str(int(v)) for v in table["facilities"]],
        "facility_status": table["facility_statuses"].replace("", map_figures.NO_DATA),
        "city_waste_generated": table["city_waste_text"].replace("", map_figures.NO_DATA),
        "city_waste_class": table["city_waste_class"],
        "city_waste_source": table["city_waste_source_id"],
    })
    return out.sort_values("province").reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def map_view(data_dir: str, geo_key: tuple[str, float], sel_key: tuple, metric_code: str) -> dict:
    """The map's chart_frame arguments for one (folder, boundaries, filters, metric); only ever read."""
    metric = map_figures.METRIC_BY_CODE[metric_code]
    table = province_table(data_dir, geo_key, sel_key)
    population = load("population")
    facilities, estimates = filtered_tables(data_dir, sel_key)
    figure = choropleth(data_dir, geo_key, sel_key, metric.code)
    missing = table[metric.column].isna().sum() if metric.column != "city_waste_class" else \
        (table["city_waste_class"] == map_figures.NO_DATA).sum()
    sources = [BOUNDARY_SOURCE] + list(table["population_source_id"])
    method = None
    if metric.column == "population_share":
        method = (f"each province's 2019 census population divided by the national census total of "
                  f"{national_total(population)}, times 100.")
    if metric.column == "facilities":
        sources += list(facilities["source_id"])
        method = ("the number of landfills, dumpsites, planned landfills and transfer stations in "
                  "data/facilities.csv whose province is known, whatever their status. Provinces with no record "
                  "are grey: the sources we hold do not name a site there, which does not mean there is none.")
    if metric.column == "city_waste_class":
        sources += [s for s in table["city_waste_source_id"] if s]
        method = map_figures.CITY_WASTE_RULE[0].upper() + map_figures.CITY_WASTE_RULE[1:]
    subtitle = {
        "population": "People counted in the 2019 General Population Census (NIS), by province, persons.",
        "population_share": "Province population as a share of the national total, 2019 census (NIS), percent.",
        "facilities": "Landfills, dumpsites, planned landfills and transfer stations named in the sources we hold, "
                      "by province, count; all statuses, as of each site's latest source.",
        "city_waste_class": "Municipal waste generated in a province's main city or the province, latest "
                            f"published figure, tonnes per day (t/day), in classes; "
                            f"{city_years_text(data_dir, sel_key)}.",
    }[metric.column]
    reading = {
        "population": f"{top_five_sentence(table)} Waste follows people: that is where most of the waste a "
                      "collection service must reach is produced.",
        "population_share": f"{top_three_sentence(table)} Services planned there reach the most people.",
        "facilities": "Most provinces have no landfill or dumpsite named in any source we could find. Knowing "
                      "where waste ends up is the first step to the evidence-based decisions the workshop asked "
                      "for (takeaway 4) and to the further research it named as a next step.",
        "city_waste_class": "Outside a handful of cities no one publishes how much waste a province produces. "
                            "Provincial figures are a gap the workshop's call for further research could close.",
    }[metric.column]
    alt = (f"Map of Cambodia's 25 provinces coloured by {metric.label.lower()}; {missing} provinces have no "
           f"figure and are drawn in grey as 'no data'.")
    return dict(title=map_title(table, metric),
                subtitle=subtitle + (f" Grey: no data ({missing} provinces)." if missing else ""),
                figure=figure, table=map_table(table), source_ids=sources, alt=alt, reading=reading, method=method)


def province_map(geo_key: tuple[str, float], population: pd.DataFrame, facilities: pd.DataFrame,
                 estimates: pd.DataFrame, selection) -> None:
    metric = metric_picker()
    data_dir, sel_key = str(data_dir_from_env()), selection_key(selection)
    filtered_out = (metric.column == "facilities" and facilities.empty) or \
                   (metric.column == "city_waste_class" and estimates.empty)
    if filtered_out and selection.active():
        st.info(f"No {'facility record' if metric.column == 'facilities' else 'city waste figure'} matches "
                f"{filter_words(selection, APPLIES)}. Clear or widen those filters in the sidebar, or colour the "
                "map by population, which the filters do not change.", icon=":material/filter_alt_off:")
        return
    chart_frame(key="province-map", **map_view(data_dir, geo_key, sel_key, metric.code))
    st.caption(f"Map: {BOUNDARY_ATTRIBUTION} Drawn offline, with no map tiles.")


def facility_table(facilities: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The landfill and dumpsite list as shown: sourced columns, gaps left empty, the area conflicts in words."""
    by_id = sources.set_index("id")
    labels, links = [], []
    for cell in facilities["source_id"]:
        ids = [s for s in split_ids(cell) if s in by_id.index]
        labels.append("; ".join(short_label(by_id.loc[s]) for s in ids))
        links.append(next((by_id.loc[s, "url"] for s in ids if by_id.loc[s, "url"]), None))
    capacity = [f"{value:,.0f} {'m³' if unit == 'm3' else 't'}" if not pd.isna(value) else ""
                for value, unit in zip(facilities["capacity_value"], facilities["capacity_unit"], strict=True)]
    return pd.DataFrame({
        "name": facilities["name"], "kind": facilities["kind"].str.replace("_", " "),
        "status": facilities["status"].map(map_figures.FACILITY_STATUS_LABELS).fillna(facilities["status"]),
        "province": facilities["province"], "opened": _gap_text(facilities["opened"]),
        "closed": _gap_text(facilities["closed"]), "area_ha": _gap_text(facilities["area_ha"]),
        "area_note": facilities["area_note"], "capacity": capacity,
        "intake_t_per_day": _gap_text(facilities["intake_t_per_day"]),
        "intake_year": _gap_text(facilities["intake_year"]), "operator": facilities["operator"],
        "source": labels, "link": links, "confidence": facilities["confidence"], "note": facilities["note"],
    }).reset_index(drop=True)


def _gap_text(values: pd.Series) -> list[str]:
    """Numbers as published ('31.4', '2009'); an unpublished one stays an empty cell, never 0 or 'None'."""
    return ["" if pd.isna(v) else f"{float(v):,.12g}" if not float(v).is_integer() else f"{int(v)}" for v in values]


def facility_list(facilities: pd.DataFrame, sources: pd.DataFrame, selection) -> None:
    st.subheader("Landfills and dumpsites on record")
    opened = facilities["opened"].notna().sum()
    st.caption(f"{len(facilities)} sites from news reports, NGO pages and project documents. Empty cells are "
               f"not published (only {opened} opening years and {facilities['intake_t_per_day'].notna().sum()} "
               "daily intakes are known). Where sources disagree on a site's area, the column 'area_note' says how.")
    table = facility_view(str(data_dir_from_env()), selection_key(selection))
    st.dataframe(table, hide_index=True, key="facility-table", height=35 * (len(table) + 1) + 3, column_config={
        "name": st.column_config.TextColumn("Site", width="medium"),
        "kind": st.column_config.TextColumn("Kind"),
        "status": st.column_config.TextColumn("Status"),
        "province": st.column_config.TextColumn("Province"),
        "opened": st.column_config.TextColumn("Opened"),
        "closed": st.column_config.TextColumn("Closed"),
        "area_ha": st.column_config.TextColumn("Area (ha)"),
        "area_note": st.column_config.TextColumn("Area: conflicting or qualified figures", width="medium"),
        "capacity": st.column_config.TextColumn("Capacity"),
        "intake_t_per_day": st.column_config.TextColumn("Intake (t/day)"),
        "intake_year": st.column_config.TextColumn("Intake year"),
        "operator": st.column_config.TextColumn("Operator"),
        "source": st.column_config.TextColumn("Source"),
        "confidence": st.column_config.TextColumn("Confidence"),
        "link": st.column_config.LinkColumn("Link", display_text="Open source"),
        "note": st.column_config.TextColumn("Note", width="large"),
    })
    conflicts = facilities[facilities["area_note"] != ""]
    if not conflicts.empty:
        with st.expander(f"Area figures that disagree or are qualified ({len(conflicts)} sites)"):
            for _, row in conflicts.iterrows():
                area = "no single figure" if pd.isna(row["area_ha"]) else f"{row['area_ha']:g} ha"
                st.markdown(f"- **{row['name']}**: shown as {area}. {row['area_note']}.")
    source_line(facilities["source_id"])
    downloads(table, name="landfills-and-dumpsites", key="facility-table")


def status_sentence(facilities: pd.DataFrame) -> str:
    counts = facilities["status"].value_counts()
    planned = int(counts.get("planned", 0) + counts.get("under_construction", 0))
    return (f"Of the {len(facilities)} sites on record, {int(counts.get('operating', 0))} are reported operating, "
            f"{planned} planned or under construction and {int(counts.get('closed', 0))} closed, each as of its "
            "latest source.")


@st.cache_resource(show_spinner=False, max_entries=64)
def facility_chart_view(data_dir: str, sel_key: tuple) -> dict:
    """The facility chart's chart_frame arguments for one (folder, filters); only ever read."""
    facilities = filtered_tables(data_dir, sel_key)[0]
    per_province = facilities[facilities["province"] != ""].groupby("province").size().sort_values(ascending=False)
    top = per_province.index[0] if not per_province.empty else ""
    tied = per_province[per_province == per_province.iloc[0]].index.tolist() if not per_province.empty else []
    lead = (tied[0] if len(tied) == 1 else ", ".join(tied[:-1]) + " and " + tied[-1]) if len(tied) <= 3 \
        else f"{len(tied)} provinces"
    title = (f"{len(per_province)} provinces have a landfill or dumpsite on record; {lead} "
             f"{'has' if len(tied) == 1 else 'have'} the most ({per_province.iloc[0]} each)" if top else
             "No facility with a known province is on record")
    table = facilities.groupby(["province", "status"]).size().rename("facilities").reset_index()
    return dict(
        title=title,
        subtitle="Landfills, dumpsites, planned landfills and transfer stations on record, by province and status, "
                 "count. Provinces with none on record are not drawn: unknown, not zero.",
        figure=facility_figure(data_dir, sel_key), table=table,
        source_ids=facilities["source_id"],
        alt=f"Stacked bar chart of {len(facilities)} waste facilities on record in {len(per_province)} provinces, "
            "by operating status.",
        reading=status_sentence(facilities) + " Paying for sanitary landfills is part of what the workshop's "
                "takeaway on financing mechanisms asks development partners and investors to help with.",
    )


def facility_chart(facilities: pd.DataFrame, selection) -> None:
    chart_frame(key="facilities-by-province",
                **facility_chart_view(str(data_dir_from_env()), selection_key(selection)))


def main() -> None:
    st.title("Provinces and facilities")
    st.markdown("Where Cambodia's people live, where its known landfills and dumpsites are, and which provinces "
                "publish any figure on their waste. Grey means no figure is published, never zero.")
    selection = current()
    applied_note(selection, APPLIES)
    st.caption("Population (2019 census) is not changed by the filters; the year range applies to city waste "
               "figures only.")
    loaded = need("population", "facilities", "estimates", "sources")
    if loaded is None:
        return
    population, _, _, sources = loaded
    facilities, estimates = filtered_tables(str(data_dir_from_env()), selection_key(selection))
    drawn = boundaries()
    if drawn is not None:
        province_map(drawn[1], population, facilities, estimates, selection)
    if facilities.empty:
        st.info(f"No landfill or dumpsite matches {filter_words(selection, FACILITY_APPLIES)}. Facility records "
                "belong to the 'Treatment and disposal' stage; clear the stage, geography or confidence filter in "
                "the sidebar to see them.", icon=":material/filter_alt_off:")
        return
    facility_chart(facilities, selection)
    facility_list(facilities, sources, selection)


main()
