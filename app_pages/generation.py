"""Waste generation and the evidence: every national estimate, per-person and city figures, and a projection."""

from __future__ import annotations

import streamlit as st

from components import views_generation as view
from components.data import show_data_error
from components.filters import applied_note, current
from components.i18n import tr
from core.catalogue import DataError, data_dir_from_env


def main() -> None:
    _ = tr()
    st.title(_("generation.title"))
    st.markdown(_("generation.intro"))
    selection = current()
    applied_note(selection, view.APPLIES)
    data_dir = str(data_dir_from_env())
    try:  # built once per selection and language; it loads estimates and sources (a DataError is never cached)
        built = view.model(data_dir, view.selection_key(selection), _.lang)
    except DataError as error:
        show_data_error(error)
        return
    view.link_notice(built["setup"]["ids"] if built["setup"] else [], _)
    view.headline_row(built["cards"], built["quote"])
    view.national_view(built["national"], selection, _)
    view.evidence_table(built["evidence"], built["evidence_sources"], _)
    view.per_capita_view(built["per_capita"], selection, _)
    view.city_views(built["cities"], selection, _)
    view.projection_view(built["setup"], data_dir, _)


main()
