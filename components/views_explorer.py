"""The Data explorer page: its cached views and its drawing (app_pages/explorer.py only calls `main`).

What the page shows for a table depends only on the data folder, the table, the filters, the search and the
language: it is built once per such key (rows filtered and searched, column help, texts) by a cached builder and
shared read-only (components/views.py explains the pattern); the rows go to st.dataframe already in Arrow form
(components.frame.prepared_table). The table's part without widgets is drawn inside a cached function, so
Streamlit replays its elements on later runs (components/views_sources.py explains this). The drawing lives here
rather than in the page file, which is compiled anew on every run. A DataError is never cached: the builders
raise it and the page shows it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import streamlit as st

from components.data import catalogue, load, show_data_error
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import downloads, prepared_table, source_line
from components.i18n import tr, url_control
from core import explorer, site
from core.catalogue import DataError, data_dir_from_env, split_ids
from core.i18n import translator
from core.sectors import Selection, apply
from core.site import BOUNDARY_ATTRIBUTION

APPLIES = ("stage", "actor", "material", "wsource", "geo", "conf", "years")
DEFAULT_RESOURCE = "estimates"
GEOJSON = "boundaries"
ROW_PX, TABLE_MAX_PX = 35, 600  # show short tables whole; long ones scroll inside the frame
SOURCE_LINE_LIMIT = 6  # beyond this many cited sources the line would bury the table; link the Sources page


# ------------------------------------------------------------------ words

def filter_label(key: str, lang: str) -> str:
    _ = translator(lang)
    return _("filters.years") if key == "years" else _(f"filters.{key}.label").lower()


def column_config(fields: list[dict], resource: str, lang: str) -> dict:
    """Each column's title, description and unit as its header tooltip; numbers shown in full, never rounded.

    The header stays the data's column name (so the table reads like its download); the tooltip is in the
    language."""
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


def column_guide(fields: list[dict], resource: str, lang: str) -> str:
    """Every column's meaning in a list (the tooltips cannot be reached on a touch screen)."""
    help_text = {field["name"]: explorer.escape_markdown(explorer.field_help(field, resource=resource, lang=lang))
                 for field in fields}
    return "\n".join(f"- `{name}`: {text}" for name, text in help_text.items())


def licence_links(licences: list[dict], lang: str) -> str:
    """'[Title](url); ...' from a descriptor's licences (what a licence covers in the language)."""
    _ = translator(lang)
    titles = [explorer.licence_title(item, lang=lang) for item in licences]
    return "; ".join(f"[{title}]({item['path']})" if item.get("path") else title
                     for title, item in zip(titles, licences, strict=True)) or _("explorer.no_licence")


def filter_summary(usable: tuple[str, ...], selection: Selection, query: str, lang: str) -> list[str]:
    """Plain words for what narrowed the rows: the sector filters that acted, and the search."""
    _ = translator(lang)
    parts = []
    described = selection.describe(usable, _)
    if described:
        parts.append(_("explorer.narrowed_filters", selection=described))
    if query:
        parts.append(_("explorer.narrowed_search", query=explorer.escape_markdown(query)))
    return parts


def resource_head(name: str, lang: str) -> tuple[str, str | None]:
    """The table's heading and the caption under it (None when the descriptor has no description)."""
    _ = translator(lang)
    resource = catalogue().resource(name)
    title, description = explorer.resource_text(resource, lang=lang)
    caption = _("explorer.resource_caption", description=description,
                licences=licence_links(resource.get("licenses", []), lang)) if description else None
    return f"#### {title}", caption


# ------------------------------------------------------------------ cached views

@st.cache_resource(show_spinner=False, max_entries=8)
def explorer_page(data_dir: str, lang: str) -> dict:
    """The tables to pick from, each option's words, and the package section's texts (raises a DataError when
    the descriptor cannot be read)."""
    _ = translator(lang)
    cat = catalogue()
    names = explorer.tabular_names(cat.descriptor)

    def shown(name: str) -> str:
        if lang == "en":
            return name
        title = explorer.resource_text(cat.resource(name), lang=lang)[0]
        return _("explorer.table.option", name=name, title=title)

    return {
        "names": names,
        "options": {name: shown(name) for name in names},
        "default": DEFAULT_RESOURCE if DEFAULT_RESOURCE in names else names[0] if names else None,
        "licences": _("explorer.package.licences", licences=licence_links(cat.descriptor.get("licenses", []), lang),
                      attribution=BOUNDARY_ATTRIBUTION),
    }


@st.cache_resource(show_spinner=False, max_entries=8)
def package_view(data_dir: str) -> tuple[tuple[Path, ...], Path]:
    """The data package's files (raises a DataError naming a missing one) and the boundaries file."""
    cat = catalogue()
    return tuple(explorer.package_files(cat.data_dir, cat.descriptor)), cat.path(GEOJSON)


@st.cache_data(show_spinner=False, max_entries=2)
def _package_zip(paths: tuple[str, ...], stamp: tuple) -> bytes:
    # The stamp (size and mtime of each file) is the cache key: an edited file gives a fresh zip.
    return explorer.package_zip([Path(p) for p in paths])


def package_zip(files: tuple[Path, ...]) -> bytes:
    """The zip of the package as the files are now (stamped when clicked, so an edited file gives a fresh zip)."""
    return _package_zip(tuple(str(p) for p in files), explorer.fingerprint(files))


@st.cache_resource(show_spinner=False, max_entries=128)
def table_view(data_dir: str, name: str, selection_key: str, query: str, lang: str) -> dict:
    """One table as shown for these filters, search and language; raises the table's DataError. `selection_key`
    is the repr of the selection's (values, years), the values in the selection's order (a short string is hashed
    in one step, a nested tuple item by item)."""
    _ = translator(lang)
    values, years = ast.literal_eval(selection_key)
    selection = Selection(values=dict(values), years=years)
    table = load(name)
    heading, caption = resource_head(name, lang)
    usable = explorer.filterable(table.columns, APPLIES)
    not_here = [filter_label(k, lang) for k in selection.active() if k in APPLIES and k not in usable]
    shown = explorer.search(apply(table, selection, usable), query)
    notes = [_("explorer.filters_can", names=", ".join(filter_label(k, lang) for k in usable) or _("filters.none"))]
    if not_here:
        notes.append(_("explorer.filters_unused", names=", ".join(not_here)))
    notes.append(_("explorer.search_rule"))
    view = {
        "heading": heading, "caption": caption, "notes": " ".join(notes),
        "count": f"**{_('explorer.rows_shown', shown=_.num(len(shown)), total=_.num(len(table)))}**",
    }
    if table.empty:
        return view | {"info": _("explorer.empty_table", name=name), "icon": ":material/info:"}
    if shown.empty:
        narrowed = f" {_('explorer.and')} ".join(filter_summary(usable, selection, query, lang))
        return view | {"info": _("explorer.no_match", name=name, narrowed=narrowed),
                       "icon": ":material/filter_alt_off:"}
    fields = catalogue().fields(name)
    cited: tuple[str, ...] = ()
    many = None
    if "source_id" in shown.columns:
        cited = tuple(dict.fromkeys(s for cell in shown["source_id"] for s in split_ids(str(cell))))
        if len(cited) > SOURCE_LINE_LIMIT:
            many = _("explorer.many_sources", count=_.num(len(cited)))
    return view | {
        "rows": shown,
        "config": column_config(fields, name, lang),
        "height": min(ROW_PX * (len(shown) + 1) + 3, TABLE_MAX_PX),
        "guide": column_guide(fields, name, lang),
        "cited": cited,
        "many": many,
        "file": f"cambodia-waste-{name}" + ("-filtered" if len(shown) < len(table) else ""),
    }


# ------------------------------------------------------------------ sections

def link_notice(names: list[str]) -> None:
    """A quiet note when the link names a table that does not exist (the control then shows the default)."""
    _ = tr()
    bad = unrecognised_link_values({"ex_res": names})
    if bad:
        st.caption(_("explorer.link_unknown", value=bad[0][1], default=DEFAULT_RESOURCE))


def sources_pointer(view: dict) -> None:
    """The source line of the rows shown, or a link to the full list when they cite many sources."""
    if not view["cited"]:
        return
    if view["many"] is None:
        source_line(view["cited"])
        return
    st.caption(view["many"])
    sources_page = next((p for p in site.PAGES if p.url_path == "sources"), None)
    if sources_page is not None:
        st.page_link(sources_page.path, label=tr()("site.page.sources"), icon=sources_page.icon)


def table_body(name: str, view: dict) -> None:
    """The table's heading, what narrowed it, and its rows with their column guide and sources."""
    _ = tr()
    st.markdown(view["heading"])
    if view["caption"] is not None:
        st.caption(view["caption"])
    st.caption(view["notes"])
    st.markdown(view["count"])
    if "rows" not in view:
        st.info(view["info"], icon=view["icon"])
        return
    st.dataframe(prepared_table(view["rows"]), hide_index=True, column_config=view["config"],
                 key=f"ex-table-{name}", height=view["height"])
    with st.expander(_("explorer.columns"), icon=":material/view_column:"):
        st.caption(_("explorer.columns_intro"))
        st.markdown(view["guide"])
    sources_pointer(view)


@st.cache_resource(show_spinner=False, max_entries=16)
def _replayed_table(data_dir: str, name: str, selection_key: str, query: str, lang: str, pages: str) -> dict:
    """table_body drawn once per key (no widget in it): Streamlit replays its elements on later runs. Returns the
    view (its DataError comes before anything is drawn)."""
    view = table_view(data_dir, name, selection_key, query, lang)
    table_body(name, view)
    return view


def table_section(name: str, selection: Selection, query: str) -> None:
    _ = tr()
    data_dir = str(data_dir_from_env())
    key = repr((tuple((k, tuple(v)) for k, v in selection.values.items()), tuple(selection.years)))
    try:
        view = _replayed_table(data_dir, name, key, query, _.lang, ",".join(spec.url_path for spec in site.PAGES))
    except DataError as error:  # the heading still names the table; the error says what is wrong with it
        heading, caption = resource_head(name, _.lang)
        st.markdown(heading)
        if caption is not None:
            st.caption(caption)
        show_data_error(error)
        return
    if "rows" in view:
        downloads(view["rows"], name=view["file"], key="ex-dl")


def package_download(page: dict) -> None:
    """The whole data package as one zip, and the boundaries as GeoJSON; both built only when clicked."""
    _ = tr()
    st.subheader(_("explorer.package.heading"))
    try:
        files, geojson = package_view(str(data_dir_from_env()))
    except DataError as error:
        st.warning(_("explorer.package.unavailable", problem=error.message), icon=":material/report:")
        return
    st.caption(_("explorer.package.contents", count=_.num(len(files))))
    st.caption(page["licences"])
    with st.container(horizontal=True):
        st.download_button(_("explorer.package.download_zip"), data=lambda: package_zip(files),
                           file_name="cambodia-waste-datapackage.zip", mime="application/zip", key="ex-zip",
                           on_click="ignore", icon=":material/folder_zip:")
        st.download_button(_("explorer.package.download_geojson"), data=geojson.read_bytes,
                           file_name=geojson.name, mime="application/geo+json", key="ex-geojson",
                           on_click="ignore", icon=":material/map:")


def main() -> None:
    _ = tr()
    st.title(_("explorer.title"))
    st.markdown(_("explorer.intro"))
    if _.lang != "en":
        st.caption(_("explorer.as_published"))
    selection = current()
    applied_note(selection, APPLIES)
    try:
        page = explorer_page(str(data_dir_from_env()), _.lang)
    except DataError as error:
        st.error(f"**{_('explorer.read_error')}** {error.message}", icon=":material/report:")
        return
    names = page["names"]
    link_notice(names)
    left, right = st.columns([1, 2])
    with left:
        # The picker keeps the table's file name in the link (?ex_res=facilities) in every language; in Khmer each
        # option also shows the table's translated title.
        name = url_control(st.selectbox, _("explorer.table.label"), key="ex_res", options=names,
                           default=page["default"], format_func=page["options"].__getitem__,
                           help=_("explorer.table.help"))
    with right:
        query = st.text_input(_("explorer.search.label"), key="ex_q", bind="query-params",
                              placeholder=_("explorer.search.placeholder"), help=_("explorer.search.help"))
    table_section(name, selection, explorer.clean_query(query))
    st.divider()
    package_download(page)
