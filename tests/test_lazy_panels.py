"""Lazy panels (components.frame.lazy_panel): a table that is not the page's main content sits in a closed panel
and is built only when the panel is opened.

A first visit then sends no data grid at all (Streamlit's grid is ~1.4 MB of JavaScript to load and run before the
charts are drawn). Checked on every page that has such a panel, in both languages: closed by default (no table, no
download buttons), each panel holding exactly its table (and its downloads) once opened, the label in the page's
language, and an open panel staying open when a filter or a page control changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from components.frame import PANEL_PREFIX
from core.i18n import LANGS, text
from tests.helpers import assert_clean, open_panels, panel_keys, run_framed


@dataclass(frozen=True)
class Panel:
    label: str  # its locale key
    column: str  # a column only its table has
    downloads: tuple[str, ...] = ()  # the keys of the download buttons it holds


PANELS = {
    "flows": {"flow-totals": Panel("flows.totals.expander", "ledger_id")},
    "generation": {
        "gen-evidence": Panel("generation.evidence.panel", "quote", ("gen-evidence-csv", "gen-evidence-parquet")),
        "gen-base-options": Panel("generation.control.base_all", "million_t"),
    },
    "provinces": {
        "facility-table": Panel("provinces.list.panel", "area_note", ("facility-table-csv", "facility-table-parquet")),
    },
}
# The link that shows the part of a page holding a panel: the generation page's base figures sit in its projection,
# drawn only while its switch is on (off by default; tests/test_generation_page.py checks it then has no such panel).
SHOWN = {"generation": {"gen_proj": "true"}}
CASES = [(page, lang) for page in PANELS for lang in LANGS]
IDS = [f"{page}-{lang}" for page, lang in CASES]


def run(url_path: str, lang: str, query: dict[str, str] | None = None) -> AppTest:
    return run_framed(url_path, {**({"lang": lang} if lang != "en" else {}), **SHOWN.get(url_path, {}),
                                 **(query or {})})


def download_keys(app) -> set[str]:
    return {b.key for b in app.get("download_button")}


def panel(app: AppTest, lang: str, spec: Panel):
    """The expander drawn with this panel's label (exactly one)."""
    found = [e for e in app.expander if e.label == text(lang, spec.label)]
    assert len(found) == 1, f"one panel labelled {text(lang, spec.label)!r}: {[e.label for e in app.expander]}"
    return found[0]


def test_the_languages_label_the_panels_differently():
    """The labels are locale texts, translated: a Khmer page must not show the English label."""
    assert {"en", "km"} <= set(LANGS)
    for panels in PANELS.values():
        for spec in panels.values():
            assert text("km", spec.label) != text("en", spec.label), spec.label


@pytest.mark.parametrize(("url_path", "lang"), CASES, ids=IDS)
def test_panels_start_closed_with_no_table_and_no_download(url_path, lang):
    app = run(url_path, lang)
    assert_clean(app)
    panels = PANELS[url_path]
    assert sorted(panel_keys(app)) == sorted(PANEL_PREFIX + key for key in panels), "the page's lazy panels"
    assert not any(app.session_state[PANEL_PREFIX + key] for key in panels), "every panel starts closed"
    for spec in panels.values():
        shown = panel(app, lang, spec)
        assert not shown.children, "a closed panel is sent empty"
    assert len(app.dataframe) == 0, (
        "a first visit (chart tables closed) sends no st.dataframe at all: its grid is ~1.4 MB of JavaScript")
    assert not download_keys(app) & {k for spec in panels.values() for k in spec.downloads}, (
        "a closed panel's downloads are not sent")


@pytest.mark.parametrize(("url_path", "lang"), CASES, ids=IDS)
def test_an_opened_panel_shows_exactly_its_table_and_downloads(url_path, lang):
    app = open_panels(run(url_path, lang))
    assert_clean(app)
    panels = PANELS[url_path]
    assert all(app.session_state[PANEL_PREFIX + key] for key in panels)
    for key, spec in panels.items():
        shown = panel(app, lang, spec)
        tables = [d.value for d in shown.dataframe]
        assert len(tables) == 1 and spec.column in tables[0].columns, f"{key}: its one table, with {spec.column}"
        assert len(tables[0]) > 0, f"{key}: the table has rows"
        assert {b.key for b in shown.get("download_button")} == set(spec.downloads), (
            f"{key}: {'CSV and Parquet' if spec.downloads else 'no download'} inside the panel")
    assert len(app.dataframe) == len(panels), "chart tables still closed: only the panels' tables are sent"
    assert download_keys(app) == {k for spec in panels.values() for k in spec.downloads}


# A page control to change, and the value to set it to.
CONTROLS = {
    "flows": ("selectbox", "flow_set", "khmertimes-2017-national"),
    "generation": ("slider", "gen_rate", 10.0),
    "provinces": ("radio", "prov_metric", "Facilities"),
}
# A filter from the link that keeps every panel on the page, and what it changes once applied.
FILTERED = {
    "flows": ({"geo": "Phnom Penh"}, lambda app: "pheakdey-2022-national" not in app.selectbox(key="flow_set").options),
    "generation": ({"conf": "medium"}, lambda app: len(table_with(app, "quote")) == 13),
    "provinces": ({"geo": "Phnom Penh"}, lambda app: len(table_with(app, "area_note")) == 2),
}


def table_with(app: AppTest, column: str):
    tables = [d.value for d in app.dataframe if column in d.value.columns]
    assert len(tables) == 1, f"one table with {column}"
    return tables[0]


def assert_open(app: AppTest, url_path: str, lang: str) -> None:
    """Every panel of the page still open, each with its table and its downloads."""
    assert_clean(app)
    for key, spec in PANELS[url_path].items():
        assert app.session_state[PANEL_PREFIX + key] is True, f"{key} is still open"
        shown = panel(app, lang, spec)
        assert [spec.column in d.value.columns for d in shown.dataframe] == [True], f"{key}: its table"
        assert {b.key for b in shown.get("download_button")} == set(spec.downloads), f"{key}: its downloads"


@pytest.mark.parametrize(("url_path", "lang"), CASES, ids=IDS)
def test_an_open_panel_stays_open_when_a_control_or_a_filter_changes(url_path, lang):
    app = open_panels(run(url_path, lang))
    kind, key, value = CONTROLS[url_path]
    assert getattr(app, kind)(key=key).value != value
    getattr(app, kind)(key=key).set_value(value).run()
    assert getattr(app, kind)(key=key).value == value, "the control changed"
    assert_open(app, url_path, lang)

    query, applied = FILTERED[url_path]
    assert not applied(app), "the filter below changes what the page shows"
    for name, chosen in query.items():
        app.query_params[name] = chosen
    app.run()
    assert_open(app, url_path, lang)
    assert applied(app), f"the filter {query} is applied"
