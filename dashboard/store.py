"""The incident store: SQLite by default, any SQLAlchemy URL accepted.

An import is one transaction and one batch: it lands whole or not at all, and a batch can be
listed and removed later. The store seeds itself from data/incidents.csv on first use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from dashboard.errors import DuplicateIncidents, StoreUnavailable, UnknownBatch
from dashboard.paths import DATA_DIR, atlas_home
from dashboard.schema import (
    COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    ORIGINAL_ACTOR_COLUMNS,
    coerce_dtypes,
)

CURATED_CSV = DATA_DIR / "incidents.csv"
CURATED_BATCH_NAME = "curated: data/incidents.csv"

metadata = sa.MetaData()
batches_table = sa.Table(
    "batches",
    metadata,
    sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("source_file", sa.Text),
    sa.Column("format", sa.Text),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
)


def _incident_column(name: str) -> sa.Column:
    if name == "incident_id":
        return sa.Column(name, sa.Text, primary_key=True)
    if name == "event_date":
        return sa.Column(name, sa.Date, index=True)
    if name in INT_COLUMNS:
        return sa.Column(name, sa.Integer)
    if name in FLOAT_COLUMNS:
        return sa.Column(name, sa.Float)
    return sa.Column(name, sa.Text)


STORED_COLUMNS = COLUMNS + ORIGINAL_ACTOR_COLUMNS
incidents_table = sa.Table(
    "incidents",
    metadata,
    *[_incident_column(c) for c in STORED_COLUMNS],
    sa.Column(
        "batch_id", sa.Integer, sa.ForeignKey("batches.batch_id"), nullable=False, index=True
    ),
)
meta_table = sa.Table(
    "meta", metadata, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text)
)


def default_url() -> str:
    return f"sqlite:///{atlas_home() / 'atlas.db'}"


@dataclass(frozen=True)
class Batch:
    batch_id: int
    name: str
    rows: int


class Store:
    def __init__(self, url: str | None = None, *, seed_csv: Path | None = CURATED_CSV):
        self.url = url or default_url()
        self.seed_csv = seed_csv
        try:
            self.engine = sa.create_engine(self.url)
            metadata.create_all(self.engine)
        except (SQLAlchemyError, OSError) as error:
            raise StoreUnavailable(self.url, str(error).splitlines()[0]) from error

    def ensure_seeded(self) -> None:
        """Import the curated set once, the first time this store is used."""
        with self.engine.connect() as conn:
            seeded = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "seeded")
            ).scalar()
        if seeded or self.seed_csv is None:
            return
        from dashboard.formats import read_incidents

        incidents = read_incidents(self.seed_csv, format="native", dataset="curated", curated=True)
        self.import_incidents(
            incidents,
            name=CURATED_BATCH_NAME,
            source_file=str(self.seed_csv),
            format="native",
            mark_seeded=True,
        )

    def import_incidents(
        self,
        incidents: pd.DataFrame,
        *,
        name: str,
        source_file: str | None = None,
        format: str | None = None,
        mark_seeded: bool = False,
    ) -> Batch:
        """All or nothing: the batch and its rows land in one transaction."""
        records = _to_records(incidents)
        with self.engine.begin() as conn:
            clashes = self._existing_ids(conn, [r["incident_id"] for r in records])
            if clashes:
                raise DuplicateIncidents(source_file or name, clashes)
            batch_id = conn.execute(
                batches_table.insert().values(
                    name=name,
                    source_file=source_file,
                    format=format,
                    imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    rows=len(records),
                )
            ).inserted_primary_key[0]
            for record in records:
                record["batch_id"] = batch_id
            if records:
                conn.execute(incidents_table.insert(), records)
            if mark_seeded:
                conn.execute(meta_table.insert().values(key="seeded", value=str(batch_id)))
        return Batch(batch_id, name, len(records))

    def import_file(self, path: str | Path, *, format: str = "auto") -> Batch:
        from dashboard.formats import read_incidents

        incidents = read_incidents(path, format=format)
        return self.import_incidents(
            incidents, name=Path(path).name, source_file=str(path), format=format
        )

    @staticmethod
    def _existing_ids(conn, ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = sa.select(incidents_table.c.incident_id, incidents_table.c.batch_id).where(
                incidents_table.c.incident_id.in_(chunk)
            )
            found.update(dict(conn.execute(query).all()))
        return found

    def batches(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(batches_table).order_by(batches_table.c.batch_id), conn)
        return frame

    def remove_batch(self, batch_id: int) -> int:
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(batches_table.c.batch_id).where(batches_table.c.batch_id == batch_id)
            ).scalar()
            if exists is None:
                raise UnknownBatch(batch_id)
            removed = conn.execute(
                incidents_table.delete().where(incidents_table.c.batch_id == batch_id)
            ).rowcount
            conn.execute(batches_table.delete().where(batches_table.c.batch_id == batch_id))
        return removed

    def incidents(self) -> pd.DataFrame:
        """Every stored incident, typed as the canonical schema (plus batch_id)."""
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(incidents_table), conn)
        return coerce_dtypes(frame)

    def data_version(self) -> str:
        """Changes with every import and removal (batch ids only grow)."""
        with self.engine.connect() as conn:
            newest = conn.execute(sa.select(sa.func.max(batches_table.c.batch_id))).scalar()
            batches = conn.execute(sa.select(sa.func.count()).select_from(batches_table)).scalar()
        return f"{newest or 0}:{batches}"

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(incidents_table)).scalar()


def _to_records(incidents: pd.DataFrame) -> list[dict]:
    columns = [c for c in STORED_COLUMNS if c in incidents.columns]
    frame = incidents[columns].astype(object)
    frame["event_date"] = [None if pd.isna(d) else d.date() for d in incidents["event_date"]]
    frame = frame.where(incidents[columns].notna(), None)
    records = frame.to_dict("records")
    for record in records:
        for key in INT_COLUMNS:
            if record.get(key) is not None:
                record[key] = int(record[key])
    return records


def is_database_url(text: str) -> bool:
    return "://" in text and not text.lower().startswith(("http://", "https://", "file://"))


def configured_store() -> Store:
    """The store imports go to: ATLAS_DATA when it is a database URL, else the local store."""
    from dashboard import settings

    data = settings.get("data")
    store = Store(data if data and is_database_url(data) else None)
    store.ensure_seeded()
    return store


def load_incidents(data: str | None = None) -> pd.DataFrame:
    """The incidents the dashboard shows, as ATLAS_DATA (or `data`) says where they are."""
    from dashboard import settings
    from dashboard.formats import read_incidents

    data = settings.get("data") if data is None else data
    if data and not is_database_url(data):
        return read_incidents(Path(data).expanduser())
    store = Store(data or None)
    store.ensure_seeded()
    return store.incidents()
