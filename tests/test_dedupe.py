"""Matching new incidents to stored ones: a table of cases for each rule and its edges, and the
indexed query against a plain pairwise reference on a few hundred synthetic incidents."""

from __future__ import annotations

import functools
import math
import unicodedata

import numpy as np
import pandas as pd
import pycountry
import pytest
import regex
from rapidfuzz.distance import Levenshtein

from dashboard import actors
from dashboard.dedupe import NEAR_KM, STRIKES, TOWN_KM, best_matches
from dashboard.engine import Engine
from dashboard.geocoding.provinces import load_provinces
from dashboard.schema import coerce_dtypes
from dashboard.synthetic import synthetic_incidents

IRI = "Islamic Resistance in Iraq"
KH = "Kataib Hezbollah"
USAF = "United States Armed Forces"
BASE = (33.7856, 42.4412)  # Ain al-Asad air base, as the gazetteer places it
KM_PER_DEGREE = 111.195


def incident(**fields) -> dict:
    row = {
        "incident_id": "stored-1", "event_date": "2024-01-20", "time_precision": 1,
        "event_type": "attack", "weapon": "ballistic_missile", "actor1": IRI, "actor2": USAF,
        "location": "Ain al-Asad air base", "site_id": "ain-al-asad", "country": "IQ",
        "latitude": BASE[0], "longitude": BASE[1], "geo_precision": 1, "source": "Wire",
    }  # fmt: skip
    row.update(fields)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return coerce_dtypes(pd.DataFrame(list(rows)))


def north(km: float) -> float:
    return BASE[0] + km / KM_PER_DEGREE


def matched(stored: list[dict], candidate: dict) -> list[str]:
    engine = Engine(frame(*stored), search_in_background=False)
    found = engine.matches(frame(incident(incident_id="new-1", **candidate)))
    return found["incident_id"].tolist()


NO_SITE = {"site_id": None}
UNPLACED = {"latitude": None, "longitude": None, "geo_precision": None}


@pytest.mark.parametrize(
    ("stored", "candidate", "expected"),
    [
        # Place: the same site, whatever the points say; else within 5 km (10 km for a town).
        ({}, {}, True),
        ({}, {"latitude": None, "longitude": None}, True),
        ({}, {"latitude": north(40), "geo_precision": 1}, True),  # the site decides
        ({"site_id": None}, {**NO_SITE, "latitude": north(4)}, True),
        ({"site_id": None}, {**NO_SITE, "latitude": north(6)}, False),
        ({"site_id": None}, {**NO_SITE, "latitude": north(9), "geo_precision": 2}, True),
        ({"site_id": None, "geo_precision": 2}, {**NO_SITE, "latitude": north(9)}, True),
        ({"site_id": None}, {**NO_SITE, "latitude": north(20), "geo_precision": 2}, False),
        ({}, {"site_id": "al-tanf", "latitude": 33.5, "longitude": 38.6}, False),  # 20+ km
        ({}, {**NO_SITE, **UNPLACED, "location": None}, False),  # no place at all
        ({**NO_SITE, **UNPLACED, "location": None}, {**NO_SITE}, False),
        # A place no table knows: the same first proper name (no article, any accents).
        (
            {**NO_SITE, **UNPLACED, "location": "Kobajeb"},
            {**NO_SITE, **UNPLACED, "location": "the village of Kobajeb in Deir ez-Zor"},
            True,
        ),
        (
            {**NO_SITE, **UNPLACED, "location": "the Khurmala oil field in Erbil province"},
            {**NO_SITE, **UNPLACED, "location": "Al-Khurmala field"},
            True,
        ),
        (
            {**NO_SITE, "location": "Kobajeb"},  # one of the two has a point: still the name
            {**NO_SITE, **UNPLACED, "location": "near Kobajeb"},
            True,
        ),
        (
            {**NO_SITE, **UNPLACED, "location": "Kobajeb"},
            {**NO_SITE, **UNPLACED, "location": "Kubajib village"},
            False,
        ),  # another spelling
        (
            {**NO_SITE, **UNPLACED, "location": "Ain al-Arab"},
            {**NO_SITE, **UNPLACED, "location": "Ain al-Asad"},
            False,
        ),  # names go past "al-"
        (
            {**NO_SITE, **UNPLACED, "location": "eastern Syria"},  # a country says no more
            {**NO_SITE, **UNPLACED, "location": "Syria"},
            False,
        ),
        (
            {**NO_SITE, **UNPLACED, "location": "Anbar province"},  # nor does a province
            {**NO_SITE, **UNPLACED, "location": "western Anbar"},
            False,
        ),
        (
            {**NO_SITE, "location": "Kobajeb"},  # both have points: the distance decides
            {**NO_SITE, "location": "Kobajeb", "latitude": north(30)},
            False,
        ),
        (
            {**NO_SITE, **UNPLACED, "location": "Kobajeb"},
            {**NO_SITE, **UNPLACED, "location": "Kobajeb", "event_date": "2024-01-21"},
            False,
        ),
        # Day: exact days equal; a week 7 days either way; a month the same calendar month.
        ({}, {"event_date": "2024-01-21"}, False),
        ({}, {"event_date": "2024-01-19"}, False),
        ({"time_precision": 2}, {"event_date": "2024-01-27"}, True),
        ({"time_precision": 2}, {"event_date": "2024-01-28"}, False),
        ({}, {"event_date": "2024-01-13", "time_precision": 2}, True),
        ({}, {"event_date": "2024-01-12", "time_precision": 2}, False),
        ({"time_precision": 3, "event_date": "2024-01-01"}, {"event_date": "2024-01-31"}, True),
        ({"time_precision": 3, "event_date": "2024-02-01"}, {"event_date": "2024-01-31"}, False),
        ({}, {"event_date": "2024-01-05", "time_precision": 3}, True),
        # Sides: equal, or either unknown; opposite sides never.
        ({}, {"actor1": KH}, True),  # both Iran-aligned militias
        ({}, {"actor1": None}, True),
        ({}, {"actor1": "Some unlisted group"}, True),
        ({}, {"actor1": USAF, "actor2": IRI}, False),
        # Types: equal, unknown or 'other', or both strikes (an attack and its interception).
        ({}, {"event_type": "interception"}, True),
        ({}, {"event_type": "foiled_attack"}, True),
        ({}, {"event_type": "airstrike"}, True),
        ({}, {"event_type": "other"}, True),
        ({}, {"event_type": None}, True),
        ({}, {"event_type": "clash"}, False),
        ({"event_type": "protest"}, {"event_type": "seizure"}, False),
        ({"event_type": "protest"}, {"event_type": "protest"}, True),
    ],
)
def test_match_rules(stored, candidate, expected):
    assert matched([incident(**stored)], candidate) == (["stored-1"] if expected else [])


def test_a_row_never_matches_itself():
    engine = Engine(frame(incident()), search_in_background=False)
    assert engine.matches(frame(incident())).empty


def test_matches_are_ranked_site_then_day_then_distance_then_weapon():
    stored = [
        incident(incident_id="a-rocket", weapon="rocket"),
        incident(incident_id="b-missile"),
        incident(incident_id="c-week", time_precision=2, event_date="2024-01-18"),
        incident(incident_id="d-near", site_id=None, latitude=north(1)),
    ]
    engine = Engine(frame(*stored), search_in_background=False)
    found = engine.matches(frame(incident(incident_id="new-1")))
    assert found["incident_id"].tolist() == ["b-missile", "a-rocket", "c-week", "d-near"]
    assert found["rank"].tolist() == [1, 2, 3, 4]
    assert found["same_site"].tolist() == [True, True, True, False]
    assert found["days_apart"].tolist() == [0, 0, 2, 0]
    assert found.loc[3, "km"] == pytest.approx(1.0, abs=0.01)
    assert best_matches(found)["incident_id"].tolist() == ["b-missile"]


def test_candidates_keep_their_positions():
    engine = Engine(frame(incident()), search_in_background=False)
    candidates = frame(
        incident(incident_id="x", event_date="2024-02-20"),
        incident(incident_id="y"),
        incident(incident_id="z", actor1=USAF),
    )
    found = engine.matches(candidates)
    assert found[["candidate", "incident_id"]].values.tolist() == [[1, "stored-1"]]


# ----------------------------------------------------------------------------- reference


def _window_ok(a, b) -> bool:
    loosest = max(a.time_precision, b.time_precision)
    if loosest == 3:
        return (a.event_date.year, a.event_date.month) == (b.event_date.year, b.event_date.month)
    apart = abs((a.event_date - b.event_date).days)
    return apart <= 7 if loosest == 2 else apart == 0


def _km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


_PARTICLE = r"(?:al|el|ad|ar|as|at|an|az|ash|ath|ez|es|ed|er|bin|ibn|abu|umm)[- ]"
_WORD = r"\p{Lu}[\p{L}'’-]*"


def _name(location) -> str:
    """The first proper name of a location, folded, without a leading article."""
    found = regex.search(rf"{_WORD}(?:[ -](?:{_PARTICLE})?{_WORD})*", str(location or ""))
    if not found:
        return ""
    plain = unicodedata.normalize("NFKD", found.group(0))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return regex.sub(r"^(the|al|el|ad|ar|as|at|an|az|ash|ath)[- ]+", "", plain)


@functools.cache
def _region_names() -> frozenset[str]:
    names = [n for p in load_provinces() for n in p.names]
    names += [c.name for c in pycountry.countries]
    names += [c.common_name for c in pycountry.countries if hasattr(c, "common_name")]
    return frozenset(_name(n) for n in names)


def _unplaced(row) -> bool:
    no_point = pd.isna(row.latitude) or row.geo_precision >= 3
    return no_point and pd.isna(row.site_id)


def _area(row) -> bool:
    """Precise, or a province-level row whose place is the province itself."""
    return row.geo_precision <= 2 or (
        row.geo_precision == 3 and _name(row.location) in _region_names()
    )


def _place_ok(a, b) -> bool:
    if pd.notna(a.site_id) and a.site_id == b.site_id:
        return True
    name = _name(a.location)
    other = _name(b.location)
    alike = name == other or (len(name) >= 6 and Levenshtein.distance(name, other) <= 1)
    if name and name not in _region_names() and alike and (_unplaced(a) or _unplaced(b)):
        return True
    if any(pd.isna(v) for v in (a.latitude, b.latitude, a.longitude, b.longitude)):
        return False
    if (a.geo_precision <= 2) != (b.geo_precision <= 2) and not (_area(a) and _area(b)):
        return False  # a place in a province, placed at its capital, is not near the capital
    limit = TOWN_KM if 2 in (a.geo_precision, b.geo_precision) else NEAR_KM
    return _km(a, b) <= limit


def _kind_ok(a, b, side) -> bool:
    sa, sb = side(a.actor1), side(b.actor1)
    if not (sa == sb or actors.UNKNOWN_SIDE in (sa, sb)):
        return False
    ta, tb = a.event_type, b.event_type
    loose = pd.isna(ta) or pd.isna(tb) or "other" in (ta, tb)
    return loose or ta == tb or (ta in STRIKES and tb in STRIKES)


def reference_pairs(stored: pd.DataFrame, candidates: pd.DataFrame) -> set[tuple[int, str]]:
    table = actors.load_actors()
    sides = dict(zip(table["name"], table["side"], strict=True))

    def side(name):
        return actors.UNKNOWN_SIDE if pd.isna(name) else sides.get(name, actors.UNKNOWN_SIDE)

    pairs = set()
    for position, a in enumerate(candidates.itertuples()):
        for b in stored.itertuples():
            if a.incident_id == b.incident_id:
                continue
            if _window_ok(a, b) and _place_ok(a, b) and _kind_ok(a, b, side):
                pairs.add((position, b.incident_id))
    return pairs


# Fewer stored incidents than candidates: candidates far from every stored one are set aside
# before the keyed query (the widened stored points); at 65 degrees north a grid column is
# narrower, so a candidate reaches more of them.
@pytest.mark.parametrize(
    ("stored_rows", "candidate_rows", "north"),
    [(400, 150, False), (60, 400, False), (60, 400, True)],
    ids=["more stored", "more candidates", "more candidates, far north"],
)
def test_indexed_matching_equals_the_pairwise_reference(stored_rows, candidate_rows, north):
    rng = np.random.default_rng(11)
    stored = synthetic_incidents(stored_rows, seed=21, days=40)
    candidates = synthetic_incidents(candidate_rows, seed=22, days=40).copy()
    if north:
        for table in (stored, candidates):
            table["latitude"] = table["latitude"] + 32.0
    candidates["incident_id"] = [f"cand-{i}" for i in range(len(candidates))]
    # Nudge points by up to 12 km, vary precisions and drop some places, so every rule is hit.
    shift = rng.uniform(-12, 12, len(candidates)) / KM_PER_DEGREE
    candidates["latitude"] = candidates["latitude"] + shift
    east = rng.uniform(-12, 12, len(candidates)) / KM_PER_DEGREE
    candidates["longitude"] = candidates["longitude"] + east / np.cos(
        np.radians(candidates["latitude"].astype("float64"))
    )
    candidates.loc[rng.random(len(candidates)) < 0.5, "site_id"] = pd.NA
    candidates["time_precision"] = pd.array(rng.choice([1, 1, 1, 2, 3], len(candidates)),
                                            dtype="Int64")  # fmt: skip
    candidates["geo_precision"] = pd.array(rng.choice([1, 2, 3], len(candidates)), dtype="Int64")
    for table in (stored, candidates):
        table["time_precision"] = table["time_precision"].fillna(1)
        table["geo_precision"] = table["geo_precision"].fillna(1)
    engine = Engine(stored, search_in_background=False)
    found = engine.matches(candidates)
    pairs = set(zip(found["candidate"], found["incident_id"], strict=True))
    expected = reference_pairs(stored, candidates)
    assert len(expected) > 10  # the data exercises the rules
    assert pairs == expected
