"""Sources and methods: every source and the figures taken from it, how derived numbers are made, gaps, conflicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from components.data import catalogue, load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import downloads, kpi, source_line
from components.i18n import tr, url_control
from core import evidence, explorer, methods
from core.catalogue import DataError, data_dir_from_env
from core.i18n import translator
from core.sectors import Selection, apply
from core.site import PAGES

APPLIES = ("conf",)
BY_URL = {spec.url_path: spec for spec in PAGES}
LIST_COLUMNS = ["id", "citation", "kind", "confidence", "licence", "accessed", "rows_citing", "cited_in",
                "access_note", "url", "note"]


# ------------------------------------------------------------------ helpers

def page_links(url_paths: Iterable[str]) -> None:
    """Links to the pages that exist in this build of the dashboard (a page not yet written is skipped)."""
    _ = tr()
    for url_path in url_paths:
        spec = BY_URL.get(url_path)
        if spec is not None:
            st.page_link(spec.path, label=_(f"site.page.{url_path}"), icon=spec.icon)


def link_notice(key: str, allowed: set[str]) -> None:
    """A quiet note for link values the widget will drop (the control then uses the default)."""
    _ = tr()
    bad = [shown for _key, shown in unrecognised_link_values({key: allowed})]
    if bad:
        st.caption(_("sources.link_unrecognised", key=key, values=", ".join(bad[:3])))


def confidence_word(code: str) -> str:
    """'medium' in English (as the data writes it), the filter's word in Khmer."""
    _ = tr()
    return _(f"filters.conf.option.{code}").lower() if _.has(f"filters.conf.option.{code}") else code


def load_citing_tables() -> dict[str, pd.DataFrame]:
    """Every table that cites sources; a broken file shows its own error and is left out of the counts."""
    tables = {}
    for name in explorer.tabular_names(catalogue().descriptor):
        if name == "sources":
            continue
        loaded = need(name)
        if loaded is not None and "source_id" in loaded[0].columns:
            tables[name] = loaded[0]
    return tables


def list_config() -> dict:
    """Column tooltips in the session's language; the headers stay the data's names (as in the download)."""
    _ = tr()
    fields = {f["name"]: f for f in catalogue().fields("sources")}

    def described(name: str) -> str:
        return explorer.field_help(fields[name], resource="sources", lang=_.lang)

    config = {name: st.column_config.TextColumn(help=described(name), pinned=name == "id" or None) for name in fields}
    config["url"] = st.column_config.LinkColumn(help=described("url"), display_text=_("sources.list.open"))
    config["citation"] = st.column_config.TextColumn(help=described("citation"), width="large")
    config["rows_citing"] = st.column_config.NumberColumn(
        _("sources.list.rows_citing"), format="plain", help=_("sources.list.rows_citing_help"))
    config["cited_in"] = st.column_config.TextColumn(_("sources.list.cited_in"), help=_("sources.list.cited_in_help"))
    return config


# ------------------------------------------------------------------ cached work (keyed by data folder and table names)

# The page loads (and so checks) every table on each run; what it derives from them depends only on the data
# folder and which tables could be read, so it is computed once per (folder, readable tables) and reused.
# Frames the page only reads (into st.dataframe, captions and counts) are kept with st.cache_resource, so a
# rerun does not unpickle a copy of each. Anything holding words is keyed by the language too.

def _data_key() -> str:
    return str(data_dir_from_env())


def _tables(names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in names}


@st.cache_resource(show_spinner=False, max_entries=16)
def _citation_summary(data_dir: str, names: tuple[str, ...], lang: str) -> pd.DataFrame:
    counts = methods.citation_counts(_tables(names))
    return methods.cited_in(counts, load("sources")["id"], list(names), lang=lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _headline_source(data_dir: str) -> str | None:
    try:
        return evidence.headline_total(load("estimates")).source_id
    except LookupError:  # no headline: the first source is as good a start
        return None


@st.cache_resource(show_spinner=False, max_entries=64)
def _source_rows(data_dir: str, names: tuple[str, ...], source_id: str) -> dict[str, tuple[int, pd.DataFrame]]:
    """Per table citing the source: (rows citing it, the identifying columns of those rows)."""
    found = {name: methods.rows_citing(frame, source_id) for name, frame in _tables(names).items()}
    return {name: (len(rows), methods.summary_view(name, rows)) for name, rows in found.items() if not rows.empty}


@st.cache_data(show_spinner=False, max_entries=16)
def _derivation_notes(data_dir: str, names: tuple[str, ...], lang: str) -> dict[str, str]:
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


@st.cache_resource(show_spinner=False, max_entries=16)
def _conflict_rows(data_dir: str, names: tuple[str, ...], lang: str) -> dict[str, pd.DataFrame | str]:
    """Per conflict whose tables are readable: its rows side by side, or the KeyError text naming a lost row."""
    tables = _tables(names)
    result: dict[str, pd.DataFrame | str] = {}
    for conflict in methods.CONFLICTS:
        if any(name not in tables for name, _rows in conflict.rows):
            continue
        try:
            result[conflict.key] = methods.conflict_rows(conflict, tables, lang=lang)
        except KeyError as error:
            result[conflict.key] = str(error.args[0])
    return result


@st.cache_resource(show_spinner=False, max_entries=64)
def listed_sources(data_dir: str, names: tuple[str, ...], values: tuple, years: tuple,
                   kinds: tuple, lang: str = "en") -> pd.DataFrame:
    """The source list as shown (filters and kinds applied); empty when nothing matches."""
    table = load("sources").merge(_citation_summary(data_dir, names, lang), on="id", how="left")
    table = apply(table, Selection(values=dict(values), years=years), APPLIES)
    if kinds:
        table = table[table["kind"].isin(kinds)]
    if table.empty:
        return table
    return table[LIST_COLUMNS].sort_values(["rows_citing", "id"], ascending=[False, True])


@st.cache_data(show_spinner=False, max_entries=16)
def _confidence_counts(data_dir: str, with_ledger: bool, lang: str) -> pd.DataFrame:
    ledger = load("estimates") if with_ledger else pd.DataFrame({"confidence": []})
    return methods.confidence_counts(load("sources"), ledger, lang=lang)


# ------------------------------------------------------------------ sections

def headline_kpis(sources: pd.DataFrame, summary: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    _ = tr()
    cited = int((summary["rows_citing"] > 0).sum())
    high = int((sources["confidence"] == "high").sum())
    licensed = int((sources["licence"] != "No licence stated").sum())
    ledger = tables.get("estimates")
    total = _.num(len(sources))
    cols = st.columns(4)
    with cols[0]:
        kpi(_("sources.kpi.listed"), total, caption=_("sources.kpi.listed_caption", cited=_.num(cited)))
    with cols[1]:
        kpi(_("sources.kpi.ledger"), _("sources.kpi.no_data") if ledger is None else _.num(len(ledger)),
            caption=_("sources.kpi.ledger_caption"))
    with cols[2]:
        kpi(_("sources.kpi.high"), _("sources.kpi.of", part=_.num(high), total=total),
            caption=_("sources.kpi.high_caption"))
    with cols[3]:
        kpi(_("sources.kpi.licence"), _("sources.kpi.of", part=_.num(licensed), total=total),
            caption=_("sources.kpi.licence_caption"))


def source_list(sources: pd.DataFrame, names: tuple[str, ...], selection) -> None:
    _ = tr()
    st.subheader(_("sources.list.heading"))
    st.caption(_("sources.list.caption"))
    kinds = sorted(sources["kind"].dropna().unique().tolist())
    link_notice("src_kind", set(kinds))
    chosen = url_control(st.multiselect, _("sources.kind.label"), key="src_kind", options=kinds, default=[],
                         multi=True, format_func=lambda code: _.label("source_kind", code),
                         placeholder=_("sources.kind.placeholder"), help=_("sources.kind.help"))
    table = listed_sources(_data_key(), names, tuple(sorted((k, tuple(v)) for k, v in selection.values.items())),
                           tuple(selection.years), tuple(chosen), _.lang)
    st.markdown(f"**{_('sources.list.count', shown=_.num(len(table)), total=_.num(len(sources)))}**")
    if table.empty:
        narrowed = [_("sources.list.narrowed_kind", kinds=", ".join(_.label("source_kind", k) for k in chosen))
                    ] if chosen else []
        if selection.describe(APPLIES):
            narrowed.append(selection.describe(APPLIES, _))
        st.info(_("sources.list.empty", narrowed=f" {_('sources.list.and')} ".join(narrowed)),
                icon=":material/filter_alt_off:")
        return
    st.dataframe(table, hide_index=True, column_config=list_config(), key="src-table", height=420)
    downloads(table, name="cambodia-waste-sources", key="src-dl")


def source_detail(sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame], default_id: str) -> None:
    _ = tr()
    st.subheader(_("sources.detail.heading"))
    ids = sources["id"].tolist()
    link_notice("src_id", set(ids))
    source_id = st.selectbox(_("sources.detail.label"), ids, index=ids.index(default_id) if default_id in ids else 0,
                             key="src_id", bind="query-params", help=_("sources.detail.help"))
    source = sources.set_index("id").loc[source_id]
    with st.container(border=True):
        st.markdown(f"**{source['citation']}**")
        year = _("sources.detail.no_date") if pd.isna(source["year"]) else str(int(source["year"]))
        st.caption(_("sources.detail.facts", kind=_.label("source_kind", source["kind"]),
                     confidence=confidence_word(source["confidence"]),
                     licence=_.label("source_licence", source["licence"]),
                     published=source["date_published"] or year, accessed=source["accessed"]))
        st.markdown(f"**{_('sources.detail.consulted')}** {source['access_note']}")
        if source["quote"]:
            st.markdown(f"**{_('sources.detail.quote')}** “{explorer.escape_markdown(source['quote'])}”")
        if source["note"]:
            st.markdown(f"**{_('sources.detail.note')}** {source['note']}")
        if source["url"]:
            st.link_button(_("sources.detail.open"), source["url"], icon=":material/open_in_new:")
        else:
            st.caption(_("sources.detail.no_url"))
    found = _source_rows(_data_key(), tuple(tables), source_id)
    if not found:
        st.info(_("sources.detail.no_rows"), icon=":material/info:")
        return
    total = sum(count for count, _view in found.values())
    count_text = _("sources.detail.total_one" if total == 1 else "sources.detail.total_many", count=_.num(total))
    st.markdown(f"**{count_text}**{_('sources.detail.total_tail')}")
    explorer_page = BY_URL.get("explorer")
    for name, (count, view) in found.items():
        title = explorer.resource_text(catalogue().resource(name), lang=_.lang)[0]
        st.markdown(_("sources.detail.table_one" if count == 1 else "sources.detail.table_many", title=title,
                      name=name, count=_.num(count)))
        st.dataframe(view, hide_index=True, key=f"src-rows-{name}",
                     column_config={c: st.column_config.NumberColumn(format="plain")
                                    for c in view.select_dtypes("number").columns})
        if explorer_page is not None:
            st.page_link(explorer_page.path, label=_("sources.detail.explorer_link", name=name, source_id=source_id),
                         icon=explorer_page.icon, query_params={"ex_res": name, "ex_q": source_id})


def derivations(tables: Mapping[str, pd.DataFrame]) -> None:
    _ = tr()
    st.subheader(_("sources.methods.heading"))
    st.caption(_("sources.methods.caption"))
    notes = _derivation_notes(_data_key(), tuple(tables), _.lang)
    for method in methods.methods_in(lang=_.lang):
        with st.container(border=True):
            st.markdown(f"**{_('sources.methods.title', title=method.title)}** {method.text}")
            if method.key in notes:
                st.caption(notes[method.key])
            page_links(method.pages)


def confidence_scale(sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    _ = tr()
    st.subheader(_("sources.confidence.heading"))
    ledger = tables.get("estimates")
    counts = _confidence_counts(_data_key(), ledger is not None, _.lang)
    for column, level in zip(st.columns(len(counts)), counts.itertuples(), strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{_(f'filters.conf.option.{level.confidence}')}**")
            st.markdown(level.definition)
            parts = [_("sources.confidence.sources", count=_.num(level.sources))]
            if ledger is not None:
                parts.append(_("sources.confidence.ledger", count=_.num(level.ledger_figures)))
            st.caption(" · ".join(parts))
    st.caption(methods.confidence_note(lang=_.lang) + " " + _("sources.confidence.filter_note"))


def conflicts(tables: Mapping[str, pd.DataFrame]) -> None:
    _ = tr()
    st.subheader(_("sources.conflicts.heading"))
    st.caption(_("sources.conflicts.caption"))
    all_rows = _conflict_rows(_data_key(), tuple(tables), _.lang)
    for conflict in methods.conflicts_in(lang=_.lang):
        with st.container(border=True):
            st.markdown(f"**{conflict.title}**")
            st.markdown(conflict.text)
            unreadable = [f"data/{name}.csv" for name, _ids in conflict.rows if name not in tables]
            if unreadable:
                st.caption(_("sources.conflicts.unreadable", files=", ".join(unreadable)))
                page_links(conflict.pages)
                continue
            rows = all_rows[conflict.key]
            if isinstance(rows, str):
                st.warning(_("sources.conflicts.broken", problem=rows), icon=":material/report:")
                continue
            st.dataframe(rows, hide_index=True, key=f"src-conflict-{conflict.key}", column_config={
                "value": st.column_config.NumberColumn(format="plain"),
                "quote": st.column_config.TextColumn(width="large"),
            })
            source_line(rows["source_id"])
            page_links(conflict.pages)


def gaps() -> None:
    _ = tr()
    st.subheader(_("sources.gaps.heading"))
    st.caption(_("sources.gaps.caption"))
    groups: dict[str, list[methods.Gap]] = {}
    for gap in methods.gaps_in(lang=_.lang):
        groups.setdefault(gap.pages[0] if gap.pages else "", []).append(gap)
    order = {spec.url_path: i for i, spec in enumerate(PAGES)}
    for url_path, items in sorted(groups.items(), key=lambda item: order.get(item[0], len(order))):
        with st.container(border=True):
            st.markdown(f"**{methods.topic_label(url_path, lang=_.lang)}**")
            st.markdown("\n".join(f"- {gap.text}" for gap in items))
            page_links(dict.fromkeys(p for gap in items for p in gap.pages))


def main() -> None:
    _ = tr()
    st.title(_("sources.title"))
    st.markdown(_("sources.intro"))
    if _.lang != "en":
        st.caption(_("sources.as_published"))
    selection = current()
    applied_note(selection, APPLIES)
    # Every other table is checked against sources.csv, so when it is broken one message says so, not nine.
    loaded = need("sources")
    sources = loaded[0] if loaded is not None else None
    tables: dict[str, pd.DataFrame] = {}
    if sources is not None:
        try:
            tables = load_citing_tables()
        except DataError as error:  # the descriptor itself is broken: nothing can be listed
            st.error(f"**{_('explorer.read_error')}** {error.message}", icon=":material/report:")
            return
        summary = _citation_summary(_data_key(), tuple(tables), _.lang)
        headline_kpis(sources, summary, tables)
        source_list(sources, tuple(tables), selection)
        default_id = sources["id"].iloc[0]
        if "estimates" in tables:
            default_id = _headline_source(_data_key()) or default_id
        source_detail(sources, tables, default_id)
    derivations(tables)
    if sources is not None:
        confidence_scale(sources, tables)
    conflicts(tables)
    gaps()

main()
