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
    def __init__(self, path: str | Path, duplicates: dict[str, int]):
        self.duplicates = duplicates
        sample = ", ".join(f"{i} (batch {b})" for i, b in list(duplicates.items())[:5])
        more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
        super().__init__(
            f"{path}: {len(duplicates)} incident id(s) are already in the store: {sample}{more}; "
            "remove that batch first (atlas batches remove ID) or give the rows new ids"
        )


class UnknownBatch(AtlasError):
    def __init__(self, batch_id: int):
        super().__init__(f"no batch {batch_id} in the store; list them with: atlas batches list")


class StoreUnavailable(AtlasError):
    def __init__(self, url: str, reason: str):
        super().__init__(
            f"cannot open the store at {url}: {reason}; check the path or URL "
            "(--db or ATLAS_DATA) and that the folder is writable"
        )


class BadInput(AtlasError, ValueError):
    """An input file cannot be used as given (a missing column, an empty file...)."""


class BadSetting(AtlasError, ValueError):
    """An environment setting has a value the project does not know."""


class GazetteerDataError(AtlasError, ValueError):
    """sites.csv or towns.csv is malformed; the message names the file, row and fix."""
