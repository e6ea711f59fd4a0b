"""The incident store: SQLite by default, PostgreSQL for shared servers, through SQLAlchemy.

An import is one transaction and one batch: it lands whole or not at all. A removed batch goes
to the trash (hidden, restorable) until it is purged. Every change bumps the data version in
the same transaction, so readers know when to reload (`data_version`, `incidents_table`).

Every imported incident brings its own source (its source/source_url); an import may also
attach sources to incidents already stored (an article or a file row reporting an event the
store has), and those sources belong to the importing batch (`sources_table`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from dashboard.errors import (
    AtlasError,
    BadInput,
    BatchStateError,
    DuplicateIncidents,
    ReadOnlyDeployment,
    StoreCorrupt,
    StoreUnavailable,
    UnknownBatch,
)
from dashboard.paths import DATA_DIR, atlas_home
from dashboard.store.arrow import arrow_to_frame, frame_to_arrow, sources_to_arrow
from dashboard.store.backend import Backend
from dashboard.store.faults import safe_url, store_errors, translate
from dashboard.store.tables import (
    SCHEMA_VERSION,
    batches,
    incidents,
    meta,
    metadata,
    sources,
)

CURATED_CSV = DATA_DIR / "incidents.csv"
CURATED_BATCH_NAME = "curated: data/incidents.csv"
# How long a writer waits for another writer before saying the store is busy.
BUSY_TIMEOUT_SECONDS = 15.0
VERSION_METADATA_KEY = b"atlas_data_version"

Progress = Callable[[str, int, "int | None"], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: say nothing."""


def default_url() -> str:
    return f"sqlite:///{atlas_home() / 'atlas.db'}"


def _backend(url: str, busy_timeout: float) -> Backend:
    try:
        dialect = sa.engine.make_url(url).get_backend_name()
    except sa.exc.ArgumentError as error:
        raise StoreUnavailable(safe_url(url), "this is not a database URL") from error
    if dialect == "sqlite":
        from dashboard.store.sqlite import SqliteBackend

        return SqliteBackend(url, busy_timeout)
    if dialect in ("postgresql", "postgres"):
        from dashboard.store.postgres import PostgresBackend

        return PostgresBackend(url, busy_timeout)
    return Backend(url, busy_timeout)


@dataclass(frozen=True)
class Batch:
    batch_id: int
    name: str
    rows: int
    removed_at: dt.datetime | None = None
    attached: int = 0  # sources added to incidents of other batches

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def describe(self) -> str:
        return f"batch {self.batch_id} '{self.name}' ({self.contents()})"

    def contents(self, *, separators: bool = True) -> str:
        """'4 incidents', '1,200 incidents, 2 sources of stored incidents' (no thousands
        separators when `separators` is false, as the CLI has always printed counts)."""
        number = "{:,}" if separators else "{}"
        words = [f"{number.format(self.rows)} incident{'s' if self.rows != 1 else ''}"]
        if self.attached:
            plural = "s" if self.attached != 1 else ""
            words.append(f"{number.format(self.attached)} source{plural} of stored incidents")
        return ", ".join(words)


class Store:
    def __init__(
        self,
        url: str | None = None,
        *,
        seed_csv: Path | None = CURATED_CSV,
        read_only: bool | None = None,
        busy_timeout: float | None = None,
    ):
        self.url = url or default_url()
        self.seed_csv = seed_csv
        if read_only is None:
            from dashboard import settings

            read_only = settings.read_only()
        self.read_only = read_only
        timeout = BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout
        self.backend = _backend(self.url, timeout)
        self._seeded = False
        try:
            self.engine = self.backend.create_engine()
            self.backend.prepare(self.engine)
            self._ensure_schema()
        except AtlasError:
            raise
        except Exception as error:
            translated = translate(error, self.url)
            if translated is None:
                raise
            raise translated from error

    @property
    def display_url(self) -> str:
        return safe_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    # -- schema ---------------------------------------------------------------------------

    def _schema_current(self) -> bool:
        try:
            with self.backend.reading(self.engine) as conn:
                return _meta_value(conn, "schema") == SCHEMA_VERSION
        except sa.exc.OperationalError as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                return False
            raise
        except sa.exc.ProgrammingError:  # PostgreSQL: relation "meta" does not exist
            return False

    def _ensure_schema(self) -> None:
        if self._schema_current():
            return
        with self.backend.writing(self.engine) as conn:
            self.backend.lock_schema(conn)
            inspector = sa.inspect(conn)
            had_incidents = inspector.has_table("incidents")
            had_sources = inspector.has_table("sources")
            metadata.create_all(conn)
            columns = {c["name"] for c in sa.inspect(conn).get_columns("batches")}
            if "removed_at" not in columns:  # a store made before the trash existed
                conn.execute(sa.text("ALTER TABLE batches ADD COLUMN removed_at TIMESTAMP"))
            if "attached" not in columns:  # a store made before sources existed
                conn.execute(sa.text("ALTER TABLE batches ADD COLUMN attached INTEGER"))
            defaults = {"store_id": uuid.uuid4().hex, "data_version": "0"}
            for key, value in defaults.items():
                if _meta_value(conn, key) is None:
                    conn.execute(meta.insert().values(key=key, value=value))
            if had_incidents and not had_sources:
                _sources_of_stored_incidents(conn)
                _bump_version(conn)
            _set_meta(conn, "schema", SCHEMA_VERSION)

    # -- writing --------------------------------------------------------------------------

    def _check_writable(self, action: str) -> None:
        if self.read_only:
            raise ReadOnlyDeployment(action)

    def _write(self):
        """The write transaction: the lock, a sound store, and the data version bumped."""
        return _Writing(self)

    @store_errors
    def ensure_seeded(self) -> None:
        """Import the curated set once, the first time this store is used."""
        if self._seeded or self.seed_csv is None:
            return
        with self.backend.reading(self.engine) as conn:
            seeded = _meta_value(conn, "seeded") is not None
        if not seeded:
            self._import_curated(only_if_never_seeded=True)
        self._seeded = True

    def _import_curated(self, *, only_if_never_seeded: bool) -> Batch | None:
        from dashboard.formats import read_incidents

        curated = read_incidents(self.seed_csv, format="native", dataset="curated", curated=True)
        with self._write() as conn:
            if only_if_never_seeded and _meta_value(conn, "seeded") is not None:
                return None  # another process seeded it meanwhile
            batch = self._insert_batch(
                conn, curated, CURATED_BATCH_NAME, str(self.seed_csv), "native", _no_progress
            )
            _set_meta(conn, "seeded", str(batch.batch_id))
        return batch

    @store_errors
    def import_incidents(
        self,
        incidents: pd.DataFrame,
        *,
        name: str,
        source_file: str | None = None,
        format: str | None = None,
        progress: Progress | None = None,
        attach: pd.DataFrame | None = None,
        published: dt.date | None = None,
    ) -> Batch:
        """All or nothing: the batch, its rows and their sources land in one transaction.

        Each incident's own source comes from its source/source_url (or its `sources` cell);
        `published` is the day of the report when the batch is one (an article). `attach`
        (dashboard.sources.COLUMNS) adds sources to incidents already stored and live; they
        belong to this batch. `progress(stage, done, total)` hears "checking the store", then
        "importing" with rows done of total after each chunk, then "committing".
        """
        self._check_writable("import")
        attach = attach if attach is not None else _no_sources()
        if incidents.empty and attach.empty:
            raise BadInput(f"{source_file or name}: no incidents to import (the file has no rows)")
        progress = progress or _no_progress
        rows = len(incidents)
        try:
            with self._write() as conn:
                progress("checking the store", 0, None)
                self._check_integrity(conn)
                _check_attach_targets(conn, attach, source_file or name)
                batch = self._insert_batch(
                    conn, incidents, name, source_file, format, progress, published, attach
                )
                progress("committing", rows, rows)
        except sa.exc.IntegrityError as error:
            raise self._duplicates(incidents, source_file or name) from error
        except Exception as error:
            if _is_integrity_error(error):
                raise self._duplicates(incidents, source_file or name) from error
            raise
        return batch

    def _check_integrity(self, conn: sa.Connection) -> None:
        problem = self.backend.integrity_problem(conn)
        if problem:
            raise StoreCorrupt(self.display_url, f"integrity check failed: {problem}")

    def _insert_batch(
        self, conn, frame, name, source_file, format, progress, published=None, attach=None
    ) -> Batch:
        from dashboard.sources import own_sources

        now = _now()
        attach = attach if attach is not None else _no_sources()
        batch_id = conn.execute(
            batches.insert().values(
                name=name,
                source_file=source_file,
                format=format,
                imported_at=now,
                rows=len(frame),
                attached=len(attach),
            )
        ).inserted_primary_key[0]
        table = frame_to_arrow(frame, batch_id)
        total = table.num_rows
        progress("importing", 0, total)
        if total:
            self.backend.insert(conn, table, lambda done: progress("importing", done, total))
        own = own_sources(frame, published=published) if total else _no_sources()
        found = pd.concat([own, attach], ignore_index=True)
        if not found.empty:
            rows = sources_to_arrow(found, batch_id, now)
            self.backend.insert(conn, rows, lambda done: None, target="sources")
        return Batch(batch_id, name, total, attached=len(attach))

    def _duplicates(self, frame: pd.DataFrame, where: str) -> Exception:
        ids = pa.array(frame["incident_id"], from_pandas=True).cast(pa.string())
        stored = self._existing_ids(ids.to_pylist())
        if stored:
            removed = {b.batch_id for b in self.trash()}
            return DuplicateIncidents(where, stored, frozenset(removed))
        counts = pc.value_counts(ids)
        twice = [v["values"] for v in counts.to_pylist() if v["counts"] > 1]
        return BadInput(
            f"{where}: {len(twice)} incident id(s) appear more than once in the batch: "
            f"{', '.join(map(str, twice[:5]))}; give each row its own id"
        )

    @store_errors
    def _existing_ids(self, ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        with self.backend.reading(self.engine) as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                query = sa.select(incidents.c.incident_id, incidents.c.batch_id).where(
                    incidents.c.incident_id.in_(chunk)
                )
                found.update(dict(conn.execute(query).all()))
        return found

    @store_errors
    def import_file(
        self, path: str | Path, *, format: str = "auto", progress: Progress | None = None
    ) -> Batch:
        from dashboard.formats import read_incidents

        self._check_writable("import")
        progress = progress or _no_progress
        frame = read_incidents(path, format=format, progress=progress)
        return self.import_incidents(
            frame, name=Path(path).name, source_file=str(path), format=format, progress=progress
        )

    # -- batches and the trash -----------------------------------------------------------

    @store_errors
    def batches(self, *, removed: bool = False) -> pd.DataFrame:
        """Batches in the store (removed=False) or in the trash (removed=True), oldest first."""
        condition = batches.c.removed_at.is_not(None) if removed else batches.c.removed_at.is_(None)
        query = sa.select(batches).where(condition).order_by(batches.c.batch_id)
        with self.backend.reading(self.engine) as conn:
            rows = conn.execute(query).mappings().all()
        frame = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in batches.columns])
        if not removed:
            frame = frame.drop(columns="removed_at")
        return frame

    def trash(self) -> list[Batch]:
        frame = self.batches(removed=True)
        return [
            Batch(int(r.batch_id), r.name, int(r.rows), r.removed_at)
            for r in frame.itertuples(index=False)
        ]

    @store_errors
    def batch(self, batch_id: int) -> Batch:
        with self.backend.reading(self.engine) as conn:
            return _batch(conn, batch_id)

    @store_errors
    def curated_batch_id(self) -> int | None:
        with self.backend.reading(self.engine) as conn:
            value = _meta_value(conn, "seeded")
        return int(value) if value else None

    @store_errors
    def remove_batch(self, batch_id: int) -> int:
        """Move a batch to the trash: hidden everywhere, restorable until purged."""
        self._check_writable("remove a batch")
        with self._write() as conn:
            batch = _batch(conn, batch_id)
            if batch.removed:
                raise BatchStateError(f"{batch.describe()} is already in the trash")
            conn.execute(
                batches.update().where(batches.c.batch_id == batch_id).values(removed_at=_now())
            )
        return batch.rows

    @store_errors
    def restore_batch(self, batch_id: int) -> int:
        self._check_writable("restore a batch")
        with self._write() as conn:
            batch = _batch(conn, batch_id)
            if not batch.removed:
                raise BatchStateError(f"{batch.describe()} is not in the trash")
            conn.execute(
                batches.update().where(batches.c.batch_id == batch_id).values(removed_at=None)
            )
        return batch.rows

    @store_errors
    def purge_batch(self, batch_id: int) -> int:
        """Delete a removed batch and its incidents for good."""
        self._check_writable("purge a batch")
        with self._write() as conn:
            batch = _batch(conn, batch_id)
            if not batch.removed:
                raise not_in_trash(batch)
            # Its sources, and every source other batches attached to its incidents.
            its_incidents = sa.select(incidents.c.incident_id).where(
                incidents.c.batch_id == batch_id
            )
            conn.execute(
                sources.delete().where(
                    (sources.c.batch_id == batch_id) | sources.c.incident_id.in_(its_incidents)
                )
            )
            conn.execute(incidents.delete().where(incidents.c.batch_id == batch_id))
            conn.execute(batches.delete().where(batches.c.batch_id == batch_id))
        return batch.rows

    @store_errors
    def reseed(self) -> tuple[str, Batch]:
        """Make the curated incidents present again.

        Returns ("present" | "restored" | "imported", the curated batch)."""
        self._check_writable("re-seed the curated incidents")
        curated_id = self.curated_batch_id()
        if curated_id is not None:
            try:
                batch = self.batch(curated_id)
            except UnknownBatch:
                batch = None  # purged
            if batch is not None and not batch.removed:
                return "present", batch
            if batch is not None:
                self.restore_batch(curated_id)
                return "restored", self.batch(curated_id)
        return "imported", self._import_curated(only_if_never_seeded=False)

    # -- reading --------------------------------------------------------------------------

    @store_errors
    def data_version(self) -> str:
        """A token that changes with every import, removal, restore and purge (one query)."""
        with self.engine.connect() as conn:
            return _version(conn)

    @store_errors
    def incidents_table(self) -> pa.Table:
        """Every incident not in the trash: canonical columns + batch_id, typed, as Arrow.

        The data version the rows belong to (read in the same snapshot) is in the schema
        metadata under b"atlas_data_version"; no row order is promised.
        """
        with self.backend.reading(self.engine) as conn:
            version = _version(conn).encode()
            removed = _removed_ids(conn)
            table = self.backend.read(conn, removed)
        # A backend that read in a snapshot of its own says which version it saw.
        version = (table.schema.metadata or {}).get(VERSION_METADATA_KEY, version)
        return table.replace_schema_metadata({VERSION_METADATA_KEY: version})

    @store_errors
    def sources_table(self) -> pa.Table:
        """Every source added by a batch not in the trash: incident_id, publication, url,
        published, evidence, added_at, batch_id (Arrow). Sources of incidents in the trash are
        included; joining them to `incidents_table` leaves those out. The data version is in
        the schema metadata, as in `incidents_table`."""
        with self.backend.reading(self.engine) as conn:
            version = _version(conn).encode()
            table = self.backend.read_sources(conn, _removed_ids(conn))
        return table.replace_schema_metadata({VERSION_METADATA_KEY: version})

    @store_errors
    def sources_of(self, incident_id: str) -> pd.DataFrame:
        """The live sources of one incident, oldest first (empty when it is not live)."""
        with self.backend.reading(self.engine) as conn:
            removed = _removed_ids(conn)
            live = sa.select(incidents.c.incident_id).where(incidents.c.incident_id == incident_id)
            if removed:
                live = live.where(incidents.c.batch_id.not_in(removed))
            query = (
                sa.select(sources.c.publication, sources.c.url, sources.c.published,
                          sources.c.evidence, sources.c.added_at, sources.c.batch_id)
                .where(sources.c.incident_id.in_(live))
                .order_by(sources.c.added_at, sources.c.source_id)
            )  # fmt: skip
            if removed:
                query = query.where(sources.c.batch_id.not_in(removed))
            rows = conn.execute(query).mappings().all()
        columns = ["publication", "url", "published", "evidence", "added_at", "batch_id"]
        return pd.DataFrame([dict(r) for r in rows], columns=columns)

    def incidents(self) -> pd.DataFrame:
        """Every incident not in the trash, typed as the canonical schema (plus batch_id)."""
        return arrow_to_frame(self.incidents_table())

    @store_errors
    def count(self) -> int:
        query = sa.select(sa.func.count()).select_from(incidents)
        with self.backend.reading(self.engine) as conn:
            removed = _removed_ids(conn)
            if removed:
                query = query.where(incidents.c.batch_id.not_in(removed))
            return conn.execute(query).scalar()


class _Writing:
    """Context manager for a write transaction (see Store._write)."""

    def __init__(self, store: Store):
        self.store = store
        self._context = None

    def __enter__(self) -> sa.Connection:
        self._context = self.store.backend.writing(self.store.engine)
        conn = self._context.__enter__()
        try:
            # First statement: on PostgreSQL the row lock on the version serialises writers.
            _bump_version(conn)
        except BaseException as error:
            self._context.__exit__(type(error), error, error.__traceback__)
            raise
        return conn

    def __exit__(self, *exc) -> bool | None:
        return self._context.__exit__(*exc)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _meta_value(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()


def _set_meta(conn: sa.Connection, key: str, value: str) -> None:
    if conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(meta.insert().values(key=key, value=value))


def _bump_version(conn: sa.Connection) -> None:
    bumped = sa.cast(sa.cast(meta.c.value, sa.Integer) + 1, sa.Text)
    conn.execute(meta.update().where(meta.c.key == "data_version").values(value=bumped))


def _version(conn: sa.Connection) -> str:
    rows = dict(
        conn.execute(
            sa.select(meta.c.key, meta.c.value).where(meta.c.key.in_(["store_id", "data_version"]))
        ).all()
    )
    return f"{rows.get('store_id', '')}:{rows.get('data_version', '0')}"


def _removed_ids(conn: sa.Connection) -> list[int]:
    query = sa.select(batches.c.batch_id).where(batches.c.removed_at.is_not(None))
    return [int(b) for b in conn.execute(query).scalars()]


def _batch(conn: sa.Connection, batch_id: int) -> Batch:
    row = conn.execute(
        sa.select(
            batches.c.batch_id, batches.c.name, batches.c.rows, batches.c.removed_at,
            batches.c.attached,
        ).where(batches.c.batch_id == int(batch_id))
    ).first()  # fmt: skip
    if row is None:
        raise UnknownBatch(batch_id)
    return Batch(int(row.batch_id), row.name, int(row.rows), row.removed_at, row.attached or 0)


def _no_sources() -> pd.DataFrame:
    from dashboard.sources import COLUMNS

    return pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS})


def _sources_of_stored_incidents(conn: sa.Connection) -> None:
    """A store made before sources existed: each incident's source/source_url becomes its
    first source, added by its own batch when that batch was imported (one statement)."""
    chosen = (
        sa.select(
            incidents.c.incident_id, incidents.c.source, incidents.c.source_url,
            sa.null(), sa.null(), batches.c.imported_at, incidents.c.batch_id,
        )
        .join(batches, batches.c.batch_id == incidents.c.batch_id)
        .where(incidents.c.source.is_not(None) | incidents.c.source_url.is_not(None))
    )  # fmt: skip
    names = ["incident_id", "publication", "url", "published", "evidence", "added_at", "batch_id"]
    conn.execute(sources.insert().from_select(names, chosen))


def _check_attach_targets(conn: sa.Connection, attach: pd.DataFrame, where: str) -> None:
    """Every incident a source is attached to must be stored and not in the trash."""
    if attach.empty:
        return
    wanted = sorted(set(attach["incident_id"].astype(str)))
    removed = _removed_ids(conn)
    live: set[str] = set()
    for start in range(0, len(wanted), 500):
        query = sa.select(incidents.c.incident_id).where(
            incidents.c.incident_id.in_(wanted[start : start + 500])
        )
        if removed:
            query = query.where(incidents.c.batch_id.not_in(removed))
        live.update(conn.execute(query).scalars())
    missing = [i for i in wanted if i not in live]
    if missing:
        raise BadInput(
            f"{where}: {len(missing)} incident(s) to add sources to are not in the store (or "
            f"are in the trash): {', '.join(missing[:5])}; restore their batch or import the "
            "reports as new incidents"
        )


def not_in_trash(batch: Batch) -> BatchStateError:
    return BatchStateError(
        f"{batch.describe()} is not in the trash; remove it first "
        f"(atlas batches remove {batch.batch_id}), then purge it"
    )


def _is_integrity_error(error: BaseException) -> bool:
    import sqlite3

    if isinstance(error, sqlite3.IntegrityError):
        return True
    if type(error).__module__.startswith("psycopg"):
        from psycopg import errors

        return isinstance(error, errors.IntegrityError)
    return False
