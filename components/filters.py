"""The sector filters: one sidebar component, bound to the URL, read by every page that they apply to."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

import streamlit as st

from components.frame import remembered_panel
from components.i18n import (
    CONTROLS_KEY,
    NOTICE_KEY,
    REPORTED_KEY,
    link_values,
    recognised_link_values,
    tr,
    url_control,
    write_link,
)
from core.sectors import FILTERS, YEAR_MAX, YEAR_MIN, Selection, option_key, parse_years

# Characters that would make link text Markdown, HTML or an autolink; - and _ stay as typed (harmless mid-sentence).
_LINK_SPECIAL = re.compile(r"([\\`*{}\[\]()#+.!<>|~:&$])")
SELECTION_KEY = "_selection"
SHOWN_KEY = "_filter_notices_shown"
SELECTION_ORDER = tuple(spec.key for spec in FILTERS) + ("years",)


def link_text(value: object, limit: int = 30) -> str:
    """A value from the link as a notice may quote it: shortened, never rendered as Markdown or HTML."""
    return _LINK_SPECIAL.sub(r"\\\1", str(value)[:limit]).replace("\n", " ")


def current() -> Selection:
    """The selection the frame's filters hold on this run (all when the filters were not drawn)."""
    return st.session_state.get(SELECTION_KEY) or Selection()


def unrecognised_link_values(checks: Mapping[str, Callable[[str], bool] | Collection[str]]) -> list[tuple[str, str]]:
    """(key, value as a notice may quote it) for each link value a control will drop.

    Streamlit silently replaces such values with the widget's default; pages read the link before drawing the
    widget so they can say so. `checks` maps a URL key to its allowed values or to a predicate.
    """
    bad: list[tuple[str, str]] = []
    st.session_state.setdefault(REPORTED_KEY, set()).update(checks)  # the page reports these itself
    for key, ok in checks.items():
        accept = ok if callable(ok) else {str(v) for v in ok}.__contains__
        try:
            values = [str(v) for v in st.query_params.get_all(key)]
        except Exception:  # a bound parameter may not be readable; nothing to report then
            continue
        bad += [(key, link_text(v)) for v in values if v != "" and not accept(v)]
    return bad


def reset_notices() -> None:
    """Start the run's list of ignored link values (the frame calls this before any control is drawn)."""
    st.session_state[NOTICE_KEY] = []
    st.session_state[SHOWN_KEY] = 0
    st.session_state[CONTROLS_KEY] = set()
    st.session_state[REPORTED_KEY] = set()


FILTERS_PANEL_KEY = "filters-panel"  # session-state key of the sidebar's filter panel (open or closed)
ALL_YEARS = (YEAR_MIN, YEAR_MAX)


def _years_from_link(fallback: tuple[int, int]) -> tuple[int, int]:
    """The link's year range (years=2010&years=2020); `fallback` when the link has none; all years when its range
    is empty or malformed (a malformed one is noted)."""
    values = link_values("years")
    if values is None:
        return fallback
    values = [v for v in values if v != ""]
    years = parse_years(values) if values else None
    if values and years is None:
        st.session_state.setdefault(NOTICE_KEY, []).append(f"years: {', '.join(link_text(v) for v in values[:2])}")
    return years or ALL_YEARS


def _linked_selection(kept: Selection) -> Selection:
    """The selection the link holds, without drawing a control: the link's codes where it has the parameter
    (values that are not options are noted and dropped, as the controls drop them), else the session's choice.
    Every value is written back, so the link keeps the view after a page change."""
    values: dict[str, tuple[str, ...]] = {}
    for spec in FILTERS:
        codes = {code: code for code in spec.options}
        good = recognised_link_values(spec.key, codes)
        chosen = list(good) if good is not None else [c for c in kept.values.get(spec.key, ()) if c in codes]
        write_link(spec.key, chosen, [])
        values[spec.key] = tuple(chosen)
    years = _years_from_link(kept.years)
    write_link("years", list(years), list(ALL_YEARS))
    return Selection(values=values, years=tuple(years))


def _filter_controls(kept: Selection) -> Selection:
    """The six sector filters and the year range as controls, each kept in the link as codes."""
    _ = tr()
    st.caption(_("filters.link_hint"))
    chosen: dict[str, list[str]] = {}
    for spec in FILTERS:
        if link_values(spec.key) is None and spec.key not in st.session_state and kept.values.get(spec.key):
            st.session_state[spec.key] = list(kept.values[spec.key])  # the choice made while the panel was closed
        chosen[spec.key] = url_control(
            st.multiselect, _(f"filters.{spec.key}.label"), key=spec.key, options=list(spec.options),
            default=[], multi=True, format_func=lambda code, key=spec.key: _(option_key(key, code)),
            placeholder=_("filters.all"), help=_(f"filters.{spec.key}.help"),
        )
    # The year range is kept in the link by hand too (not bind="query-params"): a bound control's parameter leaves
    # the address when the panel closes, and the link must keep the view whether the panel is open or not.
    st.session_state.setdefault(CONTROLS_KEY, set()).add("years")
    wanted = _years_from_link(st.session_state.get("years", kept.years))
    if tuple(st.session_state.get("years", ())) != tuple(wanted):  # set only when it differs (a changed link)
        st.session_state["years"] = tuple(wanted)

    def years_changed() -> None:
        write_link("years", list(st.session_state["years"]), list(ALL_YEARS))

    years = st.slider(_("filters.years.label"), min_value=YEAR_MIN, max_value=YEAR_MAX, value=ALL_YEARS,
                      key="years", on_change=years_changed)
    write_link("years", list(years), list(ALL_YEARS))
    return Selection(values={k: tuple(v) for k, v in chosen.items()}, years=tuple(years))


def sector_filters() -> Selection:
    """The sector filters in a sidebar panel; returns the selection (kept in the link either way).

    The panel is closed unless the reader opens it: closed, its seven controls are not drawn (they are the frame's
    largest cost, on the server on every run and in the browser on a first visit), and the selection comes from the
    link, or from the session when a page change dropped the link, and is named under the panel. Open, the controls
    show and change it. Its open state is session state under FILTERS_PANEL_KEY, kept across page changes
    (components.frame.remembered_panel)."""
    _ = tr()
    kept = current()
    with st.sidebar:
        panel = remembered_panel(_("filters.heading"), key=FILTERS_PANEL_KEY, icon=":material/filter_alt:")
        if panel.open:
            with panel:
                selection = _filter_controls(kept)
        else:
            selection = _linked_selection(kept)
            if selection.active():
                st.caption(_("filters.closed_summary", selection=selection.describe(SELECTION_ORDER, _)))
    st.session_state[SELECTION_KEY] = selection
    return selection


def applied_note(selection: Selection, applies: tuple[str, ...]) -> None:
    """Say which filters shape this page, which are set, and any link values that were ignored."""
    _ = tr()
    names = {spec.key: _(f"filters.{spec.key}.label").lower() for spec in FILTERS} | {"years": _("filters.years")}
    active = selection.active()
    used = [names[k] for k in applies if k in active]
    ignored = [names[k] for k in active if k not in applies]
    parts = [_("filters.apply_here", names=", ".join(names[k] for k in applies) or _("filters.none"))]
    if used:
        parts.append(_("filters.active", selection=selection.describe(applies, _)))
    if ignored:
        parts.append(_("filters.not_used", names=", ".join(ignored)))
    st.caption(" ".join(parts))
    notices = st.session_state.get(NOTICE_KEY) or []
    if notices:
        st.caption(_("filters.unrecognised", values="; ".join(notices)))
    st.session_state[SHOWN_KEY] = len(notices)


def late_notices() -> None:
    """Link values that controls drawn after applied_note dropped (page controls): said at the page's end."""
    notices = st.session_state.get(NOTICE_KEY) or []
    late = notices[st.session_state.get(SHOWN_KEY, 0):]
    if late:
        st.caption(tr()("filters.unrecognised", values="; ".join(late)))
