"""Incidents between pandas, Arrow and database drivers, column by column (never row by row).

Arrow is the store's exchange format: an import turns the validated frame into one Arrow table
with the store's types, and reads come back as one (`Store.incidents_table`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.schema import coerce_dtypes
from dashboard.store.tables import (
    ARROW_SCHEMA,
    SOURCE_COLUMNS,
    SOURCES_ARROW_SCHEMA,
    STORED_COLUMNS,
    TABLE_COLUMNS,
    arrow_type,
)

# A column with fewer distinct values than this share of its rows is converted through its
# dictionary: one Python string per distinct value instead of one per row (5x faster).
REPETITIVE_SHARE = 0.2


def importable(incidents: pd.DataFrame) -> pd.DataFrame:
    """The columns of a read file that an import stores or reads sources from. An ACLED or
    UCDP export carries as many columns again of its own (acled_*, ucdp_*): read and validated,
    never stored; a million-row import that keeps them holds half a gigabyte more while it
    looks for duplicates and writes."""
    from dashboard.sources import SOURCE_INPUT_COLUMNS

    kept = set(STORED_COLUMNS) | set(SOURCE_INPUT_COLUMNS)
    return incidents[[c for c in incidents.columns if c in kept]]


def frame_to_arrow(incidents: pd.DataFrame, batch_id: int) -> pa.Table:
    """The stored columns of a canonical frame as Arrow, with `batch_id` added."""
    rows = len(incidents)
    arrays = []
    for column in STORED_COLUMNS:
        kind = arrow_type(column)
        if column not in incidents.columns:
            arrays.append(pa.nulls(rows, kind))
            continue
        values = incidents[column]
        if column == "event_date":
            values = pd.to_datetime(values)
        array = pa.array(values, from_pandas=True)
        arrays.append(array.cast(kind, safe=column != "event_date"))
    arrays.append(pa.array(np.full(rows, batch_id, dtype="int64")))
    return pa.Table.from_arrays(arrays, schema=ARROW_SCHEMA)


def sources_to_arrow(sources: pd.DataFrame, batch_id: int, added_at) -> pa.Table:
    """Sources (dashboard.sources.COLUMNS) as the store's Arrow rows of `batch_id`."""
    rows = len(sources)
    arrays = []
    for column in SOURCE_COLUMNS:
        values = sources[column]
        if column == "published":
            values = pd.to_datetime(values)
        arrays.append(pa.array(values, from_pandas=True).cast(arrow_type(column), safe=False))
    arrays.append(pa.array([added_at] * rows, pa.timestamp("s")))
    arrays.append(pa.array(np.full(rows, batch_id, dtype="int64")))
    return pa.Table.from_arrays(arrays, schema=SOURCES_ARROW_SCHEMA)


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    """The canonical pandas frame (plus batch_id) the existing views and exports expect."""
    frame = table.to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}.get,
        date_as_object=False,
    )
    return coerce_dtypes(frame)


def python_values(array: pa.Array | pa.ChunkedArray) -> list:
    """One column as the Python values a DB-API driver binds (None for null)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_date32(array.type) or pa.types.is_timestamp(array.type):
        array = array.cast(pa.string())
    if not pa.types.is_string(array.type):
        return array.to_pylist()
    encoded = pc.dictionary_encode(array)
    if len(encoded.dictionary) > REPETITIVE_SHARE * max(len(array), 1):
        return array.to_numpy(zero_copy_only=False).tolist()
    words = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
    codes = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()
    return words[codes].tolist()


def rows_to_batch(
    rows: list[tuple],
    columns: tuple[str, ...] = TABLE_COLUMNS,
    *,
    text_as_bytes: bool = False,
    schema: pa.Schema = ARROW_SCHEMA,
) -> pa.RecordBatch:
    """Rows fetched from a driver as one typed Arrow batch. `text_as_bytes`: the driver handed
    text (and SQLite's ISO dates) over as bytes, which is cheaper; Arrow checks the UTF-8."""
    arrays = []
    for values, column in zip(zip(*rows, strict=True), columns, strict=True):
        kind = arrow_type(column)
        if text_as_bytes and not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
            arrays.append(_from_text(pa.array(values, pa.binary()).cast(pa.string()), kind))
        else:
            arrays.append(pa.array(values, kind))
    chosen = pa.schema([schema.field(c) for c in columns])
    return pa.RecordBatch.from_arrays(arrays, schema=chosen)


def _from_text(text: pa.Array, kind: pa.DataType) -> pa.Array:
    if pa.types.is_timestamp(kind):
        # SQLite keeps times as text, with or without a fraction of a second.
        return pc.strptime(pc.utf8_slice_codeunits(text, 0, 19), "%Y-%m-%d %H:%M:%S", "s")
    return text.cast(kind)
