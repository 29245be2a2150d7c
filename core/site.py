"""The page registry: the one list of the dashboard's pages, shared by the app, the tests and the benchmark.

The page files live in app_pages/, not pages/: with a folder named pages/, Streamlit 1.67 serves the first deep
link after a server start in its legacy multipage mode (the page file alone, without dashboard.py's frame,
filters and footer), so a shared link would open without its filters.
"""

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

    @property
    def section_key(self) -> str:
        """The catalogue key of the menu section ('Start here' -> 'site.section.start_here')."""
        return "site.section." + self.section.lower().replace(" ", "_")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "Overview", ":material/dashboard:", "overview", "Start here"),
    PageSpec("app_pages/story.py", "Story", ":material/slideshow:", "story", "Start here"),
    PageSpec("app_pages/workshop.py", "Workshop 2025", ":material/groups:", "workshop", "Start here"),
    PageSpec("app_pages/generation.py", "Waste generation and the evidence", ":material/query_stats:",
             "generation", "The evidence"),
    PageSpec("app_pages/composition.py", "Composition", ":material/donut_small:", "composition", "The evidence"),
    PageSpec("app_pages/flows.py", "Flows", ":material/account_tree:", "flows", "The evidence"),
    PageSpec("app_pages/recycling.py", "Recycling and the informal sector", ":material/recycling:", "recycling",
             "The evidence"),
    PageSpec("app_pages/provinces.py", "Provinces and facilities", ":material/map:", "provinces", "The evidence"),
    PageSpec("app_pages/policy.py", "Policy timeline", ":material/gavel:", "policy", "The evidence"),
    PageSpec("app_pages/scenario.py", "Scenario lab", ":material/science:", "scenario", "What if"),
    PageSpec("app_pages/explorer.py", "Data explorer", ":material/table_view:", "explorer", "Data"),
    PageSpec("app_pages/sources.py", "Sources and methods", ":material/menu_book:", "sources", "Data"),
)



def link_path(spec: PageSpec) -> str:
    """The page's path in a link: the first (default) page is served at the root, not at its url_path."""
    return "" if spec == PAGES[0] else spec.url_path


DATA_LICENCE_NOTE = (
    "Figures are transcribed with their sources and quotes; each remains its publisher's. "
    "The curated tables are offered under CC BY 4.0 (attribute 'Cambodia waste dashboard')."
)
BOUNDARY_ATTRIBUTION = (
    "Boundaries © OpenStreetMap contributors (ODbL 1.0), via geoBoundaries (www.geoboundaries.org), "
    "KHM-ADM1-37992800."
)
