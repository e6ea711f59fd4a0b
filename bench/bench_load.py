"""Load: many headless sessions changing filters against one server, with and without an
import running beside them (loopback only, bounded in time).

    python bench/bench_load.py [--sessions 20] [--seconds 120] [--every 2] [--rows 100000]

One server (streamlit run, 127.0.0.1) on a fresh local store seeded with the curated set plus
`rows` synthetic incidents. `sessions` pages in one headless Chromium each toggle the Country
filter every `every` seconds for `seconds` seconds; a second phase repeats it while
`atlas import` loads further synthetic batches into the same store in a loop. Reported per
phase: filter changes made, errors (exceptions shown on a page, pages whose rerun never
finished), p50 / p95 filter-to-repaint seconds and server seconds (the rerun request to the
script's end, as the browser's websocket sees them: the server's share of the wait), and server
RSS over time (min / max / last). The browsers run on the same machine as the server: on a
small machine their drawing competes with it for the cores.
Writes bench/results/load.json. Never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.bench_scale import Probe, rss_mb, server  # noqa: E402
from dashboard.synthetic import synthetic_incidents  # noqa: E402
from tests.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

EXCEPTION = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def synthetic_csv(rows: int, seed: int, folder: Path) -> Path:
    path = folder / f"synthetic-{seed}.csv"
    frame = synthetic_incidents(rows, seed=seed, scattered=0.1)
    frame["location"] = frame["location"].fillna("synthetic scattered point")
    frame.to_csv(path, index=False)
    return path


def atlas(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], env=env, capture_output=True, text=True
    )


class Importer(threading.Thread):
    """`atlas import` of fresh synthetic batches into the same store, one after another."""

    def __init__(self, env: dict[str, str], folder: Path, rows: int):
        super().__init__(daemon=True)
        self.env, self.folder, self.rows = env, folder, rows
        self.stop = threading.Event()
        self.imports: list[dict] = []

    def run(self) -> None:
        seed = 1000
        while not self.stop.is_set():
            path = synthetic_csv(self.rows, seed, self.folder)
            started = time.monotonic()
            done = atlas("import", str(path), env=self.env)
            self.imports.append(
                {"seconds": time.monotonic() - started, "exit": done.returncode,
                 "error": done.stderr.strip().splitlines()[-1:] if done.returncode else []}
            )  # fmt: skip
            path.unlink()
            seed += 1


class Session:
    """One page toggling its Country filter; a change is due `every` seconds after the last
    one settled (or was given up after `patience` seconds)."""

    def __init__(self, probe: Probe, every: float, patience: float = 60.0):
        self.probe, self.every, self.patience = probe, every, patience
        self.chosen = False
        self.busy_since: float | None = None
        self.next_at = time.monotonic()

    def step(self, latencies: list[dict], errors: list[str], index: int) -> int:
        now = time.monotonic()
        if self.busy_since is None:
            if now < self.next_at:
                return 0
            self.probe.begin_country(None if self.chosen else "Iraq")
            self.chosen = not self.chosen
            self.busy_since = now
            return 1
        result = self.probe.settled()
        if result is None and now - self.busy_since < self.patience:
            return 0
        if result is None:
            errors.append(f"session {index}: no repaint within {self.patience:g} s")
        else:
            latencies.append(result)
        if self.probe.page.locator(EXCEPTION).count():
            errors.append(
                f"session {index}: {self.probe.page.locator(EXCEPTION).first.inner_text()}"
            )
        self.busy_since = None
        self.next_at = time.monotonic() + self.every
        return 0


def _quantile(values: list[float], q: float) -> float | None:
    """The q-quantile (nearest rank) of what was measured; None when nothing was."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def phase(browser, url: str, pid: int, args) -> dict:
    probes = [Probe(browser, url) for _ in range(args.sessions)]
    for probe in probes:
        probe.wait_for_map(timeout=300)
    sessions = [Session(p, args.every) for p in probes]
    latencies: list[dict] = []
    errors: list[str] = []
    memory: list[float] = []
    changes = 0
    ends = time.monotonic() + args.seconds
    next_sample = time.monotonic()
    while time.monotonic() < ends or any(s.busy_since is not None for s in sessions):
        for index, session in enumerate(sessions):
            if time.monotonic() < ends or session.busy_since is not None:
                changes += session.step(latencies, errors, index)
        if time.monotonic() >= next_sample:
            memory.append(rss_mb(pid))
            next_sample += 5
        probes[0].page.wait_for_timeout(25)
    for probe in probes:
        probe.page.close()
    repaint = [r["repaint_s"] for r in latencies]
    served = [r["server_s"] for r in latencies if r["server_s"] is not None]
    return {
        "changes": changes,
        "errors": errors,
        "p50_s": _quantile(repaint, 0.5),
        "p95_s": _quantile(repaint, 0.95),
        "server_p50_s": _quantile(served, 0.5),
        "server_p95_s": _quantile(served, 0.95),
        "rss_mb": {"min": min(memory), "max": max(memory), "last": memory[-1]} if memory else {},
        "rss_samples": memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=50_000)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        home = folder / "home"
        env = {**os.environ, "ATLAS_HOME": str(home)}
        env.pop("ATLAS_DATA", None)
        loaded = atlas("import", str(synthetic_csv(args.rows, 1, folder)), env=env)
        if loaded.returncode:
            raise SystemExit(f"could not prepare the store: {loaded.stderr}")
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        with server(REPO, "", home, folder / "server.log") as (url, pid, _, _proxy):
            print(
                f"{args.sessions} sessions, {args.seconds} s, no import beside them...", flush=True
            )
            results["quiet"] = phase(browser, url, pid, args)
            importer = Importer(env, folder, args.import_rows)
            importer.start()
            print("... and with imports running beside them", flush=True)
            results["importing"] = phase(browser, url, pid, args)
            importer.stop.set()
            importer.join(timeout=600)
            results["importing"]["imports"] = importer.imports
        browser.close()
    report(results, args)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2))


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}s"


def report(results: dict, args) -> None:
    print(f"machine: {os.cpu_count()} cores; {args.sessions} sessions, a change every "
          f"{args.every:g} s each, {args.seconds} s a phase")  # fmt: skip
    print(
        f"{'phase':>10} {'changes':>8} {'errors':>7} {'repaint p50':>11} {'p95':>7} "
        f"{'server p50':>10} {'p95':>7} {'RSS min/max/last MB':>22}"
    )
    for name, r in results.items():
        rss = r["rss_mb"]
        shown = [_seconds(r.get(key)) for key in ("p50_s", "p95_s", "server_p50_s", "server_p95_s")]
        print(
            f"{name:>10} {r['changes']:>8} {len(r['errors']):>7} {shown[0]:>11} {shown[1]:>7} "
            f"{shown[2]:>10} {shown[3]:>7} "
            f"{rss.get('min', 0):>7.0f}/{rss.get('max', 0):.0f}/{rss.get('last', 0):.0f}"
        )
        for error in r["errors"][:5]:
            print(f"{'':>10} {error}")
        if "imports" in r:
            ok = sum(1 for i in r["imports"] if i["exit"] == 0)
            print(f"{'':>10} imports beside: {ok} of {len(r['imports'])} succeeded")


if __name__ == "__main__":
    main()
