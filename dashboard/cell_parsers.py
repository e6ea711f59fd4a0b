"""Vectorised cell parsers: a column of cells -> typed values and the problems in it.

Each parser takes a pandas Series indexed by spreadsheet row (text cells, or values that are
already typed, as Parquet gives them) and returns the typed Series and a list of problems. Work
done per cell in Python is done once per *distinct* value (`Distinct`), so a million rows
with a few thousand distinct dates cost a few thousand calls; everything else runs in pandas or
pyarrow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.problems import Problem

SHOWN_CHARS = 60
EARLIEST_DAY = date(1900, 1, 1)
# Largest whole number the stores keep (a 32-bit INTEGER column in PostgreSQL).
LARGEST_WHOLE = 2**31 - 1
# A day, optionally a time of day and a zone: what "YYYY-MM-DD" files write in practice.
_DAY_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
# C0 controls but tab, line feed and carriage return; DEL; the bidirectional embeddings and
# overrides (U+202A-U+202E) that can make text read differently from what it holds. Isolates
# and marks (U+2066-2069, U+200E/F) are kept: mixed Arabic/English text needs them.
CONTROL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e]"
_CONTROL = re.compile(CONTROL_CHARACTERS)
# A link Incident Atlas keeps: http(s), any case, with a host (RE2 and Python syntax alike).
HTTP_LINK = r"^[hH][tT][tT][pP][sS]?://[^\s/?#]"


def shown(value) -> str:
    """A cell as a message quotes it: short, on one line."""
    text = str(value)
    text = text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
    return text.encode("unicode_escape").decode("ascii") if _needs_escape(text) else text


def _needs_escape(text: str) -> bool:
    return bool(_CONTROL.search(text)) or "\n" in text or "\r" in text


def problems_at(rows, column: str | None, messages) -> list[Problem]:
    """Problems for `rows` (spreadsheet numbers): one message for all, or one per row."""
    if isinstance(messages, str):
        return [Problem(int(row), column, messages) for row in rows]
    return [Problem(int(row), column, message) for row, message in zip(rows, messages, strict=True)]


def is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) or series.dtype == object


def blank_to_na(series: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed and empty cells as NA (string dtype), in pyarrow.
    A column with nothing to trim or blank keeps its buffers (no copy of a million cells)."""
    if series.dtype == object:
        series = series.astype("string")
    values = arrow_strings(series)
    trimmed = pc.utf8_trim_whitespace(values)
    if pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(values))).as_py() is not False:
        trimmed = values
    empty = pc.equal(pc.binary_length(trimmed), 0)
    if pc.any(empty).as_py():
        trimmed = pc.if_else(empty, pa.scalar(None, pa.large_string()), trimmed)
    return pd.Series(pd.arrays.ArrowStringArray(trimmed), index=series.index)


def arrow_strings(series: pd.Series) -> pa.ChunkedArray:
    """A text column as pyarrow large strings (no copy when pandas keeps it in pyarrow)."""
    array = series.array
    if hasattr(array, "__arrow_array__"):
        values = array.__arrow_array__()
    else:
        values = pa.array(array.astype(object), from_pandas=True, type=pa.large_string())
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    if not pa.types.is_large_string(values.type):
        values = values.cast(pa.large_string())
    return values


# Joins several cells into one key for per-distinct mapping; never found in text.
KEY_SEPARATOR = "\x1f"


_NO_VALUE = object()


class Distinct:
    """`function(*cells)` computed once per distinct combination of cells in `columns`, with
    cheap ways to spread the results back to every row. NA cells get `na_value`."""

    def __init__(self, function: Callable, *columns: pd.Series, na_value=_NO_VALUE):
        self.index = columns[0].index
        key = columns[0] if len(columns) == 1 else _joined(columns)
        codes, distinct = pd.factorize(key, use_na_sentinel=True)
        if len(columns) == 1:
            results = [function(value) for value in distinct]
        else:
            results = [function(*value.split(KEY_SEPARATOR)) for value in distinct]
        self.results = [*results, na_value]
        self.codes = np.where(codes < 0, len(results), codes)  # NA picks the last slot

    def _each(self, function: Callable, missing) -> list:
        """function(result) for each distinct result; `missing` for NA cells without na_value."""
        last = self.results[-1]
        tail = missing if last is _NO_VALUE else function(last)
        return [function(r) for r in self.results[:-1]] + [tail]

    def text(self, pick: Callable = lambda result: result) -> pd.Series:
        """A text column of pick(result) for each row (None -> NA), built by pyarrow."""
        dictionary = pa.array(self._each(pick, None), type=pa.large_string())
        values = dictionary.take(pa.array(self.codes))
        return pd.Series(pd.arrays.ArrowStringArray(values), index=self.index)

    def where(self, predicate: Callable) -> np.ndarray:
        """A boolean per row: predicate(result)."""
        return np.array(self._each(lambda r: bool(predicate(r)), False), dtype=bool)[self.codes]

    def values(self, pick: Callable, dtype) -> np.ndarray:
        return np.array(self._each(pick, None), dtype=dtype)[self.codes]

    def results_at(self, mask: np.ndarray) -> list:
        return [self.results[code] for code in self.codes[mask]]


def _joined(columns) -> pd.Series:
    arrays = [arrow_strings(column.fillna("")) for column in columns]
    separator = pa.scalar(KEY_SEPARATOR, pa.large_string())
    joined = pc.binary_join_element_wise(*arrays, separator)
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=columns[0].index)


# --- dates ----------------------------------------------------------------------------------


def read_day(text: str, today: date) -> tuple[date | None, str | None]:
    """'YYYY-MM-DD' (with an optional time of day) -> (day, None), or (None, what is wrong)."""
    match = _DAY_TIME.fullmatch(text)
    if not match:
        return None, f"cannot read date '{shown(text)}': write it as YYYY-MM-DD"
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    hour, minute, second = (int(part or 0) for part in match.group(4, 5, 6))
    if hour > 23 or minute > 59 or second > 60:
        return None, f"impossible time of day in '{shown(text)}': write it as YYYY-MM-DD"
    if 1 <= month <= 12 and 1 <= day <= 31 and year < EARLIEST_DAY.year:
        return None, f"date {text[:10]} is before 1900"
    try:
        value = date(year, month, day)
    except ValueError:
        return None, f"impossible date '{shown(text)}': there is no such day"
    if value > today:
        return None, f"date {value:%Y-%m-%d} is in the future"
    return value, None


def parse_days(cells: pd.Series, column: str) -> tuple[pd.Series, list[Problem]]:
    """Days from text cells or from typed dates/timestamps; NaT where missing or wrong."""
    today = date.today()
    if pd.api.types.is_datetime64_any_dtype(cells.dtype):
        return _typed_days(cells, column, today)
    text = blank_to_na(cells)
    read = Distinct(lambda value: read_day(value, today), text, na_value=(None, None))
    days = read.values(lambda r: np.datetime64(r[0], "ns") if r[0] else None, "datetime64[ns]")
    bad = read.where(lambda r: r[1] is not None)
    messages = [r[1] for r in read.results_at(bad)]
    return pd.Series(days, index=cells.index), problems_at(cells.index[bad], column, messages)


def _typed_days(cells: pd.Series, column: str, today: date) -> tuple[pd.Series, list[Problem]]:
    if getattr(cells.dtype, "tz", None) is not None:
        cells = cells.dt.tz_localize(None)
    days = cells.dt.floor("D")
    early = days < pd.Timestamp(EARLIEST_DAY)
    late = days > pd.Timestamp(today)
    problems = problems_at(
        cells.index[early], column, [f"date {_day(d)} is before 1900" for d in days[early]]
    )
    problems += problems_at(
        cells.index[late], column, [f"date {_day(d)} is in the future" for d in days[late]]
    )
    kept = days.mask(early | late)
    return kept.astype("datetime64[ns]"), problems


def _day(value: pd.Timestamp) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


# --- numbers --------------------------------------------------------------------------------


def parse_numbers(
    cells: pd.Series, column: str, *, whole: bool
) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """(numbers as float64, the cells as written for messages, problems). NaN where missing."""
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        numbers = pd.Series(cells.to_numpy(dtype="float64", na_value=np.nan), index=cells.index)
        written = cells
        unreadable = pd.Series(False, index=cells.index)
    else:
        written = blank_to_na(cells)
        numbers = _to_float(written)
        unreadable = written.notna() & numbers.isna()
    problems = [
        Problem(int(row), column, _not_a_number(value, whole))
        for row, value in written[unreadable.to_numpy()].items()
    ]
    if whole:
        numbers, found = _whole(numbers, written, column)
        problems += found
    return numbers, written, problems


def _to_float(text: pd.Series) -> pd.Series:
    """pyarrow's C++ cast when every cell is a number (the usual case), pandas' otherwise."""
    try:
        values = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64())
        numbers = pd.Series(values.to_numpy(zero_copy_only=False), index=text.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(text.astype(object), errors="coerce").astype("float64")
    # 'nan' is no number a person writes for "unknown": an empty cell says that.
    return numbers.where(~(text.notna() & numbers.isna()).to_numpy(), np.nan)


def _not_a_number(value: str, whole: bool) -> str:
    hint = " (use a dot as the decimal separator)" if re.fullmatch(r"-?\d+,\d+", value) else ""
    kind = "a whole number" if whole else "a number"
    return f"'{shown(value)}' is not {kind}{hint}"


def _whole(numbers: pd.Series, written: pd.Series, column: str):
    finite = np.isfinite(numbers.to_numpy())
    fractional = numbers.notna().to_numpy() & (~finite | (numbers.to_numpy() % 1 != 0))
    huge = finite & (np.abs(numbers.to_numpy()) > LARGEST_WHOLE) & ~fractional
    problems = problems_at(
        numbers.index[fractional],
        column,
        [f"'{shown(v)}' is not a whole number" for v in written[fractional]],
    )
    problems += problems_at(
        numbers.index[huge],
        column,
        [f"'{shown(v)}' is too large (at most {LARGEST_WHOLE:,})" for v in written[huge]],
    )
    return numbers.mask(fractional | huge), problems


def check_range(
    numbers: pd.Series, written: pd.Series, column: str, low: float, high: float, message: str
) -> list[Problem]:
    """Finite numbers between low and high; anything else (inf, 1e308) is reported."""
    values = numbers.to_numpy()
    bad = ~np.isnan(values) & ~((values >= low) & (values <= high))
    return problems_at(
        numbers.index[bad], column, [f"{message} ('{shown(v)}')" for v in written[bad]]
    )


def check_allowed(
    numbers: pd.Series, written: pd.Series, column: str, allowed, message: str
) -> list[Problem]:
    bad = numbers.notna().to_numpy() & ~numbers.isin(list(allowed)).to_numpy()
    return problems_at(
        numbers.index[bad], column, [f"{message} ('{shown(v)}')" for v in written[bad]]
    )


# --- text -----------------------------------------------------------------------------------


def parse_category(cells: pd.Series, column: str, allowed: tuple[str, ...]):
    """Known values in any case or spelling of separators ('Air Strike' -> airstrike)."""
    spelled = {value.replace("_", ""): value for value in allowed}
    text = blank_to_na(cells)

    def canonical(value: str):
        return spelled.get(re.sub(r"[\s\-/_]+", "", value.lower()))

    values = Distinct(canonical, text).text()
    unknown = (text.notna() & values.isna()).to_numpy()
    message = f"(allowed: {', '.join(allowed)})"
    messages = [f"unknown value '{shown(v)}' {message}" for v in text[unknown]]
    problems = problems_at(cells.index[unknown], column, messages)
    return values, problems


def parse_country(cells: pd.Series, names: dict[str, str]) -> tuple[pd.Series, list[Problem]]:
    text = blank_to_na(cells)

    def code(value: str):
        named = names.get(value.lower())
        candidate = named or value.upper()
        return candidate if re.fullmatch(r"[A-Z]{2}", candidate) else None

    codes = Distinct(code, text).text()
    bad = (text.notna() & codes.isna()).to_numpy()
    problems = problems_at(
        cells.index[bad],
        "country",
        [f"'{shown(v)}' is not a two-letter ISO 3166-1 code (e.g. IQ)" for v in text[bad]],
    )
    return codes, problems


def check_links(cells: pd.Series, column: str) -> tuple[pd.Series, list[Problem]]:
    """Only http(s) links: javascript:, data:, vbscript:, file: ... are refused, in any case."""
    text = blank_to_na(cells)
    bad = (text.notna() & ~text.str.contains(HTTP_LINK, regex=True).fillna(False)).to_numpy()
    problems = problems_at(
        cells.index[bad],
        column,
        [f"only http:// and https:// links are accepted ('{shown(v)}')" for v in text[bad]],
    )
    return text.mask(bad), problems


def check_control_characters(frame: pd.DataFrame) -> list[Problem]:
    """Cells holding control characters or bidirectional overrides, by row and column.

    They are refused rather than removed: the file is changed by the person who knows it."""
    problems = []
    for position, column in enumerate(frame.columns):
        cells = frame.iloc[:, position]
        if not is_text(cells):
            continue
        found = pc.match_substring_regex(arrow_strings(cells), CONTROL_CHARACTERS)
        bad = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
        problems += problems_at(
            cells.index[bad], str(column), [_control_message(v) for v in cells[bad]]
        )
    return problems


def _control_message(value: str) -> str:
    character = _CONTROL.search(value).group()
    name = unicodedata.name(character, "control character")
    return (
        f"holds an invisible control character U+{ord(character):04X} ({name}); "
        "remove it from the cell"
    )
