"""Link-parameter fuzzing: malformed values for every URL-bound key never raise, never show an error, fall back to
the defaults and are never echoed as HTML or Markdown.

A fixed corpus keeps the run bounded and reproducible: one AppTest run per (page, own key) with a combined bad
value, one run per page with every sector-filter key and unknown keys bad, and the full corpus on two pages.
"""

from __future__ import annotations

import re

import pytest

from components.filters import FILTERS_PANEL_KEY, SELECTION_KEY
from components.i18n import CONTROLS_KEY, HTML_LANG_EN, HTML_LANG_KM
from components.present import NAV_KEY, START_KEY
from core.sectors import FILTERS
from core.site import PAGES
from tests.framed_page import framed_app
from tests.helpers import tree_nodes

FILTER_KEYS = tuple(spec.key for spec in FILTERS) + ("years", "lang")
# Each page's own bound keys (bind="query-params"). test_bound_keys_are_all_fuzzed fails when one is added or
# renamed without updating this list, so no parameter escapes the fuzzing.
LEVERS = ("dump", "sanitary", "lfg", "compost", "ad", "recycle", "incin", "res")
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "overview": (),
    "story": (),
    "workshop": (),
    "generation": ("gen_proj", "gen_base", "gen_rate"),
    "composition": ("comp_spread",),
    "flows": ("flow_set", "flow_total", "flow_stage"),
    "recycling": (),
    "provinces": ("prov_metric",),
    "policy": ("pol_kind",),
    "scenario": ("cmp", "mt", "comp", "site", "burn", "gwp", "of", "n2o", "docf", "sens",
                 *(f"{prefix}_{lever}" for prefix in ("a", "b") for lever in LEVERS)),
    "explorer": ("ex_res", "ex_q"),
    "sources": ("src_kind", "src_id"),
}
FREE_TEXT = {"ex_q"}  # a search box: any text is a valid value, so the default cannot be expected
# Keys read straight from st.query_params, not bound to a widget: the frame's presentation mode (every page)
# and the story's slide number. Their fallbacks: presentation off, slide 1.
FRAME_LINK_KEYS = ("present",)
LINK_KEYS: dict[str, tuple[str, ...]] = {"story": ("slide",)}
UNKNOWN_KEYS = ("zz_unknown", "page", "__proto__", "constructor")

LONG = "long" + "x" * (10 * 1024 - 4)
CORPUS: dict[str, str | list[str]] = {
    "empty": "",
    "long_10kB": LONG,
    "khmer_rtl": "សំរាម\u200f שלום مرحبا \u202eevil\u202c 🗑️",
    "script": "<script>alert(1)</script>",
    "traversal": "../../etc/passwd",
    "nan": "NaN",
    "minus_one": "-1",
    "overflow": "1e309",
    "list": "[]",
    "dict": "{}",
    "nul": "%00",
    "markdown_link": "[click](javascript:alert(1))",
    "repeated": ["<script>alert(1)</script>", "../../etc/passwd", "NaN"],
}
# One value that is wrong for every kind of widget (number, option, toggle, range) and carries every payload.
COMBINED = ("<script>alert(1)</script>../../etc/passwd NaN 1e309 [] {} %00 [click](javascript:alert(1)) "
            "សំរាម שלום " + "x" * 1000)
COMBINED_REPEATED = [COMBINED, "1e309"]
GENERIC_ERROR = "unexpected problem"
# Panels a page draws only while they are open (collapsed by default, their content is sent when a reader opens
# them); the controls in them are bound to the link while drawn, so every run here opens them.
# The frame's filter panel is such a panel on every page; test_closed_filter_panel_with_bad_values fuzzes the same
# keys with it closed (the link is then read without a control).
OPEN_PANELS: dict[str, tuple[str, ...]] = {
    "scenario": ("scenario-b-off", "scenario-switches", "panel-scenario-sensitivity")}
FRAME_PANELS = (FILTERS_PANEL_KEY,)
# Parts of a page drawn only while a switch that is itself bound to the link is on (the generation page's projection
# and its controls). Every run here switches them on through the link, as a shared link would. Not through
# session state like OPEN_PANELS: a bound switch set there before the first run ignores the link, so its own link
# value would never be read. A run that fuzzes the switch itself leaves it out: a bad value must fall back to off
# (its default is read from a clean link, see defaults()).
OPEN_LINKS: dict[str, dict[str, str]] = {"generation": {"gen_proj": "true"}}


def page_app(url_path: str, query: dict | None = None, *, switched_on: bool = True):
    """framed_app with the page's collapsible panels open and (unless switched_on=False, or the query sets the
    switch) its switched parts on."""
    query = dict(query or {})
    switches = OPEN_LINKS.get(url_path, {}) if switched_on else {}
    app = framed_app(url_path, {**{k: v for k, v in switches.items() if k not in query}, **query})
    for key in (*FRAME_PANELS, *OPEN_PANELS.get(url_path, ())):
        app.session_state[key] = True
    return app


APP_SCRIPTS = {HTML_LANG_EN, HTML_LANG_KM}


def bound_widgets(app) -> dict[str, object]:
    """URL key -> widget, for every widget bound to the link on this run: bound by Streamlit
    (bind="query-params") or kept in the link as codes by components.i18n.url_control."""
    found = {}
    try:
        held = set(app.session_state[CONTROLS_KEY])
    except KeyError:
        held = set()
    for node in tree_nodes(app):
        proto = getattr(node, "proto", None)
        key = getattr(proto, "query_param_key", "") if proto is not None else ""
        if not key and getattr(node, "key", None) in held:
            key = node.key
        if key:
            found[key] = node
    return found


def markup_bodies(app) -> list[tuple[str, bool]]:
    """(Markdown source, unsafe_allow_html) of every element Streamlit renders as Markdown."""
    bodies = []
    for node in tree_nodes(app):
        proto = getattr(node, "proto", None)
        body = getattr(proto, "body", None) if proto is not None else None
        if isinstance(body, str) and body:
            bodies.append((body, bool(getattr(proto, "allow_html", False))))
    return bodies


SCRIPT = re.compile(r"(?<!\\)<\s*script", re.IGNORECASE)
JS_LINK = re.compile(r"(?<!\\)\]\(\s*javascript:", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)


def assert_link_fallbacks(app, query: dict, where: str) -> None:
    """Keys that are not widgets fall back too: presentation mode off, story on slide 1."""
    if "present" in query:  # off: the sidebar's start button is drawn and the menu stays in the sidebar
        starts = [b for b in app.button if b.key == START_KEY]
        assert starts and app.session_state[NAV_KEY] == "sidebar", (
            f"{where}: a malformed ?present= must leave presentation off")
    if "slide" in query and app.query_params.get("slide") is not None:
        assert app.query_params["slide"] == "1", f"{where}: a malformed ?slide= must show slide 1"


def assert_clean(app, query: dict, defaults: dict[str, object], where: str) -> None:
    """No exception, no error, defaults kept, nothing echoed as markup."""
    assert not app.exception, f"{where}: the link {list(query)} raised: {app.exception[0].value}"
    errors = [e.value for e in app.error]
    assert not errors, (f"{where}: a malformed link must fall back to the defaults with at most a quiet notice, "
                        f"not an error: {errors[0][:300]}")
    widgets = bound_widgets(app)
    for key in query:
        if key in FREE_TEXT or key not in defaults:
            continue
        assert key in widgets, f"{where}: the widget bound to '{key}' disappeared with a malformed link"
        assert widgets[key].value == defaults[key], (
            f"{where}: '{key}' must fall back to its default {defaults[key]!r}, got {widgets[key].value!r}")
    assert_nothing_echoed(app, where)
    assert_link_fallbacks(app, query, where)


def assert_nothing_echoed(app, where: str) -> None:
    """No link value reaches the page as HTML, a Markdown link or in full."""
    for body, allow_html in markup_bodies(app):
        if body in APP_SCRIPTS:  # the app's own constant scripts (e.g. <html lang>), never built from a link
            continue
        outside_code = CODE_SPAN.sub("", body)
        assert not SCRIPT.search(outside_code), (
            f"{where}: a link value is echoed as HTML: {body[:200]!r}; pass it through "
            "core.explorer.escape_markdown (or show it in a code span) before st.markdown/st.caption.")
        assert not JS_LINK.search(outside_code), (
            f"{where}: a link value is echoed as a Markdown link: {body[:200]!r}; escape it with "
            "core.explorer.escape_markdown.")
        assert "x" * 200 not in body, f"{where}: a 10 kB link value is echoed in full: shorten it before showing it"
        if allow_html:
            assert not any(marker in body for marker in ("alert(1)", "etc/passwd", "xxxxxxxxxx")), (
                f"{where}: a link value reaches st.markdown(unsafe_allow_html=True): {body[:200]!r}")


@pytest.fixture(scope="module")
def defaults() -> dict[str, dict[str, object]]:
    """url_path -> {bound key -> default value}, read from a run with a clean link (its switched parts on through
    the link, OPEN_LINKS); a switch's own default is read from a clean link without it."""
    found = {}
    for spec in PAGES:
        app = page_app(spec.url_path).run()
        assert not app.exception and not app.error, f"{spec.url_path} does not run cleanly with a clean link"
        found[spec.url_path] = {key: widget.value for key, widget in bound_widgets(app).items()}
        if spec.url_path in OPEN_LINKS:
            clean = page_app(spec.url_path, switched_on=False).run()
            assert not clean.exception and not clean.error, f"{spec.url_path} does not run cleanly, switched off"
            widgets = bound_widgets(clean)
            found[spec.url_path] |= {key: widgets[key].value for key in OPEN_LINKS[spec.url_path]}
    return found


def test_bound_keys_are_all_fuzzed(defaults):
    assert set(PAGE_KEYS) == {spec.url_path for spec in PAGES}, "add the new page's bound keys to PAGE_KEYS"
    for url_path, found in defaults.items():
        expected = set(FILTER_KEYS) | set(PAGE_KEYS[url_path])
        assert set(found) == expected, (
            f"{url_path}: the keys bound to the link changed: new {sorted(set(found) - expected)}, gone "
            f"{sorted(expected - set(found))}; update PAGE_KEYS so they are fuzzed")


@pytest.mark.parametrize("url_path", list(OPEN_LINKS))
def test_open_links_switch_parts_on(url_path):
    """Each OPEN_LINKS entry is a switch, off on a clean link, that its link value turns on, drawing controls bound
    to the link that a clean link does not draw (else the entry is stale, and those controls go unfuzzed)."""
    closed = bound_widgets(page_app(url_path, switched_on=False).run())
    opened = bound_widgets(page_app(url_path).run())
    for key in OPEN_LINKS[url_path]:
        assert key in closed and closed[key].value is False, f"{url_path}: '{key}' is a switch, off on a clean link"
        assert opened[key].value is True, f"{url_path}: the link {OPEN_LINKS[url_path]} switches '{key}' on"
    assert set(opened) - set(closed), f"{url_path}: nothing is drawn only while {list(OPEN_LINKS[url_path])} is on"


OWN_CASES = [(page, key) for page, keys in PAGE_KEYS.items() for key in (*keys, *LINK_KEYS.get(page, ()))]


@pytest.mark.parametrize(("url_path", "key"), OWN_CASES, ids=[f"{p}-{k}" for p, k in OWN_CASES])
def test_page_key_with_bad_value(defaults, url_path, key):
    query = {key: COMBINED_REPEATED}
    app = page_app(url_path, query).run()
    assert_clean(app, query, defaults[url_path], f"{url_path}?{key}=…")
    if key in FREE_TEXT:
        # Free text is used as typed, and the page must still run: the search is literal, never a pattern.
        assert isinstance(bound_widgets(app)[key].value, str)


@pytest.mark.parametrize("url_path", [spec.url_path for spec in PAGES])
def test_filter_and_unknown_keys_with_bad_values(defaults, url_path):
    query: dict[str, str | list[str]] = {key: COMBINED_REPEATED for key in FILTER_KEYS}
    query |= {key: COMBINED for key in (*UNKNOWN_KEYS, *FRAME_LINK_KEYS)}
    app = page_app(url_path, query).run()
    assert_clean(app, query, defaults[url_path], f"{url_path} with bad filter and unknown keys")


@pytest.mark.parametrize("url_path", [spec.url_path for spec in PAGES])
def test_closed_filter_panel_with_bad_values(url_path):
    """Closed (the default), the filter panel draws no control and the frame reads the link itself: bad values
    still fall back to 'all' with a quiet notice, leave the link, and are never echoed."""
    query: dict[str, str | list[str]] = {key: COMBINED_REPEATED for key in FILTER_KEYS if key != "lang"}
    app = framed_app(url_path, query).run()
    where = f"{url_path} with bad filter keys, filter panel closed"
    assert not app.exception, f"{where}: raised {app.exception[0].value}"
    assert not app.error, f"{where}: showed an error: {app.error[0].value[:300]}"
    assert not app.sidebar.multiselect and not app.sidebar.slider, f"{where}: the closed panel drew its controls"
    assert app.session_state[SELECTION_KEY].active() == [], f"{where}: a bad link value was used as a filter"
    assert not [key for key in query if key in app.query_params], f"{where}: bad values stay in the link"
    assert any("not recognised" in str(c.value) for c in app.caption), f"{where}: no notice of the ignored values"
    assert_nothing_echoed(app, where)


CORPUS_PAGES = ("scenario", "explorer")


@pytest.mark.parametrize("url_path", CORPUS_PAGES)
@pytest.mark.parametrize("label", list(CORPUS))
def test_full_corpus_on_every_key(defaults, url_path, label):
    value = CORPUS[label]
    keys = (*FILTER_KEYS, *PAGE_KEYS[url_path], *UNKNOWN_KEYS, *FRAME_LINK_KEYS)
    query = {key: value for key in keys}
    app = page_app(url_path, query).run()
    assert_clean(app, query, defaults[url_path], f"{url_path} with every key = {label}")


@pytest.mark.parametrize("label", list(CORPUS))
def test_story_slide_corpus(defaults, label):
    """The slide number is parsed by the page itself (no widget guards it), so it gets the whole corpus."""
    query = {"slide": CORPUS[label]}
    app = page_app("story", query).run()
    assert_clean(app, query, defaults["story"], f"story?slide={label}")
