"""Sources and methods: every source and the figures taken from it, how derived numbers are made, gaps, conflicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from components.data import catalogue, load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import downloads, kpi, source_line
from core import evidence, explorer, methods
from core.catalogue import DataError, data_dir_from_env
from core.sectors import Selection, apply
from core.site import PAGES

APPLIES = ("conf",)
BY_URL = {spec.url_path: spec for spec in PAGES}
LIST_COLUMNS = ["id", "citation", "kind", "confidence", "licence", "accessed", "rows_citing", "cited_in",
                "access_note", "url", "note"]


# ------------------------------------------------------------------ helpers

def page_links(url_paths: Iterable[str]) -> None:
    """Links to the pages that exist in this build of the dashboard (a page not yet written is skipped)."""
    for url_path in url_paths:
        spec = BY_URL.get(url_path)
        if spec is not None:
            st.page_link(spec.path, label=spec.title, icon=spec.icon)


def link_notice(key: str, allowed: set[str]) -> None:
    """A quiet note for link values the widget will drop (Streamlit then uses the default)."""
    bad = [shown for _, shown in unrecognised_link_values({key: allowed})]
    if bad:
        st.caption(f"Not recognised in the link and ignored: {key} = {', '.join(bad[:3])}.")


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
    fields = {f["name"]: f for f in catalogue().fields("sources")}
    config = {name: st.column_config.TextColumn(help=explorer.field_help(field), pinned=name == "id" or None)
              for name, field in fields.items()}
    config["url"] = st.column_config.LinkColumn(help=explorer.field_help(fields["url"]), display_text="Open")
    config["citation"] = st.column_config.TextColumn(help=explorer.field_help(fields["citation"]), width="large")
    config["rows_citing"] = st.column_config.NumberColumn(
        "rows citing", format="plain", help="How many rows of the data tables cite this source (a row citing "
                                            "two sources counts for both).")
    config["cited_in"] = st.column_config.TextColumn(
        "cited in", help="Rows citing this source, per table (estimates is the evidence ledger).")
    return config


# ------------------------------------------------------------------ cached work (keyed by data folder and table names)

# The page loads (and so checks) every table on each run; what it derives from them depends only on the data
# folder and which tables could be read, so it is computed once per (folder, readable tables) and reused.
# Frames the page only reads (into st.dataframe, captions and counts) are kept with st.cache_resource, so a
# rerun does not unpickle a copy of each.

def _data_key() -> str:
    return str(data_dir_from_env())


def _tables(names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in names}


@st.cache_resource(show_spinner=False, max_entries=16)
def _citation_summary(data_dir: str, names: tuple[str, ...]) -> pd.DataFrame:
    counts = methods.citation_counts(_tables(names))
    return methods.cited_in(counts, load("sources")["id"], list(names))


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
def _derivation_notes(data_dir: str, names: tuple[str, ...]) -> dict[str, str]:
    tables = _tables(tuple(n for n in names if n in ("estimates", "treatment")))
    estimates, treatment = tables.get("estimates"), tables.get("treatment")
    notes = {}
    if estimates is not None:
        try:
            headline = evidence.headline_total(estimates)
            notes["headline"] = (f"Today the rule picks {evidence.format_tonnes(headline.value_t)} for "
                                 f"{headline.year} (ledger row {headline.row_id}, source {headline.source_id}).")
        except LookupError as error:
            notes["headline"] = f"The rule finds no figure today: {error}."
        derived = int(evidence.national_totals(estimates)["derived"].sum())
        notes["per-day"] = f"Today {derived} national daily figures are converted this way."
    if treatment is not None:
        remainders = int((treatment["status"] == "remainder").sum())
        notes["flows"] = (f"{remainders} of the {len(treatment)} route shares in the treatment table are "
                          "remainders rather than stated shares.")
    return notes


@st.cache_resource(show_spinner=False, max_entries=16)
def _conflict_rows(data_dir: str, names: tuple[str, ...]) -> dict[str, pd.DataFrame | str]:
    """Per conflict whose tables are readable: its rows side by side, or the KeyError text naming a lost row."""
    tables = _tables(names)
    result: dict[str, pd.DataFrame | str] = {}
    for conflict in methods.CONFLICTS:
        if any(name not in tables for name, _ in conflict.rows):
            continue
        try:
            result[conflict.key] = methods.conflict_rows(conflict, tables)
        except KeyError as error:
            result[conflict.key] = str(error.args[0])
    return result


@st.cache_resource(show_spinner=False, max_entries=64)
def listed_sources(data_dir: str, names: tuple[str, ...], values: tuple, years: tuple,
                   kinds: tuple) -> pd.DataFrame:
    """The source list as shown (filters and kinds applied); empty when nothing matches."""
    table = load("sources").merge(_citation_summary(data_dir, names), on="id", how="left")
    table = apply(table, Selection(values=dict(values), years=years), APPLIES)
    if kinds:
        table = table[table["kind"].isin(kinds)]
    if table.empty:
        return table
    return table[LIST_COLUMNS].sort_values(["rows_citing", "id"], ascending=[False, True])


@st.cache_data(show_spinner=False, max_entries=16)
def _confidence_counts(data_dir: str, with_ledger: bool) -> pd.DataFrame:
    ledger = load("estimates") if with_ledger else pd.DataFrame({"confidence": []})
    return methods.confidence_counts(load("sources"), ledger)


# ------------------------------------------------------------------ sections

def headline_kpis(sources: pd.DataFrame, summary: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    cited = int((summary["rows_citing"] > 0).sum())
    high = int((sources["confidence"] == "high").sum())
    licensed = int((sources["licence"] != "No licence stated").sum())
    ledger = tables.get("estimates")
    cols = st.columns(4)
    with cols[0]:
        kpi("Sources listed", f"{len(sources)}", caption=f"{cited} of them cited by at least one row of data")
    with cols[1]:
        kpi("Figures in the evidence ledger", "no data" if ledger is None else f"{len(ledger)}",
            caption="one row each, with its source, year, scope and a verbatim quote")
    with cols[2]:
        kpi("Sources rated high confidence", f"{high} of {len(sources)}",
            caption="official, peer-reviewed or dataset text, quoted word for word")
    with cols[3]:
        kpi("Sources stating a licence", f"{licensed} of {len(sources)}",
            caption="the rest say nothing: each figure remains its publisher's")


def source_list(sources: pd.DataFrame, names: tuple[str, ...], selection) -> None:
    st.subheader("Every source")
    st.caption("One row per document or dataset, with its full citation, licence, kind, the date it was "
               "transcribed, how it was consulted, a link, and how many rows of data cite it. Hover a column "
               "header for its meaning; pick one source below to see its figures.")
    kinds = sorted(sources["kind"].dropna().unique().tolist())
    link_notice("src_kind", set(kinds))
    chosen = st.multiselect("Kind of source", kinds, key="src_kind", bind="query-params", placeholder="All kinds",
                            help="Official bodies, peer-reviewed papers, datasets, news outlets, NGOs, other.")
    table = listed_sources(_data_key(), names, tuple(sorted((k, tuple(v)) for k, v in selection.values.items())),
                           tuple(selection.years), tuple(chosen))
    st.markdown(f"**{len(table)} of {len(sources)} sources shown**")
    if table.empty:
        narrowed = [f"kind: {', '.join(chosen)}"] if chosen else []
        if selection.describe(APPLIES):
            narrowed.append(selection.describe(APPLIES))
        st.info(f"No source matches {' and '.join(narrowed)}. Remove a kind above or widen the confidence filter "
                "in the sidebar (an empty filter means all).", icon=":material/filter_alt_off:")
        return
    st.dataframe(table, hide_index=True, column_config=list_config(), key="src-table", height=420)
    downloads(table, name="cambodia-waste-sources", key="src-dl")


def source_detail(sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame], default_id: str) -> None:
    st.subheader("One source and the figures taken from it")
    ids = sources["id"].tolist()
    link_notice("src_id", set(ids))
    source_id = st.selectbox("Source (by id)", ids, index=ids.index(default_id) if default_id in ids else 0,
                             key="src_id", bind="query-params",
                             help="Ids read 'producer-year-topic'; 'nd' means no publication date is known. "
                                  "Type to search.")
    source = sources.set_index("id").loc[source_id]
    with st.container(border=True):
        st.markdown(f"**{source['citation']}**")
        year = "n.d." if pd.isna(source["year"]) else str(int(source["year"]))
        st.caption(f"Kind: {source['kind']} · Confidence: {source['confidence']} · Licence: {source['licence']} · "
                   f"Published: {source['date_published'] or year} · Transcribed: {source['accessed']}")
        st.markdown(f"**How it was consulted.** {source['access_note']}")
        if source["quote"]:
            st.markdown(f"**Quote.** “{explorer.escape_markdown(source['quote'])}”")
        if source["note"]:
            st.markdown(f"**Note.** {source['note']}")
        if source["url"]:
            st.link_button("Open the source", source["url"], icon=":material/open_in_new:")
        else:
            st.caption("No web address is known for this source.")
    found = _source_rows(_data_key(), tuple(tables), source_id)
    if not found:
        st.info("No row of the data tables cites this source. It is listed because the research consulted it, or "
                "because it is the source of a file rather than of figures (such as the province boundaries).",
                icon=":material/info:")
        return
    total = sum(count for count, _ in found.values())
    st.markdown(f"**{total} row{'s' if total != 1 else ''} of data come from this source**, with the quote "
                "each figure rests on:")
    explorer_page = BY_URL.get("explorer")
    for name, (count, view) in found.items():
        title = catalogue().resource(name).get("title", name)
        st.markdown(f"{title} ({name}): {count} row{'s' if count != 1 else ''}")
        st.dataframe(view, hide_index=True, key=f"src-rows-{name}",
                     column_config={c: st.column_config.NumberColumn(format="plain")
                                    for c in view.select_dtypes("number").columns})
        if explorer_page is not None:
            st.page_link(explorer_page.path, label=f"All columns in the Data explorer ({name}, search: {source_id})",
                         icon=explorer_page.icon, query_params={"ex_res": name, "ex_q": source_id})


def derivations(tables: Mapping[str, pd.DataFrame]) -> None:
    st.subheader("How the derived numbers are made")
    st.caption("Published figures are shown as published. Anything computed from them is marked 'derived' where "
               "it appears, with the rule below.")
    notes = _derivation_notes(_data_key(), tuple(tables))
    for method in methods.METHODS:
        with st.container(border=True):
            st.markdown(f"**{method.title}.** {method.text}")
            if method.key in notes:
                st.caption(notes[method.key])
            page_links(method.pages)


def confidence_scale(sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    st.subheader("How sure we are: the confidence scale")
    ledger = tables.get("estimates")
    counts = _confidence_counts(_data_key(), ledger is not None)
    for column, level in zip(st.columns(len(counts)), counts.itertuples(), strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{level.confidence.capitalize()}**")
            st.markdown(level.definition)
            ledger_text = "" if ledger is None else f" · {level.ledger_figures} figures in the ledger"
            st.caption(f"{level.sources} sources{ledger_text}")
    st.caption(methods.CONFIDENCE_NOTE + " The confidence filter in the sidebar uses this scale.")


def conflicts(tables: Mapping[str, pd.DataFrame]) -> None:
    st.subheader("Where published figures disagree")
    st.caption("Conflicting figures are never averaged or dropped: each stays in the data with its source, and "
               "the pages show them side by side.")
    all_rows = _conflict_rows(_data_key(), tuple(tables))
    for conflict in methods.CONFLICTS:
        with st.container(border=True):
            st.markdown(f"**{conflict.title}**")
            st.markdown(conflict.text)
            unreadable = [f"data/{name}.csv" for name, _ in conflict.rows if name not in tables]
            if unreadable:
                st.caption(f"The rows behind it are in {', '.join(unreadable)}, which cannot be read just now "
                           "(see the message above).")
                page_links(conflict.pages)
                continue
            rows = all_rows[conflict.key]
            if isinstance(rows, str):
                st.warning(f"The rows behind this conflict cannot be shown: {rows}.", icon=":material/report:")
                continue
            st.dataframe(rows, hide_index=True, key=f"src-conflict-{conflict.key}", column_config={
                "value": st.column_config.NumberColumn(format="plain"),
                "quote": st.column_config.TextColumn(width="large"),
            })
            source_line(rows["source_id"])
            page_links(conflict.pages)


def gaps() -> None:
    st.subheader("What is still missing")
    st.caption("Things no source consulted for this dashboard gives. The pages show them as gaps ('no data'), "
               "never as zero.")
    groups: dict[str, list[methods.Gap]] = {}
    for gap in methods.GAPS:
        groups.setdefault(gap.pages[0] if gap.pages else "", []).append(gap)
    order = {spec.url_path: i for i, spec in enumerate(PAGES)}
    for url_path, items in sorted(groups.items(), key=lambda item: order.get(item[0], len(order))):
        with st.container(border=True):
            st.markdown(f"**{methods.TOPIC_LABELS.get(url_path, 'Across the data')}**")
            st.markdown("\n".join(f"- {gap.text}" for gap in items))
            page_links(dict.fromkeys(p for gap in items for p in gap.pages))


def main() -> None:
    st.title("Sources and methods")
    st.markdown("Where every number comes from, how the derived numbers are computed, how sure we are of each, "
                "and what is still missing or disputed.")
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
            st.error(f"**The data package cannot be read.** {error.message}", icon=":material/report:")
            return
        summary = _citation_summary(_data_key(), tuple(tables))
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
