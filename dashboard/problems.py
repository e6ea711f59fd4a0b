"""A problem found in an input file, located as a spreadsheet shows the file.

Rows are numbered as a spreadsheet shows a CSV file: the header is row 1 and the first data
row is row 2, so a user can jump straight to the cell.
"""

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Every problem as one table row, sorted by row then column, for people to read."""
    table = pd.DataFrame(
        [(p.row, p.column, p.message) for p in problems], columns=["row", "column", "problem"]
    )
    table["row"] = table["row"].astype("Int64")
    return table.sort_values(["row", "column"], na_position="first", kind="stable").reset_index(
        drop=True
    )


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
