"""The dashboard benchmark of issue 6: every number is a ratio to a bare one-chart page measured in the same run.

Run from the project root:

    python -m bench.run                      # full run, all pages, writes bench/RESULTS.md
    python -m bench.run --quick --pages overview   # the self-check: a bounded smoke run (< ~1 min)

Measured (see bench/README.md): warm AppTest rerun per page, cold start to the first drawn chart, time until all
charts are drawn in Chromium per page, payload bytes per page load, server memory per session. Everything runs on
127.0.0.1; every server and browser started here is stopped in a `finally`, also on error, timeout or SIGTERM.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ARTIFACTS = BENCH / "artifacts"
DASHBOARD = "dashboard.py"
BARE = "bench/bare_page.py"
BARE_NAME = "bare page"
FRAMED = "bench/framed_bare_page.py"
FRAMED_NAME = "frame only + one chart"
HOST = "127.0.0.1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--no-proxy-server"]
CHART_SELECTOR = ".js-plotly-plot .main-svg"
STATUS_SELECTOR = '[data-testid="stStatusWidget"]'
VIEWPORT = {"width": 1400, "height": 900}
WARMUP_QUIET_MS = 4000
SETTLE_TIMEOUT_MS = 30_000

# Targets from issue 6, as ratios to the bare page.
TARGET_RERUN_EACH = 4.0
TARGET_RERUN_MEDIAN_PAGE = 2.0
TARGET_ALL_CHARTS = 1.5

# Polled inside the page, so the time is the page's own clock from the start of navigation (performance.now()):
# done when the main area has its h1, the status widget is gone, no element is still a loading skeleton, every
# visible chart has drawn its SVG, at least `minSvgs` chart layers are drawn (the count a warm-up load of the same
# page settled at) and the count has not changed for `quietMs`; the reported time is the later of "idle since" and
# "last chart drawn".
SETTLE_JS = """
async ({selector, status, quietMs, timeoutMs, minSvgs}) => {
  const started = performance.now();
  let lastCount = -1, lastChange = 0, idleSince = null;
  return await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      const count = document.querySelectorAll(selector).length;
      const busy = !!document.querySelector(status);
      const titled = !!document.querySelector('[data-testid="stMain"] h1');
      // Plotly's code loads lazily: a chart is first a skeleton, then an stPlotlyChart that is drawn later.
      const loading = !!document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')
        || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
             .some((el) => el.offsetParent !== null && !el.querySelector('.main-svg'));
      if (count !== lastCount) { lastCount = count; lastChange = now; }
      if (busy || !titled || loading || count < minSvgs) { idleSince = null; }
      else if (idleSince === null) { idleSince = now; }
      const done = idleSince === null ? null : Math.max(idleSince, lastChange);
      if (done !== null && now - done >= quietMs) {
        resolve({ok: true, ms: done, svgs: count,
                 charts: document.querySelectorAll('.js-plotly-plot').length,
                 errors: document.querySelectorAll('[data-testid="stException"]').length});
        return;
      }
      if (now - started > timeoutMs) {
        resolve({ok: false, ms: now, svgs: count, charts: document.querySelectorAll('.js-plotly-plot').length,
                 errors: document.querySelectorAll('[data-testid="stException"]').length});
        return;
      }
      setTimeout(tick, 20);
    };
    tick();
  });
}
"""


class BenchTimeout(Exception):
    """The whole run took longer than --max-minutes."""


# ---------------------------------------------------------------------------------------------------- servers


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    started: float  # perf_counter() just before the process was spawned
    ready: float  # perf_counter() when /_stcore/health first answered
    log: Path


@dataclass
class Servers:
    """Every server process this run started; stop_all() is called from a finally."""

    running: list[Server] = field(default_factory=list)

    def start(self, script: str, timeout: float = 90.0) -> Server:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        log_path = ARTIFACTS / f"server-{Path(script).stem}-{port}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                   "--server.address", HOST, "--server.port", str(port), "--browser.gatherUsageStats", "false"]
        with open(log_path, "w") as log:
            started = time.perf_counter()
            proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
        url = f"http://{HOST}:{port}"
        server = Server(proc, url, started, math.nan, log_path)
        self.running.append(server)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the server for {script} exited early; see {log_path}")
            try:
                with opener.open(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        server.ready = time.perf_counter()
                        return server
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the server for {script} did not answer /_stcore/health in {timeout:.0f} s")

    def stop(self, server: Server) -> None:
        if server.proc.poll() is None:
            server.proc.terminate()
            try:
                server.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait(timeout=10)
        if server in self.running:
            self.running.remove(server)

    def stop_all(self) -> None:
        for server in list(self.running):
            try:
                self.stop(server)
            except Exception as error:  # keep stopping the others
                print(f"warning: could not stop server {server.proc.pid}: {error}", file=sys.stderr)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


# ---------------------------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One thing measured: the bare page or one dashboard page."""

    name: str  # the url_path, or BARE_NAME
    script: str  # the AppTest / `streamlit run` script
    page: str | None  # page file for AppTest.switch_page, None for the bare page
    url_path: str  # "" for the default page
    lang: str = "en"  # the dashboard's language (?lang=km)

    @property
    def is_bare(self) -> bool:
        return self.page is None


def targets_for(url_paths: list[str] | None) -> list[Target]:
    from core.site import PAGES

    known = {spec.url_path: spec for spec in PAGES}
    if url_paths:
        unknown = [p for p in url_paths if p not in known]
        if unknown:
            raise SystemExit(f"unknown page(s) {unknown}; known: {', '.join(known)}")
        specs = [known[p] for p in url_paths]
    else:
        specs = list(PAGES)
    bare = Target(BARE_NAME, BARE, None, "")
    return [bare] + [Target(spec.url_path, DASHBOARD, spec.path, spec.url_path) for spec in specs]


# ---------------------------------------------------------------------------------------------------- measures


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank style quantile that also works for one value (p90 of 10 runs = the 9th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def measure_warm_reruns(targets: list[Target], rounds: int
                        ) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, str]]:
    """AppTest: one warm-up run per target, then `rounds` rounds of timed `.run()` calls, interleaved across targets.

    In every round the bare page (targets[0]) runs right before each other target, so its samples are as many as all
    the others' together and its median, the denominator of every ratio, is as steady as the machine allows (with
    one bare sample per round, its median moved ~10 % between runs and took every ratio with it). Returns the times
    per target (the bare page's pooled), each other target's paired ratios (its time / the bare run just before it)
    and any problems."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")  # AppTest's "missing ScriptRunContext" chatter

    apps, problems = {}, {}
    for target in targets:
        app = AppTest.from_file(str(ROOT / target.script), default_timeout=120)
        if target.lang != "en":
            app.query_params["lang"] = target.lang
        if target.page:
            app.switch_page(target.page)
        app.run()
        if app.exception:
            problems[target.name] = f"raised: {app.exception[0].message[:80]}"
        apps[target.name] = app
        print(f"  warm-up {target.name}: done", flush=True)
    bare_name, bare = targets[0].name, apps[targets[0].name]
    times: dict[str, list[float]] = {name: [] for name in apps}
    paired: dict[str, list[float]] = {name: [] for name in apps if name != bare_name}
    for _ in range(rounds):
        for name, app in apps.items():
            if name == bare_name:
                continue
            started = time.perf_counter()
            bare.run()
            bare_time = time.perf_counter() - started
            started = time.perf_counter()
            app.run()
            elapsed = time.perf_counter() - started
            times[bare_name].append(bare_time)
            times[name].append(elapsed)
            paired[name].append(elapsed / bare_time)
    return times, paired, problems


def new_context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    return context


def settle(page, quiet_ms: int, min_svgs: int = 0, timeout_ms: int = 60_000) -> dict:
    return page.evaluate(SETTLE_JS, {"selector": CHART_SELECTOR, "status": STATUS_SELECTOR, "quietMs": quiet_ms,
                                     "timeoutMs": timeout_ms, "minSvgs": min_svgs})


def measure_cold_start(browser, servers: Servers, script: str) -> tuple[float, float]:
    """Seconds from spawning `streamlit run` to the first visible chart on the default page (and to /health)."""
    server = servers.start(script)
    try:
        context = new_context(browser)
        try:
            page = context.new_page()
            page.goto(server.url + "/", wait_until="domcontentloaded")
            page.wait_for_selector(CHART_SELECTOR, state="visible", timeout=90_000)
            total = time.perf_counter() - server.started
        finally:
            context.close()
    finally:
        servers.stop(server)
    return total, server.ready - server.started


@dataclass
class Load:
    seconds: float
    ws_bytes: int
    http_bytes: int
    charts: int
    errors: int
    foreign: list[str]
    svgs: int = 0
    settled: bool = True


def measure_load(browser, url: str, quiet_ms: int, min_svgs: int = 0) -> Load:
    """A fresh browser context opens `url`; time until all charts are drawn, and the bytes it received."""
    context = new_context(browser)
    try:
        page = context.new_page()
        ws_bytes = [0]
        finished = []
        foreign = []

        def on_frame(payload) -> None:
            ws_bytes[0] += len(payload) if isinstance(payload, bytes | bytearray) else len(payload.encode())

        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        page.on("requestfinished", lambda request: finished.append(request))
        page.on("request", lambda req: foreign.append(req.url)
                if req.url.startswith(("http:", "https:", "ws:", "wss:"))
                and not req.url.split("//", 1)[1].startswith(HOST + ":") else None)
        page.goto(url, wait_until="domcontentloaded")
        result = settle(page, quiet_ms, min_svgs, timeout_ms=SETTLE_TIMEOUT_MS)
        if not result["ok"]:  # counted at the time limit and flagged in the table, not fatal
            print(f"  warning: {url} did not settle within {SETTLE_TIMEOUT_MS / 1000:.0f} s "
                  f"({result['svgs']} of >= {min_svgs} chart layers)", flush=True)
        http = 0
        for request in finished:
            sizes = request.sizes()
            http += max(sizes.get("responseBodySize", 0), 0) + max(sizes.get("responseHeadersSize", 0), 0)
        return Load(result["ms"] / 1000, ws_bytes[0], http, result["charts"], result["errors"], foreign,
                    result["svgs"], result["ok"])
    finally:
        context.close()


def open_session(browser, server: Server, targets: list[Target], quiet_ms: int):
    """One browser session that opens '/' and then visits every target page by the sidebar (same session)."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(server.url + "/", wait_until="domcontentloaded")
    settle(page, quiet_ms)
    for target in targets:
        if target.is_bare or target.url_path == "":
            continue
        link = page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{target.url_path}"]')
        if link.count():
            link.first.click()
            page.wait_for_url(f"**/{target.url_path}*")
            page.wait_for_timeout(200)  # let the rerun start before watching for idle
            settle(page, quiet_ms)
    return context


def measure_memory(browser, servers: Servers, script: str, targets: list[Target], sessions: int,
                   quiet_ms: int) -> tuple[int, int, float]:
    """Server RSS after a warm-up session (closed) and after `sessions` open sessions; bytes per session."""
    server = servers.start(script)
    try:
        open_session(browser, server, targets, quiet_ms).close()  # load the caches once
        time.sleep(1.5)
        before = rss_bytes(server.proc.pid)
        contexts = []
        try:
            for _ in range(sessions):
                contexts.append(open_session(browser, server, targets, quiet_ms))
            time.sleep(1.5)
            after = rss_bytes(server.proc.pid)
        finally:
            for context in contexts:
                context.close()
    finally:
        servers.stop(server)
    return before, after, (after - before) / sessions


# ---------------------------------------------------------------------------------------------------- report


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_bytes(n: float) -> str:
    for unit, size in (("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def verdict(ratio: float, limit: float) -> str:
    return "pass" if ratio <= limit else f"**FAIL** ({(ratio / limit - 1) * 100:.0f} % over)"


@dataclass
class Report:
    rows: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, page: str, metric: str, absolute: str, ratio: float | None, target: str = "-",
            result: str = "info") -> None:
        self.rows.append((page, metric, absolute, "-" if ratio is None else f"{ratio:.2f}x", target, result))

    def table(self) -> str:
        head = ["page", "metric", "absolute", "ratio to bare", "target", "result"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def machine_line(browser_version: str) -> str:
    import plotly
    import streamlit

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"nproc {cores}, Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
            f"Plotly {plotly.__version__}, Chromium {browser_version}, {platform.system()} {platform.release()}")


# ---------------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, help="timed AppTest reruns per page (default 20; --quick 3)")
    parser.add_argument("--browser-rounds", type=int, help="timed Chromium loads per page (default 9; --quick 1)")
    parser.add_argument("--cold-rounds", type=int, help="cold starts per server (default 3; --quick 1)")
    parser.add_argument("--sessions", type=int, help="K sessions for memory per session (default 5; --quick 2)")
    parser.add_argument("--pages", help="comma-separated url_paths from core/site.py (default: all pages)")
    parser.add_argument("--out", help="Markdown results file (default bench/RESULTS.md; --quick: "
                        "bench/RESULTS-quick.md, so a smoke run never overwrites the full results)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument("--quiet-ms", type=int, default=1000,
                        help="the chart count must stay unchanged this long to count as 'all drawn' (default 1000)")
    parser.add_argument("--max-minutes", type=float, help="abort (and clean up) after this (default 40; --quick 6)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    quick = args.quick
    args.rounds = args.rounds or (3 if quick else 20)
    args.browser_rounds = args.browser_rounds or (1 if quick else 9)
    args.cold_rounds = args.cold_rounds or (1 if quick else 3)
    args.sessions = args.sessions or (2 if quick else 5)
    args.max_minutes = args.max_minutes or (6 if quick else 40)
    args.out = Path(args.out) if args.out else BENCH / ("RESULTS-quick.md" if quick else "RESULTS.md")
    if not args.out.is_absolute():
        args.out = ROOT / args.out
    return args


def command_line(argv: list[str] | None) -> str:
    return "python -m bench.run" + ("" if not (argv or sys.argv[1:]) else " " + " ".join(argv or sys.argv[1:]))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    targets = targets_for([p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else None)
    pages = [t for t in targets if not t.is_bare]

    def on_alarm(signum, frame):
        raise BenchTimeout(f"the benchmark exceeded --max-minutes {args.max_minutes}")

    def on_term(signum, frame):
        raise SystemExit(128 + signum)  # unwinds through the finally blocks below

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(int(args.max_minutes * 60))

    run_started = time.perf_counter()
    load_before = os.getloadavg()
    report = Report()
    servers = Servers()
    try:
        # 1. warm rerun, AppTest, in this process
        # The pages in English and in Khmer, and (for reference) the dashboard's frame around one small chart.
        framed = Target(FRAMED_NAME, FRAMED, None, "")
        khmer = [Target(f"{t.name} (km)", t.script, t.page, t.url_path, "km") for t in pages]
        warm_targets = [targets[0], framed, *pages, *khmer]
        print(f"[1/5] warm AppTest reruns: {len(warm_targets)} scripts x {args.rounds} rounds", flush=True)
        reruns, paired, problems = measure_warm_reruns(warm_targets, args.rounds)
        bare_med, bare_p90 = statistics.median(reruns[BARE_NAME]), quantile(reruns[BARE_NAME], 0.9)
        report.add(BARE_NAME, "warm rerun, median (p90)", f"{fmt_ms(bare_med)} ({fmt_ms(bare_p90)}; "
                   f"{len(reruns[BARE_NAME])} runs, one before each other script's run)", 1.0)
        framed_med = statistics.median(reruns[FRAMED_NAME])
        report.add(FRAMED_NAME, "warm rerun, median: language switch, presentation button, menu, filter panel "
                   "(closed, as a first visit sees it) and footer around the bare page's chart", fmt_ms(framed_med),
                   framed_med / bare_med)
        for label, group in (("", pages), (" (km)", khmer)):
            rerun_ratios = []
            for target in group:
                med, p90 = statistics.median(reruns[target.name]), quantile(reruns[target.name], 0.9)
                ratio = med / bare_med
                rerun_ratios.append(ratio)
                result = verdict(ratio, TARGET_RERUN_EACH)
                if target.name in problems:
                    result += f"; {problems[target.name]}"
                report.add(target.name, "warm rerun, median (p90)",
                           f"{fmt_ms(med)} ({fmt_ms(p90)}, p90 ratio {p90 / bare_p90:.1f}x; "
                           f"{med / framed_med:.1f}x the frame alone; paired "
                           f"{statistics.median(paired[target.name]):.2f}x)", ratio, f"<= {TARGET_RERUN_EACH:g}x",
                           result)
            median_page = statistics.median(rerun_ratios)
            median_paired = statistics.median(statistics.median(paired[t.name]) for t in group)
            report.add(f"median page{label}, paired", "warm rerun: each run / the bare run just before it, median "
                       "per page, then over pages (a check on the ratio below, not the target)", "-", median_paired)
            report.add(f"median page{label}", "warm rerun ratio, median over pages", "-", median_page,
                       f"<= {TARGET_RERUN_MEDIAN_PAGE:g}x", verdict(median_page, TARGET_RERUN_MEDIAN_PAGE))

        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"Chromium not found at {CHROMIUM}; install it or set CHROMIUM_PATH")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                machine = machine_line(browser.version)

                # 2. cold start to the first drawn chart, alternating bare / dashboard
                print(f"[2/5] cold start x {args.cold_rounds}", flush=True)
                cold: dict[str, list[tuple[float, float]]] = {BARE: [], DASHBOARD: []}
                for round_ in range(args.cold_rounds):
                    for script in (BARE, DASHBOARD) if round_ % 2 == 0 else (DASHBOARD, BARE):
                        cold[script].append(measure_cold_start(browser, servers, script))
                bare_cold = statistics.median(t for t, _ in cold[BARE])
                for script, name in ((BARE, BARE_NAME), (DASHBOARD, "dashboard (default page)")):
                    total = statistics.median(t for t, _ in cold[script])
                    health = statistics.median(h for _, h in cold[script])
                    report.add(name, "cold start to first drawn chart",
                               f"{fmt_ms(total)} (server up {fmt_ms(health)})", total / bare_cold)

                # 3 + 4. warm server: time to all charts drawn and payload, fresh context per load
                print(f"[3-4/5] all charts drawn + payload: {len(targets)} pages x {args.browser_rounds} "
                      "rounds", flush=True)
                bare_server = servers.start(BARE)
                dash_server = servers.start(DASHBOARD)
                framed_server = servers.start(FRAMED)
                # The frame alone around the bare chart, loaded like the pages: what every page's load starts from.
                browser_targets = [targets[0], framed, *targets[1:]]
                server_for = {BARE_NAME: bare_server, FRAMED_NAME: framed_server}
                try:
                    # Warm-up, unmeasured: '/' first, then every page once with a long quiet window; it also
                    # fixes how many chart layers each page draws, which every measured load must then reach.
                    expected: dict[str, int] = {}
                    measure_load(browser, dash_server.url + "/", WARMUP_QUIET_MS)
                    for target in browser_targets:
                        server = server_for.get(target.name, dash_server)
                        expected[target.name] = measure_load(browser, f"{server.url}/{target.url_path}",
                                                             WARMUP_QUIET_MS).svgs
                    # As for the warm reruns, the bare page loads right before every other load, so that its
                    # median (every ratio's denominator) rests on as many loads as all the others together.
                    loads: dict[str, list[Load]] = {t.name: [] for t in browser_targets}
                    paired_loads: dict[str, list[float]] = {t.name: [] for t in browser_targets}

                    def timed_load(target: Target) -> Load:
                        server = server_for.get(target.name, dash_server)
                        load = measure_load(browser, f"{server.url}/{target.url_path}", args.quiet_ms,
                                            expected[target.name])
                        if load.settled:
                            expected[target.name] = max(expected[target.name], load.svgs)
                        print(f"  {target.name}: {load.seconds:.2f} s, {load.svgs} chart layers", flush=True)
                        loads[target.name].append(load)
                        return load

                    for _ in range(args.browser_rounds):
                        for target in browser_targets[1:]:
                            bare_load = timed_load(targets[0])
                            paired_loads[target.name].append(timed_load(target).seconds / bare_load.seconds)
                finally:
                    servers.stop(bare_server)
                    servers.stop(dash_server)
                    servers.stop(framed_server)

                def summary(name: str) -> tuple[float, float, float, float, Load]:
                    runs = loads[name]
                    return (statistics.median(x.seconds for x in runs), quantile([x.seconds for x in runs], 0.9),
                            statistics.median(x.ws_bytes for x in runs),
                            statistics.median(x.http_bytes for x in runs), runs[-1])

                b_med, b_p90, b_ws, b_http, _ = summary(BARE_NAME)
                f_med = summary(FRAMED_NAME)[0]
                for target in browser_targets:
                    med, p90, ws, http, last = summary(target.name)
                    ratio = med / b_med
                    extra = f"{last.charts} charts"
                    if target.name == BARE_NAME:
                        extra += f"; {len(loads[target.name])} loads, one before each other load"
                    elif target.name != FRAMED_NAME:
                        extra += (f"; {med / f_med:.2f}x the frame alone; paired "
                                  f"{statistics.median(paired_loads[target.name]):.2f}x")
                    if last.errors:
                        extra += f", {last.errors} errors shown"
                    unsettled = sum(not x.settled for x in loads[target.name])
                    if unsettled:
                        extra += f", {unsettled} load(s) not settled in {SETTLE_TIMEOUT_MS // 1000} s"
                    foreign = sorted({u for x in loads[target.name] for u in x.foreign})
                    if foreign:
                        report.notes.append(f"{target.name} requested other hosts: {foreign[:3]}")
                    reference = target.is_bare or target.name == FRAMED_NAME
                    report.add(target.name, "time to all charts drawn, median (p90)",
                               f"{fmt_ms(med)} ({fmt_ms(p90)}), {extra}", ratio,
                               "-" if reference else f"<= {TARGET_ALL_CHARTS:g}x",
                               "info" if reference else verdict(ratio, TARGET_ALL_CHARTS))
                    report.add(target.name, "payload received (websocket + HTTP)",
                               f"{fmt_bytes(ws + http)} (ws {fmt_bytes(ws)}, HTTP {fmt_bytes(http)})",
                               (ws + http) / (b_ws + b_http))
                    report.add(target.name, "payload, websocket frames only", fmt_bytes(ws), ws / b_ws)

                # 5. memory per session
                print(f"[5/5] memory: {args.sessions} sessions per server", flush=True)
                b_before, b_after, b_per = measure_memory(browser, servers, BARE, [targets[0]], args.sessions,
                                                          args.quiet_ms)
                d_before, d_after, d_per = measure_memory(browser, servers, DASHBOARD, pages, args.sessions,
                                                          args.quiet_ms)
                report.add(BARE_NAME, "memory per session (server RSS)",
                           f"{fmt_bytes(b_per)} (RSS {fmt_bytes(b_before)} -> {fmt_bytes(b_after)})", 1.0)
                visited = "all pages" if len(pages) > 1 else pages[0].name
                report.add(f"dashboard ({visited})", "memory per session (server RSS)",
                           f"{fmt_bytes(d_per)} (RSS {fmt_bytes(d_before)} -> {fmt_bytes(d_after)})",
                           d_per / b_per if b_per > 0 else None)
            finally:
                browser.close()
    finally:
        signal.alarm(0)
        servers.stop_all()

    elapsed = time.perf_counter() - run_started
    load_after = os.getloadavg()
    table = report.table()
    today = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    header = [
        "# Benchmark results",
        "",
        f"- Date: {today}; run took {elapsed / 60:.1f} min",
        f"- Machine: {machine}",
        f"- Load average (1 min) at start / end: {load_before[0]:.2f} / {load_after[0]:.2f} "
        "(the machine is shared; compare ratios, not absolute times)",
        f"- Command: `{command_line(argv)}` (AppTest rounds {args.rounds}, browser rounds {args.browser_rounds}, "
        f"cold starts {args.cold_rounds}, sessions {args.sessions})",
        "- Ratios are to the bare page `bench/bare_page.py` measured in the same run; see bench/README.md.",
        "",
    ]
    text = "\n".join(header) + table + "\n" + "".join(f"\n- Note: {n}" for n in report.notes) + "\n"
    print()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")

    # Self-check: every metric produced a number for every requested page.
    # +1: the frame alone, in the browser too; 2 * 2: the median page and its paired check, English and Khmer
    expected = 2 + 2 * len(pages) + 2 * 2 + 2 + 3 * (len(targets) + 1) + 2
    if len(report.rows) != expected or any("nan" in row[2] + row[3] for row in report.rows):
        print(f"self-check failed: {len(report.rows)} rows, expected {expected}, or a missing value",
              file=sys.stderr)
        return 2
    failed = any("FAIL" in row[5] for row in report.rows)
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
