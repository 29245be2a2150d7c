"""Data explorer: every table of the data package, filtered and searched, with its column help and downloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import catalogue, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import downloads, source_line
from core import explorer
from core.catalogue import DataError, split_ids
from core.sectors import BY_KEY, apply
from core.site import BOUNDARY_ATTRIBUTION, PAGES

APPLIES = ("stage", "actor", "material", "wsource", "geo", "conf", "years")
DEFAULT_RESOURCE = "estimates"
GEOJSON = "boundaries"
ROW_PX, TABLE_MAX_PX = 35, 600  # show short tables whole; long ones scroll inside the frame
SOURCE_LINE_LIMIT = 6  # beyond this many cited sources the line would bury the table; link the Sources page


def filter_label(key: str) -> str:
    return "years" if key == "years" else BY_KEY[key].label.lower()


def link_notice(names: list[str]) -> None:
    """A quiet note when the link names a table that does not exist (Streamlit then shows the default)."""
    bad = unrecognised_link_values({"ex_res": names})
    if bad:
        st.caption(f"The link asked for a table called “{bad[0][1]}”, which does not exist; showing "
                   f"“{DEFAULT_RESOURCE}” instead.")


def column_config(fields: list[dict]) -> dict:
    """Each column's title, description and unit as its header tooltip; numbers shown in full, never rounded."""
    config = {}
    for field in fields:
        name, ftype, text = field["name"], field.get("type", "string"), explorer.field_help(field)
        if ftype in ("number", "integer"):
            config[name] = st.column_config.NumberColumn(help=text, format="plain")
        elif ftype == "boolean":
            config[name] = st.column_config.CheckboxColumn(help=text)
        elif name == "url":
            config[name] = st.column_config.LinkColumn(help=text)
        else:
            config[name] = st.column_config.TextColumn(help=text, pinned=name == "id" or None)
    return config


def licence_links(licences: list[dict]) -> str:
    """'[Title](url); ...' from a descriptor's licences."""
    return "; ".join(f"[{item.get('title') or item['name']}]({item['path']})" if item.get("path")
                     else str(item.get("title") or item["name"]) for item in licences) or "none stated"


def filter_summary(usable: tuple[str, ...], selection, query: str) -> list[str]:
    """Plain words for what narrowed the rows: the sector filters that acted, and the search."""
    parts = []
    if selection.describe(usable):
        parts.append(f"filters ({selection.describe(usable)})")
    if query:
        parts.append(f"the search “{explorer.escape_markdown(query)}”")
    return parts


def sources_pointer(rows: pd.DataFrame) -> None:
    """The source line of the rows shown, or a link to the full list when they cite many sources."""
    if "source_id" not in rows.columns or rows.empty:
        return
    cited = {source for cell in rows["source_id"] for source in split_ids(str(cell))}
    if len(cited) <= SOURCE_LINE_LIMIT:
        source_line(rows["source_id"])
        return
    st.caption(f"These rows cite {len(cited)} sources (column source_id); each source's full citation, licence "
               "and link are on the Sources and methods page.")
    sources_page = next((p for p in PAGES if p.url_path == "sources"), None)
    if sources_page is not None:
        st.page_link(sources_page.path, label="Sources and methods", icon=sources_page.icon)


def table_view(name: str, selection, query: str) -> None:
    cat = catalogue()
    resource = cat.resource(name)
    st.markdown(f"#### {resource.get('title', name)}")
    if resource.get("description"):
        st.caption(f"{resource['description']} Licence: {licence_links(resource.get('licenses', []))}.")
    loaded = need(name)
    if loaded is None:
        return
    table = loaded[0]
    usable = explorer.filterable(table.columns, APPLIES)
    not_here = [filter_label(k) for k in selection.active() if k in APPLIES and k not in usable]
    filtered = apply(table, selection, usable)
    shown = explorer.search(filtered, query)

    note = f"Sector filters that can narrow this table: {', '.join(filter_label(k) for k in usable) or 'none'}."
    if not_here:
        note += f" Set but not used here (the table has no such column): {', '.join(not_here)}."
    st.caption(note + " The search looks for the exact text, ignoring case, in every text column.")
    st.markdown(f"**{len(shown):,} of {len(table):,} rows shown**")

    if table.empty:
        st.info(f"The table “{name}” has no rows yet.", icon=":material/info:")
        return
    if shown.empty:
        narrowed = filter_summary(usable, selection, query)
        st.info(f"No row of “{name}” matches {' and '.join(narrowed)}. Clear the search box, or remove "
                "filters in the sidebar (an empty filter means all), to see rows again.",
                icon=":material/filter_alt_off:")
        return
    st.dataframe(shown, hide_index=True, column_config=column_config(cat.fields(name)), key=f"ex-table-{name}",
                 height=min(ROW_PX * (len(shown) + 1) + 3, TABLE_MAX_PX))
    sources_pointer(shown)
    downloads(shown, name=f"cambodia-waste-{name}" + ("-filtered" if len(shown) < len(table) else ""),
              key="ex-dl")


@st.cache_data(show_spinner=False, max_entries=2)
def _package_zip(paths: tuple[str, ...], stamp: tuple) -> bytes:
    # The stamp (size and mtime of each file) is the cache key: an edited file gives a fresh zip.
    return explorer.package_zip([Path(p) for p in paths])


def package_download() -> None:
    """The whole data package as one zip, and the boundaries as GeoJSON; both built only when clicked."""
    st.subheader("The whole data package")
    cat = catalogue()
    try:
        files = explorer.package_files(cat.data_dir, cat.descriptor)
    except DataError as error:
        st.warning(f"The package cannot be offered for download: {error.message}", icon=":material/report:")
        return
    paths, stamp = tuple(str(p) for p in files), explorer.fingerprint(files)
    st.caption(f"One zip with {len(files)} files: the descriptor datapackage.json (every column's meaning, unit "
               "and constraints; sources and licences), every CSV table, the province boundaries "
               "(khm_adm1.geojson) and their provenance note (khm_adm1.SOURCE.md). Data tools can check it with "
               "`frictionless validate datapackage.json`.")
    st.caption(f"Licences: {licence_links(cat.descriptor.get('licenses', []))}. {BOUNDARY_ATTRIBUTION}")
    geojson = cat.path(GEOJSON)
    with st.container(horizontal=True):
        st.download_button("Download the data package (zip)", data=lambda: _package_zip(paths, stamp),
                           file_name="cambodia-waste-datapackage.zip", mime="application/zip", key="ex-zip",
                           on_click="ignore", icon=":material/folder_zip:")
        st.download_button("Download province boundaries (GeoJSON)", data=geojson.read_bytes,
                           file_name=geojson.name, mime="application/geo+json", key="ex-geojson",
                           on_click="ignore", icon=":material/map:")


def main() -> None:
    st.title("Data explorer")
    st.markdown("Every table behind the dashboard, row by row: pick a table, narrow it with the sector filters "
                "or a search, read what each column means by hovering its header, and download what you see.")
    selection = current()
    applied_note(selection, APPLIES)
    try:
        names = explorer.tabular_names(catalogue().descriptor)
    except DataError as error:
        st.error(f"**The data package cannot be read.** {error.message}", icon=":material/report:")
        return
    link_notice(names)
    left, right = st.columns([1, 2])
    with left:
        name = st.selectbox("Table", names, index=names.index(DEFAULT_RESOURCE) if DEFAULT_RESOURCE in names
                            else 0, key="ex_res", bind="query-params",
                            help="The tables of the data package, by their file names (estimates is the "
                                 "evidence ledger: one row per published figure).")
    with right:
        query = st.text_input("Search the table", key="ex_q", bind="query-params",
                              placeholder="e.g. Phnom Penh, plastic",
                              help="Finds rows whose text contains exactly these characters, in any text column, "
                                   "ignoring upper and lower case.")
    table_view(name, selection, explorer.clean_query(query))
    st.divider()
    package_download()


main()
