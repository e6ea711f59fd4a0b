"""The store's tables, and the Arrow types its incidents are written and read as.

Batches are immutable once imported: an incident row is never updated. Removing a batch only
stamps `removed_at` (the trash); purging deletes its rows. `meta` holds the store's id, its data
version (a counter every change bumps in the same transaction) and the curated batch's id.
"""

from __future__ import annotations

import pyarrow as pa
import sqlalchemy as sa

from dashboard.schema import COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, ORIGINAL_ACTOR_COLUMNS

SCHEMA_VERSION = "2"
STORED_COLUMNS: tuple[str, ...] = COLUMNS + ORIGINAL_ACTOR_COLUMNS
TABLE_COLUMNS: tuple[str, ...] = STORED_COLUMNS + ("batch_id",)

metadata = sa.MetaData()
batches = sa.Table(
    "batches",
    metadata,
    sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("source_file", sa.Text),
    sa.Column("format", sa.Text),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("removed_at", sa.DateTime),
    # Never reuse a purged batch's id: caches may be keyed on it.
    sqlite_autoincrement=True,
)


def _incident_column(name: str) -> sa.Column:
    if name == "incident_id":
        return sa.Column(name, sa.Text, primary_key=True)
    if name == "event_date":
        return sa.Column(name, sa.Date)
    if name in INT_COLUMNS:
        return sa.Column(name, sa.Integer)
    if name in FLOAT_COLUMNS:
        return sa.Column(name, sa.Float(precision=53))
    return sa.Column(name, sa.Text)


incidents = sa.Table(
    "incidents",
    metadata,
    *[_incident_column(c) for c in STORED_COLUMNS],
    # No index on batch_id or event_date: every insert would pay for it, and nothing reads
    # by them but a purge (one scan) and the live filter (a scan anyway).
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.batch_id"), nullable=False),
)
meta = sa.Table(
    "meta", metadata, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text)
)


def arrow_type(column: str) -> pa.DataType:
    if column == "event_date":
        return pa.date32()
    if column in INT_COLUMNS or column == "batch_id":
        return pa.int64()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    return pa.string()


ARROW_SCHEMA = pa.schema([(c, arrow_type(c)) for c in TABLE_COLUMNS])
