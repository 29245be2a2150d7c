"""Entry point: page config, the page registry as st.navigation, the shared frame and footer."""

import logging

import streamlit as st

from components.filters import sector_filters
from components.present import exit_link, navigation_position, presentation_mode
from core.site import APP_TITLE, BOUNDARY_ATTRIBUTION, DATA_LICENCE_NOTE, PAGES

# A local favicon: a Material icon here would be fetched from a font CDN, and the app must work offline.
st.set_page_config(page_title=APP_TITLE, page_icon="static/favicon.png", layout="wide")

sections: dict[str, list] = {}
for spec in PAGES:
    page = st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                   default=spec is PAGES[0])
    sections.setdefault(spec.section, []).append(page)
present = presentation_mode()  # ?present=1: screen-share layout (no sidebar or toolbar, menu at the top)
current = st.navigation(sections, position=navigation_position(present))
# Drawn on every page so that the filters, and the link that holds them, survive moving between pages.
sector_filters()

try:
    current.run()
except Exception:  # the last guard: a bug in one page must not show a traceback or break the others
    logging.getLogger("khwaste").exception("page %s failed", current.title)
    st.error("This page hit an unexpected problem and could not be drawn. The other pages keep working; "
             "please report the link you used.", icon=":material/error:")

if present:
    exit_link(current)
else:
    st.divider()
    st.caption(f"{DATA_LICENCE_NOTE} {BOUNDARY_ATTRIBUTION} Every figure links to its source under its chart; "
               "the full list is in data/sources.csv.")
