"""The Sources and methods page: its cached views and its drawing (app_pages/sources.py only calls `main`).

Everything the page derives from the data depends only on the data folder, the tables that could be read, the
language and (for the list and the detail) the filters, the kinds and the source picked: each view is built once
per such key by a cached builder here, from short string arguments, and shared read-only between sessions and
reruns (components/views.py explains the pattern). The tables shown are handed to st.dataframe already in Arrow
form (components.frame.prepared_table).

When every table could be read, the sections without widgets are drawn inside cached functions (`_replayed_*`):
Streamlit records the elements such a function draws and replays them on later runs instead of running it, about
half the cost of drawing them anew. Widgets, and what reads the link, are drawn on every run. When a file is
broken the page loads table by table, each broken file showing its own message, and draws everything anew; a
DataError is never cached.

The drawing lives here, not in the page file: a page file is compiled on every run, a module once per process.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.data import catalogue, load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import downloads, kpi, prepared_table, source_line
from components.i18n import tr, url_control
from core import evidence, explorer, methods, site
from core.catalogue import DataError, data_dir_from_env, split_ids
from core.i18n import Translator, translator
from core.sectors import Selection, apply

APPLIES = ("conf",)
LIST_COLUMNS = ["id", "citation", "kind", "confidence", "licence", "accessed", "rows_citing", "cited_in",
                "access_note", "url", "note"]
CONFLICT_COLUMNS = {
    "value": st.column_config.NumberColumn(format="plain"),
    "quote": st.column_config.TextColumn(width="large"),
}

# ------------------------------------------------------------------ helpers


def registry() -> dict[str, site.PageSpec]:
    """The registered pages by URL path (read on every run: the views below keep URL paths, not pages)."""
    return {spec.url_path: spec for spec in site.PAGES}


_PAGE_OBJECTS: dict[tuple[str, site.PageSpec, bool], st.Page] = {}


def page_object(spec: site.PageSpec) -> st.Page:
    """The st.Page of a registered page, made once per app folder: st.page_link given a path resolves the file
    and searches the registry on every call. It draws the same link (the page's hash and URL path, the first page
    at the root)."""
    ctx = get_script_run_ctx()
    default = spec == site.PAGES[0]
    key = (str(ctx.pages_manager.main_script_parent) if ctx else "", spec, default)
    page = _PAGE_OBJECTS.get(key)
    if page is None:
        page = _PAGE_OBJECTS[key] = st.Page(spec.path, icon=spec.icon, url_path=spec.url_path, default=default)
    return page


def page_links(url_paths: Iterable[str], _: Translator) -> None:
    """Links to the pages that exist in this build of the dashboard (a page not yet written is skipped)."""
    pages = registry()
    for url_path in url_paths:
        spec = pages.get(url_path)
        if spec is not None:
            st.page_link(page_object(spec), label=_(f"site.page.{url_path}"), icon=spec.icon)


def link_notice(key: str, allowed: set[str]) -> None:
    """A quiet note for link values the widget will drop (the control then uses the default)."""
    _ = tr()
    bad = [shown for _key, shown in unrecognised_link_values({key: allowed})]
    if bad:
        st.caption(_("sources.link_unrecognised", key=key, values=", ".join(bad[:3])))


def confidence_word(code: str, lang: str) -> str:
    """'medium' in English (as the data writes it), the filter's word in Khmer."""
    _ = translator(lang)
    return _(f"filters.conf.option.{code}").lower() if _.has(f"filters.conf.option.{code}") else code


def _tables(names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in names}


# Cache keys are short strings (Streamlit hashes a string in one step, a nested tuple item by item): the readable
# citing tables joined by commas, and a selection as the repr of its tuples.

def _names(key: str) -> tuple[str, ...]:
    return tuple(key.split(",")) if key else ()


# ------------------------------------------------------------------ cached views (keyed by data folder and table names)

@st.cache_resource(show_spinner=False, max_entries=8)
def page_view(data_dir: str, lang: str) -> dict:
    """The whole page's views when sources.csv and every other table can be read (one cache lookup a run); else
    the DataError propagates (uncached) and the page checks the tables one by one."""
    load("sources")
    names = [name for name in explorer.tabular_names(catalogue().descriptor)
             if name != "sources" and "source_id" in load(name).columns]
    key = ",".join(names)
    return {"names": key, "sources": sources_view(data_dir, key, lang), "methods": methods_view(data_dir, key, lang)}


@st.cache_resource(show_spinner=False, max_entries=16)
def _citation_summary(data_dir: str, names: str, lang: str) -> pd.DataFrame:
    counts = methods.citation_counts(_tables(_names(names)))
    return methods.cited_in(counts, load("sources")["id"], list(_names(names)), lang=lang)


def _list_config(lang: str) -> dict:
    """Column tooltips in the language; the headers stay the data's names (as in the download)."""
    _ = translator(lang)
    fields = {f["name"]: f for f in catalogue().fields("sources")}

    def described(name: str) -> str:
        return explorer.field_help(fields[name], resource="sources", lang=lang)

    config = {name: st.column_config.TextColumn(help=described(name), pinned=name == "id" or None) for name in fields}
    config["url"] = st.column_config.LinkColumn(help=described("url"), display_text=_("sources.list.open"))
    config["citation"] = st.column_config.TextColumn(help=described("citation"), width="large")
    config["rows_citing"] = st.column_config.NumberColumn(
        _("sources.list.rows_citing"), format="plain", help=_("sources.list.rows_citing_help"))
    config["cited_in"] = st.column_config.TextColumn(_("sources.list.cited_in"), help=_("sources.list.cited_in_help"))
    return config


def _headline_source(estimates: pd.DataFrame) -> str | None:
    try:
        return evidence.headline_total(estimates).source_id
    except LookupError:  # no headline: the first source is as good a start
        return None


@st.cache_resource(show_spinner=False, max_entries=16)
def sources_view(data_dir: str, names: str, lang: str) -> dict:
    """What the page draws from sources.csv whatever the filters: the KPI cards, the list's kinds and column
    help, the ids to pick from and the one picked by default, the confidence scale."""
    _ = translator(lang)
    sources = load("sources")
    summary = _citation_summary(data_dir, names, lang)
    ledger = load("estimates") if "estimates" in _names(names) else None
    cited = int((summary["rows_citing"] > 0).sum())
    high = int((sources["confidence"] == "high").sum())
    licensed = int((sources["licence"] != "No licence stated").sum())
    total = _.num(len(sources))
    cards = (
        dict(label=_("sources.kpi.listed"), value=total, caption=_("sources.kpi.listed_caption", cited=_.num(cited))),
        dict(label=_("sources.kpi.ledger"), value=_("sources.kpi.no_data") if ledger is None else _.num(len(ledger)),
             caption=_("sources.kpi.ledger_caption")),
        dict(label=_("sources.kpi.high"), value=_("sources.kpi.of", part=_.num(high), total=total),
             caption=_("sources.kpi.high_caption")),
        dict(label=_("sources.kpi.licence"), value=_("sources.kpi.of", part=_.num(licensed), total=total),
             caption=_("sources.kpi.licence_caption")),
    )
    ids = sources["id"].tolist()
    default_id = sources["id"].iloc[0]
    if ledger is not None:
        default_id = _headline_source(ledger) or default_id
    counts = methods.confidence_counts(sources, pd.DataFrame({"confidence": []}) if ledger is None else ledger,
                                       lang=lang)
    levels = []
    for level in counts.itertuples():
        parts = [_("sources.confidence.sources", count=_.num(level.sources))]
        if ledger is not None:
            parts.append(_("sources.confidence.ledger", count=_.num(level.ledger_figures)))
        # the level and its definition: one Markdown element, two paragraphs (drawn as two elements would be)
        levels.append((f"**{_(f'filters.conf.option.{level.confidence}')}**\n\n{level.definition}", " · ".join(parts)))
    return {
        "cards": cards,
        "kinds": sorted(sources["kind"].dropna().unique().tolist()),
        "total": len(sources),
        "list_config": _list_config(lang),
        "ids": ids,
        "index": ids.index(default_id) if default_id in ids else 0,
        "levels": tuple(levels),
        "confidence_note": methods.confidence_note(lang=lang) + " " + _("sources.confidence.filter_note"),
        "lang": lang,
    }


@st.cache_resource(show_spinner=False, max_entries=64)
def listed_sources(data_dir: str, names: str, shown: str, lang: str = "en") -> pd.DataFrame:
    """The source list as shown (filters and kinds applied, `shown` the repr of (values, years, kinds)); empty when
    nothing matches."""
    values, years, kinds = ast.literal_eval(shown)
    table = load("sources").merge(_citation_summary(data_dir, names, lang), on="id", how="left")
    table = apply(table, Selection(values=dict(values), years=years), APPLIES)
    if kinds:
        table = table[table["kind"].isin(kinds)]
    if table.empty:
        return table
    return table[LIST_COLUMNS].sort_values(["rows_citing", "id"], ascending=[False, True])


@st.cache_resource(show_spinner=False, max_entries=64)
def detail_view(data_dir: str, names: str, source_id: str, lang: str) -> dict:
    """One source: its citation and facts, and per table citing it the identifying columns of those rows."""
    _ = translator(lang)
    source = load("sources").set_index("id").loc[source_id]
    year = _("sources.detail.no_date") if pd.isna(source["year"]) else str(int(source["year"]))
    found = {name: methods.rows_citing(frame, source_id) for name, frame in _tables(_names(names)).items()}
    rows = []
    for name, matched in found.items():
        if matched.empty:
            continue
        view = methods.summary_view(name, matched)
        count = len(matched)
        title = explorer.resource_text(catalogue().resource(name), lang=lang)[0]
        rows.append({
            "name": name, "count": count, "view": view,
            "heading": _("sources.detail.table_one" if count == 1 else "sources.detail.table_many", title=title,
                         name=name, count=_.num(count)),
            "config": {c: st.column_config.NumberColumn(format="plain") for c in view.select_dtypes("number").columns},
            "explorer": _("sources.detail.explorer_link", name=name, source_id=source_id),
        })
    total = sum(row["count"] for row in rows)
    count_text = _("sources.detail.total_one" if total == 1 else "sources.detail.total_many", count=_.num(total))
    return {
        "citation": f"**{source['citation']}**",
        "facts": _("sources.detail.facts", kind=_.label("source_kind", source["kind"]),
                   confidence=confidence_word(source["confidence"], lang),
                   licence=_.label("source_licence", source["licence"]),
                   published=source["date_published"] or year, accessed=source["accessed"]),
        "consulted": f"**{_('sources.detail.consulted')}** {source['access_note']}",
        "quote": (f"**{_('sources.detail.quote')}** “{explorer.escape_markdown(source['quote'])}”"
                  if source["quote"] else None),
        "note": f"**{_('sources.detail.note')}** {source['note']}" if source["note"] else None,
        "url": source["url"] or None,
        "rows": tuple(rows),
        "total": f"**{count_text}**{_('sources.detail.total_tail')}",
    }


def _derivation_notes(names: tuple[str, ...], lang: str) -> dict[str, str]:
    _ = translator(lang)
    tables = _tables(tuple(n for n in names if n in ("estimates", "treatment")))
    estimates, treatment = tables.get("estimates"), tables.get("treatment")
    notes = {}
    if estimates is not None:
        try:
            headline = evidence.headline_total(estimates)
            notes["headline"] = _("sources.methods.headline_now",
                                  value=evidence.format_tonnes(headline.value_t, lang=lang), year=headline.year,
                                  row=headline.row_id, source=headline.source_id)
        except LookupError as error:
            notes["headline"] = _("sources.methods.headline_none", problem=error)
        derived = int(evidence.national_totals(estimates)["derived"].sum())
        notes["per-day"] = _("sources.methods.per_day_now", count=_.num(derived))
    if treatment is not None:
        remainders = int((treatment["status"] == "remainder").sum())
        notes["flows"] = _("sources.methods.flows_now", remainders=_.num(remainders), total=_.num(len(treatment)))
    return notes


def _conflict(conflict: methods.Conflict, names: tuple[str, ...], lang: str) -> dict:
    _ = translator(lang)
    shown = {"key": conflict.key, "text": f"**{conflict.title}**\n\n{conflict.text}",
             "links": conflict.pages}
    unreadable = [f"data/{name}.csv" for name, _ids in conflict.rows if name not in names]
    if unreadable:
        return shown | {"unreadable": _("sources.conflicts.unreadable", files=", ".join(unreadable))}
    try:
        rows = methods.conflict_rows(conflict, _tables(names), lang=lang)
    except KeyError as error:
        return shown | {"broken": _("sources.conflicts.broken", problem=str(error.args[0]))}
    return shown | {"rows": rows, "sources": tuple(dict.fromkeys(
        s for cell in rows["source_id"] for s in split_ids(str(cell))))}


@st.cache_resource(show_spinner=False, max_entries=16)
def methods_view(data_dir: str, key: str, lang: str) -> dict:
    """The derivation rules with today's numbers, the conflicts with their rows, the gaps by page."""
    _ = translator(lang)
    names = _names(key)
    notes = _derivation_notes(names, lang)
    derivations = tuple((f"**{_('sources.methods.title', title=method.title)}** {method.text}",
                         notes.get(method.key), method.pages)
                        for method in methods.methods_in(lang=lang))
    groups: dict[str, list[methods.Gap]] = {}
    for gap in methods.gaps_in(lang=lang):
        groups.setdefault(gap.pages[0] if gap.pages else "", []).append(gap)
    gaps = tuple((url_path,
                  f"**{methods.topic_label(url_path, lang=lang)}**\n\n" + "\n".join(f"- {gap.text}" for gap in items),
                  tuple(dict.fromkeys(p for gap in items for p in gap.pages)))
                 for url_path, items in groups.items())
    return {
        "derivations": derivations,
        "conflicts": tuple(_conflict(conflict, names, lang) for conflict in methods.conflicts_in(lang=lang)),
        "gaps": gaps,
    }


# ------------------------------------------------------------------ sections

# What a section draws depends only on the views above and, for its links, on the registered pages (part of the
# key of a replayed drawing); no widget may be drawn inside a replayed one.

def pages_key() -> str:
    """The registered pages, as a cache key of the drawings that link to them."""
    return ",".join(spec.url_path for spec in site.PAGES)


def headline_kpis(view: dict) -> None:
    for column, card in zip(st.columns(4), view["cards"], strict=True):
        with column:
            kpi(**card)


def list_heading(view: dict, _: Translator) -> None:
    headline_kpis(view)
    st.subheader(_("sources.list.heading"))
    st.caption(_("sources.list.caption"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _replayed_heading(data_dir: str, lang: str) -> dict:
    """The KPIs and the list's heading, replayed; returns page_view's views (its DataError comes before anything
    is drawn)."""
    page = page_view(data_dir, lang)
    list_heading(page["sources"], translator(lang))
    return page


def source_list(view: dict, names: str, selection, _: Translator, *, replay: bool) -> None:
    kinds = view["kinds"]
    link_notice("src_kind", set(kinds))
    chosen = url_control(st.multiselect, _("sources.kind.label"), key="src_kind", options=kinds, default=[],
                         multi=True, format_func=lambda code: _.label("source_kind", code),
                         placeholder=_("sources.kind.placeholder"), help=_("sources.kind.help"))
    shown = repr((tuple(sorted((k, tuple(v)) for k, v in selection.values.items())), tuple(selection.years),
                  tuple(chosen)))
    data_dir = str(data_dir_from_env())
    if replay:
        table = _replayed_list(data_dir, names, shown, _.lang)
    else:
        table = listed_sources(data_dir, names, shown, _.lang)
        list_table(view, table, shown, _)
    if not table.empty:
        downloads(table, name="cambodia-waste-sources", key="src-dl")


def list_table(view: dict, table: pd.DataFrame, shown: str, _: Translator) -> None:
    """How many sources are listed, and the list (or what emptied it)."""
    st.markdown(f"**{_('sources.list.count', shown=_.num(len(table)), total=_.num(view['total']))}**")
    if table.empty:
        values, years, chosen = ast.literal_eval(shown)
        selection = Selection(values=dict(values), years=years)
        narrowed = [_("sources.list.narrowed_kind", kinds=", ".join(_.label("source_kind", k) for k in chosen))
                    ] if chosen else []
        if selection.describe(APPLIES):
            narrowed.append(selection.describe(APPLIES, _))
        st.info(_("sources.list.empty", narrowed=f" {_('sources.list.and')} ".join(narrowed)),
                icon=":material/filter_alt_off:")
        return
    st.dataframe(prepared_table(table), hide_index=True, column_config=view["list_config"], key="src-table",
                 height=420)


@st.cache_resource(show_spinner=False, max_entries=32)
def _replayed_list(data_dir: str, names: str, shown: str, lang: str) -> pd.DataFrame:
    """list_table replayed; returns the list (for its downloads)."""
    table = listed_sources(data_dir, names, shown, lang)
    list_table(page_view(data_dir, lang)["sources"], table, shown, translator(lang))
    return table


def detail_body(detail: dict, source_id: str, _: Translator) -> None:
    """One source: its citation and facts, then the rows that cite it, table by table."""
    with st.container(border=True):
        st.markdown(detail["citation"])
        st.caption(detail["facts"])
        st.markdown(detail["consulted"])
        if detail["quote"]:
            st.markdown(detail["quote"])
        if detail["note"]:
            st.markdown(detail["note"])
        if detail["url"]:
            st.link_button(_("sources.detail.open"), detail["url"], icon=":material/open_in_new:")
        else:
            st.caption(_("sources.detail.no_url"))
    if not detail["rows"]:
        st.info(_("sources.detail.no_rows"), icon=":material/info:")
        return
    st.markdown(detail["total"])
    explorer_page = registry().get("explorer")
    for row in detail["rows"]:
        name = row["name"]
        st.markdown(row["heading"])
        st.dataframe(prepared_table(row["view"]), hide_index=True, key=f"src-rows-{name}", column_config=row["config"])
        if explorer_page is not None:
            st.page_link(page_object(explorer_page), label=row["explorer"], icon=explorer_page.icon,
                         query_params={"ex_res": name, "ex_q": source_id})


@st.cache_resource(show_spinner=False, max_entries=32)
def _replayed_detail(data_dir: str, names: str, source_id: str, lang: str, pages: str) -> None:
    detail_body(detail_view(data_dir, names, source_id, lang), source_id, translator(lang))


def source_detail(view: dict, names: str, _: Translator, *, replay: bool) -> None:
    st.subheader(_("sources.detail.heading"))
    ids = view["ids"]
    link_notice("src_id", set(ids))
    source_id = st.selectbox(_("sources.detail.label"), ids, index=view["index"], key="src_id",
                             bind="query-params", help=_("sources.detail.help"))
    data_dir = str(data_dir_from_env())
    if replay:
        _replayed_detail(data_dir, names, source_id, _.lang, pages_key())
    else:
        detail_body(detail_view(data_dir, names, source_id, _.lang), source_id, _)


def derivations(view: dict, _: Translator) -> None:
    st.subheader(_("sources.methods.heading"))
    st.caption(_("sources.methods.caption"))
    for text, note, links in view["derivations"]:
        with st.container(border=True):
            st.markdown(text)
            if note is not None:
                st.caption(note)
            page_links(links, _)


def confidence_scale(view: dict) -> None:
    _ = translator(view["lang"])
    st.subheader(_("sources.confidence.heading"))
    levels = view["levels"]
    for column, (level, counts) in zip(st.columns(len(levels)), levels, strict=True):
        with column, st.container(border=True):
            st.markdown(level)
            st.caption(counts)
    st.caption(view["confidence_note"])


def conflicts(view: dict, _: Translator) -> None:
    st.subheader(_("sources.conflicts.heading"))
    st.caption(_("sources.conflicts.caption"))
    for conflict in view["conflicts"]:
        with st.container(border=True):
            st.markdown(conflict["text"])
            if "unreadable" in conflict:
                st.caption(conflict["unreadable"])
                page_links(conflict["links"], _)
                continue
            if "broken" in conflict:
                st.warning(conflict["broken"], icon=":material/report:")
                continue
            st.dataframe(prepared_table(conflict["rows"]), hide_index=True, key=f"src-conflict-{conflict['key']}",
                         column_config=CONFLICT_COLUMNS)
            source_line(conflict["sources"])
            page_links(conflict["links"], _)


def gaps(view: dict, _: Translator) -> None:
    st.subheader(_("sources.gaps.heading"))
    st.caption(_("sources.gaps.caption"))
    order = {spec.url_path: i for i, spec in enumerate(site.PAGES)}  # the gaps of each page in the menu's order
    for _url_path, text, links in sorted(view["gaps"], key=lambda gap: order.get(gap[0], len(order))):
        with st.container(border=True):
            st.markdown(text)
            page_links(links, _)


def methods_sections(sources: dict | None, shown: dict, _: Translator) -> None:
    """How derived numbers are made, the confidence scale (when sources.csv was read), conflicts and gaps."""
    derivations(shown, _)
    if sources is not None:
        confidence_scale(sources)
    conflicts(shown, _)
    gaps(shown, _)


@st.cache_resource(show_spinner=False, max_entries=8)
def _replayed_methods(data_dir: str, lang: str, pages: str) -> None:
    page = page_view(data_dir, lang)
    methods_sections(page["sources"], page["methods"], translator(lang))


# ------------------------------------------------------------------ the page

def _checked_tables() -> tuple[bool, str] | None:
    """(sources.csv readable, the citing tables that can be read), each broken file showing its own error; None
    when the descriptor itself is broken (nothing can be listed; the error is shown)."""
    _ = tr()
    # Every other table is checked against sources.csv, so when it is broken one message says so, not nine.
    if need("sources") is None:
        return False, ""
    names = []
    try:
        for name in explorer.tabular_names(catalogue().descriptor):
            if name == "sources":
                continue
            loaded = need(name)
            if loaded is not None and "source_id" in loaded[0].columns:
                names.append(name)
    except DataError as error:  # the descriptor itself is broken: nothing can be listed
        st.error(f"**{_('explorer.read_error')}** {error.message}", icon=":material/report:")
        return None
    return True, ",".join(names)


def main() -> None:
    _ = tr()
    st.title(_("sources.title"))
    st.markdown(_("sources.intro"))
    if _.lang != "en":
        st.caption(_("sources.as_published"))
    selection = current()
    applied_note(selection, APPLIES)
    data_dir = str(data_dir_from_env())
    try:  # every table read: the KPIs and the list's heading are replayed
        page = _replayed_heading(data_dir, _.lang)
    except DataError:  # some file is broken: check them one by one, each showing its own message, and draw anew
        checked = _checked_tables()
        if checked is None:
            return
        readable, names = checked
        view = sources_view(data_dir, names, _.lang) if readable else None
        if view is not None:
            list_heading(view, _)
            source_list(view, names, selection, _, replay=False)
            source_detail(view, names, _, replay=False)
        methods_sections(view, methods_view(data_dir, names, _.lang), _)
        return
    source_list(page["sources"], page["names"], selection, _, replay=True)
    source_detail(page["sources"], page["names"], _, replay=True)
    _replayed_methods(data_dir, _.lang, pages_key())
