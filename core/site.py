"""The page registry: the one list of the dashboard's pages, shared by the app, the tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass

APP_TITLE = "Cambodia waste and recycling"


@dataclass(frozen=True)
class PageSpec:
    """A page: its file, menu title, Material icon, URL path and menu section."""

    path: str
    title: str
    icon: str
    url_path: str
    section: str = "Explore"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", "Start here"),
)

DATA_LICENCE_NOTE = (
    "Figures are transcribed with their sources and quotes; each remains its publisher's. "
    "The curated tables are offered under CC BY 4.0 (attribute 'Cambodia waste dashboard')."
)
BOUNDARY_ATTRIBUTION = (
    "Boundaries © OpenStreetMap contributors (ODbL 1.0), via geoBoundaries (www.geoboundaries.org), "
    "KHM-ADM1-37992800."
)
