"""PostgreSQL, the store for shared deployments (several app servers, many analysts).

Driver: psycopg 3 (`postgresql+psycopg://`; plain `postgresql://` URLs are read as that).
Imports stream CSV written by Arrow into `COPY ... FROM STDIN`; reads stream
`COPY (SELECT ...) TO STDOUT` into Arrow's CSV reader. Writers serialise on the data-version
row, waiting at most the busy timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.csv as pcsv
import sqlalchemy as sa

from dashboard.store.backend import CHUNK_ROWS, Backend, live_filter_sql
from dashboard.store.tables import (
    ARROW_SCHEMA,
    SOURCE_TABLE_COLUMNS,
    SOURCES_ARROW_SCHEMA,
    TABLE_COLUMNS,
)

_LAYOUTS = {
    "incidents": (TABLE_COLUMNS, ARROW_SCHEMA),
    "sources": (SOURCE_TABLE_COLUMNS, SOURCES_ARROW_SCHEMA),
}

# Any constant: the advisory lock key that keeps two processes from creating tables at once.
SCHEMA_LOCK_KEY = 0x41544C4153


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3, the driver this project installs."""
    parsed = sa.engine.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class PostgresBackend(Backend):
    name = "postgresql"

    def create_engine(self) -> sa.Engine:
        return sa.create_engine(
            normalise_url(self.url),
            pool_pre_ping=True,
            connect_args={"connect_timeout": max(1, round(self.busy_timeout))},
        )

    def _timeouts(self, conn: sa.Connection) -> None:
        milliseconds = int(self.busy_timeout * 1000)
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")
        conn.exec_driver_sql("SET LOCAL DateStyle = 'ISO'")

    @contextmanager
    def writing(self, engine: sa.Engine) -> Iterator[sa.Connection]:
        with engine.begin() as conn:
            self._timeouts(conn)
            yield conn

    @contextmanager
    def reading(self, engine: sa.Engine) -> Iterator[sa.Connection]:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                self._timeouts(conn)
                yield conn

    def lock_schema(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})")

    def insert(
        self,
        conn: sa.Connection,
        table: pa.Table,
        progress: Callable[[int], None],
        target: str = "incidents",
    ) -> None:
        if target not in _LAYOUTS:  # table names are never user input; this keeps it so
            raise ValueError(f"unknown store table {target!r}")
        raw = conn.connection.driver_connection
        names = ", ".join(table.schema.names)
        options = pcsv.WriteOptions(include_header=False)
        done = 0
        sql = f"COPY {target} ({names}) FROM STDIN (FORMAT csv)"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for batch in table.to_batches(CHUNK_ROWS):
                sink = pa.BufferOutputStream()
                # Arrow quotes every string and leaves nulls bare: COPY reads bare empty
                # fields as NULL and "" as an empty string, so the two stay apart.
                pcsv.write_csv(batch, sink, options)
                copy.write(sink.getvalue())
                done += batch.num_rows
                progress(done)

    def read(self, conn: sa.Connection, excluded_batches: list[int]) -> pa.Table:
        return self._copy_out(conn, excluded_batches, "incidents")

    def read_sources(self, conn: sa.Connection, excluded_batches: list[int]) -> pa.Table:
        return self._copy_out(conn, excluded_batches, "sources")

    def _copy_out(self, conn: sa.Connection, excluded_batches: list[int], table: str) -> pa.Table:
        columns, schema = _LAYOUTS[table]
        raw = conn.connection.driver_connection
        select = f"SELECT {', '.join(columns)} FROM {table}"
        sql = f"COPY ({select}{live_filter_sql(excluded_batches)}) TO STDOUT (FORMAT csv)"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            # PostgreSQL sends one message per row: joining them is the cheapest way through.
            data = b"".join(copy)
        if not data:
            return schema.empty_table()
        return pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(column_names=list(columns)),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=schema,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
