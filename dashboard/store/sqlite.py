"""SQLite, the embedded default: one file, no server.

WAL mode lets the app keep reading while `atlas import` writes; writers take the lock up front
(BEGIN IMMEDIATE) and wait up to the busy timeout for another writer, then say the store is
busy. Inserts go through the driver's executemany, reads straight into Arrow, in chunks.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyarrow as pa
import sqlalchemy as sa

from dashboard.store.arrow import python_values, rows_to_batch
from dashboard.store.backend import CHUNK_ROWS, Backend, live_filter_sql
from dashboard.store.sqlite_reader import read_in_helper
from dashboard.store.tables import (
    ARROW_SCHEMA,
    SOURCE_TABLE_COLUMNS,
    SOURCES_ARROW_SCHEMA,
    TABLE_COLUMNS,
)

# From this many live rows on, reads go through the faster helper process (sqlite_reader),
# whose start-up (about 0.3 s) is then small beside what it saves.
HELPER_MIN_ROWS = 200_000
# Page cache per connection (negative = KiB): the id index of a million rows fits in it.
CACHE_KIB = 131_072


class SqliteBackend(Backend):
    name = "sqlite"
    text_as_bytes = True

    def create_engine(self) -> sa.Engine:
        engine = sa.create_engine(
            self.url,
            connect_args={"timeout": self.busy_timeout, "check_same_thread": False},
        )

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            # The driver's own implicit BEGIN is off: `_begin` says which kind to take.
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
            dbapi_connection.execute(f"PRAGMA cache_size=-{CACHE_KIB}")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine

    def prepare(self, engine: sa.Engine) -> None:
        raw = engine.raw_connection()
        try:
            mode = raw.driver_connection.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":
                try:
                    raw.driver_connection.execute("PRAGMA journal_mode=WAL")
                except sqlite3.OperationalError as error:
                    # A read-only file still reads in its old journal mode; writes say why.
                    if "readonly" not in str(error):
                        raise
        finally:
            raw.close()

    @contextmanager
    def writing(self, engine: sa.Engine) -> Iterator[sa.Connection]:
        with engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    def integrity_problem(self, conn: sa.Connection) -> str | None:
        # quick_check reads every page and checks its structure (O(N)); the full
        # integrity_check also cross-checks every index entry and costs 4x more.
        found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
        return None if found == ["ok"] else "; ".join(found[:3])

    def insert(
        self,
        conn: sa.Connection,
        table: pa.Table,
        progress: Callable[[int], None],
        target: str = "incidents",
    ) -> None:
        raw = conn.connection.driver_connection
        names = table.schema.names
        marks = ", ".join("?" * len(names))
        sql = f"INSERT INTO {_known(target)} ({', '.join(names)}) VALUES ({marks})"
        done = 0
        for batch in table.to_batches(CHUNK_ROWS):
            values = [python_values(column) for column in batch.columns]
            raw.executemany(sql, zip(*values, strict=True))
            done += batch.num_rows
            progress(done)

    def read(self, conn: sa.Connection, excluded_batches: list[int]) -> pa.Table:
        path = sa.engine.make_url(self.url).database
        if path and path != ":memory:" and _live_rows(conn) >= HELPER_MIN_ROWS:
            table = read_in_helper(path, ARROW_SCHEMA)
            if table is not None:
                return table
        return self._read_here(conn, excluded_batches)

    def read_sources(self, conn: sa.Connection, excluded_batches: list[int]) -> pa.Table:
        return self._read_here(conn, excluded_batches, "sources")

    def _read_here(
        self, conn: sa.Connection, excluded_batches: list[int], table: str = "incidents"
    ) -> pa.Table:
        columns, schema = _LAYOUTS[table]
        raw = conn.connection.driver_connection
        sql = f"SELECT {', '.join(columns)} FROM {table}{live_filter_sql(excluded_batches)}"
        previous = raw.text_factory
        raw.text_factory = bytes
        # Millions of short-lived row tuples would set off the cycle collector again and again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            cursor = raw.execute(sql)
            batches = []
            while rows := cursor.fetchmany(CHUNK_ROWS):
                batches.append(rows_to_batch(rows, columns, text_as_bytes=True, schema=schema))
        finally:
            raw.text_factory = previous
            if collecting:
                gc.enable()
        return pa.Table.from_batches(batches, schema=schema)


_LAYOUTS = {
    "incidents": (TABLE_COLUMNS, ARROW_SCHEMA),
    "sources": (SOURCE_TABLE_COLUMNS, SOURCES_ARROW_SCHEMA),
}


def _known(table: str) -> str:
    if table not in _LAYOUTS:  # table names are never user input; this keeps it so
        raise ValueError(f"unknown store table {table!r}")
    return table


def _live_rows(conn: sa.Connection) -> int:
    query = "SELECT coalesce(sum(rows), 0) FROM batches WHERE removed_at IS NULL"
    return int(conn.exec_driver_sql(query).scalar())
