"""Provinces and facilities: an offline province map (population, facilities, city waste) and the landfill list.

This file only draws: what it draws is built once per (data folder, filters, language) in
components/views_provinces.py, so a rerun does no pandas work.
"""

from __future__ import annotations

import streamlit as st

from components import views_provinces as views
from components.data import show_data_error
from components.filters import applied_note, current
from components.frame import chart_frame, downloads, lazy_panel, prepared_table, source_line
from components.i18n import tr
from core.catalogue import DataError, data_dir_from_env
from core.site import BOUNDARY_ATTRIBUTION


def main() -> None:
    _ = tr()
    lang = _.lang
    st.title(_("site.page.provinces"))
    st.markdown(_("provinces.intro"))
    selection = current()
    applied_note(selection, views.APPLIES)
    st.caption(_("provinces.filters_note"))
    data_dir, sel_key = str(data_dir_from_env()), views.selection_key(selection)
    try:
        page, maps, boundary_error = views.provinces_page(data_dir, sel_key, lang)
    except DataError as error:
        show_data_error(error)
        return

    if boundary_error is not None:  # no map, but the facility chart and list are still shown
        show_data_error(boundary_error)
    if maps is not None:
        metric = views.metric_picker(_)
        filtered_out = (metric.column == "facilities" and maps.facilities_empty) or \
                       (metric.column == "city_waste_class" and maps.estimates_empty)
        if filtered_out and selection.active():
            words = views.filter_words(selection, views.APPLIES, _)
            st.info(_("provinces.empty_map.facilities", filters=words) if metric.column == "facilities" else
                    _("provinces.empty_map.city_waste", filters=words), icon=":material/filter_alt_off:")
        else:
            chart_frame(key="province-map", **maps.view(metric.code))
            st.caption(_("provinces.map_caption", attribution=BOUNDARY_ATTRIBUTION))

    if page.facilities_empty:
        st.info(_("provinces.empty_facilities", filters=views.filter_words(selection, views.FACILITY_APPLIES, _)),
                icon=":material/filter_alt_off:")
        return
    chart_frame(key="facilities-by-province", **page.chart)
    st.subheader(_("provinces.list.heading"))
    st.caption(page.list_caption)
    # The list and its downloads are built only while their panel is open (a data grid is heavy to load). The
    # label names no count: an expander's label is part of its identity, so a label that changed with the filters
    # would close an open panel on every filter change (the count is in the caption above).
    panel = lazy_panel(_("provinces.list.panel"), key="facility-table", icon=":material/table:")
    if panel is not None:
        with panel:
            st.dataframe(prepared_table(page.table), hide_index=True, key="facility-table",
                         height=page.table_height, column_config=page.columns)
            downloads(page.table, name="landfills-and-dumpsites", key="facility-table")
    if page.conflicts:
        with st.expander(page.conflicts_heading):
            st.markdown("\n".join(page.conflicts))  # one Markdown list, one element
    source_line(page.source_ids, key="cite-facility-table")


main()
