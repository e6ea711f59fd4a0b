"""How much of the start to the first map is Streamlit's, and how much is this app's.

    .venv/bin/python bench/bench_start_floor.py [--runs 5]

Three pages, each started as a fresh server process and opened by headless Chromium at
1920x1080 (a new browser context each time, so nothing is cached), timed from the process start
to the first map painted, interleaved run by run:
- `bare`: a Streamlit script with nothing but a folium map (Leaflet only, no tiles, one polygon)
  in st_folium: the floor of Streamlit + streamlit-folium on this machine;
- `map`: a script with nothing but this app's map of the 74 bundled incidents (`show_map`:
  its scripts, basemap, layers and legend), no sidebar, no charts, no table;
- `app`: the dashboard as `make run` starts it (`dashboard.serve`), on the bundled incidents.
Prints the median and the runs of each; writes bench/results/start_floor.json. Never fails on a
figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.bench_scale import PAINTED  # noqa: E402
from tests.browser import CHROMIUM_FLAGS, chromium_path, free_port, wait_healthy  # noqa: E402

BARE = """
import folium
from streamlit_folium import st_folium

from dashboard.views.offline_assets import use_offline_assets

use_offline_assets()
fmap = folium.Map(location=[33, 43], zoom_start=5, tiles=None)
triangle = [[[40, 30], [45, 30], [45, 35], [40, 30]]]
folium.GeoJson({"type": "Polygon", "coordinates": triangle}).add_to(fmap)
st_folium(fmap, height=500, width=800, returned_objects=[])
"""
MAP_ONLY = """
import streamlit as st

from dashboard.filters import Filters
from dashboard.views import common
from dashboard.views.map_panel import show_map

st.set_page_config(layout="wide")
show_map(common.current_engine(), Filters(), key="incident_map", color_by="side",
         metric="incidents", heat=False, focus_id=None, description="", playback=None)
"""


def scripts(folder: Path) -> dict[str, list[str]]:
    """The command of each page; the two small scripts sit beside a link to the app's static
    folder (Streamlit serves `static/` next to the script it runs)."""
    (folder / "static").symlink_to(ROOT / "dashboard" / "static")
    commands = {}
    for name, text in (("bare", BARE), ("map", MAP_ONLY)):
        path = folder / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        commands[name] = [sys.executable, "-m", "streamlit", "run", str(path)]
    commands["app"] = [sys.executable, "-m", "dashboard.serve"]
    return commands


def start_to_map(browser, command: list[str], home: Path) -> float | None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ATLAS_HOME": str(home),
           "ATLAS_DATA": str(ROOT / "data" / "incidents.csv")}  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, timeout=120)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        try:
            page.goto(f"http://127.0.0.1:{port}", timeout=120_000)
            return _painted(page, started)
        finally:
            page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


def _painted(page, started: float, timeout: float = 120) -> float | None:
    while time.monotonic() - started < timeout:
        for frame in page.frames:
            try:
                if frame.evaluate(PAINTED):
                    return time.monotonic() - started
            except Exception:  # noqa: BLE001 - frames come and go while loading
                continue
        page.wait_for_timeout(30)
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[float | None]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        commands = scripts(folder)
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for run in range(args.runs):
            for name, command in commands.items():
                seconds = start_to_map(browser, command, folder / f"home-{name}")
                results.setdefault(name, []).append(seconds)
                print(f"run {run + 1}: {name:>4} {seconds:.2f} s" if seconds else f"{name}: -")
        browser.close()
    print(f"machine: {os.cpu_count()} cores; process start to first map painted")
    for name, runs in results.items():
        done = [r for r in runs if r is not None]
        median = f"{statistics.median(done):.2f} s" if done else "-"
        print(f"{name:>4}: median {median}  runs {', '.join(f'{r:.2f}' for r in done)}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "start_floor.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
