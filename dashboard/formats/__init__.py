"""Readers and writers, one module per format; `read_incidents` is the single way in.

Every reader turns a file into text cells under canonical column names; `dashboard.schema`
then types and validates them, and `dashboard.actors` maps actor names, so every format
gets the same checks and the same error messages.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from dashboard import actors
from dashboard.errors import InvalidFile
from dashboard.problems import Problem
from dashboard.schema import parse_incidents
from dashboard.sources import check_sources_column

FORMATS = ("auto", "native", "acled", "ucdp")


def decode_text(data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 with or without BOM; anything else is reported with the row where it breaks."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        hint = " (it looks like Windows-1252/Latin-1)" if _latin1_guess(data) else ""
        message = (
            f"file is not UTF-8: byte 0x{byte} cannot be read{hint}; "
            "save the file as UTF-8 and try again"
        )
        return None, [Problem(row, None, message)]


def _latin1_guess(data: bytes) -> bool:
    return any(0xC0 <= b <= 0xFF for b in data) and b"\x00" not in data


def read_text_table(path: str | Path) -> tuple[pd.DataFrame, list[Problem]]:
    """A CSV or Parquet file as text cells, indexed by spreadsheet row number (header = 1)."""
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        frame = pd.read_parquet(path)
        frame = frame.astype("string").fillna("").astype(object)
        frame.index = range(2, len(frame) + 2)
        return frame, []
    text, problems = decode_text(path.read_bytes())
    if text is None:
        return pd.DataFrame(), problems
    return text_table_from_csv(text)


def text_table_from_csv(text: str) -> tuple[pd.DataFrame, list[Problem]]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return pd.DataFrame(), [Problem(1, None, "file is empty: expected a header row")]
    header = [h.strip() for h in rows[0]]
    problems = []
    body = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            body.append([""] * len(header))
            continue
        if len(row) != len(header):
            problems.append(
                Problem(number, None, f"has {len(row)} cells but the header has {len(header)}")
            )
            row = (row + [""] * len(header))[: len(header)]
        body.append(row)
    frame = pd.DataFrame(body, columns=header, dtype=object, index=range(2, len(body) + 2))
    blank = frame.apply(lambda r: not any(str(v).strip() for v in r), axis=1)
    duplicated = [h for h in set(header) if header.count(h) > 1]
    problems += [Problem(1, h, "column appears more than once in the header") for h in duplicated]
    return frame[~blank] if len(frame) else frame, problems


def detect_format(columns: list[str]) -> str:
    """ACLED or UCDP when the header says so; anything else is read as native."""
    from dashboard.formats import acled, ucdp

    if acled.looks_like(columns):
        return "acled"
    if ucdp.looks_like(columns):
        return "ucdp"
    return "native"


def read_incidents(
    path: str | Path,
    *,
    format: str = "auto",
    dataset: str | None = None,
    curated: bool = False,
) -> pd.DataFrame:
    """Read, map, type and validate a file; raise InvalidFile listing every problem."""
    frame, problems = read_text_table(path)
    if problems and frame.empty:
        raise InvalidFile(path, problems)
    return incidents_from_table(
        frame, path, format=format, dataset=dataset, curated=curated, problems=problems
    )


def incidents_from_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    format: str = "auto",
    dataset: str | None = None,
    curated: bool = False,
    problems: list[Problem] | None = None,
) -> pd.DataFrame:
    problems = list(problems or [])
    chosen = detect_format(list(frame.columns)) if format == "auto" else format
    source_columns: dict[str, str] = {}
    if chosen == "native":
        cells = frame.rename(columns=lambda c: c.strip().lower())
    else:
        from dashboard.formats import acled, ucdp

        mapper = {"acled": acled, "ucdp": ucdp}[chosen]
        cells, found = mapper.to_canonical(frame)
        problems += found
        source_columns = mapper.SOURCE_COLUMNS
    default_dataset = dataset or (chosen if chosen != "native" else f"upload:{Path(path).name}")
    incidents, found = parse_incidents(cells, dataset=default_dataset, curated=curated)
    found += check_sources_column(incidents)
    # Name the column the user sees in their file, and keep a reader's own message for a cell
    # rather than repeating it in the validator's words.
    seen = {(p.row, p.column) for p in problems}
    for problem in found:
        column = source_columns.get(problem.column, problem.column)
        if (problem.row, column) not in seen:
            problems.append(Problem(problem.row, column, problem.message))
    if problems:
        raise InvalidFile(path, problems)
    return actors.canonicalise(incidents)
