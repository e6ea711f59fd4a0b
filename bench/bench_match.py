"""Matching new incidents against the store: 10,000 candidates x 1,000,000 stored incidents.

    python bench/bench_match.py [--stored 1000000] [--candidates 10000] [--naive 200]

Stored: synthetic incidents (dashboard.synthetic, marked synthetic) over three years around the
gazetteer's sites, 10 % scattered; the engine is built from them as the app builds it.
Candidates: other synthetic incidents over the same years, their points nudged by up to 12 km,
half without a site, with mixed time and place precisions (as files and articles bring them).

Side by side in one run: the keyed query (dashboard.dedupe: site and grid-cell keys, days or
month per precision, then exact checks) and the obvious alternative, one DuckDB range join on
the date window with the same exact checks, timed on `--naive` candidates and scaled to the
full count. Prints wall and CPU seconds (all DuckDB threads: the steadier figure on a shared
machine);
never fails on time. Writes bench/results/match.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from dashboard import dedupe  # noqa: E402
from dashboard.engine import Engine  # noqa: E402
from dashboard.synthetic import synthetic_incidents  # noqa: E402

RESULTS = REPO / "bench" / "results" / "match.json"
DAYS = 3 * 365


def candidates_for(count: int):
    rng = np.random.default_rng(7)
    frame = synthetic_incidents(count, seed=8, days=DAYS, scattered=0.1).copy()
    frame["incident_id"] = [f"new-{i}" for i in range(count)]
    frame["latitude"] = frame["latitude"] + rng.uniform(-12, 12, count) / 111.195
    frame.loc[rng.random(count) < 0.5, "site_id"] = None
    frame["time_precision"] = rng.choice([1, 1, 1, 1, 2, 3], count)
    frame["geo_precision"] = rng.choice([1, 1, 2, 3], count)
    return frame


def naive_query() -> str:
    """The same checks after a plain range join on dates (no place keys)."""
    keyed = dedupe._query()
    start = keyed.index("checked AS (")
    stored = dedupe._STORED.format(cell=dedupe.CELL_DEGREES)
    names = keyed[keyed.index("names AS (") : keyed.index("by_name_keys AS (")].rstrip(", \n")
    pairs = f"""pairs AS (
        SELECT c.candidate, s.sid, coalesce((n.unplaced OR sn.unplaced) AND n.name <> ''
            AND n.name NOT IN {dedupe._region_names()} AND (n.name = sn.name
                OR (length(n.name) >= {dedupe.SPELLING_MIN} AND n.pre = sn.pre
                    AND levenshtein(n.name, sn.name) <= 1)), false) AS same_name
        FROM cand c JOIN stored s
        ON s.day BETWEEN c.day - INTERVAL 31 DAY AND c.day + INTERVAL 31 DAY
        LEFT JOIN named n USING (candidate) LEFT JOIN stored_named sn USING (sid))"""
    return f"WITH {stored}, {names}, {pairs}, {keyed[start:]}"


def timed(work):
    """Wall seconds and the work's value; CPU seconds (all threads) go to `CPU[-1]`."""
    began, cpu = time.perf_counter(), time.process_time()
    value = work()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - began, value


CPU: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=200)
    args = parser.parse_args()

    seconds, stored = timed(lambda: synthetic_incidents(args.stored, seed=3, days=DAYS,
                                                        scattered=0.1))  # fmt: skip
    print(f"generated {args.stored:,} stored incidents in {seconds:.1f} s")
    seconds, engine = timed(lambda: Engine(stored, search_in_background=False))
    print(f"engine built in {seconds:.1f} s")
    candidates = candidates_for(args.candidates)

    keyed_s, found = timed(lambda: engine.matches(candidates))
    matched = found["candidate"].nunique()
    print(
        f"keyed match: {args.candidates:,} x {args.stored:,} in {keyed_s:.2f} s "
        f"(CPU {CPU[-1]:.1f} s) "
        f"({len(found):,} pairs, {matched:,} candidates with a match)"
    )
    sample = candidates.iloc[: args.naive]
    db = engine._cursor()
    db.register("cand", dedupe.candidate_table(sample))
    naive_s, naive = timed(lambda: db.execute(naive_query()).df())
    naive_cpu = CPU[-1]
    keyed_sample = engine.matches(sample)
    same = set(zip(naive["candidate"], naive["incident_id"], strict=True)) == set(
        zip(keyed_sample["candidate"], keyed_sample["incident_id"], strict=True)
    )
    scaled = naive_s * args.candidates / len(sample)
    print(
        f"date-window join: {len(sample):,} candidates in {naive_s:.2f} s (CPU {naive_cpu:.1f} "
        f"s), about {scaled:.0f} s "
        f"for {args.candidates:,} (same pairs as keyed on that sample: {same})"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "stored": args.stored,
                "candidates": args.candidates,
                "keyed_s": keyed_s,
                "pairs": len(found),
                "naive_sample": len(sample),
                "naive_s": naive_s,
                "naive_scaled_s": scaled,
                "same_pairs_on_sample": same,
            },
            indent=2,
        )  # fmt: skip
    )


if __name__ == "__main__":
    main()
