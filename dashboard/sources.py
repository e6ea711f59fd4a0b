"""The sources of incidents: who reported each incident, where, when, and in which words.

An incident may have several sources (DESIGN.md): the store keeps one row per source (see
dashboard.store.tables), the engine shows their count and list, and exports write them in a
`sources` column as a JSON list, which imports read back, so an export re-imported elsewhere
keeps every source. The incident's own `source` / `source_url` stay the first source.

- `own_sources`: the sources an imported frame brings for its own incidents: the `sources`
  cell where a file has one, else the row's source/source_url (and evidence, publication day).
- `attached_sources`: rows found to report incidents already stored, as sources of those.
- `sources_cell` / `read_sources_cell`: the JSON text of an export's `sources` column.
- `check_sources_column`: every unreadable `sources` cell, as a problem with its row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.problems import Problem

SOURCES_COLUMN = "sources"
FIELDS = ("publication", "url", "published", "evidence")
COLUMNS = ("incident_id", *FIELDS)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS}).assign(
        published=pd.Series(dtype="datetime64[ns]")
    )


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    values = frame[column].astype("string").str.strip()
    return values.mask(values.eq(""))


def _days(frame: pd.DataFrame, *columns: str) -> pd.Series:
    """The first of `columns` present, as days (time of day dropped; unreadable -> NaT)."""
    for column in columns:
        if column in frame.columns:
            days = pd.to_datetime(frame[column].astype("string").str.slice(0, 10), errors="coerce")
            return days.astype("datetime64[ns]")
    return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")


def _frame(**columns: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame(columns)[list(COLUMNS)]
    named = out["publication"].notna() | out["url"].notna()
    return out[named].reset_index(drop=True)


# The columns of a file its incidents' sources are read from (besides the stored source and
# source_url): an import keeps these and the stored columns, and nothing else.
SOURCE_INPUT_COLUMNS = ("published", "ucdp_source_date", "evidence", SOURCES_COLUMN)


def own_sources(incidents: pd.DataFrame, *, published: date | None = None) -> pd.DataFrame:
    """One source per incident from its source / source_url (rows naming neither have none),
    or every source its `sources` cell lists. `published` is the day of a single report (an
    article); otherwise a `published` or UCDP `ucdp_source_date` column gives it per row."""
    days = _days(incidents, "published", "ucdp_source_date")
    if published is not None:
        days = pd.Series(pd.Timestamp(published), index=incidents.index, dtype="datetime64[ns]")
    single = _frame(
        incident_id=incidents["incident_id"].astype("string"),
        publication=_text(incidents, "source"),
        url=_text(incidents, "source_url"),
        published=days,
        evidence=_text(incidents, "evidence"),
    )
    listed = _text(incidents, SOURCES_COLUMN).dropna() if SOURCES_COLUMN in incidents else None
    if listed is None or listed.empty:
        return single
    ids = incidents.loc[listed.index, "incident_id"].astype("string")
    rows = [
        {"incident_id": incident_id, **source}
        for incident_id, cell in zip(ids, listed, strict=True)
        for source in read_sources_cell(cell)
    ]
    from_cells = pd.DataFrame(rows, columns=list(COLUMNS)).astype(
        {c: "string" for c in COLUMNS if c != "published"}
    )
    from_cells["published"] = pd.to_datetime(from_cells["published"], errors="coerce").astype(
        "datetime64[ns]"
    )
    others = single[~single["incident_id"].isin(set(ids))]
    return pd.concat([others, from_cells], ignore_index=True)


def attached_sources(rows: pd.DataFrame, targets: Iterable[str], *, published=None):
    """`rows` (incidents read from an article or a file) as sources of the stored incidents
    `targets` (one per row). A row without a source is named by its dataset; its evidence is
    the article's sentence, or the row's id and notes for a data file."""
    targets = pd.Series(list(targets), index=rows.index, dtype="string")
    dataset = _text(rows, "dataset")
    evidence = _text(rows, "evidence")
    described = (dataset + " " + _text(rows, "incident_id") + ": " + _text(rows, "notes")).astype(
        "string"
    )
    days = _days(rows, "published", "ucdp_source_date")
    if published is not None:
        days = pd.Series(pd.Timestamp(published), index=rows.index, dtype="datetime64[ns]")
    return _frame(
        incident_id=targets,
        publication=_text(rows, "source").fillna(dataset),
        url=_text(rows, "source_url"),
        published=days,
        evidence=evidence.fillna(described),
    )


def sources_cell(sources: Iterable[Mapping]) -> str:
    """A list of sources as the JSON text an export writes (empty fields left out)."""
    items = []
    for source in sources:
        item = {}
        for name in FIELDS:
            value = source.get(name)
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            item[name] = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
        if item:
            items.append(item)
    return json.dumps(items, ensure_ascii=False)


def read_sources_cell(text: str) -> list[dict]:
    """The sources an export's `sources` cell lists; ValueError says what is wrong."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not a JSON list of sources ({error.msg})") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError('not a JSON list of sources: write [{"publication": ..., "url": ...}]')
    unknown = sorted({k for item in items for k in item} - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown source field(s) {', '.join(unknown)} (known: {FIELDS})")
    for item in items:
        day = item.get("published")
        if day is not None and pd.isna(pd.to_datetime(str(day)[:10], errors="coerce")):
            raise ValueError(f"published '{day}' is not a day (YYYY-MM-DD)")
    return [{name: item.get(name) for name in FIELDS} for item in items]


def check_sources_column(frame: pd.DataFrame) -> list[Problem]:
    """A problem for every `sources` cell that cannot be read (rows as the frame's index)."""
    if SOURCES_COLUMN not in frame.columns:
        return []
    problems = []
    for row, cell in _text(frame, SOURCES_COLUMN).dropna().items():
        try:
            read_sources_cell(cell)
        except ValueError as error:
            problems.append(Problem(row, SOURCES_COLUMN, str(error)))
    return problems


def nest_sources(incidents: pa.Table, sources: pa.Table) -> pa.Table:
    """The incidents with a `sources` column: the list of each one's sources (the store's
    sources table) as {publication, url, published, evidence}, oldest first; an incident with
    none gets an empty list. Row order is not kept; schema metadata is."""
    import duckdb

    numbered = sources.append_column("position", pa.array(np.arange(sources.num_rows)))
    db = duckdb.connect(":memory:")
    try:
        db.register("incidents_in", incidents)
        db.register("sources_in", numbered)
        nested = db.sql(
            """SELECT i.*, coalesce(s.sources, []) AS sources FROM incidents_in i
            LEFT JOIN (
                SELECT incident_id, list({'publication': publication, 'url': url,
                    'published': published, 'evidence': evidence}
                    ORDER BY added_at, position) AS sources
                FROM sources_in GROUP BY incident_id
            ) s ON i.incident_id = s.incident_id"""
        ).to_arrow_table()
    finally:
        db.close()
    return nested.replace_schema_metadata(incidents.schema.metadata)
