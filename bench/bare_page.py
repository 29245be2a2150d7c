"""The reference page of the benchmark: a bare Streamlit page with one small graph_objects chart.

Standalone: `streamlit run bench/bare_page.py`; also AppTest-able (`AppTest.from_file("bench/bare_page.py")`).
Every dashboard number in bench/RESULTS.md is divided by the same number measured on this page in the same run.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Bare benchmark page", layout="wide")
st.title("Bare page")
figure = go.Figure(go.Bar(x=["Organic", "Plastic", "Paper", "Other"], y=[55, 21, 9, 15]))
figure.update_layout(height=320, margin={"l": 40, "r": 10, "t": 10, "b": 40})
st.plotly_chart(figure)
