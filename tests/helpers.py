"""Shared test helpers: run a page in AppTest inside the dashboard frame, or open it in Chromium, and check it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from streamlit.testing.v1 import AppTest

from components.filters import FILTERS_PANEL_KEY
from components.frame import CHART_TABS_PREFIX, PANEL_PREFIX, TABLE_TAB_PREFIX
from core.i18n import LANGS
from core.i18n import text as i18n_text
from tests.conftest import ARTIFACTS
from tests.framed_page import framed_app

# ---------------------------------------------------------------------------------------------------------------
# AppTest: a page run through dashboard.py, as a shared link would open it.
# ---------------------------------------------------------------------------------------------------------------


def run_framed(url_path: str, query: dict[str, str | list[str]] | None = None, *, tables: bool = False) -> AppTest:
    """The page at url_path inside dashboard.py's frame (filters, footer), with these link parameters, run once;
    with tables=True, then with every chart frame's table tab opened (open_tables)."""
    app = framed_app(url_path, query).run()
    return open_tables(app) if tables else app


def tree_nodes(app: AppTest):
    """Every element and block of the last run, in drawing order (the page's tree, walked depth first)."""
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    return walk(app._tree)


def frame_keys(app: AppTest) -> list[str]:
    """The keys of the chart frames drawn in the last run (each frame's tabs hold session state)."""
    return [str(k)[len(TABLE_TAB_PREFIX):] for k in app.session_state if str(k).startswith(TABLE_TAB_PREFIX)]


def open_tables(app: AppTest, *, required: bool = True) -> AppTest:
    """Open the 'Table and download' tab of every chart frame shown, as a user clicking each would, and rerun.

    A chart frame builds its table and downloads only while that tab is open (components.frame.chart_frame); the
    tab's state is session state under TABLE_TAB_PREFIX + the frame's key, holding the open tab's label."""
    chart_labels = {i18n_text(lang, "frame.tab_chart"): lang for lang in LANGS}
    keys = [TABLE_TAB_PREFIX + key for key in frame_keys(app)]
    if not keys:
        assert not required, "no chart frame on this page"
        return app
    for key in keys:
        lang = chart_labels.get(app.session_state[key], "en")
        app.session_state[key] = i18n_text(lang, "frame.tab_table_download")
    return app.run()


def chart_tab_labels(app: AppTest) -> dict[str, list[str]]:
    """The chart tab groups (components.frame.chart_tabs) of the last run: their keys (without the prefix) and the
    labels of their tabs, in order. A group's state is session state under CHART_TABS_PREFIX + its key, holding the
    open tab's label; its tabs are the tab list that holds that label."""
    groups = {}
    for key in app.session_state:
        if not str(key).startswith(CHART_TABS_PREFIX):
            continue
        open_label = app.session_state[key]
        for node in tree_nodes(app):
            labels = [getattr(tab, "label", None) for tab in getattr(node, "children", {}).values()]
            if getattr(node, "type", None) == "tab_container" and open_label in labels:
                groups[str(key)[len(CHART_TABS_PREFIX):]] = labels
                break
    return groups


def open_chart_tab(app: AppTest, key: str, label: str) -> AppTest:
    """Open the tab `label` of the chart tab group `key`, as a click on it would, and rerun."""
    app.session_state[CHART_TABS_PREFIX + key] = label
    return app.run()


def every_chart_tab(url_path: str, query: dict | None = None) -> list[AppTest]:
    """The page as first drawn, then once more with each further tab of its chart tab groups open: between them,
    every chart frame of the page is drawn once (the tabs draw only their open chart)."""
    first = run_framed(url_path, query)
    views = [first]
    for key, labels in chart_tab_labels(first).items():
        for label in labels[1:]:
            views.append(open_chart_tab(run_framed(url_path, query), key, label))
    return views


def panel_keys(app: AppTest) -> list[str]:
    """The session-state keys of the lazy panels (components.frame.lazy_panel) drawn in the last run."""
    return [str(k) for k in app.session_state if str(k).startswith(PANEL_PREFIX)]


def open_panels(app: AppTest, *, required: bool = True) -> AppTest:
    """Open every lazy panel shown (a table under a chart, say), as a user clicking each would, and rerun."""
    keys = panel_keys(app)
    assert keys or not required, "no lazy panel on this page"
    for key in keys:
        app.session_state[key] = True
    return app.run() if keys else app


def open_filters(app: AppTest) -> AppTest:
    """Open the sidebar's filter panel (its controls are drawn only while it is open), as a click would, and rerun."""
    app.session_state[FILTERS_PANEL_KEY] = True
    return app.run()


def metrics(app: AppTest) -> dict[str, str]:
    """The KPI tiles shown, label to value."""
    return {m.label: m.value for m in app.metric}


def all_text(app: AppTest, *, with_metrics: bool = True) -> str:
    """The Markdown and captions shown (and, unless with_metrics=False, each KPI as 'label value'), one a line."""
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    if with_metrics:
        parts += [str(m.label) + " " + str(m.value) for m in app.metric]
    return "\n".join(parts)


def _where(app: AppTest) -> str:
    title = app.title[0].value if app.title else "the page"
    return f"'{title}' (link parameters {dict(app.query_params)})"


def assert_clean(app: AppTest, *, allow_warnings: bool = True) -> None:
    """No exception, no error box (and with allow_warnings=False, no warning box) on the page."""
    assert not app.exception, (
        f"{_where(app)} raised: {[e.value for e in app.exception]}. Fix the page, not the test: a bad link value "
        "or data file must end in a notice or a named error box, never a traceback "
        f"(traceback: {''.join(app.exception[0].stack_trace) if app.exception else ''})")
    assert not app.error, (
        f"{_where(app)} shows an error box: {[e.value for e in app.error]}. With the real data/ there must be "
        "none: run tests/test_catalogue.py to find a broken data file, else fix the page's handling of the value")
    if not allow_warnings:
        assert not app.warning, (
            f"{_where(app)} shows a warning: {[w.value for w in app.warning]}. This page must draw without "
            "warnings on the real data/: fix the data row or the page's check that raises it")


def break_first_row(path: Path, column: str, value: str) -> None:
    """Write value into column of the first data row of the CSV at path (its leading cells are never quoted)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Chromium: a page of the running server, with every request to another host recorded.
# ---------------------------------------------------------------------------------------------------------------

# An exception, an error box, or a dialog (Streamlit's "Page not found" is a modal dialog).
ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'
WIDTH, HEIGHT = 1400, 900
WAIT_MS = 90_000  # generous: CI shares two cores, and a cold page can take a while under load


def visit(browser, url: str, *, width: int = WIDTH, height: int = HEIGHT):
    """Open url in a new browser context; returns (context, page, foreign), foreign filling with other hosts' URLs."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    foreign: list[str] = []
    app_host = urlparse(url).netloc
    page.on("request", lambda req: foreign.append(req.url)
            if urlparse(req.url).netloc not in (app_host, "") and not req.url.startswith("data:") else None)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=WAIT_MS)
    return context, page, foreign


def open_page(browser, server_url: str, path: str, *, width: int = WIDTH, height: int = HEIGHT):
    """visit() the app's page at path (e.g. "" for the default page, "flows?flow_total=none"), deep-linked."""
    return visit(browser, f"{server_url.rstrip('/')}/{path.lstrip('/')}", width=width, height=height)


def wait_until_idle(page) -> None:
    """Streamlit shows a status widget while the script runs; wait until it has finished."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS)


def wait_for_charts(page, count: int, *, timeout: int = WAIT_MS) -> None:
    """Wait for the page title, at least count drawn Plotly charts, and the end of the script run.

    A chart counts once it has drawn its SVG (Plotly draws two .main-svg layers per chart, so those are not
    counted: four charts would pass for eight)."""
    page.wait_for_selector("h1", timeout=WAIT_MS)
    if count:
        page.wait_for_function(
            "n => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg')).length"
            " >= n", arg=count, timeout=timeout)
    wait_until_idle(page)


def widened_margins(page) -> list[str]:
    """Charts whose margins Plotly had to widen after drawing (and so drew twice), as 'chart i: side +px'.

    A chart's layout margins come from core.margins; Plotly's own (`_fullLayout._size`) grows past them only when
    a label or the legend did not fit. Sankey diagrams and maps are not estimated and are skipped."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((gd, i) => {
        if (!gd._fullLayout || gd._fullData.some(t => !['scatter', 'bar', 'scattergl'].includes(t.type))) return [];
        const size = gd._fullLayout._size, margin = gd.layout.margin || {};
        return ['l', 'r', 't', 'b'].filter(k => size[k] > (margin[k] ?? 0) + 0.5)
            .map(k => `chart ${i}: ${k} +${Math.round(size[k] - (margin[k] ?? 0))} px`);
    })""")


def wait_for_metric(page, *, value: str | None = None, label_part: str | None = None) -> None:
    """Wait until a KPI shows exactly this value, or a KPI label contains label_part."""
    if value is not None:
        page.wait_for_function(
            "v => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
            ".some(e => e.innerText.trim() === v)", arg=value, timeout=WAIT_MS)
    if label_part is not None:
        page.wait_for_function(
            "t => [...document.querySelectorAll('[data-testid=\"stMetricLabel\"]')]"
            ".some(e => e.innerText.includes(t))", arg=label_part, timeout=WAIT_MS)


def wait_for_main_text(page, text: str, *, timeout: int = WAIT_MS) -> None:
    """Wait until the page's main block shows `text`: a run that applies a change can start after the link (or the
    charts) already show it, so wait for the run's own words before reading the page."""
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMain\"]')?.innerText.includes(t)",
                           arg=text, timeout=timeout)


def main_text(page) -> str:
    """The visible text of the page's main block (not the sidebar)."""
    return page.locator('[data-testid="stMain"]').inner_text()


def metric_values(page) -> dict[str, str]:
    """The KPI tiles shown, label to value."""
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=False)}


def cut_metric_text(page) -> list[str]:
    """The KPI labels and values cut off with an ellipsis (their text is wider than their box)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"] [data-testid=\"stMarkdownContainer\"]')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")


def assert_offline(foreign: list[str], hint: str = "") -> None:
    """The page asked no other host for anything."""
    assert not foreign, (
        f"the page asked other hosts for {foreign[:5]}; the dashboard must work offline: serve the asset from "
        f"static/ or the installed packages, never from a CDN or a web-font host.{hint}")


def assert_no_error(page) -> None:
    """No exception, no error box and no dialog (Streamlit's "Page not found") on the page."""
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, (
        f"{page.url} shows an error: {errors.first.inner_text()}; the server log is in "
        f"{ARTIFACTS}/server-<port>.log")


def screenshot(page, name: str) -> Path:
    """Save a screenshot to tests/artifacts/name(.png); a page opened taller than the default is shot whole."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (name if name.endswith(".png") else f"{name}.png")
    tall = (page.viewport_size or {}).get("height", HEIGHT) > HEIGHT
    page.screenshot(path=str(path), full_page=tall)
    return path
