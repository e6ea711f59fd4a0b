"""Drive the real app in headless Chromium: start it with `make run`, record every request."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def chromium_path() -> str:
    sys.path.insert(0, str(REPO / "scripts"))
    from ensure_browser import find_chromium, playwright_chromium

    path = find_chromium() or playwright_chromium()
    if not path:
        raise RuntimeError("no Chromium for the browser tests: run `make test`, which installs one")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll /_stcore/health until the server answers (bounded), failing fast if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the app did not answer at {base_url} within {timeout} s")


@contextmanager
def running_app(env: dict[str, str], log_path: Path, script: Path | None = None):
    """The app started exactly as users start it, `make run`, on a free port; yields its URL.
    `script`: another Streamlit script served the same way (the repository's folder, so its
    .streamlit/config.toml) instead of the app."""
    port = free_port()
    command = ["make", "--no-print-directory", "run", f"PORT={port}"]
    if script is not None:
        command = [
            sys.executable, "-m", "streamlit", "run", str(script), f"--server.port={port}",
        ]  # fmt: skip
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        # A session of its own, so stopping it stops make's child (streamlit) too.
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_healthy(base_url, process)
            yield base_url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


class RequestLog:
    """Every URL the page asked for; `outside()` lists those that left this machine."""

    def __init__(self):
        self.urls: list[str] = []

    def record(self, request) -> None:
        self.urls.append(request.url)

    def outside(self) -> list[str]:
        return [
            url
            for url in self.urls
            if urlparse(url).scheme in ("http", "https", "ws", "wss")
            and urlparse(url).hostname not in LOCAL_HOSTS
        ]


def drag_across(page, chart, *, settle_ms: int = 1500) -> None:
    """Drag across a chart from 30% to 45% of its width (a span on the timeline), once the
    page has had `settle_ms` to bind its handlers."""
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(settle_ms)
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.6
    page.mouse.move(box["x"] + box["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=10)
    page.mouse.up()


def settled(page, locator, *, scroll: bool = True, timeout_s: float = 30.0) -> dict:
    """Wait until `locator` is in view and its box has stopped moving (charts relayout as the
    page around them draws; a click at a box still moving lands on its neighbour). Returns
    the box. Polls, never a fixed sleep."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    last, same, scrolled = None, 0, not scroll
    while time.monotonic() < deadline:
        try:
            if not scrolled:
                locator.scroll_into_view_if_needed(timeout=5_000)
                scrolled = True
            box = locator.bounding_box(timeout=5_000)
        except PlaywrightError:  # the chart was redrawn under it ("not attached"): find it again
            last, same, scrolled = None, 0, not scroll
            page.wait_for_timeout(150)
            continue
        same = same + 1 if box is not None and box == last else 0
        if same >= 3:
            return box
        last = box
        page.wait_for_timeout(150)
    raise AssertionError(f"{locator} never stopped moving")


def click_until(page, locator, done, *, what: str, attempts: int = 4, wait_s: float = 15.0):
    """Click `locator` once it has settled, until `done()` (a click the page was not yet
    listening for, or one that landed while a chart was redrawn, is repeated; at most
    `attempts` clicks)."""
    for _ in range(attempts):
        settled(page, locator)
        try:
            locator.click(timeout=5_000)
        except Exception:  # noqa: BLE001 - covered by a layer still drawing: settle, click again
            continue
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if done():
                return
            page.wait_for_timeout(200)
    raise AssertionError(f"clicking never gave: {what}")
