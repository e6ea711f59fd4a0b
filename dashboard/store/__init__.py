"""The incident store, and where the dashboard's incidents come from (ATLAS_DATA).

`Store` is the store itself (dashboard.store.store); this module picks the store or file that
ATLAS_DATA names, keeps one open Store per URL for the process, and gives a cheap version token
for whatever is configured, so pages reload exactly when the data changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from dashboard.store.store import (
    BUSY_TIMEOUT_SECONDS,
    CURATED_BATCH_NAME,
    CURATED_CSV,
    Batch,
    Progress,
    Store,
    default_url,
)

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "CURATED_BATCH_NAME",
    "CURATED_CSV",
    "Batch",
    "Progress",
    "Store",
    "close_open_stores",
    "configured_store",
    "data_version",
    "default_url",
    "is_database_url",
    "load_incidents",
    "open_store",
]

# Open stores kept per process (engines and their connection pools); a few at most.
_OPEN_LIMIT = 4
_open: OrderedDict[str, Store] = OrderedDict()
_open_lock = threading.Lock()


def is_database_url(text: str) -> bool:
    return "://" in text and not text.lower().startswith(("http://", "https://", "file://"))


def open_store(url: str | None = None) -> Store:
    """The process's open Store for `url` (default: the local store), seeded on first use."""
    key = url or default_url()
    with _open_lock:
        store = _open.get(key)
        if store is not None:
            _open.move_to_end(key)
    if store is None:
        store = Store(key)
        with _open_lock:
            _open[key] = store
            while len(_open) > _OPEN_LIMIT:
                _open.popitem(last=False)[1].close()
    store.read_only = _read_only()
    store.ensure_seeded()
    return store


def close_open_stores() -> None:
    """Close every store `open_store` keeps (tests call this between tests)."""
    with _open_lock:
        stores = list(_open.values())
        _open.clear()
    for store in stores:
        store.close()


def _read_only() -> bool:
    from dashboard import settings

    return settings.read_only()


def _configured_url(data: str | None) -> str | None:
    return data if data and is_database_url(data) else None


def configured_store() -> Store:
    """The store imports go to: ATLAS_DATA when it is a database URL, else the local store."""
    from dashboard import settings

    return open_store(_configured_url(settings.get("data")))


def data_version(data: str | None = None) -> str:
    """A cheap token that changes whenever the incidents ATLAS_DATA (or `data`) names change:
    the store's data version, or a file's size and modification time."""
    from dashboard import settings

    data = settings.get("data") if data is None else data
    if data and not is_database_url(data):
        path = Path(data).expanduser()
        try:
            stat = path.stat()
        except OSError:
            return f"file:{path}:missing"
        return f"file:{path}:{stat.st_size}:{stat.st_mtime_ns}"
    return open_store(_configured_url(data)).data_version()


def load_incidents(data: str | None = None) -> pd.DataFrame:
    """The incidents the dashboard shows, as ATLAS_DATA (or `data`) says where they are."""
    from dashboard import settings
    from dashboard.formats import read_incidents

    data = settings.get("data") if data is None else data
    if data and not is_database_url(data):
        return read_incidents(Path(data).expanduser())
    return open_store(_configured_url(data)).incidents()
