"""Database failures as errors a user can act on: busy, read-only, damaged, unreachable.

Drivers say these things in their own words ("database is locked", "attempt to write a
readonly database", "file is not a database", "connection refused"); the store raises one
AtlasError per situation instead, naming the store by a URL with its password hidden.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from dashboard.errors import (
    AtlasError,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreReadOnly,
    StoreUnavailable,
)

_BUSY = ("database is locked", "database table is locked", "lock timeout", "lock_timeout")
_READ_ONLY = ("readonly database", "read-only", "readonly")
_CORRUPT = ("file is not a database", "malformed", "disk image", "not a database")
_CANNOT_OPEN = ("unable to open database file", "cannot open")


def safe_url(url: str) -> str:
    """The URL as a user may see it: the password, if any, replaced by ***."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _driver_error(error: BaseException) -> BaseException:
    return getattr(error, "orig", None) or error


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0].strip()


def translate(error: BaseException, url: str) -> AtlasError | None:
    """The AtlasError for a driver or SQLAlchemy failure, or None if it is none of ours."""
    if isinstance(error, AtlasError):
        return error
    where = safe_url(url)
    driver = _driver_error(error)
    return _by_message(driver, error, url, where) or _by_kind(driver, error, where)


def _by_message(
    driver: BaseException, error: BaseException, url: str, where: str
) -> AtlasError | None:
    text = str(driver).lower()
    if any(word in text for word in _BUSY) or _is_postgres_lock_timeout(driver):
        return StoreBusy(where)
    if any(word in text for word in _CORRUPT):
        return StoreCorrupt(where, _first_line(driver))
    if any(word in text for word in _READ_ONLY) and _is_sqlite(driver, error):
        return StoreReadOnly(where)
    if any(word in text for word in _CANNOT_OPEN):
        return _cannot_open(url, where)
    return None


def _by_kind(driver: BaseException, error: BaseException, where: str) -> AtlasError | None:
    if isinstance(error, sa.exc.OperationalError) or _is_postgres_connection(driver):
        return StoreUnavailable(where, _first_line(driver))
    if isinstance(error, (sa.exc.SQLAlchemyError, sqlite3.Error)) or _is_postgres(driver):
        return StoreError(f"the store at {where} failed: {_first_line(driver)}")
    return None


def _cannot_open(url: str, where: str) -> AtlasError:
    try:
        path = Path(sa.engine.make_url(url).database or "")
    except sa.exc.ArgumentError:
        path = Path()
    if path.name and path.exists():
        # SQLite writes atlas.db-wal and atlas.db-shm beside the file, even to read it.
        return StoreReadOnly(where)
    if path.name and not path.parent.is_dir():
        return StoreUnavailable(where, f"the folder {path.parent} does not exist")
    return StoreUnavailable(where, "the file cannot be opened")


def _is_sqlite(driver: BaseException, error: BaseException) -> bool:
    return isinstance(driver, sqlite3.Error) or isinstance(error, sqlite3.Error)


def _is_postgres(driver: BaseException) -> bool:
    return type(driver).__module__.startswith("psycopg")


def _is_postgres_connection(driver: BaseException) -> bool:
    if not _is_postgres(driver):
        return False
    import psycopg

    return isinstance(driver, psycopg.OperationalError)


def _is_postgres_lock_timeout(driver: BaseException) -> bool:
    if not _is_postgres(driver):
        return False
    from psycopg import errors

    return isinstance(driver, errors.LockNotAvailable)


def store_errors(method):
    """Decorate a Store method: driver failures leave it as the matching AtlasError."""

    @functools.wraps(method)
    def wrapper(store, *args, **kwargs):
        try:
            return method(store, *args, **kwargs)
        except AtlasError:
            raise
        except Exception as error:
            translated = translate(error, store.url)
            if translated is None:
                raise
            raise translated from error

    return wrapper
