"""The dashboard at 10^5 and 10^6 incidents, before and after, side by side in one run.

    python bench/bench_scale.py [--sizes 100000,1000000] [--runs 3] [--sessions 5] [--skip-before]
                                [--postgres] [--floor]
    python bench/bench_scale.py --starts COMMIT [--sizes 100000,1000000] [--runs 3]

For each size, synthetic incidents (dashboard.synthetic, marked synthetic, 10 % scattered) are
written to Parquet and served with ATLAS_DATA by two servers in turn: this checkout ("after")
and the code before the query engine ("before", commit bench.baseline.BEFORE, checked out in a
temporary worktree and run with this venv). Both are started the same way (streamlit run on
127.0.0.1) behind a byte-counting TCP proxy, and driven by headless Chromium:

- start: server start to the first map painted (cold: no snapshot; warm: the next start), and
  of it, the server's start to its health check answering ("ready") and the first page's
  opening to its map painted ("page");
- filter change (Country = Iraq, then back), medians over runs: server-side seconds (the
  websocket rerun request to Streamlit's script_finished message), seconds to repaint (until
  the map shows the new data), and bytes on the wire to the browser (compressed where the
  server compresses);
- server RSS after `sessions` pages are open and have each changed a filter.

With --floor, the app is first measured on the bundled 74 curated incidents (after code only):
the part of the start that does not depend on the data.

With --postgres, the same incidents are also imported (`atlas import`, timed) into a store on a
throwaway PostgreSQL server (tests/postgres.py) and served from it ("after-pg").

With --starts COMMIT, only the start: this checkout and COMMIT, each on the bundled 74
incidents and on each size, cold then warm, with a fresh ATLAS_HOME each run, the two codes
interleaved (their order swapped every run); prints the medians (bench/results/starts.json).

Prints a table, writes bench/results/scale.json. Never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench import baseline  # noqa: E402
from dashboard.synthetic import synthetic_incidents  # noqa: E402
from tests.browser import CHROMIUM_FLAGS, chromium_path, free_port, wait_healthy  # noqa: E402
from tests.postgres import running_postgres  # noqa: E402

# What the map shows, as a short string that changes when its drawing changes: vector shapes
# by their count and first outline, canvases by a digest of their pixels.
PAINTED = """() => {
  const panes = document.querySelectorAll(
    '.leaflet-map-pane > .leaflet-pane:not(.leaflet-tile-pane)');
  if (!panes.length) return null;
  const parts = [];
  for (const pane of panes) {
    const paths = pane.querySelectorAll('path');
    const first = paths.length ? (paths[0].getAttribute('d') || '').slice(0, 40) : '';
    if (paths.length) parts.push(paths.length + ':' + first);
    for (const canvas of pane.querySelectorAll('canvas')) {
      const url = canvas.toDataURL();
      let h = 0;
      for (let i = 0; i < url.length; i += 97) h = (h * 31 + url.charCodeAt(i)) | 0;
      parts.push('c' + url.length + ':' + h);
    }
    const markers = pane.querySelectorAll(':scope > .leaflet-marker-icon').length;
    if (markers) parts.push('m' + markers);
  }
  return parts.length ? parts.join('|') : null;
}"""


class CountingProxy:
    """A loopback TCP proxy counting the bytes the server sends to the browser."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.to_browser = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                if counted:
                    with self._lock:
                        self.to_browser += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._server.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def server(code: Path, data: Path | str, home: Path, log_path: Path):
    port = free_port()
    # Each version started as its `make run` starts it.
    if (code / "dashboard" / "serve.py").exists():
        launch = [sys.executable, "-m", "dashboard.serve"]
    else:
        launch = [sys.executable, "-m", "streamlit", "run", str(code / "dashboard" / "app.py")]
    command = [
        *launch, "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true",
    ]  # fmt: skip
    env = baseline.run_env(code, {"ATLAS_DATA": str(data), "ATLAS_HOME": str(home)})
    started = time.monotonic()
    with open(log_path, "a") as log:
        process = subprocess.Popen(command, cwd=code, env=env, stdout=log, stderr=log)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", process, timeout=120)
            ready = time.monotonic()
            proxy = CountingProxy(port)
            try:
                yield f"http://127.0.0.1:{proxy.port}", process.pid, (started, ready), proxy
            finally:
                proxy.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Probe:
    """One browser page and what its websocket carried."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1920, "height": 1080})
        self.finished: list[float] = []
        self.reruns: list[float] = []
        self.page.on("websocket", self._websocket)
        self.page.goto(url, timeout=180_000)  # a loaded server may take a while to answer

    def _websocket(self, ws) -> None:
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            try:
                message.ParseFromString(payload)
            except Exception:  # noqa: BLE001 - not every frame is a ForwardMsg
                return
            if message.WhichOneof("type") == "script_finished":
                self.finished.append(time.monotonic())

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes):
            message = BackMsg()
            try:
                message.ParseFromString(payload)
            except Exception:  # noqa: BLE001
                return
            if message.WhichOneof("type") == "rerun_script":
                self.reruns.append(time.monotonic())

    def map_signature(self) -> str | None:
        for frame in self.page.frames:
            try:
                found = frame.evaluate(PAINTED)
            except Exception:  # noqa: BLE001 - frames come and go while loading
                continue
            if found:
                return found
        return None

    def wait_for_map(self, different_from: str | None = None, timeout: float = 180) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            signature = self.map_signature()
            if signature and signature != different_from:
                return time.monotonic()
            self.page.wait_for_timeout(50)
        return None

    def begin_country(self, typed: str | None) -> None:
        """Set (typed) or remove the last (None) value of the sidebar's Country filter, and
        start timing; `settled()` says when the map shows the result."""
        self._before = self.map_signature()
        self._reruns = len(self.reruns)
        box = self.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has_text="Country"
        )
        self._started = time.monotonic()
        box.locator("input").click()
        if typed is None:
            self.page.keyboard.press("Backspace")  # removes the last chosen value
        else:
            self.page.keyboard.type(typed)
            self.page.keyboard.press("Enter")
        self.page.keyboard.press("Escape")
        self._server_s = None

    def settled(self) -> dict | None:
        """None while the change is under way; then its server and repaint seconds."""
        sent = self.reruns[self._reruns :]
        if self._server_s is None:
            done = [t for t in self.finished if sent and t > sent[0]]
            if not done:
                return None
            self._server_s = done[0] - sent[0]
        signature = self.map_signature()
        if signature is None or signature == self._before:
            return None
        return {"server_s": self._server_s, "repaint_s": time.monotonic() - self._started}

    def choose_country(self, typed: str | None, timeout: float = 180) -> dict:
        self.begin_country(typed)
        while time.monotonic() - self._started < timeout:
            result = self.settled()
            if result:
                return result
            self.page.wait_for_timeout(20)
        return {"server_s": self._server_s, "repaint_s": None}


def measure(label: str, code: Path, data: Path | str, folder: Path, browser, args) -> dict:
    home = folder / f"home-{label}"
    log = folder / f"{label}.log"
    result: dict = {"code": label}
    for start in ("cold", "warm"):
        with server(code, data, home, log) as (url, pid, (started, ready), proxy):
            opened = time.monotonic()
            probe = Probe(browser, url)
            painted = probe.wait_for_map()
            result[f"start_{start}_s"] = None if painted is None else painted - started
            # Of which: the server answering its health check, then the first page to its map.
            result[f"ready_{start}_s"] = ready - started
            result[f"page_{start}_s"] = None if painted is None else painted - opened
            if start == "cold":
                probe.page.close()
                continue
            changes = []
            for _run in range(args.runs):
                for typed in (args.country[label], None):
                    sent_before = proxy.to_browser
                    change = probe.choose_country(typed)
                    change["mb"] = (proxy.to_browser - sent_before) / 1e6
                    changes.append(change)
                    probe.page.wait_for_timeout(300)
            for key in ("server_s", "repaint_s", "mb"):
                values = [c[key] for c in changes if c[key] is not None]
                result[f"change_{key}"] = statistics.median(values) if values else None
            result["change_samples"] = changes
            result["rss_one_mb"] = rss_mb(pid)
            probes = [probe]
            for _ in range(args.sessions - 1):
                extra = Probe(browser, url)
                extra.wait_for_map()
                probes.append(extra)
            for extra in probes[1:]:
                extra.choose_country(args.country[label])
            result[f"rss_{args.sessions}_sessions_mb"] = rss_mb(pid)
            for each in probes:
                each.page.close()
    return result


def start_times(code: Path, data: Path | str, folder: Path, browser) -> dict:
    """Server start to first map painted, cold (no snapshot) then warm, with `code`."""
    folder.mkdir(parents=True, exist_ok=True)
    result = {}
    for start in ("cold", "warm"):
        with server(code, data, folder / "home", folder / "server.log") as (url, _, times, _p):
            probe = Probe(browser, url)
            painted = probe.wait_for_map()
            result[start] = None if painted is None else painted - times[0]
            probe.page.close()
    return result


def compare_starts(args, folder: Path, browser) -> list[dict]:
    datas = {74: REPO / "data" / "incidents.csv"}
    datas.update({rows: synthetic_parquet(rows, folder) for rows in _sizes(args)})
    runs: dict[tuple[int, str], list[dict]] = {}
    with baseline.checkout(args.starts) as before:
        codes = [("now", REPO), (args.starts, before)]
        for run in range(args.runs):
            for rows, data in datas.items():
                for label, code in codes if run % 2 == 0 else codes[::-1]:
                    where = folder / f"run{run}-{rows}-{label}"
                    timing = start_times(code, data, where, browser)
                    runs.setdefault((rows, label), []).append(timing)
                    print(f"{rows:>9,} {label:>8} cold {_fmt(timing['cold'], 's')} "
                          f"warm {_fmt(timing['warm'], 's')}", flush=True)  # fmt: skip
    results = []
    for (rows, label), timings in runs.items():
        medians = {}
        for start in ("cold", "warm"):
            values = [t[start] for t in timings if t[start] is not None]
            medians[start] = statistics.median(values) if values else None
        results.append({"rows": rows, "code": label, **medians, "runs": timings})
    return results


def _sizes(args) -> list[int]:
    return [int(s) for s in args.sizes.split(",") if s]


def synthetic_parquet(rows: int, folder: Path) -> Path:
    path = folder / f"synthetic-{rows}.parquet"
    frame = synthetic_incidents(rows, seed=1, scattered=0.1)
    # Scattered rows have no named place; the old validator requires one.
    frame["location"] = frame["location"].fillna("synthetic scattered point")
    frame.to_parquet(path)
    return path


def postgres_store(data: Path, postgres) -> tuple[str, float]:
    """A new store on the PostgreSQL server holding `data`, and the import's seconds."""
    url = postgres.new_store_url()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(data), "--db", url],
        cwd=REPO, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "ATLAS_HOME": str(
            data.parent / "home-pg-import")},
    )  # fmt: skip
    return url, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--skip-before", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--floor", action="store_true",
        help="also the bundled 74 incidents: what the start costs with next to no data",
    )  # fmt: skip
    parser.add_argument("--starts", metavar="COMMIT", help="only the start, beside COMMIT")
    args = parser.parse_args()
    if args.starts:
        return main_starts(args)
    # The old sidebar offered country codes, the new one names.
    args.country = {"before": "IQ", "after": "Iraq", "after-pg": "Iraq"}
    results = []
    postgres = running_postgres() if args.postgres else nullcontext()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright, postgres as pg:
        folder = Path(tmp)
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        with baseline.checkout() as before:
            if args.floor:
                print("measuring the bundled 74 incidents with the after code...", flush=True)
                curated = REPO / "data" / "incidents.csv"
                results.append({"rows": 74, **measure("after", REPO, curated, folder, browser,
                                                       args)})  # fmt: skip
            for rows in (int(s) for s in args.sizes.split(",")):
                data = synthetic_parquet(rows, folder)
                codes = [("after", REPO)] + ([] if args.skip_before else [("before", before)])
                for label, code in codes:
                    print(f"measuring {rows:,} rows with the {label} code...", flush=True)
                    results.append({"rows": rows, **measure(label, code, data, folder, browser,
                                                            args)})  # fmt: skip
                if pg is not None:
                    print(f"importing {rows:,} rows into PostgreSQL...", flush=True)
                    url, import_s = postgres_store(data, pg)
                    print(f"measuring {rows:,} rows served from PostgreSQL...", flush=True)
                    measured = measure("after-pg", REPO, url, folder, browser, args)
                    results.append({"rows": rows, "import_s": import_s, **measured})
        browser.close()
    report(results, args.sessions)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(results, indent=2, default=str))


def main_starts(args) -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        results = compare_starts(args, Path(tmp), browser)
        browser.close()
    print(f"machine: {os.cpu_count()} cores; medians of {args.runs} runs, server start to map")
    print(f"{'rows':>9} {'code':>8} {'start cold':>10} {'start warm':>10}")
    for r in sorted(results, key=lambda r: (r["rows"], r["code"] != "now")):
        print(f"{r['rows']:>9,} {r['code']:>8} {_fmt(r['cold'], 's'):>10} "
              f"{_fmt(r['warm'], 's'):>10}")  # fmt: skip
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "starts.json").write_text(json.dumps(results, indent=2, default=str))


def _fmt(value, unit="") -> str:
    return "-" if value is None else f"{value:.2f}{unit}"


def report(results: list[dict], sessions: int) -> None:
    print(f"machine: {os.cpu_count()} cores; medians of the filter changes")
    header = (
        f"{'rows':>9} {'code':>8} {'start cold':>10} {'start warm':>10} {'ready':>6} "
        f"{'page':>6} {'server':>8} "
        f"{'repaint':>8} {'MB/change':>9} {'RSS 1':>7} {f'RSS {sessions}':>7} {'import':>7}"
    )
    print(header)
    for r in results:
        print(
            f"{r['rows']:>9,} {r['code']:>8} {_fmt(r.get('start_cold_s'), 's'):>10} "
            f"{_fmt(r.get('start_warm_s'), 's'):>10} {_fmt(r.get('ready_warm_s'), 's'):>6} "
            f"{_fmt(r.get('page_warm_s'), 's'):>6} {_fmt(r.get('change_server_s'), 's'):>8} "
            f"{_fmt(r.get('change_repaint_s'), 's'):>8} {_fmt(r.get('change_mb')):>9} "
            f"{r.get('rss_one_mb', 0):>6.0f}M {r.get(f'rss_{sessions}_sessions_mb', 0):>6.0f}M "
            f"{_fmt(r.get('import_s'), 's'):>7}"
        )


if __name__ == "__main__":
    main()
