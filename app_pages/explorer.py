"""Data explorer: every table of the data package, filtered and searched, with its column help and downloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import catalogue, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import downloads, source_line
from components.i18n import tr, url_control
from core import explorer
from core.catalogue import DataError, split_ids
from core.sectors import apply
from core.site import BOUNDARY_ATTRIBUTION, PAGES

APPLIES = ("stage", "actor", "material", "wsource", "geo", "conf", "years")
DEFAULT_RESOURCE = "estimates"
GEOJSON = "boundaries"
ROW_PX, TABLE_MAX_PX = 35, 600  # show short tables whole; long ones scroll inside the frame
SOURCE_LINE_LIMIT = 6  # beyond this many cited sources the line would bury the table; link the Sources page


def filter_label(key: str) -> str:
    _ = tr()
    return _("filters.years") if key == "years" else _(f"filters.{key}.label").lower()


def link_notice(names: list[str]) -> None:
    """A quiet note when the link names a table that does not exist (the control then shows the default)."""
    _ = tr()
    bad = unrecognised_link_values({"ex_res": names})
    if bad:
        st.caption(_("explorer.link_unknown", value=bad[0][1], default=DEFAULT_RESOURCE))


def column_config(fields: list[dict], resource: str) -> dict:
    """Each column's title, description and unit as its header tooltip; numbers shown in full, never rounded.

    The header stays the data's column name (so the table reads like its download); the tooltip is in the
    session's language."""
    lang = tr().lang
    config = {}
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        text = explorer.field_help(field, resource=resource, lang=lang)
        if ftype in ("number", "integer"):  # "%d": whole numbers as such ("plain" drew 2017 as 2017.0000000000002)
            config[name] = st.column_config.NumberColumn(help=text, format="%d" if ftype == "integer" else "plain")
        elif ftype == "boolean":
            config[name] = st.column_config.CheckboxColumn(help=text)
        elif name == "url":
            config[name] = st.column_config.LinkColumn(help=text)
        else:
            config[name] = st.column_config.TextColumn(help=text, pinned=name == "id" or None)
    return config


def column_guide(fields: list[dict], resource: str) -> None:
    """Every column's meaning in a list (the tooltips cannot be reached on a touch screen)."""
    _ = tr()
    with st.expander(_("explorer.columns"), icon=":material/view_column:"):
        st.caption(_("explorer.columns_intro"))
        help_text = {field["name"]: explorer.escape_markdown(explorer.field_help(field, resource=resource, lang=_.lang))
                     for field in fields}
        st.markdown("\n".join(f"- `{name}`: {text}" for name, text in help_text.items()))


def licence_links(licences: list[dict]) -> str:
    """'[Title](url); ...' from a descriptor's licences (what a licence covers in the session's language)."""
    _ = tr()
    titles = [explorer.licence_title(item, lang=_.lang) for item in licences]
    return "; ".join(f"[{title}]({item['path']})" if item.get("path") else title
                     for title, item in zip(titles, licences, strict=True)) or _("explorer.no_licence")


def filter_summary(usable: tuple[str, ...], selection, query: str) -> list[str]:
    """Plain words for what narrowed the rows: the sector filters that acted, and the search."""
    _ = tr()
    parts = []
    described = selection.describe(usable, _)
    if described:
        parts.append(_("explorer.narrowed_filters", selection=described))
    if query:
        parts.append(_("explorer.narrowed_search", query=explorer.escape_markdown(query)))
    return parts


def sources_pointer(rows: pd.DataFrame) -> None:
    """The source line of the rows shown, or a link to the full list when they cite many sources."""
    _ = tr()
    if "source_id" not in rows.columns or rows.empty:
        return
    cited = {source for cell in rows["source_id"] for source in split_ids(str(cell))}
    if len(cited) <= SOURCE_LINE_LIMIT:
        source_line(rows["source_id"])
        return
    st.caption(_("explorer.many_sources", count=_.num(len(cited))))
    sources_page = next((p for p in PAGES if p.url_path == "sources"), None)
    if sources_page is not None:
        st.page_link(sources_page.path, label=_("site.page.sources"), icon=sources_page.icon)


def table_view(name: str, selection, query: str) -> None:
    _ = tr()
    cat = catalogue()
    resource = cat.resource(name)
    title, description = explorer.resource_text(resource, lang=_.lang)
    st.markdown(f"#### {title}")
    if description:
        st.caption(_("explorer.resource_caption", description=description,
                     licences=licence_links(resource.get("licenses", []))))
    loaded = need(name)
    if loaded is None:
        return
    table = loaded[0]
    usable = explorer.filterable(table.columns, APPLIES)
    not_here = [filter_label(k) for k in selection.active() if k in APPLIES and k not in usable]
    filtered = apply(table, selection, usable)
    shown = explorer.search(filtered, query)

    notes = [_("explorer.filters_can", names=", ".join(filter_label(k) for k in usable) or _("filters.none"))]
    if not_here:
        notes.append(_("explorer.filters_unused", names=", ".join(not_here)))
    notes.append(_("explorer.search_rule"))
    st.caption(" ".join(notes))
    st.markdown(f"**{_('explorer.rows_shown', shown=_.num(len(shown)), total=_.num(len(table)))}**")

    if table.empty:
        st.info(_("explorer.empty_table", name=name), icon=":material/info:")
        return
    if shown.empty:
        narrowed = f" {_('explorer.and')} ".join(filter_summary(usable, selection, query))
        st.info(_("explorer.no_match", name=name, narrowed=narrowed), icon=":material/filter_alt_off:")
        return
    fields = cat.fields(name)
    st.dataframe(shown, hide_index=True, column_config=column_config(fields, name), key=f"ex-table-{name}",
                 height=min(ROW_PX * (len(shown) + 1) + 3, TABLE_MAX_PX))
    column_guide(fields, name)
    sources_pointer(shown)
    downloads(shown, name=f"cambodia-waste-{name}" + ("-filtered" if len(shown) < len(table) else ""),
              key="ex-dl")


@st.cache_data(show_spinner=False, max_entries=2)
def _package_zip(paths: tuple[str, ...], stamp: tuple) -> bytes:
    # The stamp (size and mtime of each file) is the cache key: an edited file gives a fresh zip.
    return explorer.package_zip([Path(p) for p in paths])


def package_download() -> None:
    """The whole data package as one zip, and the boundaries as GeoJSON; both built only when clicked."""
    _ = tr()
    st.subheader(_("explorer.package.heading"))
    cat = catalogue()
    try:
        files = explorer.package_files(cat.data_dir, cat.descriptor)
    except DataError as error:
        st.warning(_("explorer.package.unavailable", problem=error.message), icon=":material/report:")
        return
    paths, stamp = tuple(str(p) for p in files), explorer.fingerprint(files)
    st.caption(_("explorer.package.contents", count=_.num(len(files))))
    st.caption(_("explorer.package.licences", licences=licence_links(cat.descriptor.get("licenses", [])),
                 attribution=BOUNDARY_ATTRIBUTION))
    geojson = cat.path(GEOJSON)
    with st.container(horizontal=True):
        st.download_button(_("explorer.package.download_zip"), data=lambda: _package_zip(paths, stamp),
                           file_name="cambodia-waste-datapackage.zip", mime="application/zip", key="ex-zip",
                           on_click="ignore", icon=":material/folder_zip:")
        st.download_button(_("explorer.package.download_geojson"), data=geojson.read_bytes,
                           file_name=geojson.name, mime="application/geo+json", key="ex-geojson",
                           on_click="ignore", icon=":material/map:")


def table_choice(names: list[str]) -> str:
    """The table picker, kept in the link as the table's file name (?ex_res=facilities) in every language; in
    Khmer each option also shows the table's translated title."""
    _ = tr()
    cat = catalogue()

    def shown(name: str) -> str:
        if _.lang == "en":
            return name
        title = explorer.resource_text(cat.resource(name), lang=_.lang)[0]
        return _("explorer.table.option", name=name, title=title)

    default = DEFAULT_RESOURCE if DEFAULT_RESOURCE in names else names[0]
    return url_control(st.selectbox, _("explorer.table.label"), key="ex_res", options=names, default=default,
                       format_func=shown, help=_("explorer.table.help"))


def main() -> None:
    _ = tr()
    st.title(_("explorer.title"))
    st.markdown(_("explorer.intro"))
    if _.lang != "en":
        st.caption(_("explorer.as_published"))
    selection = current()
    applied_note(selection, APPLIES)
    try:
        names = explorer.tabular_names(catalogue().descriptor)
    except DataError as error:
        st.error(f"**{_('explorer.read_error')}** {error.message}", icon=":material/report:")
        return
    link_notice(names)
    left, right = st.columns([1, 2])
    with left:
        name = table_choice(names)
    with right:
        query = st.text_input(_("explorer.search.label"), key="ex_q", bind="query-params",
                              placeholder=_("explorer.search.placeholder"), help=_("explorer.search.help"))
    table_view(name, selection, explorer.clean_query(query))
    st.divider()
    package_download()


main()
