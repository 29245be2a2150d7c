"""Flows: where the waste goes, per published breakdown, with what is measured and what is assumed marked.

This file only draws: what it draws is built once per (data folder, filters, controls, language) in
components/views_flows.py, so a rerun does no pandas work.
"""

from __future__ import annotations

import streamlit as st

from components import views_flows as views
from components.data import show_data_error
from components.filters import applied_note, current
from components.frame import chart_frame, kpi, lazy_panel, prepared_table
from components.i18n import tr
from core.catalogue import DataError, data_dir_from_env


def main() -> None:
    _ = tr()
    st.title(_("flows.title"))
    st.markdown(_("flows.intro"))
    selection = current()
    applied_note(selection, views.APPLIES)
    try:
        page = views.flows_page(str(data_dir_from_env()), views.selection_key(selection), _.lang)
    except DataError as error:
        show_data_error(error)
        return
    if not page.kept:
        st.info(_("flows.empty", selection=selection.describe(views.APPLIES, _)), icon=":material/filter_alt_off:")
        return

    set_id, total_choice = views.controls(page, _)
    chosen = page.sets[set_id]
    stage_drawn = False
    if chosen.has_companion:
        stage_drawn = st.toggle(_("flows.controls.stage"), value=True, key="flow_stage", bind="query-params",
                                help=_("flows.controls.stage_help"))
    else:
        st.caption(_("flows.no_stage"))
    st.caption(chosen.showing)

    view = page.flow(set_id, total_choice, bool(stage_drawn))
    for column, (label, value, caption) in zip(st.columns(4), view.kpis, strict=True):
        with column:
            kpi(label, value, caption=caption)
    if view.stage_caption:
        st.caption(view.stage_caption)
    chart_frame(key="flow-sankey", **view.sankey)
    totals = lazy_panel(_("flows.totals.expander"), key="flow-totals")
    if totals is not None:
        with totals:
            st.dataframe(prepared_table(page.totals), hide_index=True, key="flow-totals")
            st.caption(_("flows.totals.caption"))
    chart_frame(key="flow-compare", **page.comparison)


main()
