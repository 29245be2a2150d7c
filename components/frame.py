"""The chart frame every figure sits in: finding, unit and year, chart/table tabs, source line, downloads."""

from __future__ import annotations

import io
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io
import pyarrow as pa
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.data import load
from components.i18n import tr
from core.catalogue import DataError, data_dir_from_env, format_citation, select_sources, short_label, split_ids
from core.margins import presized_margins
from core.theme import PLOTLY_CONFIG


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def _csv_bytes(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False).encode("utf-8")


def _parquet_bytes(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    return buffer.getvalue()


# ------------------------------------------------------------------ prepared once, drawn on every run
# Figures and tables come from cached builders and are shared, read-only objects, but Streamlit converts them again
# on every run: Figure.to_dict() deep-copies (and base64-encodes) every array, and a DataFrame becomes an Arrow
# table. Both conversions are done once per object here and reused while the object lives.

_PREPARED: dict[int, tuple[weakref.ref, Any]] = {}


def _prepared(source: object, build: Callable[[Any], Any]) -> Any:
    """build(source), computed once per live object (keyed by identity, dropped when the object is freed)."""
    key = id(source)
    entry = _PREPARED.get(key)
    if entry is not None and entry[0]() is source:
        return entry[1]
    value = build(source)
    _PREPARED[key] = (weakref.ref(source, lambda _ref, key=key: _PREPARED.pop(key, None)), value)
    return value


class _Spec(dict):
    """A prepared figure's plain dict, and its JSON text once st.plotly_chart has asked for it (see _to_json)."""

    __slots__ = ("json",)

    def __init__(self, spec: dict) -> None:
        super().__init__(spec)
        self.json: str | None = None


class _PreparedFigure(go.Figure):
    """A figure whose plain dict (what st.plotly_chart serialises) is computed once."""

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._spec = _Spec(spec)

    def to_dict(self) -> dict:
        return self._spec


def _with_presized_margins(spec: dict) -> dict:
    """The figure's dict with margins that already hold its labels and legend (core.margins): Plotly then draws
    it once, not a second time after widening them. Left as it is when the estimate does not apply."""
    margins = presized_margins(spec)
    if margins:
        layout = spec.setdefault("layout", {})
        layout["margin"] = {**(layout.get("margin") or {}), **margins}
    return spec


def prepared_figure(figure: go.Figure) -> go.Figure:
    return _prepared(figure, lambda f: _PreparedFigure(_with_presized_margins(f.to_dict())))


# st.plotly_chart turns the figure's dict into JSON text on every run: `plotly.io.to_json(figure.to_dict(),
# validate=False)`. For a prepared figure that is the same text every time, so it is made once and kept on the
# dict (0.3-1.6 ms a page with orjson installed; 2-5 times that with the standard json module, which is what
# requirements.txt installs). Every other call, and any call with other arguments, goes to Plotly unchanged.
_PLOTLY_TO_JSON = getattr(plotly.io.to_json, "__wrapped__", plotly.io.to_json)


def _to_json(fig: Any, *args: Any, **kwargs: Any) -> str:
    if type(fig) is _Spec and not args and kwargs == {"validate": False}:
        if fig.json is None:
            fig.json = _PLOTLY_TO_JSON(fig, validate=False)
        return fig.json
    return _PLOTLY_TO_JSON(fig, *args, **kwargs)


_to_json.__wrapped__ = _PLOTLY_TO_JSON  # type: ignore[attr-defined]
plotly.io.to_json = _to_json


def prepared_table(table: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The Arrow form of a table st.dataframe shows (the DataFrame itself when Arrow cannot take it)."""
    def build(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):  # mixed-type object columns: let Streamlit convert
            return frame
    return _prepared(table, build)


_SOURCES: dict[str, weakref.ref] = {}


def _sources() -> pd.DataFrame:
    """The validated sources table, looked up once per data folder while the loader's cached copy lives (every chart
    asks; the loader's cache call costs more than this lookup). A broken file raises DataError on every call."""
    folder = str(data_dir_from_env())
    ref = _SOURCES.get(folder)
    table = ref() if ref is not None else None
    if table is None:
        table = load("sources")
        _SOURCES[folder] = weakref.ref(table)
    return table


def _citations(ids: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Full citations (with links) and short labels for these source ids, memoised per loaded sources table
    (a new table, after a data change, starts a new memo): every chart asks on every run, and Streamlit's own
    cache costs more per call than the lookup. Callers only read the result."""
    sources = _sources()
    memo: dict = _prepared(sources, lambda _table: {})
    if ids not in memo:
        cited = select_sources(sources, ids)
        full, short = [], []
        for _, row in cited.iterrows():
            text = format_citation(row)
            full.append(f"[{text}]({row['url']})" if row.get("url") else text)
            short.append(short_label(row))
        memo[ids] = (full, short)
    return memo[ids]


def source_text(source_ids: Iterable[str], *, prefix: str = "source") -> tuple[str, list[str]]:
    """The source line's Markdown ('Source: Producer (year). Title. Licence.' with links, from data/sources.csv) and
    the full citations still to list under it (empty when the line already cites every source in full)."""
    _ = tr()
    ids = tuple(dict.fromkeys(s for cell in source_ids for s in split_ids(str(cell))))
    try:
        full, short = _citations(ids)
    except DataError as error:
        return _("frame.sources_unavailable", problem=error.message), []
    if not full:
        return _(f"frame.{prefix}_none"), []
    if len(full) <= 3:
        return _(f"frame.{prefix}_one" if len(full) == 1 else f"frame.{prefix}_few") + " · ".join(full), []
    return _(f"frame.{prefix}_many", count=len(full)) + "; ".join(short) + _("frame.full_below"), full


def full_citations(full: list[str], *, key: str | None = None) -> None:
    """The full citations in a closed panel. With a key, the list is built only while the panel is open (opening
    it reruns the page); without one (several panels could share a label), it is sent closed. Never pass a key
    from inside a cached drawing function (the `_replayed_*` ones): the panel's open state is per session, and a
    replay would repeat the state of the run that filled the cache."""
    _ = tr()
    label = _("frame.full_citations", count=len(full))
    if key is None:
        with st.expander(label):
            st.markdown("\n".join(f"- {line}" for line in full))
        return
    panel = st.expander(label, key=key, on_change="rerun")
    if panel.open:
        with panel:
            st.markdown("\n".join(f"- {line}" for line in full))


def source_line(source_ids: Iterable[str], *, prefix: str = "source", before: str | None = None,
                key: str | None = None) -> None:
    """'Source: Producer (year). Title. Licence.' with links, built from data/sources.csv; `before` (a method
    line) goes first in the same caption.

    Up to three sources are cited in full under the chart; more are named briefly, with the full
    citations one click away, so a chart built on many estimates keeps a readable footer.
    """
    text, full = source_text(source_ids, prefix=prefix)
    st.caption(f"{before}\n\n{text}" if before else text)
    if full:
        full_citations(full, key=key)


def downloads(table: pd.DataFrame, *, name: str, key: str) -> None:
    """CSV and Parquet of exactly the rows and columns shown; built only when clicked."""
    _ = tr()
    # One horizontal row (one container, two buttons) rather than three columns: fewer elements on every run.
    with st.container(horizontal=True, gap="small"):
        st.download_button(_("frame.download_csv"), data=lambda: _csv_bytes(table), file_name=f"{name}.csv",
                           mime="text/csv", key=f"{key}-csv", on_click="ignore", icon=":material/download:")
        st.download_button(_("frame.download_parquet"), data=lambda: _parquet_bytes(table),
                           file_name=f"{name}.parquet", mime="application/vnd.apache.parquet", key=f"{key}-parquet",
                           on_click="ignore", icon=":material/download:")


TABLE_TAB_PREFIX = "tabs-"  # session-state key of a chart frame's tabs: TABLE_TAB_PREFIX + the frame's key
CITATIONS_PREFIX = "cite-"  # session-state key of a chart frame's full-citations panel
PANEL_PREFIX = "panel-"  # session-state key of a lazy panel (lazy_panel): PANEL_PREFIX + its key
CHART_TABS_PREFIX = "charts-"  # session-state key of a group of chart tabs (chart_tabs): CHART_TABS_PREFIX + its key


def remembered_panel(label: str, *, key: str, icon: str | None = None, opened_by_link: bool = False) -> Any:
    """An expander that reruns the page when it is opened or closed (its `.open` says which) and keeps its state:
    a page change resets an expander, so the last run's state is kept apart (session state `_<key>-was-open`) and
    reopens it. `opened_by_link`: the link holds a value of a control inside, so a shared link opens it (and a
    control going back to its default, which the link then drops, does not close it under the reader)."""
    was_open = f"_{key}-was-open"
    # `expanded` is part of an expander's identity, as are its label and icon: if it followed every open and close,
    # the run after a click would draw a new element and the browser would remount the panel and its controls
    # (closing a list the reader had just opened). So it is chosen once per page (and label and icon) and kept.
    drawn_as = f"_{key}-drawn-as"
    ctx = get_script_run_ctx()
    where = (ctx.page_script_hash if ctx else "", label, icon)
    first = st.session_state.get(drawn_as)
    if first is None or first[0] != where:
        first = (where, bool(opened_by_link or st.session_state.get(was_open)))
        st.session_state[drawn_as] = first
    panel = st.expander(label, key=key, on_change="rerun", icon=icon, expanded=first[1])
    st.session_state[was_open] = bool(panel.open)
    return panel


def lazy_panel(label: str, *, key: str, icon: str | None = None, opened_by_link: bool = False) -> Any | None:
    """A closed panel (expander) whose content is built only while it is open: the panel to draw into, or None.

    Use it for tables and other heavy content under a chart: a closed panel costs one element on every run and
    nothing in the browser (a data grid alone is ~1.4 MB of JavaScript to load and run on a first visit). Opening
    it reruns the page with the content in place; its state is session state under PANEL_PREFIX + key, so a filter
    change keeps an open panel open, provided the label and icon do not change with the filters (Streamlit counts
    them in the panel's identity: a label with a filtered count would close the panel). As with full_citations,
    never call it inside a cached drawing function. It stays open across page changes; `opened_by_link` as in
    remembered_panel."""
    panel = remembered_panel(label, key=f"{PANEL_PREFIX}{key}", icon=icon, opened_by_link=opened_by_link)
    return panel if panel.open else None


def chart_frame(
    *,
    key: str,
    title: str,
    subtitle: str,
    figure: go.Figure,
    table: pd.DataFrame,
    source_ids: Iterable[str],
    alt: str,
    reading: str | None = None,
    method: str | None = None,
) -> None:
    """One chart in the shared frame (DESIGN.md section 3).

    The data table and its downloads sit in the frame's second tab and are built only while that tab is open
    (`st.tabs(..., on_change="rerun")`, the tab's `.open`): a closed table costs nothing on the server or in the
    browser, and opening it reruns the page with the table and its CSV and Parquet buttons in place. The tab's
    state is session state under `tabs-<key>` (see TABLE_TAB_PREFIX), so a filter change keeps an open table open.
    """
    _ = tr()
    with st.container(border=True, key=f"frame-{key}"):
        st.markdown(f"#### {title}")
        st.caption(subtitle)
        chart_tab, table_tab = st.tabs([_("frame.tab_chart"), _("frame.tab_table_download")],
                                       key=f"{TABLE_TAB_PREFIX}{key}", on_change="rerun")
        with chart_tab:
            st.plotly_chart(prepared_figure(figure), key=f"chart-{key}", config=PLOTLY_CONFIG, theme=None, alt=alt)
        if table_tab.open:
            with table_tab:
                st.dataframe(prepared_table(table), hide_index=True, key=f"table-{key}")
                # Named by the chart's key, not its title: the same file name in both languages (a Khmer title has
                # no Latin letters to slug).
                downloads(table, name=_slug(key), key=key)
        if reading:
            st.markdown(f"**{_('frame.reading')}** {reading}")
        # The method and the sources: one caption of two paragraphs (one element fewer per chart, on every run).
        source_line(source_ids, before=_("frame.method", method=method) if method else None,
                    key=f"{CITATIONS_PREFIX}{key}")


def chart_tabs(frames: Sequence[tuple[str, dict]], *, key: str) -> None:
    """Related charts side by side as tabs, each a chart frame: (tab label, chart_frame arguments) pairs.

    Only the open tab's chart is built and drawn (`st.tabs(..., on_change="rerun")`, the tab's `.open`): every
    chart costs its reader ~80 ms of drawing on a first visit, so a section of three charts on one question draws
    one, and another tab is a click (a rerun) away. The open tab is session state under CHART_TABS_PREFIX + key, so
    a filter change keeps it; as with a chart frame's table tab, a language switch (new labels) or a visit to another
    page opens the first tab again. One pair: the chart frame alone, without tabs; none (a filter left no chart):
    nothing."""
    if len(frames) <= 1:
        for _label, frame in frames:
            chart_frame(**frame)
        return
    tabs = st.tabs([label for label, _frame in frames], key=f"{CHART_TABS_PREFIX}{key}", on_change="rerun")
    for tab, (_label, frame) in zip(tabs, frames, strict=True):
        if tab.open:
            with tab:
                chart_frame(**frame)


# A metric value is one line that ends in '…' when it is wider than its card: a number fits, a worded value ('not
# published', 'no figure', in Khmer longer still) does not in a row of four cards. It wraps instead. Drawn only beside
# a worded value, so a page of numbers loads no HTML-element code for it.
WORDED_KPI_CSS = """<style>
[data-testid="stMain"] [data-testid="stMetricValue"] > div, [data-testid="stMain"] [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; line-height: 1.15; height: auto; }
</style>"""


def kpi(label: str, value: str, *, caption: str, delta: str | None = None, help: str | None = None) -> None:
    """A headline number with its year and source directly under it (a worded value wraps in its card)."""
    with st.container(border=True):
        st.metric(label, value, delta=delta, help=help, delta_color="off")
        if not any(ch.isdigit() for ch in value):
            st.html(WORDED_KPI_CSS)
        st.caption(caption)
