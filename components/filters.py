"""The sector filters: one sidebar component, bound to the URL, read by every page that they apply to."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

import streamlit as st

from components.i18n import CONTROLS_KEY, NOTICE_KEY, REPORTED_KEY, tr, url_control
from core.sectors import FILTERS, YEAR_MAX, YEAR_MIN, Selection, option_key, parse_years

# Characters that would make link text Markdown, HTML or an autolink; - and _ stay as typed (harmless mid-sentence).
_LINK_SPECIAL = re.compile(r"([\\`*{}\[\]()#+.!<>|~:&$])")
SELECTION_KEY = "_selection"
SHOWN_KEY = "_filter_notices_shown"


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


def _check_link(key: str, allowed: set[str] | None) -> None:
    """Note (quietly) any value in the link that is not an option; Streamlit then falls back to the default."""
    if allowed is None:  # the year range travels as two values: years=2010&years=2024
        try:
            values = [str(v) for v in st.query_params.get_all(key) if str(v) != ""]
        except Exception:
            return
        bad = [] if not values or parse_years(values) is not None else [link_text(v) for v in values[:2]]
    else:
        bad = [shown for _, shown in unrecognised_link_values({key: allowed})]
    if bad:
        st.session_state.setdefault(NOTICE_KEY, []).append(f"{key}: {', '.join(bad[:3])}")


def sector_filters() -> Selection:
    """Draw the filters in the sidebar (kept in the link as codes, stable keys) and return the selection."""
    _ = tr()
    with st.sidebar:
        st.markdown(f"**{_('filters.heading')}**")
        st.caption(_("filters.link_hint"))
        chosen: dict[str, list[str]] = {}
        for spec in FILTERS:
            chosen[spec.key] = url_control(
                st.multiselect, _(f"filters.{spec.key}.label"), key=spec.key, options=list(spec.options),
                default=[], multi=True, format_func=lambda code, key=spec.key: _(option_key(key, code)),
                placeholder=_("filters.all"), help=_(f"filters.{spec.key}.help"),
            )
        _check_link("years", None)
        years = st.slider(_("filters.years.label"), min_value=YEAR_MIN, max_value=YEAR_MAX,
                          value=(YEAR_MIN, YEAR_MAX), key="years", bind="query-params")
    selection = Selection(values={k: tuple(v) for k, v in chosen.items()}, years=tuple(years))
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
