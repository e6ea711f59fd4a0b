"""What differs between databases: how to connect, lock for writing, bulk-insert and bulk-read.

`Backend` works on any SQLAlchemy database (row inserts through executemany, rows fetched
into Arrow); `dashboard.store.sqlite` and `dashboard.store.postgres` override the parts that
have a faster native path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyarrow as pa
import sqlalchemy as sa

from dashboard.store.arrow import rows_to_batch
from dashboard.store.tables import (
    ARROW_SCHEMA,
    SOURCE_TABLE_COLUMNS,
    SOURCES_ARROW_SCHEMA,
    TABLE_COLUMNS,
    incidents,
    sources,
)

# Rows per insert or fetch round: large enough to amortise, small enough to report progress
# often and keep memory flat.
CHUNK_ROWS = 50_000


class Backend:
    name = "generic"
    text_as_bytes = False

    def __init__(self, url: str, busy_timeout: float):
        self.url = url
        self.busy_timeout = busy_timeout

    def create_engine(self) -> sa.Engine:
        return sa.create_engine(self.url)

    def prepare(self, engine: sa.Engine) -> None:
        """Anything the database needs once per process before use (e.g. WAL mode)."""

    @contextmanager
    def writing(self, engine: sa.Engine) -> Iterator[sa.Connection]:
        """A transaction holding the store's write lock: one writer at a time."""
        with engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self, engine: sa.Engine) -> Iterator[sa.Connection]:
        """A transaction that sees one consistent snapshot of the store."""
        with engine.connect() as conn, conn.begin():
            yield conn

    def lock_schema(self, conn: sa.Connection) -> None:
        """Keep two processes from creating the tables at once (inside `writing`)."""

    def integrity_problem(self, conn: sa.Connection) -> str | None:
        """What is wrong with the database file, if it can tell; None when it is sound."""
        return None

    def insert(
        self,
        conn: sa.Connection,
        table: pa.Table,
        progress: Callable[[int], None],
        target: str = "incidents",
    ) -> None:
        """Rows of `table` into the store's table `target` (incidents or sources)."""
        done = 0
        into = {"incidents": incidents, "sources": sources}[target]
        for batch in table.to_batches(CHUNK_ROWS):
            conn.execute(into.insert(), batch.to_pylist())
            done += batch.num_rows
            progress(done)

    def read(self, conn: sa.Connection, excluded_batches: list[int]) -> pa.Table:
        """Every incident of a batch not in `excluded_batches`, as Arrow."""
        return _read_table(conn, incidents, TABLE_COLUMNS, ARROW_SCHEMA, excluded_batches)

    def read_sources(self, conn: sa.Connection, excluded_batches: list[int]) -> pa.Table:
        """Every source added by a batch not in `excluded_batches`, as Arrow."""
        return _read_table(
            conn, sources, SOURCE_TABLE_COLUMNS, SOURCES_ARROW_SCHEMA, excluded_batches
        )


def live_filter_sql(excluded_batches: list[int]) -> str:
    """A WHERE clause leaving out removed batches (ids are integers from the store itself)."""
    if not excluded_batches:
        return ""
    return f" WHERE batch_id NOT IN ({', '.join(str(int(b)) for b in excluded_batches)})"


def _read_table(
    conn: sa.Connection,
    table: sa.Table,
    columns: tuple[str, ...],
    schema: pa.Schema,
    excluded_batches: list[int],
) -> pa.Table:
    """`columns` of `table`'s rows from batches not excluded, fetched in chunks into Arrow."""
    query = sa.select(*[table.c[c] for c in columns])
    if excluded_batches:
        query = query.where(table.c.batch_id.not_in(excluded_batches))
    result = conn.execute(query)
    batches = []
    while rows := result.fetchmany(CHUNK_ROWS):
        batches.append(rows_to_batch([tuple(r) for r in rows], columns, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)
