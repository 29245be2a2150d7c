"""Recycling and the informal sector: rates, depots, revenue, exports, prices, waste pickers, and the gaps."""

from __future__ import annotations

import streamlit as st

from components import views_recycling as view
from components.data import show_data_error
from components.filters import applied_note, current
from components.i18n import tr
from core.catalogue import DataError, data_dir_from_env


def main() -> None:
    _ = tr()
    st.title(_("recycling.title"))
    st.markdown(_("recycling.intro"))
    selection = current()
    applied_note(selection, view.APPLIES)
    try:  # built once per selection and language; it loads estimates and sources (a DataError is never cached)
        built = view.model(str(data_dir_from_env()), view.selection_key(selection),
                           _("recycling.under_filters") if selection.active() else "", _.lang)
    except DataError as error:
        show_data_error(error)
        built = None
    if built is not None:
        if built["empty"]:
            view.empty_note("any", selection, _)
        else:
            view.kpi_row(built["kpis"])
            view.rates_view(built["rates"], selection, _)
            view.industry_view(built["industry"], selection, _)
            view.exports_view(built["exports"], selection, _)
            view.prices_view(built["prices"], selection, _)
            view.pickers_view(built["pickers"], selection, _)
    view.gaps_view(_)
    view.workshop_view(_)


main()
