"""What a zoom step and a playback frame cost the server, and how many bytes go to the browser,
at 100,000 and 1,000,000 incidents; side by side with the old map code where it applies.

    python bench/bench_map.py [--sizes 100000,1000000] [--old bd34aa1] [--no-old]

New code, per step (uncached, as for a view nobody asked before): the engine's answer for the
view (`mapcontent.map_content`), the feature group (`map.map_layers`) and the strings
streamlit-folium sends (`_get_feature_group_string`); bytes are the component's arguments as
sent on the websocket (JSON). Zoom steps go from the region (zoom 4) to a base (zoom 13) around
Ain al-Asad on a 1280 x 560 map, plus two pans.

Playback, per frame (week step, moving 30-day window): the same path with the window's dates,
and the alternative that sends every frame up front (per-hexagon counts for each step of the
period at the view's resolution, for a small JS player): its one-off time and bytes.

Old code (`git worktree add --detach` of the given commit, run in a subprocess): the map was
rebuilt from every selected incident on any rerun; a zoom caused none (nothing refined), so
its "step" is the rebuild that a colour change or filter caused: build + render, page bytes.
For playback, the nearest it had is that rebuild for a 30-day window.

Synthetic data only (dashboard.synthetic, seeded); scattered rows get the location
"synthetic scattered point". Prints tables; writes bench/results/bench_map.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.engine import Engine  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from dashboard.mapcontent import map_content, selection  # noqa: E402
from dashboard.mapview import MapView, plan  # noqa: E402
from dashboard.playback import Playback  # noqa: E402
from dashboard.synthetic import synthetic_incidents  # noqa: E402

MAP_SIZE = (1280, 560)
BASE = (33.7856, 42.4412)  # Ain al-Asad
ZOOMS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
PLAYBACK = Playback(step="week", window=30)
PLAYBACK_FRAMES = 6


def synthetic(n: int) -> pd.DataFrame:
    frame = synthetic_incidents(n, seed=42, days=800, scattered=0.1)
    frame["location"] = frame["location"].fillna("synthetic scattered point")
    return frame


def _sites():
    from dashboard.paths import DATA_DIR

    return pd.read_csv(DATA_DIR / "sites.csv").rename(columns={"id": "site_id"})


def sent_bytes(layers) -> tuple[int, int]:
    """(bytes, gzip bytes) of the component arguments streamlit-folium sends for a rerun."""
    from streamlit_folium import _get_feature_group_string, _get_map_string

    from dashboard.views.map import base_map

    fmap = base_map()
    fmap.get_root().render()
    args = {"script": _get_map_string(fmap),
            "feature_group": _get_feature_group_string(layers, fmap)}  # fmt: skip
    data = json.dumps(args).encode()
    return len(data), len(gzip.compress(data, 6))


def step(engine: Engine, filters: Filters, view: MapView, sites, about, bounds) -> dict:
    """One zoom step or frame: engine answer + layers + streamlit-folium strings, timed.
    `about` and `bounds` belong to the selection: the app asks them once per selection."""
    from dashboard.views.map import Display, map_layers

    start, cpu = time.perf_counter(), time.process_time()
    content = map_content(engine, filters, plan(view), about=about)
    answered = time.perf_counter()
    layers = map_layers(content, Display(), sites=sites, description="bench",
                        fit=("bench", bounds))  # fmt: skip
    size, zipped = sent_bytes(layers)
    done = time.perf_counter()
    return {
        "zoom": view.zoom, "mode": content.mode, "symbols": layers.atlas_summary.features,
        "resolution": content.resolution, "in_view": content.in_box,
        "engine_s": round(answered - start, 3), "server_s": round(done - start, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "bytes": size, "gzip_bytes": zipped,
    }  # fmt: skip


def views() -> list[tuple[str, MapView]]:
    steps = [(f"zoom {z}", MapView.around(*BASE, z, MAP_SIZE)) for z in ZOOMS]
    seven = MapView.around(*BASE, 7, MAP_SIZE)
    half = (seven.east - seven.west) / 2
    steps.append(("pan east", replace(seven, west=seven.west + half, east=seven.east + half)))
    steps.append(("pan north", MapView.around(BASE[0] + 2, BASE[1] + half, 7, MAP_SIZE)))
    return steps


def precomputed_frames(engine: Engine, filters: Filters, view: MapView) -> dict:
    """The send-everything alternative: per hexagon and per week counts for the whole period
    at the view's resolution (what a JS player would need to sum any window itself)."""
    from dashboard.engine import parent_mask

    query = plan(view)
    and_mask, or_bits = parent_mask(query.safe_resolution)
    where, params = engine._map_where(filters, query.box)
    start = time.perf_counter()
    rows = engine._frame(
        f"""SELECT ((cell & {and_mask}::UBIGINT) | {or_bits}::UBIGINT) AS c,
            date_trunc('week', event_date) AS week, count(*) AS n
        FROM incidents WHERE {where} GROUP BY ALL""",
        params,
    )
    payload = {}
    for cell, week, n in rows.itertuples(index=False):
        payload.setdefault(str(cell), {})[str(week)[:10]] = int(n)
    data = json.dumps(payload).encode()
    return {"server_s": round(time.perf_counter() - start, 3), "bytes": len(data),
            "gzip_bytes": len(gzip.compress(data, 6)), "cells": len(payload)}  # fmt: skip


def frames(engine: Engine, sites) -> tuple[list[dict], dict]:
    span = engine.data_span()
    chosen = PLAYBACK.frames(*span)
    picks = chosen[:: max(1, len(chosen) // PLAYBACK_FRAMES)][:PLAYBACK_FRAMES]
    view = MapView.around(*BASE, 6, MAP_SIZE)
    results = []
    bounds = engine.map_bounds(Filters())
    for frame in picks:
        windowed = Filters(start=frame.start, end=frame.end)
        start, cpu = time.perf_counter(), time.process_time()
        about = selection(engine, windowed)  # each frame is a new selection: timed with it
        result = step(engine, windowed, view, sites, about, bounds)
        result["server_s"] = round(time.perf_counter() - start, 3)
        result["cpu_s"] = round(time.process_time() - cpu, 3)
        results.append({"frame": frame.label(), **result})
    return results, precomputed_frames(engine, Filters(), view)


# ----------------------------------------------------------------------------- old code

OLD_SCRIPT = """
import gzip, json, sys, time
import pandas as pd
from dashboard import actors
from dashboard.views.map import build_map
frame = actors.with_sides(pd.read_parquet(sys.argv[1]))
sites = pd.read_csv("data/sites.csv").rename(columns={"id": "site_id"})
out = {}
for name, part in (("all", frame), ("window", frame[frame["event_date"].between(
        pd.Timestamp(sys.argv[2]), pd.Timestamp(sys.argv[3]))])):
    start = time.perf_counter()
    fmap = build_map(part, sites=sites)
    built = time.perf_counter()
    page = fmap.get_root().render().encode()
    done = time.perf_counter()
    out[name] = {"rows": len(part), "build_s": round(built - start, 3),
                 "server_s": round(done - start, 3), "bytes": len(page),
                 "gzip_bytes": len(gzip.compress(page, 6)),
                 "symbols": fmap.atlas_summary.features}
print(json.dumps(out))
"""


def old_map(commit: str, frame: pd.DataFrame, window) -> dict | None:
    """The old build_map in its own checkout and interpreter (so its modules stay its own)."""
    with tempfile.TemporaryDirectory(prefix="atlas-old-map-") as tmp:
        checkout = Path(tmp) / "old"
        made = subprocess.run(["git", "worktree", "add", "--detach", str(checkout), commit],
                              cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        if made.returncode:
            print(f"(old code skipped: {made.stderr.strip()})")
            return None
        try:
            data = Path(tmp) / "incidents.parquet"
            frame.to_parquet(data)
            env = {**os.environ, "PYTHONPATH": str(checkout)}
            run = subprocess.run(
                [sys.executable, "-c", OLD_SCRIPT, str(data), str(window[0]), str(window[1])],
                cwd=checkout, env=env, capture_output=True, text=True,
            )  # fmt: skip
            if run.returncode:
                print(f"(old code failed: {run.stderr.strip().splitlines()[-1]})")
                return None
            return json.loads(run.stdout.strip().splitlines()[-1])
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT,
                           capture_output=True)  # fmt: skip


# ----------------------------------------------------------------------------- report


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f}"


HEADER = "mode  symbols  in view  server s    CPU s  sent MB  gzip MB"


def _row(name: str, r: dict) -> str:
    return (f"  {name:<28} {r['mode']:>6} {r['symbols']:>8,} {r['in_view']:>8,} "
            f"{r['server_s']:>9.3f} {r['cpu_s']:>8.3f} {_mb(r['bytes']):>8} "
            f"{_mb(r['gzip_bytes']):>8}")  # fmt: skip


def report(n: int, build_s: float, selection_s: float, zooms, playback, precomputed,
           old) -> None:  # fmt: skip
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\n== {n:,} incidents (engine built in {build_s:.1f} s, once per data version; "
          f"load average {load} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"selection's counts and bounds, once per filter change: {selection_s:.3f} s")
    print(f"{'zoom steps, new code':<33}{HEADER}")
    for name, r in zooms:
        print(_row(name, r))
    worst = [max(r[k] for _, r in zooms) for k in ("server_s", "cpu_s", "bytes")]
    print(f"  worst step: {worst[0]:.3f} s server ({worst[1]:.3f} s CPU), "
          f"{_mb(worst[2])} MB sent")  # fmt: skip
    if old:
        o = old["all"]
        print(f"old code (bd34aa1), any rerun rebuilds the map: {o['symbols']:,} symbols, "
              f"{o['server_s']:.2f} s server, {_mb(o['bytes'])} MB page "
              f"({_mb(o['gzip_bytes'])} MB gzip); zooming refined nothing")  # fmt: skip
    print(f"{'playback, week step, 30 days':<33}{HEADER}")
    for r in playback:
        print(_row(r["frame"], r))
    median = [statistics.median(r[k] for r in playback) for k in ("server_s", "cpu_s", "bytes")]
    print(f"  median frame: {median[0]:.3f} s server ({median[1]:.3f} s CPU), "
          f"{_mb(median[2])} MB sent")  # fmt: skip
    print(f"  alternative, every frame up front: {precomputed['server_s']:.3f} s once, "
          f"{_mb(precomputed['bytes'])} MB ({_mb(precomputed['gzip_bytes'])} MB gzip) for "
          f"{precomputed['cells']:,} hexagons; redone on every zoom step")  # fmt: skip
    if old:
        o = old["window"]
        print(f"  old code, rebuilding for a 30-day window: {o['symbols']:,} symbols, "
              f"{o['server_s']:.2f} s, {_mb(o['bytes'])} MB")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--old", default="bd34aa1", help="commit of the old map code")
    parser.add_argument("--no-old", action="store_true", help="skip the old code")
    args = parser.parse_args()
    sites = _sites()
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        frame = synthetic(n)
        start = time.perf_counter()
        engine = Engine(frame, search_in_background=False)
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        about, bounds = selection(engine, Filters()), engine.map_bounds(Filters())
        selection_s = time.perf_counter() - start
        step(engine, Filters(), views()[3][1], sites, about, bounds)  # a server is warm
        zooms = [(name, step(engine, Filters(), view, sites, about, bounds))
                 for name, view in views()]  # fmt: skip
        playback, precomputed = frames(engine, sites)
        last = engine.data_span()[1]
        window = (last - timedelta(days=29), last)
        old = None if args.no_old else old_map(args.old, frame, window)
        report(n, build_s, selection_s, zooms, playback, precomputed, old)
        results.append({"rows": n, "engine_build_s": round(build_s, 2),
                        "selection_s": round(selection_s, 3),
                        "zoom_steps": [{"step": name, **r} for name, r in zooms],
                        "playback_frames": playback, "precomputed_frames": precomputed,
                        "old": old})  # fmt: skip
        engine.close()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_map.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
