"""What every source-format reader needs: header names, cells by name, spreadsheet rows, and
per-distinct-value mapping (a million rows hold a few thousand distinct dates or codes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.cell_parsers import arrow_strings, is_text, per_distinct, shown
from dashboard.problems import Problem

# Joins several cells into one key for per-distinct mapping; never found in text.
KEY_SEPARATOR = "\x1f"


def column_key(name: str) -> str:
    """A header name as readers compare it: case and surrounding spaces do not matter."""
    return str(name).strip().lower()


def stripped_text(values: pd.Series) -> pd.Series:
    """Cells as text with surrounding spaces removed; missing cells are empty text."""
    if not is_text(values) or values.dtype == object:
        values = values.astype("string")
    trimmed = pc.fill_null(pc.utf8_trim_whitespace(arrow_strings(values)), "")
    return pd.Series(pd.arrays.ArrowStringArray(trimmed), index=values.index)


def cells_by_column(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """Source columns by normalised name (the first of a repeated name wins), stripped text."""
    cells: dict[str, pd.Series] = {}
    for position, column in enumerate(raw.columns):
        key = column_key(column)
        if key and key not in cells:
            cells[key] = stripped_text(raw.iloc[:, position])
    return cells


def spreadsheet_rows(index: pd.Index) -> np.ndarray:
    """The spreadsheet row of each position. Readers index frames by spreadsheet row already
    (2, 3 ...); a plain 0-based index (pd.read_csv) is shifted by the header row and 1-based
    counting."""
    offset = 2 if len(index) and index.min() < 2 else 0
    return np.asarray(index, dtype=np.int64) + offset


def missing_required(cells: dict[str, pd.Series], required, format_name: str) -> list[Problem]:
    """One problem on the header row (row 1) for each required source column that is absent."""
    return [
        Problem(1, column, f"required {format_name} column is missing")
        for column in required
        if column not in cells
    ]


def column_reader(cells: dict[str, pd.Series], index: pd.Index):
    """col(name): that source column's cells, or empty text when the file does not have it."""
    empty = pd.Series(pd.arrays.ArrowStringArray(pa.array([""] * len(index))), index=index)

    def col(name: str) -> pd.Series:
        return cells.get(name, empty)

    return col


def text_series(values, index: pd.Index) -> pd.Series:
    """An object array of str as a pyarrow-backed text column."""
    return pd.Series(values, index=index, dtype="string")


def map_distinct(function, *columns: pd.Series) -> np.ndarray:
    """function(*cells) for each distinct combination of cells, spread back to every row."""
    if len(columns) == 1:
        return per_distinct(columns[0], function, function(""))
    key = columns[0].str.cat(list(columns[1:]), sep=KEY_SEPARATOR)
    return per_distinct(key, lambda joined: function(*joined.split(KEY_SEPARATOR)))


def parse_dates(cells: pd.Series, parse, rows, column: str, format_name: str, expected: str):
    """Each distinct cell through `parse` (-> 'YYYY-MM-DD' or None). An unreadable date is
    reported and passed on as written, so the shared validator does not report it a second
    time in its words."""
    parsed = per_distinct(cells, lambda text: parse(text) if text else "", "")
    bad = np.array([value is None for value in parsed], dtype=bool)
    written = cells.to_numpy(dtype=object)
    problems = [
        Problem(
            int(row),
            column,
            f"cannot read {format_name} date '{shown(text)}': expected {expected}",
        )
        for row, text in zip(rows[bad], written[bad], strict=True)
    ]
    parsed[bad] = written[bad]
    return text_series(parsed, cells.index), problems
