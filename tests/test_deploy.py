"""The container recipe: what the Dockerfile copies is enough to run every page, and it keeps its promises
(slim base, non-root user, health check, no Chromium, no file watcher).

No container engine runs in CI, so the image's file list is tested the way the image would use it: the paths the
Dockerfile COPYs are copied into an empty folder, the server is started from there (as the image's CMD does, on
loopback here) and every page is run in both languages over a real websocket session.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.site import PAGES
from tests.conftest import ROOT, _free_port

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COPIES = [line.split()[1] for line in DOCKERFILE.splitlines()
          if line.startswith("COPY ") and "requirements" not in line]


def test_the_image_is_slim_non_root_and_checks_its_health():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*_stcore/health", DOCKERFILE, re.M)
    assert not re.search(r"^RUN .*(chromium|playwright)", DOCKERFILE, re.M | re.I), "no browser in the image"
    assert "STREAMLIT_SERVER_FILE_WATCHER_TYPE=none" in DOCKERFILE
    assert "pip install --no-cache-dir -r requirements.txt" in DOCKERFILE


def test_every_runtime_folder_is_copied():
    """A folder the app reads at run time that the image leaves out breaks the container, not the tests."""
    needed = {".streamlit/", "dashboard.py", "app_pages/", "components/", "core/", "locales/", "static/", "data/"}
    assert needed <= set(COPIES), f"the Dockerfile does not copy {sorted(needed - set(COPIES))}"
    top_level_code = {p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py"))} - {"tests", "bench"}
    assert {f"{name}/" for name in top_level_code} <= set(COPIES)


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("image") / "app"
    folder.mkdir()
    for path in COPIES:
        source = ROOT / path.rstrip("/")
        if source.is_dir():
            shutil.copytree(source, folder / path.rstrip("/"), ignore=shutil.ignore_patterns("_build", "__pycache__"))
        else:
            shutil.copy2(source, folder / path)
    return folder


def test_the_copied_files_alone_serve_every_page(image_folder):
    from tests.test_load_sessions import run_view

    port = _free_port()
    log = open(image_folder.parent / "server.log", "w")  # noqa: SIM115 - closed below
    env = {**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "PYTHONPATH": ""}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port)],
                            cwd=image_folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the server did not start from the image's files; see {log.name}")
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/app/static/fonts/NotoSansKhmer-Regular.ttf",
                                    timeout=10) as response:
            assert response.status == 200 and len(response.read()) > 50_000, "the Khmer font is not served"

        async def visit() -> list[str]:
            import websockets

            problems = []
            async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                          max_size=None, ping_interval=None) as ws:
                for lang in ("en", "km"):
                    for spec in PAGES:
                        view = await run_view(ws, spec.url_path, f"lang={lang}")
                        problems += [f"{spec.url_path} ({lang}): {p}" for p in view.problems]
                        if not view.texts:
                            problems.append(f"{spec.url_path} ({lang}): nothing drawn")
            return problems

        # An event loop of its own, in a worker thread: the browser tests' sync Playwright may own this thread's.
        with ThreadPoolExecutor(max_workers=1) as pool:
            problems = pool.submit(asyncio.run, visit()).result(timeout=300)
        assert not problems, "pages fail when run from the image's files only:\n" + "\n".join(problems[:10])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
