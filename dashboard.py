"""Entry point: page config, the page registry as st.navigation, the shared frame and footer."""

import logging

import streamlit as st

from components.filters import late_notices, reset_notices, sector_filters
from components.i18n import language_switch, tr
from components.present import exit_link, navigation_position, presentation_mode
from components.site_nav import navigation_sections
from core.site import APP_TITLE, BOUNDARY_ATTRIBUTION

# A local favicon: a Material icon here would be fetched from a font CDN, and the app must work offline.
# Its static URL (server.enableStaticServing): a file path would be read, hashed and registered on every run.
st.set_page_config(page_title=APP_TITLE, page_icon="/app/static/favicon.png", layout="wide")

reset_notices()
language_switch()  # ?lang=km: every text below, the page titles included, comes from locales/ in that language
_ = tr()
present = presentation_mode()  # ?present=1: screen-share layout (no sidebar or toolbar, menu at the top)
current = st.navigation(navigation_sections(_), position=navigation_position(present))
# Drawn on every page so that the filters, and the link that holds them, survive moving between pages.
sector_filters()

try:
    current.run()
    late_notices()  # link values a page control could not use, when the page had already listed the others
except Exception:  # the last guard: a bug in one page must not show a traceback or break the others
    logging.getLogger("khwaste").exception("page %s failed", current.title)
    st.error(_("site.page_failed"), icon=":material/error:")

if present:
    exit_link(current)
else:
    st.divider()
    st.caption(f"{_('site.licence_note')} {BOUNDARY_ATTRIBUTION} {_('site.footer_sources')}")
