"""The page menu: the registry (core.site.PAGES) as st.navigation's sections, titled in the reader's language."""

from __future__ import annotations

import streamlit as st

from core.i18n import Translator
from core.site import PAGES

NAV_PAGES_KEY = "_nav-pages"  # session state: {language: sections}


def navigation_sections(_: Translator) -> dict[str, list[st.Page]]:
    """Section title -> the st.Page objects of its pages, made once per session and language.

    st.Page resolves and checks its file when it is made (about 70 µs a page, 0.8 ms of every run for twelve), and
    the objects do not change between runs, so a session keeps them. They are not shared between sessions:
    st.navigation marks the chosen object runnable and its run() clears the mark, so two sessions running the same
    shared object at once could refuse each other's page.
    """
    made: dict[str, dict[str, list[st.Page]]] = st.session_state.setdefault(NAV_PAGES_KEY, {})
    sections = made.get(_.lang)
    if sections is None:
        sections = {}
        for spec in PAGES:
            page = st.Page(spec.path, title=_(f"site.page.{spec.url_path}"), icon=spec.icon, url_path=spec.url_path,
                           default=spec is PAGES[0])
            sections.setdefault(_(spec.section_key), []).append(page)
        made[_.lang] = sections
    return sections
