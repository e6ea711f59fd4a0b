"""Property: any filter state gives the same incidents through URL -> Filters -> engine as through
a plain pandas reference written here, independently of the registry's SQL."""

from __future__ import annotations

import json
import math
import re
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import textsearch
from dashboard.engine import Engine
from dashboard.filters import Filters, Near
from dashboard.formats import read_incidents
from dashboard.geocoding.gazetteer import load_sites
from dashboard.paths import DATA_DIR
from dashboard.synthetic import synthetic_incidents

ACTORS = pd.read_csv(DATA_DIR / "actors.csv", dtype=str, keep_default_na=False)
SIDE = dict(zip(ACTORS["name"], ACTORS["side"], strict=True))
UMBRELLAS = {
    row.name: {u.strip() for u in row.umbrella.split(";") if u.strip()}
    for row in ACTORS.itertuples()
}


def _incidents() -> pd.DataFrame:
    curated = read_incidents(DATA_DIR / "incidents.csv", dataset="curated", curated=True)
    synthetic = synthetic_incidents(300, seed=3, days=200)
    frame = pd.concat([curated, synthetic], ignore_index=True)
    # Some incidents list 0-3 sources of their own (as an export's `sources` column does).
    rng = np.random.default_rng(5)
    listed = rng.integers(0, 4, len(frame))
    cells = [
        json.dumps([{"publication": f"outlet {i}"} for i in range(n)]) if every_third else None
        for n, every_third in zip(listed, np.arange(len(frame)) % 3 == 0, strict=True)
    ]
    frame["sources"] = pd.Series(cells, dtype="string")
    return frame


INCIDENTS = _incidents()
ENGINE = Engine(INCIDENTS, search_in_background=False)
SITES = {s.id: s for s in load_sites().sites}


# ----------------------------------------------------------------------------- reference


def members(names) -> set[str]:
    names = set(names)
    return names | {a for a, umbrellas in UMBRELLAS.items() if umbrellas & names}


def haversine_km(lat, lon, lat0, lon0):
    lat, lon, lat0, lon0 = map(np.radians, (lat, lon, lat0, lon0))
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def inside(lat, lon, corners) -> np.ndarray:
    result = np.zeros(len(lat), dtype=bool)
    for (y1, x1), (y2, x2) in zip(corners, corners[1:] + corners[:1], strict=True):
        if y1 == y2:
            continue
        crosses = (y1 > lat) != (y2 > lat)
        at = (x2 - x1) * (lat - y1) / (y2 - y1) + x1
        result ^= crosses & (lon < at)
    return result


def reference(frame: pd.DataFrame, f: Filters) -> list[str]:
    keep = pd.Series(True, index=frame.index)
    if f.start:
        keep &= frame["event_date"] >= pd.Timestamp(f.start)
    if f.end:
        keep &= frame["event_date"] <= pd.Timestamp(f.end)
    for names, columns in ((f.attacker, ["actor1"]), (f.target, ["actor2"]),
                           (f.actor, ["actor1", "actor2"])):  # fmt: skip
        if names:
            wanted = members(names)
            keep &= np.logical_or.reduce([frame[c].isin(wanted).fillna(False) for c in columns])
    sides, role = f.side
    if sides:
        side1 = frame["actor1"].map(SIDE).fillna("Unknown")
        side2 = frame["actor2"].map(SIDE).fillna("Unknown")
        tests = {"attacker": [side1], "target": [side2], "either": [side1, side2]}[role]
        keep &= np.logical_or.reduce([s.isin(sides) for s in tests])
    for values, column in ((f.type, "event_type"), (f.weapon, "weapon"),
                           (f.country, "country"), (f.site, "site_id")):  # fmt: skip
        if values:
            keep &= frame[column].isin(values).fillna(False)
    lat, lon = frame["latitude"].to_numpy(float), frame["longitude"].to_numpy(float)
    if f.near:
        near = f.near
        keep &= pd.Series(haversine_km(lat, lon, near.latitude, near.longitude) <= near.km,
                          index=frame.index)  # fmt: skip
    if f.bbox:
        s, w, n, e = f.bbox
        keep &= pd.Series((lat >= s) & (lat <= n) & (lon >= w) & (lon <= e), index=frame.index)
    if f.area:
        keep &= pd.Series(inside(lat, lon, list(f.area)), index=frame.index)
    if f.min_casualties is not None:
        known = frame["killed"].notna() | frame["wounded"].notna()
        total = frame["killed"].fillna(0) + frame["wounded"].fillna(0)
        keep &= known & (total >= f.min_casualties)
    if f.min_sources is not None:
        listed = frame["sources"].map(lambda c: None if pd.isna(c) else len(json.loads(c)))
        own = (frame["source"].notna() | frame["source_url"].notna()).astype(int)
        keep &= listed.fillna(own).astype(int) >= f.min_sources
    if f.text:
        pattern = textsearch.pattern(f.text)
        text = (frame["location"].fillna("") + " " + frame["admin1"].fillna("") + " "
                + frame["notes"].fillna(""))  # fmt: skip
        found = text.map(lambda t: bool(pattern and re.search(pattern, textsearch.search_key(t))))
        site = textsearch.site_named(f.text)
        if site:
            found |= frame["site_id"].eq(site).fillna(False)
        keep &= found
    chosen = frame[keep.fillna(False).astype(bool)]
    return sorted(chosen["incident_id"])


# ----------------------------------------------------------------------------- strategies


def present(column: str) -> list[str]:
    return sorted(INCIDENTS[column].dropna().unique().tolist())


def subset(values):
    return st.lists(st.sampled_from(values), max_size=3, unique=True).map(tuple)


days = st.dates(min_value=date(2023, 9, 1), max_value=date(2024, 6, 1))
actor_names = present("actor1") + present("actor2") + sorted({u for s in UMBRELLAS.values()
                                                              for u in s})  # fmt: skip
located_sites = [s for s in SITES.values() if math.isfinite(s.latitude)]
near = st.builds(
    lambda site, km: Near(site.latitude, site.longitude, km, site.id),
    st.sampled_from(located_sites),
    st.sampled_from([5.0, 25.0, 100.0, 400.0]),
)
box = st.tuples(st.floats(28, 36), st.floats(35, 45), st.floats(0.5, 6), st.floats(0.5, 8)).map(
    lambda t: (round(t[0], 3), round(t[1], 3), round(t[0] + t[2], 3), round(t[1] + t[3], 3))
)
area = st.lists(
    st.tuples(st.floats(29, 37).map(lambda v: round(v, 3)),
              st.floats(36, 47).map(lambda v: round(v, 3))),
    min_size=3, max_size=7, unique=True,
).map(tuple)  # fmt: skip
words = st.sampled_from(
    [
        "Ain al Asad",
        "ayn al-asad",
        "rockets",
        "drone",
        "Erbil",
        "Tower 22",
        "al-Tanf",
        "base",
        "Jurf al Sakhar",
        "synthetic",
        "Harir",
        "qaim",
        "Baghdad airport",
        "xyzzy",
    ]
)

filter_states = st.builds(
    Filters,
    start=st.none() | days,
    end=st.none() | days,
    attacker=subset(actor_names),
    target=subset(actor_names),
    actor=subset(actor_names),
    side=st.tuples(
        subset(sorted(set(SIDE.values()) | {"Unknown"})),
        st.sampled_from(["attacker", "target", "either"]),
    ),  # fmt: skip
    type=subset(present("event_type")),
    weapon=subset(present("weapon")),
    country=subset(present("country")),
    site=subset(present("site_id")),
    near=st.none() | near,
    bbox=st.none() | box,
    area=st.none() | area,
    min_casualties=st.none() | st.integers(0, 12),
    min_sources=st.none() | st.integers(0, 4),
    text=st.just("") | words,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filter_states, st.randoms(use_true_random=False))
def test_url_filters_engine_equals_pandas_reference(state, random):
    # Keep two or three filters, or the intersection is almost always empty.
    chosen = {name for name, _ in random.sample(state.items(), 3)}
    kept = Filters(**{name: value if name in chosen else getattr(Filters(), name)
                      for name, value in state.items()})  # fmt: skip
    if kept.side[1] != "attacker" and not kept.side[0]:
        kept = Filters(**{**dict(kept.items()), "side": ((), "attacker")})
    parsed, problems = Filters.parse(kept.to_query(), ENGINE.vocabulary)
    assert problems == []
    assert parsed == kept
    assert sorted(ENGINE.frame(parsed)["incident_id"]) == reference(INCIDENTS, kept)


def test_transliterations_find_the_same_incidents():
    spellings = ["Ain al Asad", "AYN AL-ASAD", "Ayn al Asad", "ain-al-asad", "Al Asad Air Base"]
    found = {q: set(ENGINE.frame(Filters(text=q))["incident_id"]) for q in spellings}
    at_site = set(ENGINE.frame(Filters(site=("ain-al-asad",)))["incident_id"])
    assert len(at_site) > 0
    for query, ids in found.items():
        assert ids == found["Ain al Asad"], query
        assert at_site <= ids  # every incident placed at the site, however its text spells it


def test_near_reaches_exactly_the_radius():
    site = SITES["ain-al-asad"]
    counts = []
    for km in (1.0, 10.0, 50.0, 300.0):
        filters = Filters(near=Near(site.latitude, site.longitude, km, site.id))
        assert sorted(ENGINE.frame(filters)["incident_id"]) == reference(INCIDENTS, filters)
        counts.append(ENGINE.count(filters))
    assert counts == sorted(counts) and counts[-1] > counts[0]
