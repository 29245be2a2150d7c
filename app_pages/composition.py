"""Composition: what the waste is made of, by place, waste source and year; plastics; where breakdowns disagree."""

from __future__ import annotations

import streamlit as st

from components import views_composition as view
from components.data import show_data_error
from components.filters import applied_note, current
from components.i18n import tr
from core.catalogue import DataError, data_dir_from_env


def main() -> None:
    _ = tr()
    st.title(_("composition.title"))
    st.markdown(_("composition.intro"))
    selection = current()
    applied_note(selection, view.APPLIES)
    data_dir = str(data_dir_from_env())
    try:  # built once per selection and language; it loads composition and sources (a DataError is never cached)
        built = view.model(data_dir, view.selection_key(selection, view.SET_FILTERS), view.materials_key(selection),
                           _.lang)
    except DataError as error:
        show_data_error(error)
        built = None
    if built is not None:
        if built["empty"]:
            view.empty_state("breakdowns", selection, _, view.SET_FILTERS)
        else:
            view.kpi_row(built["kpis"])
            view.comparison_view(built["comparison"], selection, _)
            st.subheader(_("composition.heading.plastics"))
            view.plastic_view(built["plastic"], selection, _)
            st.subheader(_("composition.heading.disagree"))
            view.spread_view(built["spread"], _)
    st.subheader(_("composition.heading.sources"))
    view.source_view(data_dir, selection, _)


main()
