"""Scenario lab: move waste between treatment routes and see the committed greenhouse-gas emissions change.

The page draws; its pieces (fixed choices, controls, the model and every view, built once per control values and
language) live in components/views_scenario.py, which also says how the link holds the controls' values.
"""

from __future__ import annotations

import streamlit as st

from components import views_scenario as view
from components.data import show_data_error
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, chart_tabs
from components.i18n import tr
from components.views_scenario import (  # noqa: F401 - names tests/test_scenario_page.py reads from this file
    LEGACY_LINK_VALUES,
    LEGACY_ROUTE_LABELS,
    LEVERS,
    MATERIAL_NOTES,
    ROUTES,
    SENSITIVITY_MODES,
)
from core.catalogue import DataError


def main() -> None:
    _ = tr()
    lang = _.lang
    st.title(_("scenario.title"))
    st.markdown(_("scenario.intro"))
    # The model works on the national stream as a whole; the sector filters shape the evidence pages.
    applied_note(current(), ())
    data_dir = view.data_key()
    try:
        base = view.page_base(data_dir, lang)
    except DataError as error:
        show_data_error(error)
        return
    except view.PageProblem as problem:
        st.error(_("scenario.cannot_draw", problem=problem.message(_)), icon=":material/report:")
        return
    except (LookupError, ValueError, KeyError) as problem:
        st.error(_("scenario.cannot_draw", problem=problem), icon=":material/report:")
        return
    link = view.upgrade_legacy_link()
    # Only the keys the link holds can hold a value to report.
    ignored = [f"{k}={v}" for k, v in unrecognised_link_values({k: ok for k, ok in base.checks.items() if k in link})]
    if ignored:
        st.caption(_("scenario.link_ignored", values=", ".join(ignored)))

    lab(base, data_dir, lang)


@st.fragment
def lab(base: view.Base, data_dir: str, lang: str) -> None:
    """The controls and the results: a fragment, so moving a slider or a switch reruns only this part of the page
    (not the sidebar, the menu or the title), and the results follow at once."""
    _ = tr()
    buttons = st.columns([4, 1.4, 2.2])  # room for the (longer) Khmer labels
    with buttons[0]:
        st.button(_("scenario.preset.button"), type="primary", icon=":material/lightbulb:", key="preset",
                  on_click=view.set_widgets, args=(base.preset, base.defaults))
    with buttons[1]:
        st.button(_("scenario.reset"), icon=":material/restart_alt:", key="reset", on_click=view.set_widgets,
                  args=(base.reset, base.defaults))
    with buttons[2]:
        compare = st.toggle(_("scenario.compare"), value=False, key="cmp", bind="query-params")
    preset_slot = st.empty()  # filled once the assumptions are known, with the preset's numbers

    total_t, set_id, site, burn_pct, choices = view.assumption_controls(base)

    columns = st.columns(3, gap="medium")
    with columns[0]:
        view.baseline_panel(base, site)
    picks = []
    for column, prefix in zip(columns[1:], view.SCENARIOS, strict=True):
        with column:
            if prefix == view.HIDDEN_PREFIX and not compare:
                # Off: its levers are drawn (switched off) only when a reader opens the panel; a link's values for
                # them wait in the link until the comparison is switched on, and the preset writes them there.
                view.hidden_scenario(prefix, base.defaults)
                continue
            picked = view.scenario_controls(prefix, base.defaults)
            if picked is not None:
                picks.append((prefix, *picked))

    try:
        results = view.results_view(base, data_dir, lang, total_t, set_id, site, burn_pct, choices, tuple(picks),
                                    base.with_source_names())
    except view.ModelRefused as refused:
        st.error(_("scenario.model_refused", problem=refused.problem), icon=":material/report:")
        return
    preset_slot.caption(results.preset_note)

    st.subheader(_("scenario.results"))
    st.caption(results.results_caption)
    view.draw_kpis(results.kpis)
    net, routes, intensity = results.frames
    chart_frame(**net)
    # The two readings of the routes (where the emissions come from, what a tonne commits on each): tabs, so a
    # first visit draws the result chart and one of them.
    chart_tabs([(_("scenario.tab.routes"), routes), (_("scenario.tab.intensity"), intensity)], key="scenario-routes")
    view.draw_tornado(results)
    view.draw_methodology(results.methodology)


main()
