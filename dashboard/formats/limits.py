"""How much one file may hold: rows, columns, cell length and upload size (from settings).

Every reader checks these before the work they bound (the column count on the header before
the rest is parsed, rows while reading), so a hostile file is refused in bounded time and
memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_columns: int
    max_field_chars: int
    max_upload_mb: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_rows=settings.get_int("max_rows"),
            max_columns=settings.get_int("max_columns"),
            max_field_chars=settings.get_int("max_field_chars"),
            max_upload_mb=settings.get_int("max_upload_mb"),
        )

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * MIB

    def rows_message(self) -> str:
        return (
            f"the file has more than {self.max_rows:,} data rows, the most one file may have "
            "(ATLAS_MAX_ROWS); split it into smaller files"
        )

    def columns_message(self, found: int, *, at_least: bool = False) -> str:
        count = f"at least {found:,}" if at_least else f"{found:,}"
        return (
            f"the header has {count} columns, more than the {self.max_columns:,} a file may "
            "have (ATLAS_MAX_COLUMNS); is it the right file, and is the delimiter a comma?"
        )

    def field_message(self, length: int) -> str:
        return (
            f"the cell holds {length:,} characters, more than the {self.max_field_chars:,} "
            'allowed (ATLAS_MAX_FIELD_CHARS); shorten it, or check for an unclosed quote (")'
        )
