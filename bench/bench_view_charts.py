"""Server time to make the desk's charts on each rerun: five breakdowns and the timeline.

Side by side: building each breakdown with Altair on every rerun (construction, validation and
to_dict, as `st.altair_chart` would) against `breakdown_spec` (the chart built once per kind,
its data filled in). And the timeline built with Altair (what the page caches per view). Data:
the curated incidents and 100,000 synthetic (generated, marked) ones. Prints a table and writes
bench/results/view_charts.json. Never fails on time.

    PYTHONPATH=. python bench/bench_view_charts.py
"""

from __future__ import annotations

import json
import logging
import platform
import statistics
import time
from pathlib import Path

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.paths import DATA_DIR
from dashboard.synthetic import synthetic_incidents
from dashboard.views.breakdowns import (
    DATA_NAME,
    DESK_LIMIT,
    PANELS,
    _month_chart,
    _rows_chart,
    breakdown_rows,
    breakdown_spec,
)
from dashboard.views.timeline import build_timeline

RESULTS = Path(__file__).parent / "results" / "view_charts.json"
REPEATS = 5


def altair_every_time(rows_by: dict) -> None:
    """The alternative: a fresh Altair chart per breakdown, validated into a spec."""
    for by, rows in rows_by.items():
        chart = _month_chart(by) if by == "month" else _rows_chart(by)
        spec = chart.to_dict()
        spec["datasets"] = {DATA_NAME: rows.to_dict("records")}


def filled_template(rows_by: dict) -> None:
    for by, rows in rows_by.items():
        breakdown_spec(rows, by)


def seconds(work, *args) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name: str, engine: Engine) -> dict:
    rows_by = {
        p.by: breakdown_rows(engine.breakdown(Filters(), p.by, limit=DESK_LIMIT), p.by,
                             engine.vocabulary)
        for p in PANELS
    }  # fmt: skip
    filled_template(rows_by)  # the one-off build of each kind of chart
    frequency = engine.frequency(Filters())
    counts = engine.timeline(Filters(), frequency=frequency)
    return {
        "data": name,
        "breakdowns_altair_each_rerun_s": seconds(altair_every_time, rows_by),
        "breakdowns_template_s": seconds(filled_template, rows_by),
        "timeline_altair_s": seconds(
            lambda: build_timeline(counts, frequency=frequency, by="side").to_dict()
        ),
        "breakdown_queries_s": seconds(
            lambda: [engine.breakdown(Filters(), p.by, limit=DESK_LIMIT) for p in PANELS]
        ),
    }


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    results = [
        measure(
            "curated (74)",
            Engine(read_incidents(DATA_DIR / "incidents.csv"), search_in_background=False),
        ),  # fmt: skip
        measure(
            "synthetic (100,000)",
            Engine(synthetic_incidents(100_000, seed=1), search_in_background=False),
        ),  # fmt: skip
    ]
    print(f"median of {REPEATS} runs, seconds")
    print(f"{'data':22} {'5 breakdowns: Altair':>22} {'template':>10} {'timeline':>10} "
          f"{'queries':>9}")  # fmt: skip
    for r in results:
        print(f"{r['data']:22} {r['breakdowns_altair_each_rerun_s']:22.3f} "
              f"{r['breakdowns_template_s']:10.3f} {r['timeline_altair_s']:10.3f} "
              f"{r['breakdown_queries_s']:9.3f}")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
