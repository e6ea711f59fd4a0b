"""What every source-format reader needs: header names, cells by name, spreadsheet rows."""

from __future__ import annotations

import pandas as pd


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
