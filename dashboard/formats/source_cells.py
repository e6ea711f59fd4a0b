"""What every source-format reader needs: header names, cells by name, spreadsheet rows, and
per-distinct-value mapping (a million rows hold a few thousand distinct dates or codes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.cell_parsers import Distinct, arrow_strings, is_text, shown
from dashboard.problems import Problem


def column_key(name: str) -> str:
    """A header name as readers compare it: case and surrounding spaces do not matter."""
    return str(name).strip().lower()


def as_text(values: pd.Series) -> pd.Series:
    """Cells as text, verbatim; missing cells are empty text. The mapping rules ignore
    surrounding spaces, and the validator strips the canonical columns."""
    if not is_text(values) or values.dtype == object:
        values = values.astype("string")
    text = arrow_strings(values)
    if text.null_count:
        text = pc.fill_null(text, "")
    return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index)


def stripped(values: pd.Series) -> pd.Series:
    trimmed = pc.utf8_trim_whitespace(arrow_strings(values))
    return pd.Series(pd.arrays.ArrowStringArray(trimmed), index=values.index)


def cells_by_column(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """Source columns by normalised name (the first of a repeated name wins), as text."""
    cells: dict[str, pd.Series] = {}
    for position, column in enumerate(raw.columns):
        key = column_key(column)
        if key and key not in cells:
            cells[key] = as_text(raw.iloc[:, position])
    return cells


def has_point(col) -> np.ndarray:
    """Rows that give both a latitude and a longitude (spaces are not a value)."""
    latitude, longitude = stripped(col("latitude")), stripped(col("longitude"))
    return (latitude.ne("") & longitude.ne("")).to_numpy()


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


def parse_dates(cells: pd.Series, parse, rows, column: str, format_name: str, expected: str):
    """Each distinct cell through `parse` (-> 'YYYY-MM-DD' or None). An unreadable date is
    reported and passed on as written, so the shared validator does not report it a second
    time in its words."""

    def read(text: str) -> tuple[str, bool]:
        parsed = parse(text) if text.strip() else ""
        return (text, False) if parsed is None else (parsed, True)

    dates = Distinct(read, cells, na_value=("", True))
    bad = dates.where(lambda result: not result[1])
    problems = [
        Problem(
            int(row),
            column,
            f"cannot read {format_name} date '{shown(text)}': expected {expected}",
        )
        for row, (text, _ok) in zip(rows[bad], dates.results_at(bad), strict=True)
    ]
    return dates.text(lambda result: result[0]), problems


def constant(value: str, index: pd.Index) -> pd.Series:
    """The same text in every row."""
    values = pa.array([value], type=pa.large_string()).take(pa.array(np.zeros(len(index), int)))
    return pd.Series(pd.arrays.ArrowStringArray(values), index=index)


def choose(mask: np.ndarray, when_true: str, when_false: str, index: pd.Index) -> pd.Series:
    values = pc.if_else(pa.array(mask), when_true, when_false).cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(values), index=index)
