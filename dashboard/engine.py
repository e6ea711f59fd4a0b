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
from pathlib import Path
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
    "event_date", "event_type", "weapon", "actor1", "actor2", "location", "site_id", "country",
    "killed", "wounded", "source", "source_url", "source_count", "sources_text", "notes",
    "incident_id",
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
    # Reports and exports often put many incidents on one point (a site's, a town's): one H3
    # call per distinct point, not per incident. All-distinct points cost one factorize more.
    codes, points = pd.factorize(latitude[located] + 1j * longitude[located])
    to_cell = h3.latlng_to_cell
    distinct = np.array(
        [h3.str_to_int(to_cell(p.real, p.imag, CELL_RESOLUTION)) for p in points.tolist()],
        dtype=np.uint64,
    )
    cells = np.zeros(len(latitude), dtype=np.uint64)
    cells[located] = distinct[codes]
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
        self._db = duckdb.connect(":memory:")
        self._load(with_cells(_arrow(incidents)))
        self._ready(version, search_in_background)

    @classmethod
    def from_saved(
        cls, path: Path, *, version: str = "", search_in_background: bool = True
    ) -> Engine:
        """The engine over a table `save()` wrote: DuckDB reads the Parquet file itself, in
        parallel, with nothing left to join or sort (at 10^6 rows about half the time of
        building from the incidents, and no Arrow copy held in Python)."""
        engine = cls.__new__(cls)
        engine._db = duckdb.connect(":memory:")
        engine._db.execute("CREATE TABLE incidents AS SELECT * FROM read_parquet(?)", [str(path)])
        engine.rows = engine._one("SELECT count(*) FROM incidents")[0]
        engine._ready(version, search_in_background)
        return engine

    def save(self, path: Path) -> None:
        """Write the incidents table, as queries see it, to a Parquet file for `from_saved`."""
        target = str(path).replace("'", "''")  # COPY takes no parameter for its file
        self._cursor().execute(f"COPY incidents TO '{target}' (FORMAT parquet)")

    def _ready(self, version: str, search_in_background: bool) -> None:
        self.version = version
        self.vocabulary = self._vocabulary()
        # Search text costs a scan of every place and note: a server builds it beside the
        # first answers and only a text query waits for it; a one-shot command builds it
        # only if a text filter asks.
        self._search_lock = threading.Lock()
        self._search_ready = threading.Event()
        self._search_error: BaseException | None = None
        self._search_thread: threading.Thread | None = None
        self._background: list[threading.Thread] = []
        if search_in_background:
            self._search_thread = self.in_background(self._build_search_text)

    def in_background(self, work) -> threading.Thread:
        """Run `work()` (which may query this engine) in a thread that `close()` interrupts
        and waits for."""
        thread = threading.Thread(target=work, daemon=True)
        self._background.append(thread)
        _LIVE.add(self)
        thread.start()
        return thread

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
            ORDER BY cell
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
        running = [thread for thread in self._background if thread.is_alive()]
        if running:
            self._db.interrupt()
        for thread in running:
            thread.join(timeout=10)
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
        """Incidents and known casualties per period, one row per (period, group): period
        (its first day), group, incidents, casualties (killed + wounded where reported; NaN when
        no incident of the row gives a figure, never 0), with_figures."""
        frequency = frequency or self.frequency(filters)
        group = {"side": "side1", "event_type": "event_type"}[by]
        where, params = self.where(filters)
        frame = self._frame(
            f"""SELECT date_trunc('{frequency}', event_date)::DATE AS period,
                coalesce({group}, 'unknown') AS "group", count(*) AS incidents,
                sum(casualties)::DOUBLE AS casualties, count(casualties) AS with_figures
            FROM incidents WHERE {where} GROUP BY ALL ORDER BY period, "group" """,
            params,
        )
        frame["period"] = pd.to_datetime(frame["period"])
        frame["casualties"] = frame["casualties"].astype(float)
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

    def matches(self, candidates: pd.DataFrame, *, slack_days: int = 0) -> pd.DataFrame:
        """The stored incidents each candidate likely duplicates, best first (dashboard.dedupe):
        candidate (position in `candidates`), incident_id, rank, days_apart, km, same_site;
        `slack_days`: exact days may be that many days apart."""
        from dashboard.dedupe import match_incidents

        return match_incidents(self._cursor(), candidates, slack_days=slack_days)

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
        month: one row per value, largest first (months in order, every month kept).

        Columns: value (as stored: a name, site id, ISO code, category, or the month's first
        day; None where the incidents do not say), incidents, killed, wounded, casualties
        (sums of known figures; NaN when no incident of the row gives one, never 0),
        with_figures (incidents giving killed or wounded), others (0, or on the last row the
        number of smaller values lumped into it when there are more than `limit`)."""
        if by != "month" and by not in BREAKDOWNS:
            raise ValueError(f"cannot break down by {by!r}: use month or {', '.join(BREAKDOWNS)}")
        where, params = self.where(filters)
        key = "date_trunc('month', event_date)::DATE" if by == "month" else BREAKDOWNS[by]
        order = "value" if by == "month" else "incidents DESC, value NULLS LAST"
        frame = self._frame(
            f"""SELECT {key} AS value, count(*) AS incidents, sum(killed) AS killed,
                sum(wounded) AS wounded, sum(casualties) AS casualties,
                count(casualties) AS with_figures, 0 AS others
            FROM incidents WHERE {where} GROUP BY ALL ORDER BY {order}""",
            params,
        )
        frame = frame.astype(
            {"killed": float, "wounded": float, "casualties": float, "others": int}
        )
        if by == "month":
            frame["value"] = [_day(v) for v in frame["value"]]
        frame["value"] = frame["value"].astype(object).where(frame["value"].notna(), None)
        if by == "month" or len(frame) <= limit:
            return frame
        head, rest = frame.iloc[: limit - 1], frame.iloc[limit - 1 :]
        other = {
            "value": None,
            "incidents": rest["incidents"].sum(),
            **{c: rest[c].sum(min_count=1) for c in ("killed", "wounded", "casualties")},
            "with_figures": rest["with_figures"].sum(),
            "others": len(rest),
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

    def cells(
        self, filters: Filters, *, resolution: int, bbox=None, top: int = 4, recent_since=None
    ):
        """Located incidents grouped into H3 cells at `resolution` (0..CELL_RESOLUTION).

        One row per cell, largest first: cell (H3 string), latitude/longitude (mean of its
        incidents), incidents, killed, wounded, casualties (sums of known figures, NaN when
        none), with_figures, recent (incidents on or after `recent_since`; 0 when not given),
        and sides / types: the `top` largest as [(name, count), ...], the rest summed as
        ("Other", n).

        One scan groups by (cell, side, type); the few thousand groups are folded in pandas."""
        and_mask, or_bits = parent_mask(resolution)
        where, params = self._map_where(filters, bbox)
        key = f"((cell & {and_mask}::UBIGINT) | {or_bits}::UBIGINT)"
        groups = self._frame(
            f"""SELECT {key} AS c, side1 AS side, coalesce(event_type, 'unknown') AS type,
                count(*) AS incidents, sum(latitude) AS lat_sum, sum(longitude) AS lon_sum,
                sum(killed) AS killed, sum(wounded) AS wounded, sum(casualties) AS casualties,
                count(casualties) AS with_figures,
                count(*) FILTER (WHERE event_date >= ?) AS recent
            FROM incidents WHERE {where} GROUP BY ALL""",
            [recent_since or date.max, *params],
        )
        return _fold_cells(groups, top, self._cursor())

    def cell_count(self, filters: Filters, *, resolution: int, bbox=None) -> int:
        """How many cells `cells` would return (cheap: no breakdowns)."""
        and_mask, or_bits = parent_mask(resolution)
        where, params = self._map_where(filters, bbox)
        key = f"((cell & {and_mask}::UBIGINT) | {or_bits}::UBIGINT)"
        return self._one(f"SELECT count(DISTINCT {key}) FROM incidents WHERE {where}", params)[0]

    def view_counts(
        self, filters: Filters, *, bbox, resolutions: tuple[int, ...] = ()
    ) -> tuple[int, dict[int, int]]:
        """In one scan: located incidents in `bbox`, and how many cells each of `resolutions`
        would give there (what the map needs to choose points or cells, and their size)."""
        where, params = self._map_where(filters, bbox)
        keys = []
        for resolution in resolutions:
            and_mask, or_bits = parent_mask(resolution)
            keys.append(f"count(DISTINCT ((cell & {and_mask}::UBIGINT) | {or_bits}::UBIGINT))")
        row = self._one(f"SELECT {', '.join(['count(*)', *keys])} FROM incidents WHERE {where}",
                        params)  # fmt: skip
        return row[0], dict(zip(resolutions, row[1:], strict=True))

    def selection_counts(self, filters: Filters) -> tuple[int, int]:
        """(incidents, located incidents) in the selection, in one scan."""
        where, params = self.where(filters)
        return self._one(
            f"""SELECT count(*), count(*) FILTER (WHERE latitude IS NOT NULL
                AND longitude IS NOT NULL) FROM incidents WHERE {where}""",
            params,
        )

    def map_bounds(self, filters: Filters) -> tuple[float, float, float, float] | None:
        """(south, west, north, east) of the located selection, for fitting the map to it.

        From 100 incidents on, the 0.5 % at each edge are left out: a few stray geocodes
        should not zoom the view out to the world."""
        where, params = self._map_where(filters, None)
        row = self._one(
            f"""SELECT count(*), min(latitude), min(longitude), max(latitude), max(longitude),
                quantile_cont(latitude, [0.005, 0.995]), quantile_cont(longitude, [0.005, 0.995])
            FROM incidents WHERE {where}""",
            params,
        )
        count, south, west, north, east, lats, lons = row
        if not count:
            return None
        if count >= 100:
            south, north = lats
            west, east = lons
        return float(south), float(west), float(north), float(east)

    def site_counts(self, filters: Filters) -> dict[str, int]:
        """Selected incidents per gazetteer site id."""
        where, params = self.where(filters)
        rows = (
            self._cursor()
            .execute(
                f"""SELECT site_id, count(*) FROM incidents
            WHERE {where} AND site_id IS NOT NULL GROUP BY site_id""",
                params,
            )
            .fetchall()
        )
        return {site: int(n) for site, n in rows}

    # -- site dossiers --------------------------------------------------------------------
    def sources(self, filters: Filters, *, limit: int = 50) -> pd.DataFrame:
        """Publications behind the selection: source, source_url (one per source: the most
        cited), incidents, first and last day; most cited first."""
        where, params = self.where(filters)
        frame = self._frame(
            f"""SELECT coalesce(source, 'unknown') AS source,
                mode(source_url) AS source_url, count(*) AS incidents,
                min(event_date) AS first_day, max(event_date) AS last_day
            FROM incidents WHERE {where}
            GROUP BY ALL ORDER BY incidents DESC, source LIMIT ?""",
            [*params, int(limit)],
        )
        return frame

    def retaliation(
        self, attacks: Filters, *, days: int, any_target: bool = False, limit: int = 500
    ) -> pd.DataFrame:
        """Each selected incident (an attack) with the strikes that followed it: incidents
        anywhere whose attacker is on the attack's target side and whose target is on the
        attacker's side (with `any_target`, on any side but the striker's own), 1 to `days`
        days later (dates are days, so a same-day strike cannot be placed after the attack
        and is left out).

        One row per attack, oldest first: attack_id, attack_date, attacker, attacker_side,
        target_side, location, strikes (how many followed), and the first of them:
        strike_id, strike_date, striker, struck, strike_place, strike_type, lag_days (NULL
        when none followed). Attacks with an unknown side on either end have no pairs."""
        if days < 1:
            raise ValueError("days must be at least 1")
        where, params = self.where(attacks)
        struck = "s.side2 IS DISTINCT FROM a.side2" if any_target else "s.side2 = a.side1"
        return self._frame(
            f"""WITH attacks AS (
                SELECT incident_id, event_date, actor1, side1, side2, location
                FROM incidents WHERE {where}
                ORDER BY event_date, incident_id LIMIT ?),
            pairs AS (
                SELECT a.incident_id AS attack_id, s.incident_id AS strike_id,
                    s.event_date AS strike_date, s.actor1 AS striker, s.actor2 AS struck,
                    s.location AS strike_place, s.event_type AS strike_type,
                    date_diff('day', a.event_date, s.event_date) AS lag_days,
                    count(*) OVER (PARTITION BY a.incident_id) AS strikes,
                    row_number() OVER (PARTITION BY a.incident_id
                                       ORDER BY s.event_date, s.incident_id) AS rank
                FROM attacks a JOIN incidents s
                  ON s.side1 = a.side2 AND {struck}
                 AND s.event_date > a.event_date
                 AND s.event_date <= a.event_date + to_days(?)
                WHERE a.side1 <> '{UNKNOWN}' AND a.side2 <> '{UNKNOWN}')
            SELECT a.incident_id AS attack_id, a.event_date AS attack_date,
                a.actor1 AS attacker, a.side1 AS attacker_side, a.side2 AS target_side,
                a.location, coalesce(p.strikes, 0) AS strikes, p.strike_id, p.strike_date,
                p.striker, p.struck, p.strike_place, p.strike_type, p.lag_days
            FROM attacks a LEFT JOIN pairs p ON p.attack_id = a.incident_id AND p.rank = 1
            ORDER BY a.event_date, a.incident_id""",
            [*params, int(limit), int(days)],
        )


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


CELL_COLUMNS = (
    "cell", "latitude", "longitude", "incidents", "killed", "wounded", "casualties",
    "with_figures", "recent", "sides", "types",
)  # fmt: skip


def _fold_cells(groups: pd.DataFrame, top: int, cursor) -> pd.DataFrame:
    """Per-(cell, side, type) groups -> one row per cell with its side and type mixes."""
    if groups.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CELL_COLUMNS})
    sums = ["incidents", "lat_sum", "lon_sum", "with_figures", "recent"]
    known = ["killed", "wounded", "casualties"]
    by_cell = groups.groupby("c", sort=False)
    totals = by_cell[sums].sum().join(by_cell[known].sum(min_count=1))
    totals["latitude"] = totals["lat_sum"] / totals["incidents"]
    totals["longitude"] = totals["lon_sum"] / totals["incidents"]
    totals["sides"] = _mixes(cursor, groups, "side", top)
    totals["types"] = _mixes(cursor, groups, "type", top)
    totals = totals.reset_index().sort_values(["incidents", "c"], ascending=[False, True])
    totals["cell"] = [h3.int_to_str(int(c)) for c in totals["c"]]
    for column in known:
        totals[column] = totals[column].astype("float64")
    return totals[list(CELL_COLUMNS)].reset_index(drop=True)


def _mixes(cursor, groups: pd.DataFrame, column: str, top: int) -> pd.Series:
    """Per cell: [(value, count), ...] largest first, beyond `top` the rest as ("Other", n).
    (DuckDB reads the `groups` frame in place.)"""
    lists = cursor.sql(
        f"""SELECT c, list(v ORDER BY n DESC, v) AS names, list(n ORDER BY n DESC, v) AS counts
        FROM (SELECT c, {column} AS v, sum(incidents) AS n FROM groups GROUP BY ALL)
        GROUP BY c"""
    ).fetchall()
    return pd.Series(
        {
            cell: _top(list(zip(map(str, names), map(int, counts), strict=True)), top)
            for cell, names, counts in lists
        }  # fmt: skip
    )


def _top(pairs: list[tuple[str, int]], top: int) -> list[tuple[str, int]]:
    if len(pairs) > top:
        pairs = pairs[: top - 1] + [("Other", sum(c for _, c in pairs[top - 1 :]))]
    return pairs


def _day(value) -> date:
    """DuckDB gives DATE columns as datetime.date; anything with a time is cut to its day."""
    return value.date() if hasattr(value, "hour") else value
