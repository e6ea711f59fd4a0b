"""A corpus of hostile and broken files, each made at test time (nothing large is committed).

Every case is (file name, how to make its bytes, what the error must say). `expected` holds
fragments of the one-line-per-problem report, each as "row N, column C: text" or a bare text for
problems of the whole file; the report is matched line by line after the file's name.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FIXTURES = Path(__file__).parent / "fixtures"
NATIVE = (FIXTURES / "native_small.csv").read_bytes()
ACLED = (FIXTURES / "acled_current.csv").read_bytes()
UCDP = (FIXTURES / "ucdp_ged.csv").read_bytes()
HEADER = NATIVE.split(b"\n", 1)[0].decode()
COLUMNS = HEADER.split(",")


def native_row(**cells: str) -> list[str]:
    """One valid canonical row, with `cells` changed."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        incident_id="h-1",
        event_date="2023-11-20",
        event_type="attack",
        location="Ain al-Asad",
        country="IQ",
        latitude="33.79",
        longitude="42.44",
        source="Hostile corpus",
    )
    row.update(cells)
    return [row[c] for c in COLUMNS]


def csv_bytes(rows: list[list[str]], header: list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def native(**cells: str) -> bytes:
    return csv_bytes([native_row(incident_id="h-0"), native_row(**cells)])


def many_rows(count: int, seed: int = 0) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        native_row(incident_id=f"h-{i}", notes=f"note {rng.randint(0, 10**9)}, made up")
        for i in range(count)
    ]


def stray_quote_file() -> bytes:
    """About 578 KB with one unbalanced quote opening a cell in data row 1,200 (row 1,201)."""
    rows = many_rows(5000)
    text = csv_bytes(rows).decode()
    lines = text.split("\n")
    lines[1200] = lines[1200].replace(",Ain al-Asad,", ',"Ain al-Asad,', 1)
    return "\n".join(lines).encode()[: 578 * 1024].rsplit(b"\n", 1)[0] + b"\n"


def noise(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def native_table(**columns) -> pa.Table:
    frame = pd.read_csv(io.BytesIO(NATIVE), dtype=str, keep_default_na=False)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name, values in columns.items():
        position = table.column_names.index(name)
        table = table.set_column(position, name, values)
    return table


def zipped(name: str, data: bytes) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        archive.writestr(name, data)
    return sink.getvalue()


def acled_without(*columns: str) -> bytes:
    frame = pd.read_csv(io.BytesIO(ACLED), dtype=str, keep_default_na=False)
    return frame.drop(columns=list(columns)).to_csv(index=False).encode()


def acled_with(**cells: str) -> bytes:
    frame = pd.read_csv(io.BytesIO(ACLED), dtype=str, keep_default_na=False)
    for column, value in cells.items():
        frame.loc[1, column] = value
    return frame.to_csv(index=False).encode()


def ucdp_with(**cells: str) -> bytes:
    frame = pd.read_csv(io.BytesIO(UCDP), dtype=str, keep_default_na=False)
    for column, value in cells.items():
        frame.loc[0, column] = value
    return frame.to_csv(index=False).encode()


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    make: Callable[[], bytes]
    expected: tuple[str, ...]
    large: bool = False  # run under a memory and time bound in its own process as well


CASES: tuple[Case, ...] = (
    Case("empty", "empty.csv", lambda: b"", ("row 1: file is empty",)),
    Case("blank lines only", "blank.csv", lambda: b"\n\n  \n", ("row 1: file is empty",)),
    Case(
        "blank first row", "blank-first.csv", lambda: b"\n" + NATIVE,
        ("row 1: the first row is empty",),
    ),
    Case("header only", "header.csv", lambda: HEADER.encode() + b"\n", ("no incidents",)),
    Case(
        "header and blank lines", "header-blank.csv",
        lambda: HEADER.encode() + b"\n\n" + b" ," * 20 + b"\n", ("no incidents",),
    ),
    Case(
        "truncated mid-row", "truncated.csv", lambda: NATIVE[: NATIVE.index(b"fx-3") + 40],
        ("row 4: has",),
    ),
    Case(
        "truncated inside a quoted cell", "truncated-quote.csv",
        lambda: NATIVE[: NATIVE.index(b'"Fixture: ""operations') + 12],
        ('row 3: a quote (") opened in this row is never closed',),
    ),
    Case(
        "binary noise", "noise.csv", lambda: noise(1, 4096), ("looks like binary data",),
    ),
    Case("PNG named .csv", "image.csv", lambda: b"\x89PNG\r\n\x1a\n" + bytes(9), ("a PNG image",)),
    Case("PDF named .csv", "report.csv", lambda: b"%PDF-1.7\n" + bytes(50), ("a PDF document",)),
    Case(
        "UTF-16 with BOM", "utf16.csv", lambda: NATIVE.decode().encode("utf-16"),
        ("the file is UTF-16 text",),
    ),
    Case(
        "UTF-16 without BOM", "utf16le.csv", lambda: NATIVE.decode().encode("utf-16-le"),
        ("looks like UTF-16 text",),
    ),
    Case(
        "Latin-1", "latin1.csv", lambda: native(location="Ramadi café").decode().encode("latin-1"),
        ("row 3: file is not UTF-8: byte 0xe9 cannot be read (it looks like Windows-1252",),
    ),
    Case("zip named .csv", "archive.csv", lambda: zipped("a.csv", NATIVE), ("a zip archive",)),
    Case("xlsx named .csv", "sheet.csv", lambda: zipped("xl/workbook.xml", b"<x/>"), (".xlsx",)),
    Case("gzip named .csv", "packed.csv", lambda: gzip.compress(NATIVE), ("gzip-compressed",)),
    Case(
        "a million columns", "wide.csv",
        lambda: ",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n1,2\n",
        ("row 1: the header has at least",),
        large=True,
    ),
    Case(
        "a 50 MB cell", "huge-cell.csv",
        lambda: csv_bytes([native_row(incident_id="h-0"), native_row(notes="x" * 50_000_000)]),
        ("row 3",),
        large=True,
    ),
    Case(
        "NUL byte in a cell", "nul.csv", lambda: native(notes="before\x00after"),
        ("row 3: file holds a NUL byte",),
    ),
    Case(
        "stray quote in a 578 KB file", "stray-quote.csv", stray_quote_file,
        ('row 1201: has 10 cells but the header has 21; a quote (") in it is unbalanced',),
        large=True,
    ),
    Case(
        "NaN coordinates", "nan.csv", lambda: native(latitude="NaN", longitude="nan"),
        ("row 3, column latitude: 'NaN' is not a number", "row 3, column longitude: 'nan' is not"),
    ),
    Case(
        "infinite coordinates", "inf.csv", lambda: native(latitude="inf", longitude="-Infinity"),
        (
            "row 3, column latitude: latitude must be between -90 and 90 ('inf')",
            "row 3, column longitude: longitude must be between -180 and 180 ('-Infinity')",
        ),
    ),
    Case(
        "1e308 coordinates", "huge-number.csv", lambda: native(latitude="1e308", killed="1e308"),
        (
            "row 3, column killed: '1e308' is too large",
            "row 3, column latitude: latitude must be between -90 and 90 ('1e308')",
        ),
    ),
    Case(
        "year 0", "year0.csv", lambda: native(event_date="0000-01-01"),
        ("row 3, column event_date: date 0000-01-01 is before 1900",),
    ),
    Case(
        "year 9999", "year9999.csv", lambda: native(event_date="9999-12-31"),
        ("row 3, column event_date: date 9999-12-31 is in the future",),
    ),
    Case(
        "before pandas' range", "1600.csv", lambda: native(event_date="1600-02-29"),
        ("row 3, column event_date: date 1600-02-29 is before 1900",),
    ),
    Case(
        "after pandas' range", "2300.csv", lambda: native(event_date="2300-01-01T00:00:00Z"),
        ("row 3, column event_date: date 2300-01-01 is in the future",),
    ),
    Case(
        "impossible time", "time.csv", lambda: native(event_date="2024-01-15T99:99:99"),
        ("row 3, column event_date: impossible time of day in '2024-01-15T99:99:99'",),
    ),
    Case(
        "control character", "bell.csv", lambda: native(notes="ring\x07ring"),
        ("row 3, column notes: holds an invisible control character U+0007",),
    ),
    Case(
        "right-to-left override", "rtl.csv", lambda: native(location="Erbil\u202egpj.exe"),
        ("row 3, column location: holds an invisible control character U+202E",),
    ),
    Case(
        "javascript: link", "link.csv", lambda: native(source_url="JaVaScRiPt:alert(1)"),
        ("row 3, column source_url: only http:// and https:// links are accepted",),
    ),
    Case(
        "data: link", "data-link.csv", lambda: native(source_url=" data:text/html;base64,PHA+"),
        ("row 3, column source_url: only http:// and https:// links are accepted",),
    ),
    Case(
        "semicolon-separated", "semicolons.csv", lambda: NATIVE.replace(b",", b";"),
        ("row 1, column event_date: required column is missing",),
    ),
    Case(
        "repeated header", "repeated.csv",
        lambda: csv_bytes([native_row()], header=COLUMNS[:-1] + ["location"]),
        ("row 1, column location: column appears more than once in the header",),
    ),
    Case(
        "header longer than 4 MB", "long-header.csv", lambda: b"a" * (5 * 1024 * 1024) + b"\n1\n",
        ("row 1: the header row is longer than 4 MB",),
    ),
    Case(
        "CSV named .parquet", "text.parquet", lambda: NATIVE,
        ("named .parquet but holds text",),
    ),
    Case(
        "truncated Parquet", "cut.parquet", lambda: parquet_bytes(native_table())[:-100],
        ("the Parquet file is incomplete",),
    ),
    Case(
        "damaged Parquet", "damaged.parquet",
        lambda: b"PAR1" + noise(2, 300) + b"PAR1",
        ("cannot read the Parquet file",),
    ),
    Case(
        "Parquet binary column", "binary.parquet",
        lambda: parquet_bytes(native_table(notes=pa.array([b"\x00\x01"] * 4, pa.binary()))),
        ("row 1, column notes: the column holds binary data",),
    ),
    Case(
        "Parquet wrong types", "types.parquet",
        lambda: parquet_bytes(
            native_table(
                latitude=pa.array(["north", "32.87", "36.1", ""]),
                killed=pa.array([1.5, 8.0, None, 0.0]),
            )
        ),
        (
            "row 2, column killed: '1.5' is not a whole number",
            "row 2, column latitude: 'north' is not a number",
        ),
    ),
    Case(
        "Parquet dates out of range", "dates.parquet",
        lambda: parquet_bytes(
            native_table(
                event_date=pa.array(
                    [pd.Timestamp("2023-11-20").date(), None, None, None], pa.date32()
                ).fill_null(pa.scalar(-719162, pa.date32()))
            )
        ),
        ("row 3, column event_date: date 0001-01-01 is before 1900",),
    ),
    Case(
        "ACLED without its required columns", "acled-missing.csv",
        lambda: acled_without("event_date", "latitude"),
        (
            "row 1, column event_date: required ACLED column is missing",
            "row 1, column latitude: required ACLED column is missing",
        ),
    ),
    Case(
        "ACLED unknown codes", "acled-codes.csv",
        lambda: acled_with(iso="999", country="Narnia", event_date="31/02/2023", geo_precision="7"),
        (
            "row 3, column event_date: cannot read ACLED date '31/02/2023'",
            "row 3, column geo_precision: unknown geo precision",
            "row 3, column iso: 'Narnia' is not a two-letter ISO 3166-1 code",
        ),
    ),
    Case(
        "UCDP unknown codes", "ucdp-codes.csv",
        lambda: ucdp_with(type_of_violence="9", where_prec="0", date_prec="x"),
        (
            "row 2, column date_prec: unknown UCDP date precision 'x'",
            "row 2, column type_of_violence: unknown UCDP type of violence '9'",
            "row 2, column where_prec: unknown UCDP location precision '0'",
        ),
    ),
    Case(
        "UCDP without its required columns", "ucdp-missing.csv",
        lambda: pd.read_csv(io.BytesIO(UCDP), dtype=str, keep_default_na=False)
        .drop(columns=["best", "date_start"])
        .to_csv(index=False)
        .encode(),
        (
            "row 1, column best: required UCDP GED column is missing",
            "row 1, column date_start: required UCDP GED column is missing",
        ),
    ),
)  # fmt: skip


def write(case: Case, folder: Path) -> Path:
    path = folder / case.name
    path.write_bytes(case.make())
    return path
