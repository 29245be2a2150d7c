"""Presentation mode (`?present=1`): a screen-share layout for every page, and the briefing-pack download.

The sidebar's *Presentation mode* button and the `present` link parameter stay in step: the link wins when it
holds a valid value, the session remembers the mode when a page change drops the parameter, and the button and
the 'Exit presentation' link write it back. Only a constant stylesheet is injected; no link text reaches HTML.
"""

from __future__ import annotations

import logging

import streamlit as st

from components.data import load
from components.i18n import current_lang, tr
from core.catalogue import DataError, data_dir_from_env
from core.i18n import translator

KEY = "present"
ON_VALUES = {"1", "true", "yes", "on"}
OFF_VALUES = {"0", "false", "no", "off", ""}
NAV_KEY = "_nav_position"

# Screen-share layout: no sidebar, no toolbar, large type, tight spacing so that one slide (title, a 430 px
# chart and its source line) fits 1280x720. The top navigation menu in the header stays visible; the exit link
# and the story's previous / next controls (container key story-controls) sit in the header's free right side.
# At this size a worded metric value ('not published') is wider than its card: it wraps instead of ending in '…'.
PRESENT_CSS = """
<style>
html { font-size: 18px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"], [data-testid="stToolbarActions"], [data-testid="stMainMenu"],
[data-testid="stAppDeployButton"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 4.2rem 2.5rem 1rem; max-width: 100%; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.55rem; }
[data-testid="stMain"] h1 { font-size: 1.6rem; line-height: 1.25; padding: 0 0 0.35rem; }
[data-testid="stMain"] h2 { font-size: 1.4rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.05rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 0.9rem; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p {
  font-size: 2.6rem !important; font-weight: 700; }
[data-testid="stMain"] [data-testid="stMetricValue"] > div, [data-testid="stMain"] [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; line-height: 1.1; height: auto; }
.st-key-present-exit { position: fixed; top: 0.85rem; right: 1rem; width: auto !important; z-index: 999991; }
.st-key-present-exit a p { font-size: 0.85rem !important; }
.st-key-story-controls { position: fixed; top: 0.45rem; right: 10.5rem; width: 31rem !important; z-index: 999991; }
.st-key-story-controls button { min-height: 2.1rem; padding-top: 0.1rem; padding-bottom: 0.1rem; }
.st-key-story-controls p { font-size: 0.9rem !important; }
</style>
"""


def _url_value() -> bool | None:
    """True or False from the link, None when the link has no (valid) `present`."""
    try:
        values = st.query_params.get_all(KEY)
    except Exception:  # a parameter that cannot be read is treated as absent
        return None
    if not values:
        return None
    text = str(values[-1]).strip().lower()
    if text in ON_VALUES:
        return True
    if text in OFF_VALUES:
        return False
    return None


def _write_url(on: bool) -> None:
    if on:
        if st.query_params.get(KEY) != "1":
            st.query_params[KEY] = "1"
    elif KEY in st.query_params:
        del st.query_params[KEY]


START_KEY = "present-start"  # the sidebar button that starts presenting


def _start() -> None:
    st.session_state[KEY] = True
    _write_url(True)


def presentation_mode() -> bool:
    """Apply the screen-share layout when on (the link or the session says so) and say whether it is on; when
    off, draw the sidebar button that turns it on.

    A button, not a switch: the sidebar is hidden while presenting, so the control is only ever seen off, and the
    way back is the 'Exit presentation' link (exit_link). A switch would also cost every page a first load of
    Streamlit's checkbox code (five more script files queued before the charts' own).
    """
    from_link = _url_value()
    if from_link is not None:
        st.session_state[KEY] = from_link
    on = bool(st.session_state.get(KEY, False))
    if not on:
        _ = tr()
        st.sidebar.button(_("present.toggle"), key=START_KEY, on_click=_start, help=_("present.toggle_help"),
                          icon=":material/slideshow:")
    _write_url(on)
    if on:
        st.html(PRESENT_CSS)
    return on


def navigation_position(present: bool) -> str:
    """The menu sits at the top in presentation mode (the sidebar is hidden) and in the sidebar otherwise."""
    position = "top" if present else "sidebar"
    st.session_state[NAV_KEY] = position
    return position


def exit_link(page) -> None:
    """A small fixed 'Exit presentation' link: the same page, the same link parameters, present=0."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    params = {key: (values if len(values) > 1 else values[0]) for key, values in params.items() if values}
    params[KEY] = "0"
    with st.container(key="present-exit"):
        st.page_link(page, label=tr()("present.exit"), icon=":material/close_fullscreen:", query_params=params)


# ------------------------------------------------------------------ the briefing pack

BRIEFING_FILE = "cambodia-waste-briefing.html"


@st.cache_data(show_spinner=False, max_entries=4)
def _briefing_html(data_dir: str, lang: str, versions: tuple) -> bytes:
    from core.briefing import build_briefing
    from core.story import TABLES_NEEDED

    tables = {name: load(name) for name in (*TABLES_NEEDED, "sources")}
    return build_briefing(tables, lang=lang).encode("utf-8")


def _versions() -> tuple:
    """File sizes and times of the data folder: a changed file builds a new briefing."""
    folder = data_dir_from_env()
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.csv")))
    except OSError:
        return ()


def briefing_bytes(lang: str = "en") -> bytes:
    """The briefing HTML (cached per data version); a short explanatory page when the data are broken."""
    try:
        return _briefing_html(str(data_dir_from_env()), lang, _versions())
    except (DataError, LookupError, KeyError, ValueError) as problem:
        logging.getLogger("khwaste").exception("briefing failed")
        _ = translator(lang)
        message = problem.message if isinstance(problem, DataError) else _("briefing.data_problem")
        text = _("briefing.unavailable_text", problem=message)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (f"<!doctype html><html lang='{_.lang}'><meta charset='utf-8'><title>{_('briefing.unavailable_title')}"
                f"</title><p>{text}</p>").encode()


def briefing_download(key: str, *, label: str | None = None) -> None:
    """A download button for the one-file briefing, in the session's language; built only when clicked."""
    _ = tr()
    lang = current_lang()
    st.download_button(label or _("present.briefing_download"), data=lambda: briefing_bytes(lang),
                       file_name=BRIEFING_FILE if lang == "en" else BRIEFING_FILE.replace(".html", f"-{lang}.html"),
                       mime="text/html", key=key, on_click="ignore", icon=":material/download:",
                       help=_("present.briefing_help"))
