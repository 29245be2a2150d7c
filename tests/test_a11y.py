"""Accessibility in Chromium: axe-core finds no serious or critical violation on any page, in English, in Khmer
and in presentation mode; every drawn chart has an accessible name (st.plotly_chart(alt=...)) and a table tab.

axe-core is the npm package pinned in tests/a11y/package.json (exact version, package-lock.json beside it). The
session fixture below installs it with `npm ci --prefix tests/a11y` when tests/a11y/node_modules is missing; no
npm, or a failed install, FAILS the tests: like every browser test, these are never skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from core import story
from core.site import PAGES, link_path
from tests.conftest import ARTIFACTS, ROOT
from tests.helpers import ERROR_SELECTORS, WAIT_MS, assert_no_error, open_page, wait_until_idle

pytestmark = pytest.mark.browser

A11Y = ROOT / "tests" / "a11y"
AXE_JS = A11Y / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")  # the impacts that fail a page; minor and moderate ones are reported only
SHOWN_TARGETS = 5  # failing elements listed per violated rule in a failure message
AXE_VERSION = json.loads((A11Y / "package.json").read_text(encoding="utf-8"))["dependencies"]["axe-core"]

# Violations waived, each with its reason: a rule and the Streamlit or Plotly element it is waived inside (CSS
# selector, the element itself or an ancestor). Only for markup that Streamlit or Plotly draw and the app cannot
# change; a violation in the app's own markup (pages, frame, theme colours) is fixed, never listed here. Waived
# violations are still written to tests/artifacts/a11y-<page>-<view>.json.
KNOWN_LIBRARY_MARKUP: dict[tuple[str, str], str] = {
    ("list", '[data-testid="stSidebarNavItems"]'):
        "Streamlit's sectioned sidebar menu (st.navigation with sections) puts a <div> per section in its <ul>",
    ("listitem", '[data-testid="stSidebarNavItems"]'):
        "the same menu: its <li> links sit in that per-section <div>, not directly in the <ul>",
}

# Views checked, with their link parameters: every page in English in presentation mode (larger type, menu at the
# top, no sidebar) and every page in Khmer in the usual layout (sidebar, menu, filters), so both languages and both
# layouts are covered within about three minutes. A11Y_ALL_VIEWS=1 adds the other two combinations.
VIEWS = {"en-present": "present=1", "km": "lang=km"}
if os.environ.get("A11Y_ALL_VIEWS") == "1":
    VIEWS |= {"en": "", "km-present": "lang=km&present=1"}
# Parts of a page drawn only on request, switched on by the link in every view so that they are audited too (the
# rest of the page is drawn all the same): the generation page's projection (its switch, controls and chart).
SHOWN_BY_LINK = {"generation": "gen_proj=true"}

# Every drawn chart: its accessible name (Streamlit puts alt= on the chart as role=figure + aria-label) and the
# tabs of the tab list its panel belongs to (chart_frame: Chart | Table).
CHARTS_JS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
  const panel = chart.closest('[role="tabpanel"]');
  const tablist = panel && panel.parentElement ? panel.parentElement.querySelector('[role="tablist"]') : null;
  const frame = chart.closest('[class*="st-key-frame-"]');
  return {
    name: (chart.getAttribute('aria-label') || '').trim(),
    role: chart.getAttribute('role') || '',
    tabs: tablist ? [...tablist.querySelectorAll('[role="tab"]')].map(t => t.innerText.trim()) : [],
    frame: frame ? [...frame.classList].find(c => c.startsWith('st-key-frame-')) : '',
  };
})
"""

# axe's own selectors are Streamlit's generated class names (st-emotion-cache-...), which change with every
# release, so each node is also named by its stable landmarks: its data-testid / st-key-* ancestors, outer first.
AXE_RUN_JS = """
async (known) => {
  const landmarks = (el) => {
    const names = [];
    for (let e = el; e && e !== document.body && names.length < 4; e = e.parentElement) {
      const key = [...e.classList].find(c => c.startsWith('st-key-'));
      const id = e.getAttribute('data-testid');
      if (key || id) names.push((id ? `[data-testid=${id}]` : '') + (key ? `.${key}` : ''));
    }
    return names.reverse().join(' > ');
  };
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => {
      const last = n.target[n.target.length - 1];
      const el = typeof last === 'string' ? document.querySelector(last) : null;
      const data = (n.any[0] || n.all[0] || n.none[0] || {}).data || null;
      return {target: n.target.join(' | '), where: el ? landmarks(el) : '', html: n.html.slice(0, 160),
              text: el ? (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60) : '',
              data, summary: (n.failureSummary || '').slice(0, 300),
              waived: !!el && known.some(([rule, selector]) => rule === v.id && el.closest(selector))};
    }),
  }));
}
"""

# The script has finished (Streamlit marks the app root), nothing is left stale from an earlier run, no element
# still waits for its code (Streamlit loads the chart, table and download-button code lazily and shows a skeleton
# meanwhile, a second or two after the run ends), and every visible chart has been drawn by Plotly (a chart in a
# hidden tab is drawn when shown; axe skips hidden content).
SETTLED_JS = """
() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
  && !document.querySelector('[data-stale="true"]')
  && !document.querySelector('[data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .filter(c => c.checkVisibility()).every(c => c.querySelector('.main-svg'))
"""


@pytest.fixture(scope="session")
def axe_script() -> str:
    """The path of axe.min.js, installed from tests/a11y/package-lock.json when node_modules is missing."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm not found: the accessibility tests need Node.js and npm to install axe-core "
                        "(apt-get install -y nodejs npm), then `npm ci --prefix tests/a11y`. They are never skipped.")
        try:
            done = subprocess.run([npm, "ci", "--prefix", str(A11Y), "--no-audit", "--no-fund"], cwd=ROOT,
                                  capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as problem:
            pytest.fail(f"`npm ci --prefix tests/a11y` could not run: {problem}")
        if done.returncode != 0 or not AXE_JS.exists():
            pytest.fail(f"`npm ci --prefix tests/a11y` failed (exit {done.returncode}), so axe-core is not installed "
                        f"at {AXE_JS.relative_to(ROOT)}:\n{(done.stdout + done.stderr)[-2000:]}")
    return str(AXE_JS)


def wait_until_drawn(page) -> None:
    """The page's title (or an error: that fails at once, not after a timeout), the end of the script run, then
    settled twice, a moment apart: a control that writes the link (the language switch, a link-held filter) can
    start one more run, and Plotly's transitions and the tabs' underline finish."""
    page.wait_for_selector(f"h1, {ERROR_SELECTORS}", timeout=WAIT_MS)
    assert_no_error(page)
    wait_until_idle(page)
    wait_until_settled(page)


def wait_until_settled(page) -> None:
    page.wait_for_function(SETTLED_JS, timeout=WAIT_MS)
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED_JS, timeout=WAIT_MS)


def _node_line(node: dict) -> str:
    """'landmarks "text" (contrast 3.1:1, ...) :: axe selector' for one failing element."""
    data = node.get("data") or {}
    detail = ""
    if isinstance(data, dict) and "contrastRatio" in data:
        detail = (f" (contrast {data['contrastRatio']}:1, needs {data.get('expectedContrastRatio')}, "
                  f"{data.get('fgColor')} on {data.get('bgColor')})")
    text = f' "{node["text"]}"' if node.get("text") else ""
    return f"{node.get('where') or '?'}{text}{detail} :: {node['target']}"


def describe(violations: list[dict]) -> str:
    """Rule id, impact, help and the first few failing elements of each violated rule."""
    lines = []
    for v in violations:
        shown = [_node_line(n) for n in v["nodes"][:SHOWN_TARGETS]]
        more = len(v["nodes"]) - len(shown)
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n    "
                     + "\n    ".join(shown) + (f"\n    ... and {more} more" if more > 0 else ""))
    return "\n".join(lines)


def chart_problems(charts: list[dict]) -> list[str]:
    """Charts without an accessible name, or without a table tab beside them."""
    problems = []
    for index, chart in enumerate(charts, start=1):
        where = f"chart {index}" + (f" ({chart['frame']})" if chart["frame"] else "")
        if not chart["name"] or chart["role"] != "figure":
            problems.append(f"{where} has no accessible name: pass alt=... to st.plotly_chart (chart_frame's alt)")
        if len([tab for tab in chart["tabs"] if tab]) < 2:
            problems.append(f"{where} has no table tab beside it (tabs: {chart['tabs']}): draw it with "
                            "components.frame.chart_frame, or in st.tabs with a table of its data")
    return problems


def audit(page, axe_path: str, name: str) -> list[str]:
    """Run axe-core and the chart check on the settled page; the problems found (empty: accessible).

    Everything axe reports (waived and minor rules included) goes to tests/artifacts/a11y-<name>.json."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=axe_path)
    violations = page.evaluate(AXE_RUN_JS, [list(key) for key in KNOWN_LIBRARY_MARKUP])
    charts = page.evaluate(CHARTS_JS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"a11y-{name}.json").write_text(
        json.dumps({"url": page.url, "violations": violations, "charts": charts}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    blocking = []
    for v in violations:
        nodes = [n for n in v["nodes"] if not n["waived"]]
        if v["impact"] in BLOCKING and nodes:
            blocking.append({**v, "nodes": nodes})
    problems = []
    if blocking:
        problems.append(f"axe-core {AXE_VERSION} finds {len(blocking)} serious or critical rule(s) violated:\n"
                        + describe(blocking))
    problems += chart_problems(charts)
    return problems


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_is_accessible(browser, server_url, axe_script, spec, view):
    """No serious or critical axe-core violation; every chart named (alt) and with its table tab."""
    query = "&".join(q for q in (VIEWS[view], SHOWN_BY_LINK.get(spec.url_path, "")) if q)
    path = link_path(spec) + (f"?{query}" if query else "")
    context, page, _ = open_page(browser, server_url, path)
    try:
        wait_until_drawn(page)
        assert_no_error(page)
        shown = SHOWN_BY_LINK.get(spec.url_path)
        assert not shown or shown in page.evaluate("() => location.search"), f"the link no longer shows {shown}"
        problems = audit(page, axe_script, f"{spec.url_path}-{view}")
        # Screen readers pick their voice from <html lang>: Khmer pages must say km.
        wanted = "km" if "lang=km" in query else "en"
        html_lang = page.evaluate("() => document.documentElement.lang")
        if html_lang != wanted:
            problems.append(f"<html lang> is {html_lang!r}, expected {wanted!r}")
    finally:
        context.close()
    assert not problems, f"/{path} ({view}):\n" + "\n".join(problems)


def test_story_slides_are_accessible_when_presented(browser, server_url, axe_script):
    """Every slide after the first (the first is covered above), stepped through with Next as a presenter would:
    the chart slides' charts need their alt text too."""
    context, page, _ = open_page(browser, server_url, "story?present=1&slide=2")
    found: list[str] = []
    try:
        wait_until_drawn(page)
        for number in range(2, len(story.SLIDES) + 1):
            if number > 2:
                page.get_by_role("button", name="Next").first.click()
                page.wait_for_function("n => new URLSearchParams(location.search).get('slide') === n",
                                       arg=str(number), timeout=WAIT_MS)
            wait_until_settled(page)
            assert_no_error(page)
            found += [f"slide {number}: {p}" for p in audit(page, axe_script, f"story-slide{number}-present")]
    finally:
        context.close()
    assert not found, "the story in presentation mode:\n" + "\n".join(found)
