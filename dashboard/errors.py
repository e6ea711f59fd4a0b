"""Every error a user can meet, each with a message that says how to fix it.

The CLI and the pages turn these into what the user sees in one place each
(`dashboard.__main__.main` and `dashboard.views.common.show_error`).
"""

from pathlib import Path

from dashboard.problems import Problem, sort_problems


class AtlasError(Exception):
    """Base class: the message is complete and meant for the user."""


class InvalidFile(AtlasError):
    """A file has problems; `problems` lists every one with its row and column."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        self.problems = sort_problems(problems)
        count = len(self.problems)
        super().__init__(
            f"{self.path}: {count} problem{'s' if count != 1 else ''} found; "
            "fix them in the file and try again"
        )

    def lines(self) -> list[str]:
        return [f"{self.path}: {p.describe()}" for p in self.problems]


class DuplicateIncidents(AtlasError):
    def __init__(
        self, path: str | Path, duplicates: dict[str, int], removed: frozenset[int] = frozenset()
    ):
        self.duplicates = duplicates
        shown = list(duplicates.items())[:5]
        sample = ", ".join(
            f"{i} (batch {b}{', in the trash' if b in removed else ''})" for i, b in shown
        )
        more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
        trashed = sorted({b for b in duplicates.values() if b in removed})
        fix = "remove that batch first (atlas batches remove ID) or give the rows new ids"
        if trashed:
            fix = (
                f"batch {trashed[0]} is in the trash and keeps its ids until purged: purge it "
                f"first (atlas batches purge {trashed[0]}), or give the rows new ids"
            )
        super().__init__(
            f"{path}: {len(duplicates)} incident id(s) are already in the store: "
            f"{sample}{more}; {fix}"
        )


class UnknownBatch(AtlasError):
    def __init__(self, batch_id: int):
        super().__init__(f"no batch {batch_id} in the store; list them with: atlas batches list")


class BatchStateError(AtlasError):
    """A batch action that does not fit the batch's state (e.g. purging a batch not removed)."""


class StoreError(AtlasError):
    """The store cannot do what was asked; messages name the store, never its password."""


class StoreUnavailable(StoreError):
    def __init__(self, url: str, reason: str):
        super().__init__(
            f"cannot open the store at {url}: {reason}; check the path or URL "
            "(--db or ATLAS_DATA), that a database server is running and reachable, and that "
            "a store folder exists and is writable"
        )


class StoreBusy(StoreError):
    def __init__(self, url: str):
        super().__init__(
            f"the store at {url} is busy: it is locked by another process (an import, removal "
            "or purge is writing to it); nothing was changed; try again when it has finished"
        )


class StoreReadOnly(StoreError):
    def __init__(self, url: str):
        super().__init__(
            f"the store at {url} is read-only: the file or its folder cannot be written by "
            "this user (SQLite also writes -wal and -shm files beside it, even to read); "
            "nothing was changed; make both writable, or point ATLAS_HOME or --db at a "
            "writable store"
        )


class StoreCorrupt(StoreError):
    def __init__(self, url: str, reason: str):
        super().__init__(
            f"the store at {url} is damaged ({reason}); nothing was imported or overwritten; "
            "restore it from a backup, or move the file aside and start a new store (the "
            "curated incidents are seeded again on first use)"
        )


class ReadOnlyDeployment(AtlasError):
    def __init__(self, action: str):
        super().__init__(
            f"cannot {action}: this Incident Atlas is read-only (ATLAS_READ_ONLY is set), so "
            "imports, uploads and removals are turned off; use an installation where "
            "ATLAS_READ_ONLY is not set, or ask whoever manages the data"
        )


class BadInput(AtlasError, ValueError):
    """An input file cannot be used as given (a missing column, an empty file...)."""


class BadSetting(AtlasError, ValueError):
    """An environment setting has a value the project does not know."""


class GazetteerDataError(AtlasError, ValueError):
    """sites.csv or towns.csv is malformed; the message names the file, row and fix."""
