"""CSV files -> text cells indexed by spreadsheet row, read by pyarrow's C++ parser.

Row numbers are a spreadsheet's: the header is row 1, a quoted line break stays inside its row,
and blank lines count (they are then dropped). pyarrow numbers each record the same way, so a
row with the wrong number of cells is reported with its number, and the others keep theirs.
The header is read and its columns counted before anything else, so a million-column header
costs milliseconds; rows are counted while reading, so an over-long file stops early.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.errors import InvalidFile
from dashboard.formats.limits import MIB, Limits
from dashboard.formats.sniff import read_head
from dashboard.problems import Problem

HEAD_BYTES = 4 * MIB
# The csv module reads the header only; its 131,072-character default would reject a header
# that the column and cell limits are there to judge.
csv.field_size_limit(HEAD_BYTES + 1)


def read_csv_cells(
    path: Path, name: str, limits: Limits, progress=None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Text cells under the file's own header, indexed by spreadsheet row, and the problems
    met while reading (wrong cell counts, repeated header names)."""
    raw_header = read_header(path, name, limits)
    header = [cell.strip() for cell in raw_header]
    reader = _Reader(path, name, raw_header, limits, progress)
    table = reader.read()
    rows = reader.row_numbers(table.num_rows)
    blank = _blank_rows(table)
    if blank.any():
        table, rows = table.filter(pa.array(~blank)), rows[~blank]
    if table.num_columns != len(header):
        message = "the header cannot be read the same way twice: check the quotes in it"
        raise InvalidFile(name, [Problem(1, None, message)])
    frame = table.rename_columns(header).to_pandas()
    frame.index = rows
    return frame, reader.problems + _repeated_names(header)


def read_header(path: Path, name: str, limits: Limits) -> list[str]:
    """The header's cells as written, counted before anything else is parsed."""
    head = read_head(path, HEAD_BYTES)
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if not text.strip():
        raise InvalidFile(name, [Problem(1, None, "file is empty: expected a header row")])
    records = csv.reader(io.StringIO(text, newline=""))  # CR, LF and CRLF line ends alike
    header = next(records)
    if not any(cell.strip() for cell in header):
        message = "the first row is empty: the column names (the header) must be the first row"
        raise InvalidFile(name, [Problem(1, None, message)])
    complete = len(head) < HEAD_BYTES or _has_next(records)
    if len(header) > limits.max_columns:
        message = limits.columns_message(len(header), at_least=not complete)
        raise InvalidFile(name, [Problem(1, None, message)])
    if not complete:
        message = f"the header row is longer than {HEAD_BYTES // MIB} MB; is this a CSV table?"
        raise InvalidFile(name, [Problem(1, None, message)])
    return header


def _has_next(records) -> bool:
    try:
        return next(records, None) is not None
    except csv.Error:
        return True  # a second record exists, even if it does not fit in the head


class _Reader:
    """One pass of pyarrow's streaming reader, single-threaded so rows arrive in order."""

    def __init__(self, path: Path, name: str, header: list[str], limits: Limits, progress):
        self.path, self.name, self.limits, self.progress = path, name, limits, progress
        self.columns = header  # pyarrow reads the header itself (quotes and all)
        self.skipped: list[int] = []  # spreadsheet rows left out (wrong number of cells)
        self.problems: list[Problem] = []
        self.size = path.stat().st_size
        self.rows_read = 0
        self._last_invalid_text = ""

    def read(self) -> pa.Table:
        batches = []
        with _CountingFile(self.path) as source:
            try:
                stream = self._open(source)
            except pa.ArrowInvalid as error:
                raise InvalidFile(self.name, [self._unreadable(error)]) from None
            while True:
                try:
                    batch = stream.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid as error:
                    raise InvalidFile(self.name, [self._unreadable(error)]) from None
                batches.append(batch)
                self.rows_read += batch.num_rows
                if self.progress:  # here, in the caller's thread (pyarrow reads in its own)
                    self.progress("reading", min(source.done, self.size), self.size)
                if self.rows_read + len(self.skipped) > self.limits.max_rows:
                    raise InvalidFile(self.name, [Problem(None, None, self.limits.rows_message())])
        self._explain_unclosed_quote(batches)
        if not batches:
            return pa.table(
                {f"c{i}": pa.array([], pa.large_string()) for i in range(len(self.columns))}
            )
        return pa.Table.from_batches(batches)

    def _open(self, source):
        # A block must hold the longest row; cells are limited, so rows are too.
        block = max(16 * MIB, 8 * self.limits.max_field_chars)
        return pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=block),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=self._wrong_cell_count,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(self.columns, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    def _wrong_cell_count(self, row) -> str:
        self.skipped.append(row.number)
        message = f"has {row.actual_columns} cells but the header has {row.expected_columns}"
        if row.text.count('"') % 2:
            message += '; a quote (") in it is unbalanced: a quoted cell starts and ends with "'

        self.problems.append(Problem(row.number, None, message))
        self._last_invalid_text = row.text
        return "skip"

    def _unreadable(self, error: pa.ArrowInvalid) -> Problem:
        row = self.rows_read + len(self.skipped) + 2
        detail = str(error).splitlines()[0][:200]
        if "straddl" in detail or "block" in detail:
            detail = (
                f'the row is longer than {self._block_mb()} MB: a quote (") opened in it is '
                "probably never closed, or a cell is far over the cell limit "
                f"({self.limits.max_field_chars:,} characters, ATLAS_MAX_FIELD_CHARS)"
            )
        return Problem(row, None, f"cannot read the CSV from this row on: {detail}")

    def _block_mb(self) -> int:
        return max(16 * MIB, 8 * self.limits.max_field_chars) // MIB

    def _explain_unclosed_quote(self, batches: list[pa.RecordBatch]) -> None:
        """A quote never closed makes the last record swallow the rest of the file; say so.

        With the wrong number of cells, its text holds an odd number of quotes; with the right
        number (the quote opened the last cell), its last cell holds a line break while the
        file does not end with the quote that would close a quoted cell.
        """
        last_row = self.rows_read + len(self.skipped) + 1
        if self.skipped and self.skipped[-1] == last_row:
            # An odd number of quotes in the record's own text leaves one open.
            if self._last_invalid_text.count('"') % 2 == 0:
                return
            self.problems.pop()
        else:
            if self._file_ends_with_quote():
                return
            filled = [i for i, batch in enumerate(batches) if batch.num_rows]
            if not filled:
                return
            batch = batches[filled[-1]]
            if not _has_line_break(batch.column(batch.num_columns - 1)[-1].as_py()):
                return
            batches[filled[-1]] = batch.slice(0, batch.num_rows - 1)
            self.rows_read -= 1
            self.skipped.append(last_row)
        self.problems.append(
            Problem(
                last_row,
                None,
                'a quote (") opened in this row is never closed, so everything after it was '
                "read as one cell; close or remove the quote",
            )
        )

    def _file_ends_with_quote(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(max(0, self.size - 64))
            return handle.read().rstrip(b"\r\n \t").endswith(b'"')

    def row_numbers(self, count: int) -> pd.Index:
        """Spreadsheet rows of the rows kept: every record number but the skipped ones."""
        everything = np.arange(2, count + len(self.skipped) + 2, dtype=np.int64)
        if not self.skipped:
            return pd.Index(everything)
        return pd.Index(np.delete(everything, np.asarray(self.skipped, dtype=np.int64) - 2))


class _CountingFile(io.RawIOBase):
    """The file as pyarrow reads it, counting the bytes read so far (for progress)."""

    def __init__(self, path: Path):
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.handle.readinto(buffer)
        self.done += count or 0
        return count

    def close(self) -> None:
        self.handle.close()
        super().close()


def _has_line_break(text: str | None) -> bool:
    return bool(text) and ("\n" in text or "\r" in text)


def _blank_rows(table: pa.Table) -> np.ndarray:
    """Rows whose every cell is empty or spaces (blank lines): numbered, then dropped."""
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        filled = pc.greater(pc.binary_length(column), 0).to_numpy()
        if (blank & filled).any():
            trimmed = pc.utf8_trim_whitespace(column)
            blank &= ~pc.greater(pc.binary_length(trimmed), 0).to_numpy()
        if not blank.any():
            break
    return blank


def _repeated_names(header: list[str]) -> list[Problem]:
    counts = pd.Series(header).value_counts()
    return [
        Problem(1, name, "column appears more than once in the header")
        for name in counts.index[counts > 1]
    ]
