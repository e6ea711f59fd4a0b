"""What a file really is, from its first bytes, and whether its text is clean UTF-8.

A file's name says little (a zip renamed .csv, a CSV renamed .parquet), so readers are chosen
by content and every other kind is refused with a message saying how to fix it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

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
    if controls > len(sample) // 20:  # text has next to none; binary data about one byte in 9
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
                return TextScan([_not_utf8(chunk, error.start, line)], controls)
            if nul >= 0:
                return TextScan([_nul_byte(line + chunk.count(b"\n", 0, nul))], True)
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


def _not_utf8(chunk: bytes, start: int, line: int) -> Problem:
    row = line + chunk.count(b"\n", 0, start)
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


def latin1_guess(data: bytes) -> bool:
    return any(0xC0 <= b <= 0xFF for b in data) and b"\x00" not in data
