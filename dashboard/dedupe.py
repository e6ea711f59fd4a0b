"""Likely duplicates: which new incidents (an article's candidates, a file's rows) report an event
the store already holds, so that they can become sources of it instead of new rows.

A new incident matches a stored one when all four hold:

- **Place**: the same gazetteer site, or both located within `NEAR_KM` (5 km) of each other,
  `TOWN_KM` (10 km) when either point is only a nearby town (geo_precision 2). Sites come
  first because reports of one attack place it by the site's name while datasets give
  coordinates of their own: the gazetteer point, ACLED's and UCDP's differ by up to a few km for
  the same base (the bases themselves are 2-5 km across). A town stands 5-10 km from the
  site it names (al-Baghdadi and Ain al-Asad, Harir town and air base); the extractor joins a
  town and a site within 10 km for the same reason. 20 km apart is another place.
  When either has no point (a village, field or valley no bundled table knows, which articles
  name most often of all their places: "Kobajeb", "the Khurmala oil field in Arbil province"),
  the same place name: the first proper name of both locations ("kobajeb", "khurmala"),
  folded, without a leading article, and not a country's or province's name ("Syria" in
  "eastern Syria" says nothing about which village); names of `SPELLING_MIN` letters or more
  also match with one letter different after their first three ("Kuwayya", "Kuwaya"). A
  point that stands for a province (geo_precision 3; the bundled provinces' points are their
  capitals') is compared by distance with a precise one only when its place is the province
  itself ("Aleppo province" and Aleppo): "the Khurmala oil field in Erbil province", placed
  at Erbil, is not an attack near Erbil airport. Measured on real reporting
  (bench/bench_merge_real.py), these two were most of the events several articles reported
  that still became several incidents, and one wrong merge.
- **Day**, within the looser of the two time precisions: exact days (1) must be equal; a week
  (2) allows 7 days either way; a month (3) means the same calendar month. Exact days get no
  tolerance because attacks on one base on consecutive days are common (Ain al-Asad, 18 and 19
  Oct 2023, in the curated set), and a day's tolerance would fold them into one.
- **Sides**: the attackers' sides (actors.csv) are equal, or either is unknown.
- **Type**: equal; or either is 'other' or unknown; or both are in the strike family
  (attack, airstrike, interception, foiled_attack): one outlet reports "a drone attack on the
  base", another "a drone intercepted over the base", a third "a foiled attack" - the same
  event, as the extractor already treats them within one article. Clashes, seizures and
  protests match only their own kind. The weapon is not a condition (outlets disagree on
  rockets and drones) but ranks matches.

Matching is one DuckDB query over the engine's table: each new incident is expanded into the
keys it may share with a stored one (its site or the 0.1-degree grid cells within reach, and
the days or month its precision allows against each stored precision), joined on equality
with the stored incidents' keys, and only those pairs are checked exactly; place names are
read once per distinct location. 10,000 new incidents against 1,000,000 stored take seconds
(bench/bench_match.py: median 2.6 s, 1.7 s before names were compared).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from dashboard import actors
from dashboard.geocoding.provinces import load_provinces

NEAR_KM = 5.0
TOWN_KM = 10.0
WEEK_DAYS = 7
CELL_DEGREES = 0.1  # grid for the distance test: 11.1 km of latitude, more than TOWN_KM
STRIKES = ("attack", "airstrike", "interception", "foiled_attack")
EARTH_KM = 6371.0088
# Names of this many letters or more match with one letter added, dropped or changed
# ("Kuwayya", "Kuwaya"): shorter ones are too often other villages.
SPELLING_MIN = 6
MATCH_COLUMNS = ("candidate", "incident_id", "rank", "days_apart", "km", "same_site")


def _text(frame: pd.DataFrame, name: str) -> pa.Array:
    """A text column as Arrow (no copy when pandas already keeps it in Arrow)."""
    if name not in frame.columns:
        return pa.nulls(len(frame), pa.string())
    values = pa.array(frame[name].astype("string[pyarrow]"), from_pandas=True)
    return values.cast(pa.string())


def _whole(frame: pd.DataFrame, name: str, missing: int) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), missing, dtype="int64")
    return frame[name].astype("Int64").fillna(missing).to_numpy("int64")


def _degrees(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy("float64", na_value=np.nan)


def _side(names: pa.Array) -> pa.Array:
    table = actors.load_actors()
    known = pa.array(table["name"].astype(str).tolist(), pa.string())
    sides = pa.array(table["side"].astype(str).tolist(), pa.string())
    found = pc.take(sides, pc.index_in(names, value_set=known))
    return pc.fill_null(found, actors.UNKNOWN_SIDE)


def candidate_table(candidates: pd.DataFrame, positions: np.ndarray | None = None) -> pa.Table:
    """The columns matching reads, one row per new incident, numbered from 0 (`candidate`) or
    by `positions` (the rows' positions in the whole file when `candidates` is a part of it)."""
    lat, lon = _degrees(candidates, "latitude"), _degrees(candidates, "longitude")
    located = np.isfinite(lat) & np.isfinite(lon)
    # How many grid columns TOWN_KM spans at this latitude (columns narrow towards the poles).
    column_km = 111.32 * np.cos(np.radians(np.clip(np.abs(np.nan_to_num(lat)), 0, 89)))
    reach = np.ceil(TOWN_KM / (column_km * CELL_DEGREES)).astype("int64")
    days = pd.to_datetime(candidates["event_date"]).to_numpy("datetime64[ns]")
    return pa.table(
        {
            "candidate": np.arange(len(candidates), dtype="int64")
            if positions is None
            else np.asarray(positions, dtype="int64"),
            "own_id": _text(candidates, "incident_id"),
            "day": pa.array(days).cast(pa.date32()),
            "tp": _whole(candidates, "time_precision", 1),
            "event_type": _text(candidates, "event_type"),
            "weapon": _text(candidates, "weapon"),
            "side1": _side(_text(candidates, "actor1")),
            "site_id": _text(candidates, "site_id"),
            # A missing point is null (not NaN) in SQL.
            "lat": pa.array(np.where(located, lat, np.nan), from_pandas=True),
            "lon": pa.array(np.where(located, lon, np.nan), from_pandas=True),
            "gp": _whole(candidates, "geo_precision", 1),
            "reach": reach,
            "location": _text(candidates, "location"),
        }
    )


# Stored incidents within the candidates' dates, with their keys (sid: the row, cheaper to
# join on than the id). The month key is year * 12 + month; day keys are dates.
_STORED = """
stored AS (
    SELECT rowid AS sid, incident_id, event_date AS day, coalesce(time_precision, 1) AS k,
        year(event_date) * 12 + month(event_date) AS month, event_type, weapon, side1,
        site_id, latitude AS lat, longitude AS lon, coalesce(geo_precision, 1) AS gp,
        floor(latitude / {cell})::BIGINT AS gy, floor(longitude / {cell})::BIGINT AS gx,
        source_count, location
    FROM incidents
    WHERE event_date BETWEEN (SELECT min(day) FROM cand) - INTERVAL 31 DAY
                         AND (SELECT max(day) FROM cand) + INTERVAL 31 DAY
)"""
# Each candidate against each stored precision class k: the days (or the month) it may share.
_TIMES = """
classes AS (SELECT * FROM (VALUES (1), (2), (3)) AS t(k)),
times AS (
    SELECT candidate, k, greatest(tp, k) AS loosest,
        CASE WHEN greatest(tp, k) = 3 THEN year(day) * 12 + month(day) END AS month,
        CASE WHEN greatest(tp, k) = 2 THEN {week} ELSE {slack} END AS spread, day
    FROM cand, classes
),
days AS (
    SELECT candidate, k, NULL::BIGINT AS month,
        day + unnest(range(-spread, spread + 1))::INTEGER AS key_day
    FROM times WHERE month IS NULL
    UNION ALL
    SELECT candidate, k, month, NULL::DATE AS key_day FROM times WHERE month IS NOT NULL
),
cells AS (
    SELECT candidate, x, y FROM
        (SELECT candidate, unnest(range(floor(lon / {cell})::BIGINT - reach,
            floor(lon / {cell})::BIGINT + reach + 1)) AS x FROM cand WHERE lat IS NOT NULL)
    JOIN
        (SELECT candidate, unnest(range(floor(lat / {cell})::BIGINT - 1,
            floor(lat / {cell})::BIGINT + 2)) AS y FROM cand WHERE lat IS NOT NULL)
    USING (candidate)
)"""
# Pairs sharing a key: the same site, or a grid cell within reach, on a day or month allowed.
_PAIRS = """
by_site AS (
    SELECT d.candidate, s.sid FROM days d JOIN cand c USING (candidate)
    JOIN stored s ON s.site_id = c.site_id AND s.k = d.k AND s.day = d.key_day
    UNION
    SELECT d.candidate, s.sid FROM days d JOIN cand c USING (candidate)
    JOIN stored s ON s.site_id = c.site_id AND s.k = d.k AND s.month = d.month
),
by_cell AS (
    SELECT d.candidate, s.sid FROM days d JOIN cells g USING (candidate)
    JOIN stored s ON s.gx = g.x AND s.gy = g.y AND s.k = d.k AND s.day = d.key_day
    UNION
    SELECT d.candidate, s.sid FROM days d JOIN cells g USING (candidate)
    JOIN stored s ON s.gx = g.x AND s.gy = g.y AND s.k = d.k AND s.month = d.month
),
names AS (
    SELECT location, {l_name} AS name
    FROM (SELECT location FROM stored UNION SELECT location FROM cand)
),
stored_named AS (
    SELECT s.sid, s.k, s.day, s.month, n.name, left(n.name, 3) AS pre,
        {s_unplaced} AS unplaced, {s_area} AS area
    FROM stored s JOIN names n USING (location)
),
named AS (
    SELECT candidate, name, left(name, 3) AS pre,
        {unplaced} AS unplaced, {area} AS area
    FROM cand LEFT JOIN names USING (location)
),
-- An unplaced candidate against every stored name, a placed one against unplaced stored
-- rows only; each on its day or month keys and the name's first letters.
name_keys AS (
    SELECT d.candidate, d.k, d.key_day, d.month, n.name, n.pre, n.unplaced
    FROM days d JOIN named n USING (candidate)
    WHERE n.name <> '' AND n.name NOT IN {regions}
),
by_name_keys AS (
    SELECT n.candidate, s.sid, n.name, s.name AS other FROM name_keys n JOIN stored_named s
        ON s.k = n.k AND s.day = n.key_day AND s.pre = n.pre WHERE n.unplaced
    UNION ALL
    SELECT n.candidate, s.sid, n.name, s.name AS other FROM name_keys n JOIN stored_named s
        ON s.k = n.k AND s.month = n.month AND s.pre = n.pre WHERE n.unplaced
    UNION ALL
    SELECT n.candidate, s.sid, n.name, s.name AS other FROM name_keys n
        JOIN (SELECT * FROM stored_named WHERE unplaced) s
        ON s.k = n.k AND s.day = n.key_day AND s.pre = n.pre WHERE NOT n.unplaced
    UNION ALL
    SELECT n.candidate, s.sid, n.name, s.name AS other FROM name_keys n
        JOIN (SELECT * FROM stored_named WHERE unplaced) s
        ON s.k = n.k AND s.month = n.month AND s.pre = n.pre WHERE NOT n.unplaced
),
by_name AS (
    SELECT candidate, sid FROM by_name_keys
    WHERE name = other OR (length(name) >= {spelt} AND levenshtein(name, other) <= 1)
),
pairs AS (
    SELECT candidate, sid, false AS same_name FROM by_site
    UNION SELECT candidate, sid, false AS same_name FROM by_cell
    UNION SELECT candidate, sid, true AS same_name FROM by_name
)"""
_CHECKED = """
checked AS (
    SELECT c.candidate, s.incident_id, coalesce(c.site_id = s.site_id, false) AS same_site,
        abs(datediff('day', c.day, s.day)) AS days_apart,
        CASE WHEN c.lat IS NULL OR s.lat IS NULL THEN NULL ELSE
            2 * {earth} * asin(sqrt(pow(sin(radians(s.lat - c.lat) / 2), 2)
            + cos(radians(c.lat)) * cos(radians(s.lat))
            * pow(sin(radians(s.lon - c.lon) / 2), 2))) END AS km,
        greatest(c.tp, s.k) AS loosest, c.gp AS c_gp, s.gp AS s_gp,
        c.event_type AS c_type, s.event_type AS s_type, c.side1 AS c_side, s.side1 AS s_side,
        c.weapon IS NOT DISTINCT FROM s.weapon AS same_weapon, s.source_count,
        year(c.day) * 12 + month(c.day) = s.month AS same_month, c.own_id, p.same_name,
        coalesce(n.area, c.gp <= 2) AS c_area_named, coalesce(sn.area, s.gp <= 2) AS s_area_named
    FROM (SELECT candidate, sid, bool_or(same_name) AS same_name FROM pairs GROUP BY ALL) p
    JOIN cand c USING (candidate) JOIN stored s USING (sid)
    LEFT JOIN named n USING (candidate) LEFT JOIN stored_named sn USING (sid)
)
SELECT candidate, incident_id,
    row_number() OVER (PARTITION BY candidate ORDER BY same_site DESC, days_apart,
        km NULLS LAST, same_weapon DESC, source_count DESC, incident_id)::BIGINT AS rank,
    days_apart, km, same_site
FROM checked
WHERE (same_site OR same_name
        OR (((c_gp <= 2) = (s_gp <= 2) OR (c_area_named AND s_area_named))
        AND km <= CASE WHEN c_gp = 2 OR s_gp = 2 THEN {town} ELSE {near} END))
    AND CASE loosest WHEN 3 THEN same_month WHEN 2 THEN days_apart <= {week}
        ELSE days_apart <= {slack} END
    AND (c_side = s_side OR c_side = '{unknown}' OR s_side = '{unknown}')
    AND (c_type IS NOT DISTINCT FROM s_type OR c_type IS NULL OR s_type IS NULL
        OR c_type = 'other' OR s_type = 'other'
        OR (c_type IN {strikes} AND s_type IN {strikes}))
    AND own_id IS DISTINCT FROM incident_id
ORDER BY candidate, rank
"""


# The first run of capitalised words of a location, with the particles inside Arabic names
# ("Kobajeb" in "near the town of Kobajeb in Deir ez-Zor", "Khurmala" in "the Khurmala oil
# field", "Ain al-Asad"), folded, without a leading article.
_WORD = r"\p{Lu}[\p{L}''’-]*"
_PARTICLE = r"(?:al|el|ad|ar|as|at|an|az|ash|ath|ez|es|ed|er|bin|ibn|abu|umm)[- ]"
_PROPER = f"({_WORD}(?:[ -](?:{_PARTICLE})?{_WORD})*)"
_ARTICLE = "^(the|al|el|ad|ar|as|at|an|az|ash|ath)[- ]+"


def _place_name(column: str) -> str:
    """SQL for the place name two locations without a point are compared by (a value of the
    query's template, so its braces are not read as fields)."""
    head = f"regexp_extract({column}, '{_PROPER}', 1)"
    return f"regexp_replace(lower(strip_accents({head})), '{_ARTICLE}', '')"


def _unplaced(row: str) -> str:
    """SQL: the row (`row` is its alias and a dot, or "") has no point but a province's or
    none, and no site: only its place name can match it."""
    return f"(({row}lat IS NULL OR {row}gp >= 3) AND coalesce({row}site_id, '') = '')"


def _area(row: str, name: str) -> str:
    """SQL: the row's point may be compared by distance with a precise one: it is precise,
    or a province's whose place is the province itself."""
    return f"({row}gp <= 2 OR ({row}gp = 3 AND {name} IN {_region_names()}))"


@lru_cache(maxsize=1)
def _region_names() -> str:
    """The place names of countries and provinces, as an SQL list: a first proper name that
    says no more than these does not make two unplaced reports one event."""
    names = {n for province in load_provinces() for n in province.names}
    for country in pycountry.countries:
        names.update(filter(None, (country.name, getattr(country, "common_name", None))))
    db = duckdb.connect(":memory:")
    try:
        db.register("regions", pa.table({"location": pa.array(sorted(names), pa.string())}))
        keys = db.execute(f"SELECT DISTINCT {_place_name('location')} FROM regions").fetchall()
    finally:
        db.close()
    quoted = sorted("'" + key.replace("'", "''") + "'" for (key,) in keys if key)
    return f"({', '.join(quoted)})"


def _query(slack_days: int = 0) -> str:
    values = {
        "cell": CELL_DEGREES,
        "week": WEEK_DAYS,
        "earth": EARTH_KM,
        "near": NEAR_KM,
        "town": TOWN_KM,
        "unknown": actors.UNKNOWN_SIDE,
        "strikes": str(STRIKES),
        "l_name": _place_name("location"),
        "regions": _region_names(),
        "unplaced": _unplaced(""),
        "s_unplaced": _unplaced("s."),
        "area": _area("", "name"),
        "s_area": _area("s.", "n.name"),
        "spelt": SPELLING_MIN,
        "slack": int(slack_days),
    }
    parts = (_STORED, _TIMES, _PAIRS)
    ctes = ",".join(part.format(**values) for part in parts)
    checked = _CHECKED.format(**values)
    return f"WITH {ctes},{checked}"


# No key reaches further than a month (precision 3) from a candidate's day.
_REACH = timedelta(days=31)


def _within_stored_dates(db: duckdb.DuckDBPyConnection, candidates: pd.DataFrame) -> np.ndarray:
    """Positions of the candidates that may share a day or month with some stored incident: a
    file of a million rows matched against a few stored months expands only the rows that can
    match."""
    first, last = db.execute("SELECT min(event_date), max(event_date) FROM incidents").fetchall()[0]
    if first is None or len(candidates) == 0:
        return np.arange(0, dtype="int64")
    days = pd.to_datetime(candidates["event_date"])
    inside = days.between(pd.Timestamp(first - _REACH), pd.Timestamp(last + _REACH))
    return np.flatnonzero(inside.to_numpy(dtype=bool, na_value=False))


# The stored points' grid cells, each widened by the columns a candidate in a neighbouring row
# may reach (`cells` in _TIMES: reach grows with latitude, so it is taken two rows poleward),
# and the stored sites, each in its month and the months either side (no key reaches further
# than 31 days): a candidate near none of them in its month cannot match.
_NEAR_STORED = """
WITH stored AS (
    SELECT site_id, latitude AS lat, longitude AS lon, coalesce(geo_precision, 1) AS gp,
        year(event_date) * 12 + month(event_date) AS m, location
    FROM incidents
    WHERE event_date BETWEEN (SELECT min(day) FROM cand) - INTERVAL 31 DAY
                         AND (SELECT max(day) FROM cand) + INTERVAL 31 DAY
),
months AS (
    SELECT DISTINCT site_id, lat, lon, gp, location, m + unnest(range(-1, 2)) AS m FROM stored
),
points AS (
    SELECT DISTINCT floor(lat / {cell})::BIGINT AS gy, floor(lon / {cell})::BIGINT AS gx, m,
        ceil({town} / (111.32 * cos(radians(least(abs(lat) + 2 * {cell}, 89))) * {cell}))::BIGINT
            AS r
    FROM months WHERE lat IS NOT NULL AND lon IS NOT NULL
),
columns AS (SELECT DISTINCT gy, m, gx + unnest(range(-r, r + 1)) AS x FROM points),
near AS (SELECT DISTINCT x, m, gy + unnest(range(-1, 2)) AS y FROM columns),
cand_keys AS (
    SELECT candidate, site_id, year(day) * 12 + month(day) AS m,
        floor(lon / {cell})::BIGINT AS x, floor(lat / {cell})::BIGINT AS y
    FROM cand
),
-- Names (their first letters): an unplaced candidate may match any stored name of its month,
-- a placed one only an unplaced stored row's.
stored_names AS (
    SELECT DISTINCT left({l_name}, 3) AS pre, m, {unplaced} AS unplaced FROM months
),
cand_names AS (
    SELECT c.candidate, left(n.name, 3) AS pre, year(c.day) * 12 + month(c.day) AS m,
        {c_unplaced} AS unplaced
    FROM cand c
    JOIN (SELECT location, {l_name} AS name FROM (SELECT DISTINCT location FROM cand)) n
        USING (location)
    WHERE n.name <> ''
)
SELECT candidate FROM cand_keys c SEMI JOIN near n ON n.x = c.x AND n.y = c.y AND n.m = c.m
UNION
SELECT candidate FROM cand_keys c SEMI JOIN (SELECT DISTINCT site_id, m FROM months) s
    ON s.site_id = c.site_id AND s.m = c.m
UNION
SELECT candidate FROM cand_names c SEMI JOIN stored_names s ON s.pre = c.pre AND s.m = c.m
    WHERE c.unplaced
UNION
SELECT candidate FROM cand_names c
    SEMI JOIN (SELECT * FROM stored_names WHERE unplaced) s ON s.pre = c.pre AND s.m = c.m
"""


def _near_stored(db: duckdb.DuckDBPyConnection, table: pa.Table) -> pa.Table:
    """The candidates near some stored incident of their dates, when there are fewer stored
    incidents than candidates (widening the stored points is then the cheaper side; the
    matching query widens the candidates either way)."""
    stored = db.execute("SELECT count(*) FROM incidents").fetchall()[0][0]
    if stored >= table.num_rows:
        return table
    query = _NEAR_STORED.format(
        cell=CELL_DEGREES,
        town=TOWN_KM,
        l_name=_place_name("location"),
        unplaced=_unplaced(""),
        c_unplaced=_unplaced("c."),
    )
    db.register("cand", table)
    try:
        near = db.sql(query).to_arrow_table().column("candidate")
    finally:
        db.unregister("cand")
    return table.filter(pc.is_in(table.column("candidate"), value_set=near.combine_chunks()))


def match_incidents(
    db: duckdb.DuckDBPyConnection, candidates: pd.DataFrame, *, slack_days: int = 0
) -> pd.DataFrame:
    """Every stored incident (table `incidents` of the engine's database `db`) each candidate
    matches, best first per candidate: candidate (its position in `candidates`), incident_id,
    rank (1 = best), days_apart, km (None when either has no point), same_site.

    `slack_days` lets exact days be that many days apart: not a match rule (attacks on one base
    on consecutive days are common) but what the review page offers as "possibly recorded"
    when nothing matches, since outlets date a night strike by either night."""
    positions = _within_stored_dates(db, candidates)
    if len(positions) == 0:
        return pd.DataFrame(columns=list(MATCH_COLUMNS))
    table = _near_stored(db, candidate_table(candidates.iloc[positions], positions))
    if table.num_rows == 0:
        return pd.DataFrame(columns=list(MATCH_COLUMNS))
    db.register("cand", table)
    try:
        found = db.execute(_query(slack_days)).df()
    finally:
        db.unregister("cand")
    found["km"] = found["km"].astype("float64")
    return found[list(MATCH_COLUMNS)]


def best_matches(matches: pd.DataFrame) -> pd.DataFrame:
    """The best stored match of each candidate that has one (rank 1)."""
    return matches[matches["rank"] == 1].reset_index(drop=True)


@dataclass(frozen=True)
class Duplicates:
    """The rows of a file that likely report incidents already stored: `rows` holds, for each
    such row, its label (spreadsheet row), the row's day and place, and the stored incident it
    matches best with that incident's description (see `describe`)."""

    rows: pd.DataFrame

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def positions(self) -> np.ndarray:
        return self.rows["position"].to_numpy()

    def lines(self, where: str) -> list[str]:
        return [
            f"{where}: row {r.row}: {r.day} {r.place} is likely stored incident "
            f"{r.incident_id} ({r.recorded})"
            for r in self.rows.itertuples()
        ]


def describe_recorded(row) -> str:
    """'2024-01-20 · attack · Ain al-Asad air base · IRI → US forces · 2 sources'."""
    day = pd.Timestamp(row["event_date"]).strftime("%Y-%m-%d")
    names = [str(row[c]) for c in ("actor1", "actor2") if not pd.isna(row[c])]
    parts = [day, row["event_type"], row["location"], " → ".join(names)]
    count = int(row["source_count"])
    words = [str(p) for p in parts if not pd.isna(p) and str(p)]
    return " · ".join([*words, f"{count} source{'s' if count != 1 else ''}"])


def find_duplicates(incidents: pd.DataFrame, engine) -> Duplicates:
    """The rows of `incidents` (index: spreadsheet rows) that match a stored incident, each with
    its best match, in file order."""
    best = best_matches(engine.matches(incidents))
    recorded = engine.recorded(best["incident_id"]).set_index("incident_id")
    chosen = incidents.iloc[best["candidate"].to_numpy()]
    rows = pd.DataFrame(
        {
            "position": best["candidate"].to_numpy(),
            "row": chosen.index.to_numpy(),
            "day": pd.to_datetime(chosen["event_date"]).dt.strftime("%Y-%m-%d").to_numpy(),
            "place": chosen["location"].astype("string").fillna("(no place)").to_numpy(),
            "incident_id": best["incident_id"].to_numpy(),
            "recorded": [describe_recorded(recorded.loc[i].to_dict() | {"incident_id": i})
                         for i in best["incident_id"]],
        }
    )  # fmt: skip
    return Duplicates(rows)


def split_duplicates(incidents: pd.DataFrame, duplicates: Duplicates):
    """(rows to import as new incidents, sources to attach) when likely duplicates are to be
    added as sources of the stored incidents they match."""
    from dashboard.sources import attached_sources

    is_duplicate = np.zeros(len(incidents), dtype=bool)
    is_duplicate[duplicates.positions] = True
    attach = attached_sources(incidents[is_duplicate], duplicates.rows["incident_id"])
    return incidents[~is_duplicate], attach
