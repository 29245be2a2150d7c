"""Run one registered page through dashboard.py in AppTest, with link parameters, as a shared link would."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.site import PAGES
from tests.conftest import ROOT

TIMEOUT = 60


def framed_app(url_path: str, query: dict[str, str | list[str]] | None = None) -> AppTest:
    """An AppTest of the page at url_path inside the real frame (filters, footer), link parameters set; not run."""
    spec = next(s for s in PAGES if s.url_path == url_path)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page(spec.path)
    return app
