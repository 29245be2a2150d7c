"""Concurrent users over real websocket sessions (runs in CI): 24 sessions at once, zero errors, no session sees
another's state, memory back to baseline after they close.

Each session is a real Streamlit client connection to `/_stcore/stream` speaking the app's own protocol
(BackMsg / ForwardMsg protobufs, as the browser does), so the server does all the work it does for a browser:
session state, script runs, caches, widget state, the link. Without 24 Chromium renderers competing for the two
CI cores, the test measures the server, stays bounded (a hard stop) and is reliable enough to gate CI; the
Chromium version of this test (tests/test_concurrency.py, `python -m pytest -m load`) adds what a browser adds.

Every session holds filter values no other session holds (a confidence level and a year range of its own), and
half of them read Khmer. Each walks its pages (a rotating subset, together all pages), then changes its filters by
opening a new link with new values of its own, and walks on. Every view must finish, show no exception and no
error box, and its 'Active:' caption (in the session's language) must name exactly that session's filters; the
link the server writes back must never hold another session's values.

Memory: the 24 sessions run twice (two waves, the second with the same selections and pages). Wave 1 fills the
shared view caches (st.cache_resource / st.cache_data; the per-selection ones bounded by max_entries) with the 24
selections and leaves the RSS above the warm baseline by those caches plus memory the allocator keeps after the
peak. Wave 2 finds everything cached; if sessions left anything behind (session state, messages, per-session data
in a global), the RSS after wave 2 closes would be higher again by about that much per session, so it must stay
within REPEAT_MARGIN_MB of the value after wave 1. The server's own /_stcore/metrics (Streamlit's Prometheus text)
show that it holds no active session after close and how many bytes the caches hold (pympler sizes, with
server.enableExpensiveMemoryStats), so the report can say how much of the growth is cache.
Numbers are printed and written to tests/artifacts/load-sessions.txt (docs/deploy.md quotes them).
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import pytest

from core.i18n import text as i18n_text
from core.i18n import translator
from core.sectors import YEAR_MAX, YEAR_MIN, Selection
from core.site import PAGES, link_path
from tests.conftest import ARTIFACTS, start_server, stop_server
from tests.test_concurrency import p95, page_applies, rss_mb

SESSIONS = max(20, int(os.environ.get("KHWASTE_LOAD_SESSIONS", "24")))  # the issue asks for >= 20
PAGES_PER_SESSION = max(2, min(len(PAGES), int(os.environ.get("KHWASTE_LOAD_PAGES", "4"))))
RAMP_SECONDS = 4.0  # sessions connect over this many seconds, then all stay connected until every one is done
VIEW_TIMEOUT = 90.0  # one script run must finish within this
HARD_STOP_SECONDS = 300  # both concurrent waves together are cancelled after this
SESSION_TTL_SECONDS = 2  # server.disconnectedSessionTTL for this server, so closed sessions are freed quickly
RSS_MARGIN_MB = 80  # allowed growth of the server's RSS over the warm baseline once wave 1 has closed (caches)
# Allowed growth of the RSS in wave 2 (same selections, caches full) once its sessions have closed. Over 12 runs
# wave 2 ended +3.4 to +8.4 MB above wave 1: memory the allocator keeps (Python's allocated blocks, gc objects and
# malloc's in-use bytes stayed flat over five more waves). An injected leak of 1 MB per session gave +31 and +40 MB.
REPEAT_MARGIN_MB = 15
WAVES = 2
CONFIDENCE = ("high", "medium", "low")
ERROR_FORMAT = 1  # Alert.Format.ERROR in Streamlit's protobuf


@dataclass
class View:
    page: str
    seconds: float
    texts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass
class SessionLog:
    index: int
    lang: str
    views: list[View] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    done: bool = False


def session_values(index: int, round_no: int) -> tuple[str, tuple[int, int]]:
    """A confidence level and a year range that no other session holds (round 1 ends one year earlier)."""
    return CONFIDENCE[index % len(CONFIDENCE)], (YEAR_MIN + 1 + index, YEAR_MAX - round_no)


def query(conf: str, years: tuple[int, int], lang: str) -> str:
    return f"conf={conf}&years={years[0]}&years={years[1]}&lang={lang}"


def expected_caption(applies: tuple[str, ...], conf: str, years: tuple[int, int], lang: str) -> str | None:
    """The 'Active: …' sentence the page must show for this session, or None when the page shows none."""
    selection = Selection(values={"conf": (conf,)}, years=years)
    if applies is None or not set(applies) & set(selection.active()):
        return None
    return i18n_text(lang, "filters.active", selection=selection.describe(applies, translator(lang)))


async def run_view(ws, page: str, query_string: str) -> View:
    """Ask the server to run `page` with this link; collect its texts and problems until the run finishes."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.query_string = query_string
    message.rerun_script.page_name = link_path(next(spec for spec in PAGES if spec.url_path == page))
    started = time.monotonic()
    await ws.send(message.SerializeToString())
    view = View(page, 0.0)
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=VIEW_TIMEOUT)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "page_info_changed":
            view.links.append(forward.page_info_changed.query_string)
        elif kind == "page_not_found":
            view.problems.append(f"page not found: {page}")
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            shape = element.WhichOneof("type")
            if shape == "exception":
                view.problems.append(f"exception: {element.exception.message[:200]}")
            elif shape == "alert" and element.alert.format == ERROR_FORMAT:
                view.problems.append(f"error box: {element.alert.body[:200]}")
            elif shape == "markdown":
                view.texts.append(element.markdown.body)
        elif kind == "script_finished":
            view.seconds = time.monotonic() - started
            return view


def check(view: View, applies, conf: str, years: tuple[int, int], lang: str, others: set[str]) -> list[str]:
    problems = list(view.problems)
    wanted = expected_caption(applies, conf, years, lang)
    if wanted is not None and not any(wanted in body for body in view.texts):
        shown = [body for body in view.texts if "filters.active" not in body and ("Active" in body or "កំពុងប្រើ"
                                                                                 in body)]
        problems.append(f"expected caption {wanted!r}, the page shows {shown[:1]!r}")
    for link in view.links:
        values = parse_qs(link)
        foreign = {f"years={y}" for y in values.get("years", [])} & others
        if values.get("conf", [conf]) != [conf] or foreign:
            problems.append(f"the link holds values this session never chose: {link}")
    return problems


async def run_session(url: str, log: SessionLog, start_gate: float, everyone: list[SessionLog],
                      all_done: asyncio.Event, release: asyncio.Event, deadline: float, counters: dict) -> None:
    import websockets

    await asyncio.sleep(max(0.0, start_gate))
    index, lang = log.index, log.lang
    pages = [PAGES[(index + k) % len(PAGES)] for k in range(PAGES_PER_SESSION)]
    # Open the first page by a link, walk the others, change the filters by a new link, walk back to the first.
    steps = [(spec, 0) for spec in pages] + [(pages[-1], 1), (pages[0], 1)]
    others = {f"years={YEAR_MIN + 1 + i}" for i in range(SESSIONS) if i != index}
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                      ping_interval=None) as ws:
            counters["open"] += 1
            counters["open_max"] = max(counters["open_max"], counters["open"])
            try:
                for spec, round_no in steps:
                    if time.monotonic() > deadline:
                        log.errors.append(f"session {index}: out of time before {spec.url_path}")
                        break
                    conf, years = session_values(index, round_no)
                    try:
                        view = await run_view(ws, spec.url_path, query(conf, years, lang))
                    except TimeoutError:
                        log.errors.append(f"session {index} {spec.url_path}: no finished run in {VIEW_TIMEOUT} s")
                        break
                    log.views.append(view)
                    problems = check(view, page_applies(spec.path), conf, years, lang, others)
                    log.errors += [f"session {index} ({lang}) {spec.url_path} round {round_no}: {p}"
                                   for p in problems]
                log.done = True
                if all(other.done for other in everyone):
                    all_done.set()
                # Stay connected until every session is done (and the server has been asked how many sessions it
                # holds), so that all of them are open at the same time.
                await asyncio.wait_for(release.wait(), timeout=max(1.0, deadline - time.monotonic()))
            finally:
                counters["open"] -= 1
    except Exception as exc:  # a refused or dropped connection is an error of this session
        log.errors.append(f"session {index}: {type(exc).__name__}: {str(exc)[:200]}")
        log.done = True
        if all(other.done for other in everyone):
            all_done.set()


async def warm_up(url: str) -> None:
    """One session visits every page in both languages (fills the caches), then disconnects."""
    import websockets

    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, ping_interval=None) as ws:
        for lang in ("en", "km"):
            for spec in PAGES:
                view = await run_view(ws, spec.url_path, f"lang={lang}")
                assert not view.problems, f"warm-up: {spec.url_path} ({lang}) fails on its own: {view.problems}"


async def settle(url: str) -> None:
    """Let closed sessions expire: wait past the TTL; a short probe session makes the server drop them."""
    import websockets

    await asyncio.sleep(SESSION_TTL_SECONDS + 1)
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, ping_interval=None) as ws:
        await run_view(ws, "workshop", "")
    await asyncio.sleep(SESSION_TTL_SECONDS + 1)


METRIC_LINE = re.compile(r"^([a-z_]+)(?:\{(.*)\})? (\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def server_metrics(base: str) -> list[tuple[str, dict[str, str], float]]:
    """The server's /_stcore/metrics (OpenMetrics text) as (name, labels, value) rows."""
    with urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=60) as response:
        text = response.read().decode("utf-8")
    rows = []
    for line in text.splitlines():
        match = METRIC_LINE.match(line)
        if match and not line.startswith("#"):
            rows.append((match[1], dict(LABEL.findall(match[2] or "")), float(match[3])))
    return rows


def metric(rows, name: str, **labels: str) -> float:
    """The sum of every row of `name` whose labels include `labels` (0 when there is none)."""
    return sum(value for row_name, row_labels, value in rows
               if row_name == name and all(row_labels.get(k) == v for k, v in labels.items()))


@dataclass
class Checkpoint:
    """The server between waves: RSS, what its caches hold, and its own count of sessions."""
    rss: float
    cache_mb: float  # st.cache_data + st.cache_resource + media files, pympler sizes (see server_metrics)
    active: float  # sessions with an open websocket
    connects: float
    disconnects: float
    misses: float  # cache lookups that computed a value, since the server started


async def checkpoint(base: str, pid: int) -> Checkpoint:
    rss = rss_mb(pid)  # before the metrics request, which allocates while it sizes the caches
    rows = await asyncio.to_thread(server_metrics, base)
    return Checkpoint(rss=rss, cache_mb=metric(rows, "cache_memory_bytes") / 2**20,
                      active=metric(rows, "active_sessions"),
                      connects=metric(rows, "session_events_total", type="connect"),
                      disconnects=metric(rows, "session_events_total", type="disconnect"),
                      misses=metric(rows, "cache_lookups_total", result="miss"))


async def run_wave(url: str, base: str, pid: int, hard_stop: float) -> dict:
    """Every session at once, as described above; returns the logs, the RSS peak and the server's session count."""
    peak = rss_mb(pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.25):
            peak = max(peak, rss_mb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    logs = [SessionLog(i, "km" if i % 2 else "en") for i in range(SESSIONS)]
    all_done, release = asyncio.Event(), asyncio.Event()
    counters = {"open": 0, "open_max": 0}
    server_open = {"active": -1.0}

    async def count_on_server() -> None:
        """When every session is done but still connected, ask the server how many sessions it holds."""
        try:
            await all_done.wait()
            server_open["active"] = metric(await asyncio.to_thread(server_metrics, base), "active_sessions")
        finally:
            release.set()

    started = time.monotonic()
    deadline = hard_stop - 10
    try:
        await asyncio.wait_for(asyncio.gather(count_on_server(), *(
            run_session(url, log, i * RAMP_SECONDS / SESSIONS, logs, all_done, release, deadline, counters)
            for i, log in enumerate(logs))), timeout=max(1.0, hard_stop - started))
    except TimeoutError:
        for log in logs:
            log.errors.append(f"session {log.index}: still running at the {HARD_STOP_SECONDS} s hard stop")
    seconds = time.monotonic() - started
    stop.set()
    sampler.join(timeout=5)
    peak = max(peak, rss_mb(pid))
    return dict(logs=logs, peak=peak, seconds=seconds, open_max=counters["open_max"],
                server_open=server_open["active"])


async def scenario(base: str, pid: int) -> dict:
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    await warm_up(url)
    await asyncio.to_thread(server_metrics, base)  # the first request imports the sizing code: before the baseline
    await settle(url)
    points = [await checkpoint(base, pid)]
    waves = []
    hard_stop = time.monotonic() + HARD_STOP_SECONDS
    for _ in range(WAVES):
        waves.append(await run_wave(url, base, pid, hard_stop))
        await settle(url)
        points.append(await checkpoint(base, pid))
    return dict(waves=waves, points=points)


def wave_lines(number: int, wave: dict, before: Checkpoint, after: Checkpoint) -> list[str]:
    logs: list[SessionLog] = wave["logs"]
    times = [view.seconds for log in logs for view in log.views]
    covered = {view.page for log in logs for view in log.views}
    timing = (f"p50 {statistics.median(times):.2f} s, p95 {p95(times):.2f} s, max {max(times):.2f} s"
              if times else "no view finished")
    return [
        f"wave {number}: {len(logs)} sessions ({sum(log.lang == 'km' for log in logs)} in Khmer), open at once "
        f"{wave['open_max']} (the server counted {wave['server_open']:.0f}), {len(times)} page views in "
        f"{wave['seconds']:.1f} s ({len(times) / max(wave['seconds'], 0.1):.1f}/s), pages covered "
        f"{len(covered)}/{len(PAGES)}, {after.misses - before.misses:.0f} cache misses",
        f"  view time (link sent until the script run finished): {timing}",
        f"  server RSS: before {before.rss:.0f} MB, peak {wave['peak']:.0f} MB "
        f"({(wave['peak'] - before.rss) / SESSIONS:.1f} MB per open session), after close {after.rss:.0f} MB "
        f"({after.rss - before.rss:+.1f} MB); caches {before.cache_mb:.1f} -> {after.cache_mb:.1f} MB "
        f"({after.cache_mb - before.cache_mb:+.1f} MB); after close the server holds {after.active:.0f} active "
        f"sessions, {after.connects:.0f} connects / {after.disconnects:.0f} disconnects so far",
    ]


def test_concurrent_websocket_sessions_keep_their_own_state():
    # No file watcher, as in production (Dockerfile): a source file saved during the run must not reload modules
    # under the sessions' feet. Expensive memory stats: /_stcore/metrics reports the caches in bytes (pympler)
    # instead of entry counts; it is read only between waves and once per wave.
    proc, base = start_server({"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_SECONDS),
                               "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
                               "STREAMLIT_SERVER_ENABLE_EXPENSIVE_MEMORY_STATS": "true"})
    assert base.startswith("http://127.0.0.1:"), "the test server must listen on loopback only"
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:  # an event loop of its own, away from Playwright's
            result = pool.submit(asyncio.run, scenario(base, proc.pid)).result(timeout=HARD_STOP_SECONDS + 180)
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as response:
            healthy = response.status == 200
    finally:
        stop_server(proc)

    waves, points = result["waves"], result["points"]
    baseline, after_first, after_last = points[0], points[1], points[-1]
    errors = [f"wave {n}: {error}" for n, wave in enumerate(waves, 1) for log in wave["logs"] for error in log.errors]
    covered = [{view.page for log in wave["logs"] for view in log.views} for wave in waves]
    rss_growth, cache_growth = after_first.rss - baseline.rss, after_first.cache_mb - baseline.cache_mb
    report = "\n".join([
        f"websocket sessions: {SESSIONS} per wave, {WAVES} waves with the same selections and pages, connecting "
        f"over {RAMP_SECONDS:.0f} s; {PAGES_PER_SESSION} pages + 2 filter-change views per session",
        f"server RSS warm baseline {baseline.rss:.0f} MB, caches {baseline.cache_mb:.1f} MB "
        f"(Streamlit's cache_memory_bytes: st.cache_data + st.cache_resource + media files, pympler sizes)",
        *[line for n, wave in enumerate(waves, 1) for line in wave_lines(n, wave, points[n - 1], points[n])],
        f"memory: wave 1 left {rss_growth:+.1f} MB RSS over the warm baseline (allowed +{RSS_MARGIN_MB} MB), of "
        f"which the caches report {cache_growth:+.1f} MB; the rest is not held per session: wave 2's {SESSIONS} open "
        f"sessions (same selections) peaked {waves[1]['peak'] - after_first.rss:+.1f} MB above it, and wave {WAVES} "
        f"ended {after_last.rss - after_first.rss:+.1f} MB from wave 1 (allowed +{REPEAT_MARGIN_MB} MB; a leak of "
        f"1 MB per session would add {SESSIONS} MB)",
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; errors: {len(errors)}",
    ])
    print("\n" + report)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load-sessions.txt").write_text(report + "\n" + "\n".join(errors[:50]) + "\n", encoding="utf-8")

    assert not errors, (f"{len(errors)} session errors; a view raised, showed an error, timed out or showed "
                        "another session's state:\n" + "\n".join(errors[:10]))
    assert healthy, "the server stopped answering /_stcore/health after the load"
    for number, (wave, pages) in enumerate(zip(waves, covered, strict=True), 1):
        assert wave["open_max"] >= SESSIONS, f"wave {number}: only {wave['open_max']} sessions were open at once"
        assert wave["server_open"] == SESSIONS, (
            f"wave {number}: the server counted {wave['server_open']:.0f} active sessions, not {SESSIONS}")
        missing = {spec.url_path for spec in PAGES} - pages
        assert not missing, f"wave {number}: pages never visited: {sorted(missing)}"
    for number, point in enumerate(points[1:], 1):
        assert point.active == 0 and point.connects == point.disconnects, (
            f"after wave {number} closed, the server still holds {point.active:.0f} active sessions "
            f"({point.connects:.0f} connects, {point.disconnects:.0f} disconnects)")
    assert after_first.rss <= baseline.rss + RSS_MARGIN_MB, (
        f"server memory did not come back: {after_first.rss:.0f} MB after wave 1 closed vs {baseline.rss:.0f} MB "
        f"baseline (+{RSS_MARGIN_MB} MB allowed); look for per-session data kept in globals or cache_resource")
    assert after_last.rss <= after_first.rss + REPEAT_MARGIN_MB, (
        f"sessions left memory behind: {after_last.rss:.0f} MB after wave {WAVES} closed vs {after_first.rss:.0f} MB "
        f"after wave 1 with the same selections (+{REPEAT_MARGIN_MB} MB allowed): "
        f"{(after_last.rss - after_first.rss) / SESSIONS / (WAVES - 1):.1f} MB per session; look for per-session "
        "data kept in module globals, st.cache_resource keyed by session, or session state that is never freed")


@pytest.mark.parametrize(("lang", "needle"), [("en", "Active: confidence: High; years 2001–2024."),
                                              ("km", "កំពុងប្រើ៖")])
def test_expected_caption_is_in_the_sessions_language(lang, needle):
    """The check above compares against the real sentence; this pins what that sentence is."""
    caption = expected_caption(("conf", "years"), "high", (2001, 2024), lang)
    assert caption is not None and needle in caption
