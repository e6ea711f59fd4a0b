"""Parquet files -> cells that keep their types (numbers stay numbers, dates stay dates).

Text columns become text cells, numeric and date columns go to the validator as they are, so a
million-row file is not turned into text and back. Columns that cannot hold incident data
(binary, nested) are reported by name. Rows are numbered as if the file were a CSV with a header
(first row 2), so messages read the same for every format.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.errors import InvalidFile
from dashboard.formats.limits import Limits
from dashboard.formats.sniff import PARQUET_MAGIC
from dashboard.problems import Problem

_NULLABLE = {
    pa.int8(): pd.Int64Dtype(),
    pa.int16(): pd.Int64Dtype(),
    pa.int32(): pd.Int64Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.Int64Dtype(),
    pa.uint16(): pd.Int64Dtype(),
    pa.uint32(): pd.Int64Dtype(),
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
}


def read_parquet_cells(
    path: Path, name: str, limits: Limits, progress=None
) -> tuple[pd.DataFrame, list[Problem]]:
    parquet = _open(path, name)
    schema = parquet.schema_arrow
    if len(schema) > limits.max_columns:
        raise InvalidFile(name, [Problem(1, None, limits.columns_message(len(schema)))])
    total = parquet.metadata.num_rows
    if total > limits.max_rows:
        raise InvalidFile(name, [Problem(None, None, limits.rows_message())])
    usable, problems = _usable_columns(schema)
    tables, done = [], 0
    for group in range(parquet.num_row_groups):
        try:
            table = parquet.read_row_group(group, columns=usable)
        except (pa.ArrowException, OSError) as error:
            raise InvalidFile(name, [_unreadable(error, path, name)]) from None
        tables.append(_plain_types(table))
        done += table.num_rows
        if progress:
            progress("reading", done, total)
    table = pa.concat_tables(tables) if tables else schema.empty_table().select(usable)
    frame = table.to_pandas(types_mapper=_NULLABLE.get, date_as_object=False)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame, problems


def _open(path: Path, name: str) -> pq.ParquetFile:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 4))
        tail = handle.read()
    if tail != PARQUET_MAGIC:
        message = (
            "the Parquet file is incomplete: its end (the footer) is missing, as in a "
            "download or copy cut short; copy or export it again"
        )
        raise InvalidFile(name, [Problem(None, None, message)])
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise InvalidFile(name, [_unreadable(error, path, name)]) from None


def _unreadable(error: Exception, path: Path, name: str) -> Problem:
    detail = str(error).splitlines()[0].replace(str(path), name)[:200]
    return Problem(
        None, None, f"cannot read the Parquet file ({detail}); it may be damaged: export it again"
    )


def _usable_columns(schema: pa.Schema) -> tuple[list[str], list[Problem]]:
    usable, problems = [], []
    for field in schema:
        kind = field.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if (
            pa.types.is_binary(kind)
            or pa.types.is_large_binary(kind)
            or (pa.types.is_fixed_size_binary(kind))
        ):
            message = "the column holds binary data, not text; store it as a string column"
        elif pa.types.is_nested(kind):
            message = f"the column holds nested values ({kind}), not one value per cell"
        else:
            usable.append(field.name)
            continue
        problems.append(Problem(1, field.name, message))
    return usable, problems


def _plain_types(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded, booleans, decimals and times as the validator expects."""
    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type)
            kind = kind.value_type
        if pa.types.is_decimal(kind) or pa.types.is_float16(kind) or kind == pa.uint64():
            column = column.cast(pa.float64())
        elif pa.types.is_date(kind):
            column = column.cast(pa.timestamp("s"))
        elif pa.types.is_timestamp(kind) and kind.tz is not None:
            column = column.cast(pa.timestamp(kind.unit))
        elif not (
            pa.types.is_integer(kind)
            or pa.types.is_floating(kind)
            or pa.types.is_timestamp(kind)
            or pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
        ):
            column = column.cast(pa.string())
        columns.append(column)
    return pa.table(columns, names=table.column_names)
