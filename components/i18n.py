"""The language of the session (`?lang=en|km`), its switch, and controls whose link holds codes, not labels.

Streamlit's `bind="query-params"` writes a control's *displayed* label into the link. A translated label would
make a Khmer link unreadable for English users (and the reverse), so controls whose options are shown in words
are kept in step with the link here instead (`url_control`): the link always holds the plain code
(`material=plastic`, `lang=km`), whatever the language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from core.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Translator, normalise_lang, translator

LANG_KEY = "lang"
NOTICE_KEY = "_filter_notices"
# The keys url_control kept in the link on this run (the URL fuzz tests read it to find every link-held control).
CONTROLS_KEY = "_link_controls"
# Keys whose unusable link values the page reports itself (components.filters.unrecognised_link_values).
REPORTED_KEY = "_link_reported"


def current_lang() -> str:
    """The session's language ('en' or 'km'); English until the switch has run."""
    return normalise_lang(st.session_state.get(LANG_KEY)) or DEFAULT_LANG


def tr() -> Translator:
    """The Translator of the session's language: `_ = tr()`, then `_("overview.title")`."""
    return translator(current_lang())


def link_values(key: str) -> list[str] | None:
    """The link's values for `key`, or None when the link has no such parameter (or it cannot be read)."""
    try:
        if key not in st.query_params:
            return None
        return [str(v) for v in st.query_params.get_all(key)]
    except Exception:
        return None


def write_link(key: str, value: Any, default: Any) -> None:
    """Put the control's value in the link as codes; the default leaves the link clean."""
    values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if value == default or (isinstance(value, list | tuple) and list(value) == list(default or [])):
        if key in st.query_params:
            del st.query_params[key]
        return
    if st.query_params.get_all(key) != values:
        st.query_params[key] = values if len(values) != 1 or isinstance(value, list | tuple) else values[0]


def _note(key: str, bad: list[str]) -> None:
    from components.filters import link_text

    if bad and key not in st.session_state.get(REPORTED_KEY, ()):
        shown = ", ".join(link_text(v) for v in bad[:3])
        st.session_state.setdefault(NOTICE_KEY, []).append(f"{key}: {shown}")


def recognised_link_values(key: str, by_code: dict[str, Any]) -> list[Any] | None:
    """The options the link names for `key` (once each, in link order; unrecognised values are noted), or None when
    the link has no such parameter."""
    from_link = link_values(key)
    if from_link is None:
        return None
    _note(key, [v for v in from_link if v not in by_code and v != ""])
    return [by_code[v] for v in dict.fromkeys(from_link) if v in by_code]


def url_control(widget: Callable[..., Any], label: str, *, key: str, options: Sequence[Any], default: Any,
                multi: bool = False, format_func: Callable[[Any], str] | None = None,
                on_change: Callable[[], None] | None = None, **kwargs: Any) -> Any:
    """Draw `widget` (st.selectbox, st.multiselect, st.radio, st.segmented_control, st.pills) with its value
    held in the link under `key` as option codes.

    The link wins when it has the parameter (values that are not options are dropped and noted, like a bound
    control's); when a page change dropped it, the session's value is kept and written back.
    """
    st.session_state.setdefault(CONTROLS_KEY, set()).add(key)
    codes = [str(option) for option in options]
    by_code = dict(zip(codes, options, strict=True))
    good = recognised_link_values(key, by_code)
    if good is not None:
        if multi:
            st.session_state[key] = good
        else:
            st.session_state[key] = good[-1] if good else default
    elif key not in st.session_state:
        st.session_state[key] = list(default) if multi else default
    elif multi:  # a stale value (options changed) must not reach the widget
        st.session_state[key] = [v for v in st.session_state[key] if str(v) in by_code]
    elif str(st.session_state[key]) not in by_code:
        st.session_state[key] = default

    def changed() -> None:
        value = st.session_state.get(key)
        if not multi and value is None:  # a segmented control or pills clicked off: back to the default
            st.session_state[key] = value = default
        write_link(key, value, default)
        if on_change is not None:
            on_change()

    value = widget(label, options=list(options), key=key, on_change=changed,
                   format_func=format_func or str, **kwargs)
    if not multi and value is None:  # a segmented control or pills can be cleared: back to the default
        value = default
    write_link(key, value, default)
    return value


def url_value(key: str, *, options: Sequence[Any], default: Any) -> Any:
    """The value url_control gives a single-choice control, read without drawing it (its panel is closed): the
    link's code when it is an option (an unrecognised one is noted as url_control notes it), else the session's
    value, else the default. The link keeps the value while the control is not drawn."""
    by_code = {str(option): option for option in options}
    good = recognised_link_values(key, by_code)
    if good is not None:
        return good[-1] if good else default
    value = st.session_state.get(key, default)
    return value if str(value) in by_code else default


# The page's <html lang>, so that screen readers and the browser's own features (hyphenation, translation offers)
# read Khmer as Khmer. Streamlit has no setting for it; a constant script per language sets it (no link or data text
# ever reaches it).
HTML_LANG_KM = "<script>document.documentElement.lang = 'km';</script>"
HTML_LANG_EN = "<script>document.documentElement.lang = 'en';</script>"
HTML_LANG_KEY = "_html_lang"  # session state: the language the page's <html lang> was last set to


def language_switch() -> str:
    """The language control at the top of the sidebar; returns 'en' or 'km'. `?lang=km` opens in Khmer."""
    with st.sidebar:
        lang = normalise_lang(url_control(
            st.segmented_control, "Language · ភាសា", key=LANG_KEY, options=LANGS, default=DEFAULT_LANG,
            format_func=LANG_NAMES.get, selection_mode="single",
            help="English or Khmer (ភាសាខ្មែរ). The link keeps the choice: ?lang=km.")) or DEFAULT_LANG
        # Once per language change: the attribute stays on the page when the script's element leaves it on the
        # next run. Streamlit's page starts as <html lang="en">, so an English session sends nothing (and its
        # first load fetches no HTML-element code); a reload is a new session, which sets it again.
        if st.session_state.get(HTML_LANG_KEY, DEFAULT_LANG) != lang:
            if lang == "km":  # two constant scripts, one per language (tests/test_security.py reads the calls)
                st.html(HTML_LANG_KM, unsafe_allow_javascript=True)
            else:
                st.html(HTML_LANG_EN, unsafe_allow_javascript=True)
            st.session_state[HTML_LANG_KEY] = lang
    return lang
