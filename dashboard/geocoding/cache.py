"""A persistent cache of online geocoding answers, so each name is asked once, ever.

SQLite file (default: <atlas home>/geocode-cache.sqlite; the path is injectable). Negative
answers ("the service does not know this name") are cached too. Failures (time-outs, rate
limits, outages) are not answers and are never cached, so the name is asked again later.
Keys are the cleaned query (case, diacritics and punctuation ignored) plus the country hint.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard.geocoding.normalise import clean

CACHE_FILE = "geocode-cache.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS geocode_cache (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    country TEXT NOT NULL,
    found INTEGER NOT NULL,
    latitude REAL,
    longitude REAL,
    address TEXT,
    raw TEXT,
    asked_at TEXT NOT NULL,
    PRIMARY KEY (provider, query, country)
)
"""


@dataclass(frozen=True)
class CachedAnswer:
    """What the provider answered: found=False is a cached "not found"."""

    found: bool
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    raw: dict | None = None


def default_cache_path() -> Path:
    from dashboard.paths import atlas_home

    return atlas_home() / CACHE_FILE


def cache_key(query: str, country: str | None) -> tuple[str, str]:
    return clean(query), (country or "").strip().upper()


class GeocodeCache:
    """SQLite-backed answers per (provider, query, country); safe to share between threads."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_cache_path()
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False)
            connection.execute(_SCHEMA)
            connection.commit()
            self._connection = connection
        return self._connection

    def get(self, provider: str, query: str, country: str | None = None) -> CachedAnswer | None:
        """The cached answer, or None when the name was never asked."""
        key, hint = cache_key(query, country)
        with self._lock:
            row = (
                self._connect()
                .execute(
                    "SELECT found, latitude, longitude, address, raw FROM geocode_cache "
                    "WHERE provider = ? AND query = ? AND country = ?",
                    (provider, key, hint),
                )
                .fetchone()
            )
        if row is None:
            return None
        found, latitude, longitude, address, raw = row
        return CachedAnswer(bool(found), latitude, longitude, address,
                            json.loads(raw) if raw else None)  # fmt: skip

    def put(self, provider: str, query: str, country: str | None, answer: CachedAnswer) -> None:
        key, hint = cache_key(query, country)
        raw = json.dumps(answer.raw, ensure_ascii=False, default=str) if answer.raw else None
        with self._lock:
            connection = self._connect()
            connection.execute(
                "INSERT OR REPLACE INTO geocode_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (provider, key, hint, int(answer.found), answer.latitude, answer.longitude,
                 answer.address, raw, datetime.now(UTC).isoformat(timespec="seconds")),
            )  # fmt: skip
            connection.commit()

    def __len__(self) -> int:
        with self._lock:
            return self._connect().execute("SELECT COUNT(*) FROM geocode_cache").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
