"""Map build cost and page size against data size (synthetic incidents, numpy seeded).

    python bench/bench_map.py [--sizes 1000,10000,100000,1000000] [--heat]

Prints, per size: how the incidents were drawn (points or grid cells), Python build time,
render time (folium -> HTML), the HTML's bytes raw and gzipped, and folium's top-level
element count. Writes the figures to bench/results/bench_map.json. Never fails on time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import actors  # noqa: E402
from dashboard.synthetic import synthetic_incidents  # noqa: E402
from dashboard.views.map import build_map  # noqa: E402


def synthetic(n: int, seed: int = 42) -> pd.DataFrame:
    """n generated incidents around the gazetteer's sites, 10 % scattered over the region."""
    return actors.with_sides(synthetic_incidents(n, seed=seed, days=800, scattered=0.1))


def measure(n: int, heat: bool) -> dict:
    frame = synthetic(n)
    start = time.perf_counter()
    fmap = build_map(frame, heat=heat, highlight_days=7)
    built = time.perf_counter()
    page = fmap.get_root().render().encode("utf-8")
    rendered = time.perf_counter()
    summary = fmap.atlas_summary
    return {
        "rows": n,
        "heat": heat,
        "mode": summary.mode,
        "circles": summary.features,
        "cell_degrees": summary.cell_degrees,
        "build_s": round(built - start, 3),
        "render_s": round(rendered - built, 3),
        "html_bytes": len(page),
        "gzip_bytes": len(gzip.compress(page, 6)),
        "map_children": len(fmap._children),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--heat", action="store_true", help="also add the heat layer")
    args = parser.parse_args()
    results = []
    header = ("rows", "mode", "circles", "squares", "build s", "render s", "HTML MB", "gzip MB",
              "children")  # fmt: skip
    widths = (9, 6, 7, 9, 8, 8, 8, 8, 8)
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for n in (int(s) for s in args.sizes.split(",")):
        r = measure(n, args.heat)
        results.append(r)
        cell = "-" if not r["cell_degrees"] else "-".join(f"{d:g}" for d in r["cell_degrees"])
        print(f"{n:>9,} {r['mode']:>6} {r['circles']:>7,} {cell:>9} {r['build_s']:>8.2f} "
              f"{r['render_s']:>8.2f} {r['html_bytes'] / 1e6:>8.2f} {r['gzip_bytes'] / 1e6:>8.2f} "
              f"{r['map_children']:>8}", flush=True)  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "bench_map_heat.json" if args.heat else "bench_map.json"
    (out / name).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
