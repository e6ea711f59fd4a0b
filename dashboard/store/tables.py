"""The store's tables, and the Arrow types its incidents are written and read as.

Batches are immutable once imported: an incident row is never updated. Removing a batch only
stamps `removed_at` (the trash); purging deletes its rows. `meta` holds the store's id, its data
version (a counter every change bumps in the same transaction) and the curated batch's id.

`sources` holds every source of every incident: one row per incident from its own
source/source_url when it is imported, and one per article or file row later found to report
an incident already stored ("attached"). Each source belongs to the batch that added it, so
removing, restoring or purging a batch does the same to its sources. A source counts only while
its batch and its incident's batch are both live.
"""

from __future__ import annotations

import pyarrow as pa
import sqlalchemy as sa

from dashboard.schema import COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, ORIGINAL_ACTOR_COLUMNS

SCHEMA_VERSION = "3"
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
    # Sources this batch added to incidents of other batches (older stores: NULL, i.e. none).
    sa.Column("attached", sa.Integer),
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
SOURCE_COLUMNS: tuple[str, ...] = ("incident_id", "publication", "url", "published", "evidence")
SOURCE_TABLE_COLUMNS: tuple[str, ...] = SOURCE_COLUMNS + ("added_at", "batch_id")
sources = sa.Table(
    "sources",
    metadata,
    sa.Column("source_id", sa.Integer, primary_key=True, autoincrement=True),
    # No foreign key to incidents: a source may be attached to an incident of another batch,
    # and each goes with its own batch. No index either: imports would pay for it on every
    # row, and nothing reads sources but whole (the snapshot) or by batch (a purge).
    sa.Column("incident_id", sa.Text, nullable=False),
    sa.Column("publication", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("evidence", sa.Text),
    sa.Column("added_at", sa.DateTime, nullable=False),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.batch_id"), nullable=False),
)
meta = sa.Table(
    "meta", metadata, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text)
)


def arrow_type(column: str) -> pa.DataType:
    if column in ("event_date", "published"):
        return pa.date32()
    if column == "added_at":
        return pa.timestamp("s")
    if column in INT_COLUMNS or column == "batch_id":
        return pa.int64()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    return pa.string()


ARROW_SCHEMA = pa.schema([(c, arrow_type(c)) for c in TABLE_COLUMNS])
SOURCES_ARROW_SCHEMA = pa.schema([(c, arrow_type(c)) for c in SOURCE_TABLE_COLUMNS])
