"""What a file really is, from its first bytes, and whether its text is clean UTF-8.

A file's name says little (a zip renamed .csv, a CSV renamed .parquet), so readers are chosen
by content and every other kind is refused with a message saying how to fix it.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.problems import Problem

CHUNK = 1024 * 1024

# Leading bytes of kinds people upload by mistake -> what to tell them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (or an .xlsx workbook): unzip it, or save the sheet as CSV"),
    (b"PK\x05\x06", "an empty zip archive: export the data as CSV or Parquet"),
    (b"\x1f\x8b", "gzip-compressed: decompress it (gunzip) and use the CSV inside"),
    (b"BZh", "bzip2-compressed: decompress it and use the CSV inside"),
    (b"\xfd7zXZ\x00", "xz-compressed: decompress it and use the CSV inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: extract it and use the CSV inside"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls): save the sheet as CSV (UTF-8)"),
    (b"%PDF", "a PDF document, not a table: export the data as CSV"),
    (b"\x89PNG", "a PNG image, not a table"),
    (b"\xff\xd8\xff", "a JPEG image, not a table"),
    (b"SQLite format 3\x00", "an SQLite database: export a table as CSV or Parquet"),
)
_UTF16_OR_32 = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
PARQUET_MAGIC = b"PAR1"


def file_kind(head: bytes) -> str:
    """'parquet', 'text', or a sentence saying what else the file is."""
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return f"the file is {what}"
    for bom, encoding in _UTF16_OR_32:
        if head.startswith(bom):
            return f"the file is {encoding} text: save it as UTF-8 CSV and try again"
    sample = head[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        return "the file looks like UTF-16 text or binary data: save it as UTF-8 CSV and try again"
    controls = len(sample.translate(None, _PRINTABLE_AND_LINE_BREAKS))
    if controls > max(8, len(sample) // 20):  # text has next to none; binary about 1 byte in 9
        return "the file looks like binary data, not CSV text: export the data as CSV or Parquet"
    return "text"


def read_head(path: Path, size: int = CHUNK) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


@dataclass
class TextScan:
    """What one pass over the bytes found: the first encoding problem, and whether any cell
    may hold a control character (then the validator looks for them cell by cell)."""

    problems: list[Problem]
    has_control_characters: bool


def scan_text(path: Path, progress=None) -> TextScan:
    """The first place the file is not UTF-8, or holds a NUL byte, located by line.

    Reads in 1 MB chunks, so memory stays flat whatever the size; the decoded text is dropped.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    total = path.stat().st_size
    line, done, controls = 1, 0, False
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            nul = chunk.find(b"\x00")
            try:
                decoder.decode(chunk if nul < 0 else chunk[:nul])
            except UnicodeDecodeError as error:
                row = record_number(
                    path, done + error.start, line + chunk.count(b"\n", 0, error.start)
                )
                return TextScan([_not_utf8(chunk, error.start, row)], controls)
            if nul >= 0:
                row = record_number(path, done + nul, line + chunk.count(b"\n", 0, nul))
                return TextScan([_nul_byte(row)], True)
            controls = controls or _may_hold_controls(chunk)
            line += chunk.count(b"\n")
            done += len(chunk)
            if progress:
                progress("checking encoding", done, total)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        message = "file is not UTF-8: it ends in the middle of a character"
        return TextScan([Problem(line, None, message)], controls)
    return TextScan([], controls)


_PRINTABLE_AND_LINE_BREAKS = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n\r"
_BIDI_CONTROLS = re.compile(b"\xe2\x80[\xaa-\xae]")


def _may_hold_controls(chunk: bytes) -> bool:
    """C0 controls or DEL (what is left once printable bytes are deleted), or U+202A-202E."""
    return bool(chunk.translate(None, _PRINTABLE_AND_LINE_BREAKS)) or bool(
        _BIDI_CONTROLS.search(chunk)
    )


def _not_utf8(chunk: bytes, start: int, row: int) -> Problem:
    byte = chunk[start : start + 1].hex()
    hint = " (it looks like Windows-1252/Latin-1)" if latin1_guess(chunk) else ""
    message = (
        f"file is not UTF-8: byte 0x{byte} cannot be read{hint}; "
        "save the file as UTF-8 and try again"
    )
    return Problem(row, None, message)


def _nul_byte(row: int) -> Problem:
    return Problem(
        row,
        None,
        "file holds a NUL byte (0x00), which text never does: it is binary data or UTF-16; "
        "save it as UTF-8 CSV and try again",
    )


class _Prefix(io.RawIOBase):
    """The first `size` bytes of a file, then one more byte so the last record is not empty."""

    def __init__(self, path: Path, size: int):
        self.handle = open(path, "rb")  # noqa: SIM115 - closed with this object
        self.left = size
        self.tail = b"x"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.left > 0:
            count = self.handle.readinto(memoryview(buffer)[: min(len(buffer), self.left)])
            self.left -= count
            return count
        count, self.tail = len(self.tail[: len(buffer)]), b""
        buffer[:count] = b"x"[:count]
        return count

    def close(self) -> None:
        self.handle.close()
        super().close()


def record_number(path: Path, offset: int, line: int) -> int:
    """The spreadsheet row holding byte `offset`: records before it counted by pyarrow, so a
    quoted line break stays inside its row. Falls back to the line number."""
    invalid = [0]

    def count(_row) -> str:
        invalid[0] += 1
        return "skip"

    try:
        with _Prefix(path, offset) as prefix:
            stream = pacsv.open_csv(
                prefix,
                read_options=pacsv.ReadOptions(
                    use_threads=False, column_names=["c0"], block_size=16 * CHUNK
                ),
                parse_options=pacsv.ParseOptions(
                    newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=count
                ),
                convert_options=pacsv.ConvertOptions(column_types={"c0": pa.large_binary()}),
            )
            return sum(batch.num_rows for batch in stream) + invalid[0]
    except pa.ArrowInvalid:
        return line


def latin1_guess(data: bytes) -> bool:
    return any(0xC0 <= b <= 0xFF for b in data) and b"\x00" not in data
