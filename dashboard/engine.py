"""The query engine: DuckDB over one typed, read-only snapshot of the incidents.

One `Engine` is built per data version and shared by every session (the views keep it with
`st.cache_resource`): nothing in a rerun copies or scans the whole set in Python. Filters come
from the registry (`Filters.where`); headline numbers, timeline buckets, map cells, table pages,
breakdowns and downloads are SQL over a columnar table, returning small pandas frames.

Columns added to the canonical schema when the snapshot is built:
- side1, side2: the side of actor1 / actor2 (actors.csv; "Unknown" when not listed);
- casualties: killed + wounded where at least one is known, else NULL (never 0);
- cell: the H3 cell (resolution `CELL_RESOLUTION`) of the point, NULL without coordinates;
  coarser cells are computed from it by bit arithmetic (`parent_mask`), so aggregation at any
  zoom is one GROUP BY;
- search_text: places and notes normalised for transliteration-aware search (textsearch);
- sources: every source of the incident, oldest first, as a list of
  {publication, url, published, evidence} (from the store's sources table, a file's `sources`
  JSON column, or else the incident's own source/source_url); source_count: how many.

Each call opens its own DuckDB cursor, so concurrent sessions (threads) never share one.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import h3
import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import actors
from dashboard.filters import Filters, Vocabulary
from dashboard.schema import COLUMNS
from dashboard.sources import SOURCES_COLUMN
from dashboard.textsearch import search_text_sql

CELL_RESOLUTION = 9  # about 0.1 km² a cell: finer than any zoom the offline map shows
DAILY_UP_TO_DAYS = 120
WEEKLY_UP_TO_DAYS = 3 * 366
UNKNOWN = actors.UNKNOWN_SIDE
OPTIONAL_COLUMNS = ("actor1_original", "actor2_original", "batch_id")
TABLE_COLUMNS = (
    "event_date", "event_type", "weapon", "actor1", "actor2", "location", "country", "killed",
    "wounded", "source", "source_url", "source_count", "sources_text", "notes", "incident_id",
)  # fmt: skip
SOURCE_TYPE = "STRUCT(publication VARCHAR, url VARCHAR, published DATE, evidence VARCHAR)"
# Computed on demand (never stored twice): every source as one line a person reads, and as the
# JSON list exports write (dashboard.sources reads it back on import).
COMPUTED = {
    "sources_text": """array_to_string(list_transform(sources, lambda s: concat_ws(' ',
        s.publication, strftime(s.published, '%Y-%m-%d'), s.url)), ' · ')""",
    SOURCES_COLUMN: "to_json(sources)",
}
EXPORT_COLUMNS = (*COLUMNS, "source_count", SOURCES_COLUMN)
RECORDED_COLUMNS = (
    "incident_id", "event_date", "event_type", "weapon", "actor1", "actor2", "location",
    "site_id", "killed", "wounded", "source_count", "sources_text",
)  # fmt: skip
BREAKDOWNS = {
    "attacker": "actor1",
    "target": "actor2",
    "site": "site_id",
    "weapon": "weapon",
    "type": "event_type",
    "side": "side1",
    "country": "country",
}


@dataclass(frozen=True)
class Headline:
    """Headline numbers; a figure is None when no incident in the selection reports it."""

    incidents: int
    killed: int | None
    killed_unknown: int
    wounded: int | None
    wounded_unknown: int
    sites_hit: int
    countries: int
    first_day: date | None
    last_day: date | None
    period_days: int
    # Same filters, the period of equal length just before; None when the data does not cover it.
    previous_incidents: int | None

    @property
    def change(self) -> int | None:
        if self.previous_incidents is None:
            return None
        return self.incidents - self.previous_incidents


_LIVE: weakref.WeakSet[Engine] = weakref.WeakSet()


@atexit.register
def _close_live_engines() -> None:
    for engine in list(_LIVE):
        engine.close()


def parent_mask(resolution: int) -> tuple[int, int]:
    """(and_mask, or_bits) turning a finer H3 cell into its parent at `resolution`.

    An H3 index keeps its resolution in bits 52-55 and one 3-bit digit per finer resolution
    below; a parent has its resolution set and every finer digit set to 7."""
    if not 0 <= resolution <= CELL_RESOLUTION:
        raise ValueError(f"resolution must be 0..{CELL_RESOLUTION}")
    unused = (1 << (3 * (15 - resolution))) - 1
    and_mask = ~(0xF << 52) & ~unused & 0xFFFFFFFFFFFFFFFF
    return and_mask, (resolution << 52) | unused


def h3_cells(latitude: np.ndarray, longitude: np.ndarray) -> pa.Array:
    """H3 cells at CELL_RESOLUTION as unsigned integers; null where a point is missing."""
    located = ~(np.isnan(latitude) | np.isnan(longitude))
    cells = np.zeros(len(latitude), dtype=np.uint64)
    to_cell = h3.latlng_to_cell
    cells[located] = [
        h3.str_to_int(to_cell(lat, lon, CELL_RESOLUTION))
        for lat, lon in zip(latitude[located].tolist(), longitude[located].tolist(), strict=True)
    ]
    return pa.array(cells, mask=~located, type=pa.uint64())


def _arrow(incidents: pa.Table | pd.DataFrame) -> pa.Table:
    if isinstance(incidents, pa.Table):
        return incidents
    frame = incidents.copy()
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return pa.Table.from_pandas(frame, preserve_index=False)


def _float_column(table: pa.Table, name: str) -> np.ndarray:
    column = table[name] if name in table.column_names else pa.nulls(len(table), pa.float64())
    return column.cast(pa.float64()).to_numpy(zero_copy_only=False)


def with_cells(table: pa.Table) -> pa.Table:
    """The table with its `cell` column (computed when absent)."""
    if "cell" in table.column_names:
        return table
    cells = h3_cells(_float_column(table, "latitude"), _float_column(table, "longitude"))
    return table.append_column("cell", cells)


class Engine:
    """Queries over one snapshot of the incidents. `version` names the data it was built from."""

    def __init__(
        self,
        incidents: pa.Table | pd.DataFrame,
        *,
        version: str = "",
        search_in_background: bool = True,
    ):
        self.version = version
        table = with_cells(_arrow(incidents))
        self._db = duckdb.connect(":memory:")
        self._load(table)
        self.vocabulary = self._vocabulary()
        # Search text costs a scan of every place and note: a server builds it beside the
        # first answers and only a text query waits for it; a one-shot command builds it
        # only if a text filter asks.
        self._search_lock = threading.Lock()
        self._search_ready = threading.Event()
        self._search_error: BaseException | None = None
        self._search_thread: threading.Thread | None = None
        if search_in_background:
            self._search_thread = threading.Thread(target=self._build_search_text, daemon=True)
            self._search_thread.start()
            _LIVE.add(self)

    # -- building -------------------------------------------------------------------------
    def _load(self, table: pa.Table) -> None:
        sides = actors.load_actors()[["name", "side"]]
        self._db.register("source_table", table)
        self._db.register("actor_sides", sides)
        present = set(table.column_names)
        select = [f"s.{c}" if c in present else f"NULL::VARCHAR AS {c}" for c in COLUMNS]
        select[COLUMNS.index("event_date")] = "s.event_date::DATE AS event_date"
        select += [f"s.{c}" for c in OPTIONAL_COLUMNS if c in present]
        sources = _sources_sql(table, present)
        self._db.execute(
            f"""
            CREATE TABLE incidents AS
            SELECT *, len(sources) AS source_count FROM (
            SELECT {", ".join(select)},
                coalesce(a1.side, '{UNKNOWN}') AS side1,
                coalesce(a2.side, '{UNKNOWN}') AS side2,
                CASE WHEN s.killed IS NULL AND s.wounded IS NULL THEN NULL
                     ELSE coalesce(s.killed, 0) + coalesce(s.wounded, 0) END AS casualties,
                s.cell, {sources} AS sources
            FROM source_table s
            LEFT JOIN actor_sides a1 ON s.actor1 = a1.name
            LEFT JOIN actor_sides a2 ON s.actor2 = a2.name)
            """
        )
        self._db.unregister("source_table")
        self._db.unregister("actor_sides")
        self.rows = self._db.execute("SELECT count(*) FROM incidents").fetchone()[0]

    def _build_search_text(self) -> None:
        """The `search_text` table (rid = the incidents table's rowid, text): places and notes
        normalised for search, computed once per distinct (location, admin1, notes)."""
        expression = search_text_sql(
            "coalesce(location, '') || ' ' || coalesce(admin1, '') || ' ' || coalesce(notes, '')"
        )
        try:
            self._db.cursor().execute(
                f"""CREATE TABLE search_text AS
                WITH texts AS (SELECT DISTINCT location, admin1, notes FROM incidents)
                SELECT i.rowid AS rid, t.text FROM incidents i JOIN (
                    SELECT location, admin1, notes, {expression} AS text FROM texts
                ) t ON i.location IS NOT DISTINCT FROM t.location
                    AND i.admin1 IS NOT DISTINCT FROM t.admin1
                    AND i.notes IS NOT DISTINCT FROM t.notes"""
            )
        except BaseException as error:  # reported to the query that needs it
            self._search_error = error
        finally:
            self._search_ready.set()

    def _wait_for_search_text(self) -> None:
        if self._search_thread is None:
            with self._search_lock:
                if not self._search_ready.is_set():
                    self._build_search_text()
        self._search_ready.wait()
        if self._search_error is not None:
            raise self._search_error

    def close(self) -> None:
        """Stop background work and release the database (DuckDB must not be mid-query when
        the interpreter exits)."""
        if self._search_thread is not None and self._search_thread.is_alive():
            self._db.interrupt()
            self._search_thread.join(timeout=10)
        self._db.close()
        _LIVE.discard(self)

    def _vocabulary(self) -> Vocabulary:
        names = self._column_values("actor1") + self._column_values("actor2")
        return Vocabulary.reference(names, self._column_values("site_id"))

    def _column_values(self, column: str) -> list[str]:
        query = f"SELECT DISTINCT {column} FROM incidents WHERE {column} IS NOT NULL"
        return [row[0] for row in self._cursor().execute(query).fetchall()]

    # -- plumbing -------------------------------------------------------------------------
    def _cursor(self) -> duckdb.DuckDBPyConnection:
        return self._db.cursor()

    def where(self, filters: Filters) -> tuple[str, list]:
        if filters.text:
            self._wait_for_search_text()
        return filters.where(self.vocabulary)

    def _frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """The answer of a query as pandas; `sql` may name COMPUTED columns."""
        return self._cursor().execute(sql, params or []).df()

    def _one(self, sql: str, params: list | None = None) -> tuple:
        return self._cursor().execute(sql, params or []).fetchone()

    # -- answers --------------------------------------------------------------------------
    def count(self, filters: Filters) -> int:
        where, params = self.where(filters)
        return self._one(f"SELECT count(*) FROM incidents WHERE {where}", params)[0]

    def span(self, filters: Filters) -> tuple[date, date] | None:
        """First and last day of the selected incidents, or None when nothing is selected."""
        where, params = self.where(filters)
        first, last = self._one(
            f"SELECT min(event_date), max(event_date) FROM incidents WHERE {where}", params
        )
        return None if first is None else (_day(first), _day(last))

    def data_span(self) -> tuple[date, date] | None:
        return self.span(Filters())

    def headline(self, filters: Filters) -> Headline:
        where, params = self.where(filters)
        row = self._one(
            f"""SELECT count(*), sum(killed), count(*) - count(killed), sum(wounded),
                count(*) - count(wounded), count(DISTINCT site_id), count(DISTINCT country),
                min(event_date), max(event_date)
            FROM incidents WHERE {where}""",
            params,
        )
        count, killed, killed_unknown, wounded, wounded_unknown, sites, nations, first, last = row
        first_day = _day(first) if first is not None else None
        last_day = _day(last) if last is not None else None
        start = filters.start or first_day
        end = filters.end or last_day
        length = (end - start).days + 1 if count and start and end else 0
        return Headline(
            incidents=count,
            killed=None if killed is None else int(killed),
            killed_unknown=killed_unknown,
            wounded=None if wounded is None else int(wounded),
            wounded_unknown=wounded_unknown,
            sites_hit=sites,
            countries=nations,
            first_day=first_day,
            last_day=last_day,
            period_days=length,
            previous_incidents=self._previous(filters, start, length) if length else None,
        )

    def _previous(self, filters: Filters, start: date, length: int) -> int | None:
        """The count for the period of equal length just before, where the data covers it:
        before the data begins, "0 incidents" would mean "no data", not "no attacks"."""
        data = self.data_span()
        before_start = start - timedelta(days=length)
        if data is None or before_start < data[0]:
            return None
        before = replace(filters, start=before_start, end=start - timedelta(days=1))
        return self.count(before)

    def frequency(self, filters: Filters) -> str:
        """'day' for spans up to DAILY_UP_TO_DAYS days, 'week' up to three years, else 'month'."""
        span = self.span(filters)
        if span is None:
            return "day"
        days = (span[1] - span[0]).days
        if days <= DAILY_UP_TO_DAYS:
            return "day"
        return "week" if days <= WEEKLY_UP_TO_DAYS else "month"

    def timeline(self, filters: Filters, *, by: str = "side", frequency: str | None = None):
        """Incidents and known casualties per period, one row per (period, group)."""
        frequency = frequency or self.frequency(filters)
        group = {"side": "side1", "event_type": "event_type"}[by]
        where, params = self.where(filters)
        frame = self._frame(
            f"""SELECT date_trunc('{frequency}', event_date)::DATE AS period,
                coalesce({group}, 'unknown') AS "group", count(*) AS incidents,
                coalesce(sum(casualties), 0)::BIGINT AS casualties
            FROM incidents WHERE {where} GROUP BY ALL ORDER BY period, "group" """,
            params,
        )
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def page(
        self, filters: Filters, *, offset: int = 0, limit: int = 100, columns=TABLE_COLUMNS
    ) -> pd.DataFrame:
        """One page of the selection, newest first (ties by id, so pages never overlap)."""
        where, params = self.where(filters)
        return self._frame(
            f"""SELECT {_select(columns)} FROM incidents WHERE {where}
            ORDER BY event_date DESC, incident_id DESC LIMIT ? OFFSET ?""",
            [*params, int(limit), int(offset)],
        )

    def frame(self, filters: Filters, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Every selected incident in the canonical columns, with source_count and every source
        as a JSON list in `sources` (downloads and exports)."""
        where, params = self.where(filters)
        chosen = _select(columns or EXPORT_COLUMNS)
        frame = self._frame(
            f"SELECT {chosen} FROM incidents WHERE {where} ORDER BY event_date, incident_id",
            params,
        )
        from dashboard.schema import coerce_dtypes

        return coerce_dtypes(frame) if columns is None else frame

    def incident(self, incident_id: str) -> dict[str, Any] | None:
        frame = self._frame(
            f"SELECT *, {_select(('sources_text',))} FROM incidents WHERE incident_id = ?",
            [incident_id],
        )
        return None if frame.empty else frame.iloc[0].to_dict()

    def matches(self, candidates: pd.DataFrame) -> pd.DataFrame:
        """The stored incidents each candidate likely duplicates, best first (dashboard.dedupe):
        candidate (position in `candidates`), incident_id, rank, days_apart, km, same_site."""
        from dashboard.dedupe import match_incidents

        return match_incidents(self._cursor(), candidates)

    def recorded(self, incident_ids) -> pd.DataFrame:
        """What a person needs to recognise stored incidents: day, place, actors, type and
        every source (one row each, in the order of `incident_ids`)."""
        ids = list(dict.fromkeys(str(i) for i in incident_ids))
        columns = RECORDED_COLUMNS
        if not ids:
            return pd.DataFrame(columns=list(columns))
        frame = self._frame(
            f"SELECT {_select(columns)} FROM incidents WHERE incident_id IN "
            f"({', '.join('?' * len(ids))})",
            ids,
        )
        order = {incident_id: n for n, incident_id in enumerate(ids)}
        frame = frame.sort_values("incident_id", key=lambda s: s.map(order))
        return frame.reset_index(drop=True)

    def sources_of(self, incident_id: str) -> pd.DataFrame:
        """Every source of one incident, oldest first: publication, url, published, evidence."""
        frame = self._frame(
            """SELECT s.publication, s.url, s.published, s.evidence FROM (
                SELECT unnest(sources) AS s FROM incidents WHERE incident_id = ?)""",
            [incident_id],
        )
        frame["published"] = pd.to_datetime(frame["published"])
        return frame

    def choices(self, column: str) -> list[str]:
        """Distinct values of a column in the data, most frequent first."""
        if column not in {*COLUMNS, "side1", "side2"}:
            raise ValueError(f"unknown column {column!r}")
        query = (
            f"SELECT {column} FROM incidents WHERE {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY count(*) DESC, {column}"
        )
        return [row[0] for row in self._cursor().execute(query).fetchall()]

    def breakdown(self, filters: Filters, by: str, *, limit: int = 8) -> pd.DataFrame:
        """Counts and known casualties by attacker, target, site, weapon, type, side, country or
        month, largest first; beyond `limit` groups the rest are one "other" row."""
        where, params = self.where(filters)
        if by == "month":
            key = "strftime(date_trunc('month', event_date), '%Y-%m')"
            order = "value"
        else:
            key = f"coalesce({BREAKDOWNS[by]}, 'unknown')"
            order = "incidents DESC, value"
        frame = self._frame(
            f"""SELECT {key} AS value, count(*) AS incidents, sum(killed) AS killed,
                sum(wounded) AS wounded, count(casualties) AS with_figures
            FROM incidents WHERE {where} GROUP BY ALL ORDER BY {order}""",
            params,
        )
        if by == "month" or len(frame) <= limit:
            return frame
        head, rest = frame.iloc[: limit - 1], frame.iloc[limit - 1 :]
        other = {
            "value": f"{len(rest)} others",
            "incidents": rest["incidents"].sum(),
            "killed": rest["killed"].sum(min_count=1),
            "wounded": rest["wounded"].sum(min_count=1),
            "with_figures": rest["with_figures"].sum(),
        }
        return pd.concat([head, pd.DataFrame([other])], ignore_index=True)

    # -- the map --------------------------------------------------------------------------
    def located_count(self, filters: Filters, bbox=None) -> int:
        where, params = self._map_where(filters, bbox)
        return self._one(f"SELECT count(*) FROM incidents WHERE {where}", params)[0]

    def _map_where(self, filters: Filters, bbox) -> tuple[str, list]:
        where, params = self.where(filters)
        where += " AND latitude IS NOT NULL AND longitude IS NOT NULL"
        if bbox is not None:
            south, west, north, east = bbox
            where += " AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"
            params = [*params, south, north, west, east]
        return where, params

    def points(self, filters: Filters, *, bbox=None, limit: int = 2000) -> pd.DataFrame:
        """Located incidents (newest first), at most `limit`; canonical columns + sides."""
        where, params = self._map_where(filters, bbox)
        columns = ", ".join((*COLUMNS, "side1", "side2", "source_count", "sources"))
        frame = self._frame(
            f"""SELECT {columns} FROM incidents WHERE {where}
            ORDER BY event_date DESC, incident_id DESC LIMIT ?""",
            [*params, int(limit)],
        )
        frame["event_date"] = pd.to_datetime(frame["event_date"])
        return frame

    def cells(self, filters: Filters, *, resolution: int, bbox=None, top: int = 4):
        """Located incidents grouped into H3 cells at `resolution` (0..CELL_RESOLUTION).

        One row per cell, largest first: cell (H3 string), latitude/longitude (mean of its
        incidents), incidents, killed, wounded (sums of known figures, NaN when none),
        with_figures, and sides / types: the `top` largest as [(name, count), ...], the rest
        summed as ("Other", n)."""
        and_mask, or_bits = parent_mask(resolution)
        where, params = self._map_where(filters, bbox)
        key = f"((cell & {and_mask}::UBIGINT) | {or_bits}::UBIGINT)"
        frame = self._frame(
            f"""WITH chosen AS (
                SELECT {key} AS c, latitude, longitude, killed, wounded, casualties,
                    side1, coalesce(event_type, 'unknown') AS event_type
                FROM incidents WHERE {where}),
            totals AS (
                SELECT c, count(*) AS incidents, avg(latitude) AS latitude,
                    avg(longitude) AS longitude, sum(killed) AS killed,
                    sum(wounded) AS wounded, count(casualties) AS with_figures
                FROM chosen GROUP BY c),
            sides AS (
                SELECT c, list(v ORDER BY n DESC, v) AS side_names,
                    list(n ORDER BY n DESC, v) AS side_counts
                FROM (SELECT c, side1 AS v, count(*) AS n FROM chosen GROUP BY ALL) GROUP BY c),
            types AS (
                SELECT c, list(v ORDER BY n DESC, v) AS type_names,
                    list(n ORDER BY n DESC, v) AS type_counts
                FROM (SELECT c, event_type AS v, count(*) AS n FROM chosen GROUP BY ALL)
                GROUP BY c)
            SELECT * FROM totals JOIN sides USING (c) JOIN types USING (c)
            ORDER BY incidents DESC, c""",
            params,
        )
        frame["cell"] = [h3.int_to_str(int(c)) for c in frame["c"]]
        frame["sides"] = [
            _top(n, c, top) for n, c in zip(frame["side_names"], frame["side_counts"], strict=True)
        ]
        frame["types"] = [
            _top(n, c, top) for n, c in zip(frame["type_names"], frame["type_counts"], strict=True)
        ]
        return frame[[
            "cell", "latitude", "longitude", "incidents", "killed", "wounded", "with_figures",
            "sides", "types",
        ]]  # fmt: skip

    def cell_count(self, filters: Filters, *, resolution: int, bbox=None) -> int:
        """How many cells `cells` would return (cheap: no breakdowns)."""
        and_mask, or_bits = parent_mask(resolution)
        where, params = self._map_where(filters, bbox)
        key = f"((cell & {and_mask}::UBIGINT) | {or_bits}::UBIGINT)"
        return self._one(f"SELECT count(DISTINCT {key}) FROM incidents WHERE {where}", params)[0]


def _select(columns) -> str:
    return ", ".join(f"{COMPUTED[c]} AS {c}" if c in COMPUTED else c for c in columns)


def _sources_sql(table: pa.Table, present: set[str]) -> str:
    """Each incident's sources: a stored list, a file's JSON `sources` cell (an export read
    back), or else the incident's own source/source_url as its one source."""
    publication = "s.source" if "source" in present else "NULL::VARCHAR"
    url = "s.source_url" if "source_url" in present else "NULL::VARCHAR"
    own = (
        f"CASE WHEN {publication} IS NULL AND {url} IS NULL THEN []::{SOURCE_TYPE}[] "
        f"ELSE [{{'publication': {publication}, 'url': {url}, 'published': NULL::DATE, "
        f"'evidence': NULL::VARCHAR}}::{SOURCE_TYPE}] END"
    )
    if SOURCES_COLUMN not in present:
        return own
    if pa.types.is_string(table.schema.field(SOURCES_COLUMN).type):
        listed = f"from_json(s.{SOURCES_COLUMN}, '{_json_shape()}')"
    else:
        listed = f"s.{SOURCES_COLUMN}::{SOURCE_TYPE}[]"
    return f"coalesce({listed}, {own})"


def _json_shape() -> str:
    fields = {"publication": "VARCHAR", "url": "VARCHAR", "published": "DATE",
              "evidence": "VARCHAR"}  # fmt: skip
    return "[" + str(fields).replace("'", '"') + "]"


def _top(names, counts, top: int) -> list[tuple[str, int]]:
    pairs = [(str(n), int(c)) for n, c in zip(names, counts, strict=True)]
    if len(pairs) > top:
        pairs = pairs[: top - 1] + [("Other", sum(c for _, c in pairs[top - 1 :]))]
    return pairs


def _day(value) -> date:
    """DuckDB gives DATE columns as datetime.date; anything with a time is cut to its day."""
    return value.date() if hasattr(value, "hour") else value
