"""Benchmark of the dashboard against a bare one-chart Streamlit page (issue 6); run `python -m bench.run`."""
