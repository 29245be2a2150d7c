"""Streamlit-free core of the dashboard: data catalogue, evidence queries, models and figure builders."""
