"""What every source-format reader needs: header names, cells by name, spreadsheet rows."""

from __future__ import annotations

import pandas as pd

from dashboard.problems import Problem


def column_key(name: str) -> str:
    """A header name as readers compare it: case and surrounding spaces do not matter."""
    return str(name).strip().lower()


def cells_by_column(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """Source columns by normalised name (the first of a repeated name wins), stripped text."""
    cells: dict[str, pd.Series] = {}
    for column in raw.columns:
        key = column_key(column)
        if key and key not in cells:
            cells[key] = raw[column].astype("string").fillna("").str.strip().astype(object)
    return cells


def spreadsheet_rows(index: pd.Index) -> dict:
    """Index label -> spreadsheet row. Readers index frames by spreadsheet row already (2, 3 ...);
    a plain 0-based index (pd.read_csv) is shifted by the header row and 1-based counting."""
    offset = 2 if len(index) and index.min() < 2 else 0
    return {label: int(label) + offset for label in index}


def missing_required(cells: dict[str, pd.Series], required, format_name: str) -> list[Problem]:
    """One problem on the header row (row 1) for each required source column that is absent."""
    return [
        Problem(1, column, f"required {format_name} column is missing")
        for column in required
        if column not in cells
    ]


def column_reader(cells: dict[str, pd.Series], index: pd.Index):
    """col(name): that source column's cells, or empty text when the file does not have it."""
    empty = pd.Series("", index=index, dtype=object)

    def col(name: str) -> pd.Series:
        return cells.get(name, empty)

    return col


def parse_dates(cells: pd.Series, parse, rows: dict, column: str, format_name: str, expected: str):
    """Each cell through `parse` (-> 'YYYY-MM-DD' or None). An unreadable date is reported and
    passed on as written, so the shared validator does not report it a second time in its words."""
    problems, dates = [], []
    for label, text in cells.items():
        parsed = parse(text) if text else ""
        if parsed is None:
            problems.append(
                Problem(
                    rows[label],
                    column,
                    f"cannot read {format_name} date '{text}': expected {expected}",
                )
            )
            parsed = text
        dates.append(parsed)
    return dates, problems
