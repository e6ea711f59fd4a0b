"""Readers and writers, one module per format; `read_incidents` is the single way in.

A file is recognised by its content, not its name: Parquet (`parquet_table`, types kept) or
CSV text (`csv_table`, pyarrow's parser); anything else (zip, gzip, UTF-16, images ...) is
refused with a sentence saying what it is. ACLED and UCDP exports are mapped to canonical
columns (`acled`, `ucdp`); `dashboard.schema` then types and validates every format the same
way, and `dashboard.actors` maps actor names. Limits on rows, columns and cell length
(`limits`) are checked before the work they bound. Every failure is an `InvalidFile` naming the
file, and the row and column where there is one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from dashboard import actors
from dashboard.cell_parsers import arrow_strings, is_text
from dashboard.errors import InvalidFile
from dashboard.formats.csv_table import read_csv_cells
from dashboard.formats.limits import Limits
from dashboard.formats.parquet_table import read_parquet_cells
from dashboard.formats.sniff import file_kind, latin1_guess, read_head, scan_text
from dashboard.problems import Problem
from dashboard.schema import parse_incidents
from dashboard.sources import check_sources_column

FORMATS = ("auto", "native", "acled", "ucdp")
PARQUET_SUFFIXES = (".parquet", ".pq")

# Set on a frame whose file was scanned and holds no control character, so the validator can
# skip looking for them cell by cell.
CLEAN_TEXT = "atlas_clean_text"

# progress(stage, done, total): stages "checking encoding" and "reading" count bytes (or rows
# for Parquet), "validating" counts steps; total is None when unknown.
Progress = Callable[[str, int, "int | None"], None]


def decode_text(data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 with or without BOM; anything else is reported with the row where it breaks."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        hint = " (it looks like Windows-1252/Latin-1)" if latin1_guess(data) else ""
        message = (
            f"file is not UTF-8: byte 0x{byte} cannot be read{hint}; "
            "save the file as UTF-8 and try again"
        )
        return None, [Problem(row, None, message)]


def read_table(
    path: str | Path,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """A CSV or Parquet file as cells indexed by spreadsheet row number (header = 1), and the
    problems met reading it. Raises InvalidFile when the file cannot be read as a table."""
    path = Path(path)
    name = name or str(path)
    limits = limits or Limits.from_settings()
    try:
        kind = file_kind(read_head(path, 64 * 1024))
        if kind == "parquet":
            frame, problems = read_parquet_cells(path, name, limits, progress)
        elif kind == "text":
            frame, problems = _read_text(path, name, limits, progress)
        else:
            raise InvalidFile(name, [Problem(None, None, kind)])
    except (IsADirectoryError, PermissionError) as error:
        problem = Problem(None, None, f"cannot read it: {error.strerror}")
        raise InvalidFile(name, [problem]) from None
    return frame, problems + _long_cells(frame, limits)


# Kept for callers of the earlier name.
read_text_table = read_table


def _read_text(path: Path, name: str, limits: Limits, progress) -> tuple[pd.DataFrame, list]:
    if Path(name).suffix.lower() in PARQUET_SUFFIXES or path.suffix.lower() in PARQUET_SUFFIXES:
        message = (
            "the file is named .parquet but holds text, not Parquet: if it is a CSV, name it .csv"
        )
        raise InvalidFile(name, [Problem(None, None, message)])
    scan = scan_text(path, progress)
    if scan.problems:
        raise InvalidFile(name, scan.problems)
    frame, problems = read_csv_cells(path, name, limits, progress)
    frame.attrs[CLEAN_TEXT] = not scan.has_control_characters
    return frame, problems


def _long_cells(frame: pd.DataFrame, limits: Limits) -> list[Problem]:
    problems = []
    for position, column in enumerate(frame.columns):
        cells = frame.iloc[:, position]
        if not is_text(cells):
            continue
        values = arrow_strings(cells)
        # Bytes are never fewer than characters: most files are done with the cheap count.
        if (pc.max(pc.binary_length(values)).as_py() or 0) <= limits.max_field_chars:
            continue
        lengths = pd.Series(pc.utf8_length(values).to_numpy(zero_copy_only=False), cells.index)
        for row, length in lengths[lengths > limits.max_field_chars].items():
            problems.append(Problem(int(row), str(column), limits.field_message(int(length))))
    return problems


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
    name: str | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> pd.DataFrame:
    """Read, map, type and validate a file; raise InvalidFile listing every problem.

    `name` is how messages call the file (an upload's own name rather than a temporary path);
    `progress(stage, done, total)` is called as the work advances.
    """
    frame, problems = read_table(path, name=name, limits=limits, progress=progress)
    return incidents_from_table(
        frame,
        name or path,
        format=format,
        dataset=dataset,
        curated=curated,
        problems=problems,
        progress=progress,
    )


def incidents_from_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    format: str = "auto",
    dataset: str | None = None,
    curated: bool = False,
    problems: list[Problem] | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    problems = list(problems or [])
    if frame.empty:
        message = "no incidents: the file has a header but no data rows"
        raise InvalidFile(path, problems or [Problem(None, None, message)])
    chosen = detect_format(list(frame.columns)) if format == "auto" else format
    source_columns: dict[str, str] = {}
    if chosen == "native":
        cells = frame.rename(columns=lambda c: str(c).strip().lower())
        # A repeated name is reported on the header; the first of them is the one read.
        cells = cells.loc[:, ~cells.columns.duplicated()]
    else:
        from dashboard.formats import acled, ucdp

        mapper = {"acled": acled, "ucdp": ucdp}[chosen]
        cells, found = mapper.to_canonical(frame)
        problems += found
        source_columns = _source_names(mapper)
    default_dataset = dataset or (chosen if chosen != "native" else f"upload:{Path(path).name}")
    incidents, found = parse_incidents(
        cells,
        dataset=default_dataset,
        curated=curated,
        progress=progress,
        check_text=not frame.attrs.get(CLEAN_TEXT, False),
    )
    found += check_sources_column(incidents)
    problems += _in_users_words(found, source_columns, problems)
    if problems:
        raise InvalidFile(path, problems)
    return actors.canonicalise(incidents)


def _source_names(mapper) -> dict[str, str]:
    """Canonical or kept column -> the column the user sees in their file."""
    prefix = f"{mapper.NAME}_"
    columns = (*mapper.HEADER, *getattr(mapper, "LEGACY_HEADER", ()))
    kept = {f"{prefix}{column}": column for column in columns}
    return kept | dict(mapper.SOURCE_COLUMNS)


def _in_users_words(found, source_columns, already) -> list[Problem]:
    """Name the column the user sees in their file, and keep a reader's own message for a cell
    rather than repeating it in the validator's words."""
    seen = {(p.row, p.column) for p in already}
    kept, messages = [], set()
    for problem in found:
        column = source_columns.get(problem.column, problem.column)
        key = (problem.row, column)
        if key in seen or (key, problem.message) in messages:
            continue
        messages.add((key, problem.message))
        kept.append(Problem(problem.row, column, problem.message))
    return kept
