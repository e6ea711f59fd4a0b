"""Where the dashboard's incidents come from, which version they are at, and their snapshot.

`ATLAS_DATA` names a file (CSV, Parquet, ACLED or UCDP export) or a store URL; empty means the
local store. `DataSource.version()` is cheap (a file's size and time, or the store's data
version: one tiny query) and is asked on every rerun; when it changes, `engine()` builds the
engine over the new typed, validated incidents. Opening pages then show new data on
their next rerun, with no restart.

Validation runs once per data version: a file is read and validated (every problem reported),
then the engine's table (typed, with H3 cells, sides and sources, in cell order) is kept as a
Parquet snapshot under ATLAS_HOME/snapshots, so the next start loads it straight into the
engine instead of validating the file again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from dashboard.actors import ACTORS_CSV
from dashboard.engine import OPTIONAL_COLUMNS, Engine
from dashboard.paths import atlas_home
from dashboard.schema import COLUMNS
from dashboard.sources import SOURCES_COLUMN, nest_sources

# Bump when the snapshot layout changes, so old snapshots are never read by newer code.
# 2: with the sources of each incident; 3: in H3 cell order; 4: the engine's own table (with
# the actors' sides, so the key also names the actors table they come from).
SNAPSHOT_LAYOUT = "4"


@dataclass(frozen=True)
class DataSource:
    """`setting` is ATLAS_DATA as given: a file path, a store URL, or "" for the local store."""

    setting: str = ""

    @classmethod
    def configured(cls) -> DataSource:
        from dashboard import settings

        return cls(settings.get("data"))

    @property
    def is_file(self) -> bool:
        from dashboard.store import is_database_url

        return bool(self.setting) and not is_database_url(self.setting)

    @property
    def path(self) -> Path:
        return Path(self.setting).expanduser()

    def store(self):
        from dashboard.store import open_store

        return open_store(self.setting or None)

    def version(self) -> str:
        """Changes whenever the data does: a file's size and modification time, or the
        store's data version (one tiny query)."""
        from dashboard.store import data_version

        return data_version(self.setting)

    def engine(self, version: str | None = None, *, server: bool = True) -> Engine:
        """The engine at `version`, from its snapshot when this version was read before;
        `server=False` for one-shot commands (no background work)."""
        version = version or self.version()
        path = self._snapshot_path(version)
        if path.exists():
            try:
                return Engine.from_saved(path, version=version, search_in_background=server)
            except duckdb.Error:  # unreadable (a disk fault): a cache only, so build again
                path.unlink(missing_ok=True)
        engine = Engine(self._read(), version=version, search_in_background=server)
        if server:  # the first page need not wait for the cache (1.4 s at 10^6 rows)
            engine.in_background(lambda: _save_snapshot(engine, path))
        else:
            _save_snapshot(engine, path)
        return engine

    def _read(self) -> pa.Table:
        if self.is_file:
            from dashboard.formats import read_incidents

            return frame_to_arrow(read_incidents(self.path))
        store = self.store()
        # Incidents first: their version names the snapshot. Sources read a moment later may
        # be newer, never older, so a change in between is seen (and reloaded) on the next rerun.
        incidents = store.incidents_table()
        return nest_sources(incidents, store.sources_table())

    def _snapshot_path(self, version: str) -> Path:
        source = hashlib.sha1(f"{self._identity()}".encode()).hexdigest()[:16]
        key = f"{SNAPSHOT_LAYOUT}|{_code_stamp()}|{version}"
        stamp = hashlib.sha1(key.encode()).hexdigest()[:16]
        return atlas_home() / "snapshots" / f"{source}-{stamp}.parquet"

    def _identity(self) -> str:
        if self.is_file:
            return str(self.path.resolve())
        from dashboard.store import default_url

        return self.setting or default_url()


# The engines this process serves, one per (ATLAS_DATA, data version): every session of a
# server shares them (nothing is copied per session), and a server can build one before its
# first visitor (dashboard.serve). Only the current version is kept: a session still answering
# from an older one keeps it alive until it is done.
_ENGINES: OrderedDict[tuple[str, str], Engine] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
KEPT_ENGINES = 1


def shared_engine(setting: str, version: str) -> Engine:
    """The process's engine for `setting` at `version`, built once (sessions that ask while it
    is being built wait for it rather than build another)."""
    key = (setting, version)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = DataSource(setting).engine(version)
            _ENGINES[key] = engine
            while len(_ENGINES) > KEPT_ENGINES:
                _ENGINES.popitem(last=False)
        _ENGINES.move_to_end(key)
        return engine


def engine_ready(setting: str, version: str) -> bool:
    return (setting, version) in _ENGINES


# While a new version is being built (an import landed: reading the store into a snapshot takes
# seconds at 10^5-10^6 rows), pages wait this long for it, then answer from the previous
# version rather than keep every open page waiting; they show the new one from their next
# rerun after it is ready.
FRESH_WAIT_S = 5.0
_BUILDS: dict[tuple[str, str], threading.Thread] = {}
_BUILDS_LOCK = threading.Lock()


def engine_for(setting: str, version: str, *, wait_s: float = FRESH_WAIT_S) -> tuple[Engine, bool]:
    """(the engine at `version`, True); or, when that version is still being built after
    `wait_s` seconds and an older version of the same data is loaded, (the older one, False).
    With nothing older loaded, it waits for the build; a build that failed raises its error."""
    key = (setting, version)
    engine = _ENGINES.get(key)
    if engine is not None:
        return engine, True
    older = [e for (s, _), e in list(_ENGINES.items()) if s == setting]
    if not older:
        return shared_engine(setting, version), True
    build = _build_in_background(setting, version)
    build.join(wait_s)
    engine = _ENGINES.get(key)
    if engine is not None:
        return engine, True
    if not build.is_alive():  # it failed: build here, so the error reaches the page
        return shared_engine(setting, version), True
    return older[-1], False


def _build_in_background(setting: str, version: str) -> threading.Thread:
    key = (setting, version)
    with _BUILDS_LOCK:
        build = _BUILDS.get(key)
        if build is None or not build.is_alive():
            build = threading.Thread(
                target=_build, args=key, name=f"atlas-engine-{version[:12]}", daemon=True
            )
            _BUILDS[key] = build
            build.start()
        return build


def _build(setting: str, version: str) -> None:
    try:
        shared_engine(setting, version)
    except Exception:  # noqa: BLE001 - the page that asks next builds it and shows the error
        pass
    finally:
        with _BUILDS_LOCK:
            _BUILDS.pop((setting, version), None)


def frame_to_arrow(frame) -> pa.Table:
    """Canonical pandas incidents -> Arrow (dates as date32, the rest as their dtypes say)."""
    out = frame.copy()
    out["event_date"] = out["event_date"].dt.date
    keep = [
        c
        for c in out.columns
        if c in COLUMNS or c.endswith("_original") or c in ("batch_id", SOURCES_COLUMN)
    ]
    return pa.Table.from_pandas(out[keep], preserve_index=False)


def _save_snapshot(engine: Engine, path: Path) -> None:
    """A snapshot is complete or absent: written beside its place, then renamed into it; the
    older snapshots of the same data go."""
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine.save(partial)
        os.replace(partial, path)
    except (OSError, duckdb.Error):
        partial.unlink(missing_ok=True)  # a cache only: the data is still served from memory
        return
    _remove_older(path)


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """What else a snapshot depends on: the engine's columns (a schema change makes older
    snapshots unreadable to newer code) and the bundled actors table its sides come from."""
    columns = ",".join((*COLUMNS, *OPTIONAL_COLUMNS))
    return hashlib.sha1(columns.encode() + ACTORS_CSV.read_bytes()).hexdigest()[:16]


def _remove_older(current: Path) -> None:
    """Older snapshots of the same data, and partial ones their writer left when it was stopped
    mid-write (it writes in the background: a server stopped during its first minute)."""
    source = current.name.split("-")[0]
    for other in current.parent.glob(f"{source}-*.parquet"):
        if other != current:
            other.unlink(missing_ok=True)
    for partial in current.parent.glob(f"{source}-*.partial"):
        if not _writer_alive(partial):
            partial.unlink(missing_ok=True)


def _writer_alive(partial: Path) -> bool:
    """Whether the process named in a partial snapshot's name (<stamp>.<pid>.<thread>.partial)
    is still running."""
    try:
        pid = int(partial.name.split(".")[1])
        os.kill(pid, 0)
    except (IndexError, ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
