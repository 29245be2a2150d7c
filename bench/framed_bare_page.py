"""A reference page for the benchmark: the dashboard's own frame (language switch, presentation button, page menu,
the sector filter panel, closed as a first visit sees it, and the footer) around the bare page's one small chart.

It shows how much of a page's warm rerun is the frame every page shares, so that bench/RESULTS.md can report each
page both against the bare page (the issue's baseline) and against the frame alone.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root (components/, core/)

import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

from components.filters import late_notices, reset_notices, sector_filters  # noqa: E402
from components.i18n import language_switch, tr  # noqa: E402
from components.present import navigation_position, presentation_mode  # noqa: E402
from core.site import BOUNDARY_ATTRIBUTION  # noqa: E402

st.set_page_config(page_title="Framed benchmark page", layout="wide")


def bare_chart() -> None:
    st.title("Bare page")
    figure = go.Figure(go.Bar(x=["Organic", "Plastic", "Paper", "Other"], y=[55, 21, 9, 15]))
    figure.update_layout(height=320, margin={"l": 40, "r": 10, "t": 10, "b": 40})
    st.plotly_chart(figure)


reset_notices()
language_switch()
present = presentation_mode()
current = st.navigation([st.Page(bare_chart, title="Bare page", url_path="bare", default=True)],
                        position=navigation_position(present))
sector_filters()
current.run()
late_notices()
st.divider()
st.caption(f"{tr()('site.licence_note')} {BOUNDARY_ATTRIBUTION} {tr()('site.footer_sources')}")
