"""Reusable Streamlit pieces: cached data access, the chart frame, KPI cards, the shared frame."""
