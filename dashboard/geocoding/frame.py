"""Geocoding tables: incident frames (canonical schema) and name lists (the CLI's CSV files).

Both look up each distinct (place, country) pair once and map the answers back to the rows.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.errors import BadInput

logger = logging.getLogger(__name__)

STRING_GEO_COLUMNS = ("site_id", "country", "admin1", "geo_source")
OUTPUT_COLUMNS = ("latitude", "longitude", "geo_precision", "geo_source", "matched_name")


def _default_geocoder():
    from dashboard.geocoding.chain import make_geocoder

    return make_geocoder()


def _country_hint(value) -> str | None:
    if value is None or pd.isna(value):
        return None
    text = str(value).strip().upper()
    return text if len(text) == 2 and text.isalpha() else None


def _lookup(geocoder, pairs: list[tuple[str, str | None]]) -> dict[tuple[str, str | None], dict]:
    """(place, country) -> raw answer with latitude/longitude, for the pairs that resolve."""
    answers = {}
    for place, country in pairs:
        found = geocoder.geocode(place, country=country)
        if isinstance(found, list):
            found = found[0] if found else None
        if found is None:
            continue
        raw = dict(found.raw or {})
        raw["latitude"], raw["longitude"] = float(found.latitude), float(found.longitude)
        answers[(place, country)] = raw
    return answers


def _with_geo_columns(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("latitude", "longitude"):
        if column in out:
            numbers = pd.to_numeric(out[column], errors="coerce").astype("Float64")
            out[column] = numbers.to_numpy(dtype="float64", na_value=np.nan)
        else:
            out[column] = np.nan
        out[column] = out[column].astype("float64")
    if "geo_precision" in out:
        out["geo_precision"] = pd.to_numeric(out["geo_precision"], errors="coerce")
    else:
        out["geo_precision"] = pd.NA
    out["geo_precision"] = out["geo_precision"].astype("Int64")
    for column in STRING_GEO_COLUMNS:
        if column not in out:
            out[column] = pd.NA
        out[column] = out[column].astype("string")
    return out


def geocode_frame(frame: pd.DataFrame, geocoder=None, *, overwrite: bool = False) -> pd.DataFrame:
    """Fill latitude, longitude, site_id, country, admin1, geo_precision and geo_source.

    Rows whose coordinates are missing are placed from their `location` (their `country`, when
    given, is the hint). Coordinates a source provided are kept unless overwrite=True; a name
    that cannot be resolved keeps empty (or, with overwrite, its previous) coordinates. Country
    and admin1 are filled only where empty (admin1 follows the new point with overwrite).
    Returns a new frame; the input is not changed.
    """
    out = _with_geo_columns(frame)
    if "location" not in out.columns or out.empty:
        return out
    location = out["location"].astype("string").str.strip()
    has_point = out["latitude"].notna() & out["longitude"].notna()
    todo = location.notna() & location.ne("") & (overwrite | ~has_point)
    todo = todo.fillna(False).astype(bool)
    if not todo.any():
        return out
    hints = [_country_hint(value) for value in out.loc[todo, "country"]]
    keys = pd.Series(list(zip(location[todo], hints, strict=True)), index=out.index[todo])
    answers = _lookup(geocoder or _default_geocoder(), list(dict.fromkeys(keys)))
    if not answers:
        return out
    found = keys.map(answers).dropna()
    if found.empty:
        return out
    rows = found.index
    table = pd.DataFrame(list(found), index=rows)
    out.loc[rows, "latitude"] = table["latitude"].astype("float64")
    out.loc[rows, "longitude"] = table["longitude"].astype("float64")
    out.loc[rows, "geo_precision"] = table["geo_precision"].astype("Int64")
    out.loc[rows, "geo_source"] = table["geo_source"].astype("string")
    site_ids = table["site_id"].astype("string")
    if overwrite:
        out.loc[rows, "site_id"] = site_ids
        admin1 = table["admin1"].astype("string")
        out.loc[rows, "admin1"] = admin1.where(admin1.notna(), out.loc[rows, "admin1"])
    else:
        empty = out.loc[rows, "site_id"].isna()
        out.loc[rows[empty], "site_id"] = site_ids[empty]
        empty = out.loc[rows, "admin1"].isna()
        out.loc[rows[empty], "admin1"] = table.loc[empty[empty].index, "admin1"].astype("string")
    empty = out.loc[rows, "country"].isna()
    out.loc[rows[empty], "country"] = table.loc[empty[empty].index, "country"].astype("string")
    return out


@dataclass
class GeocodeSummary:
    """What geocode_csv did; str() is a one-line report for the CLI."""

    input: Path
    output: Path
    rows: int
    resolved: int
    unresolved: int
    by_source: dict[str, int] = field(default_factory=dict)
    unresolved_names: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        sources = ", ".join(f"{n} {s}" for s, n in sorted(self.by_source.items()))
        text = (f"{self.output}: {self.resolved} of {self.rows} names placed"
                f"{f' ({sources})' if sources else ''}, {self.unresolved} left without "
                "coordinates")  # fmt: skip
        if self.unresolved_names:
            shown = ", ".join(self.unresolved_names[:5])
            more = f" and {len(self.unresolved_names) - 5} more" if len(
                self.unresolved_names) > 5 else ""  # fmt: skip
            text += f": {shown}{more}"
        return text


def _column(frame: pd.DataFrame, wanted: str) -> str | None:
    for column in frame.columns:
        if str(column).strip().lower() == wanted:
            return column
    return None


def _read_names(input_path: Path) -> tuple[pd.DataFrame, list[tuple[str, str | None]]]:
    """The file's rows and each row's (name, country hint); BadInput when there is no name."""
    try:
        frame = pd.read_csv(input_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise BadInput(
            f"{input_path}: the file is empty; it needs a header row with a 'name' column "
            "(and optionally 'country', as a two-letter ISO code)"
        ) from None
    name_column = _column(frame, "name")
    if name_column is None:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise BadInput(
            f"{input_path}: no 'name' column (columns found: {found}); add a header row with a "
            "column called name holding the place names, and optionally country (ISO2)"
        )
    country_column = _column(frame, "country")
    names = [str(name).strip() for name in frame[name_column]]
    if country_column is None:
        return frame, [(name, None) for name in names]
    hints = [_country_hint(value) for value in frame[country_column]]
    return frame, list(zip(names, hints, strict=True))


_ANSWER_TYPES = {"latitude": "Float64", "longitude": "Float64", "geo_precision": "Int64",
                 "geo_source": "string", "matched_name": "string"}  # fmt: skip


def _with_answers(frame: pd.DataFrame, found: list[dict | None]) -> pd.DataFrame:
    """The input's columns, then the answer's (empty where there is none: never a guess)."""
    out = frame.drop(columns=[c for c in OUTPUT_COLUMNS if c in frame.columns])
    for column, dtype in _ANSWER_TYPES.items():
        out[column] = pd.array([a[column] if a else None for a in found], dtype=dtype)
    return out


def geocode_csv(input_path, output_path, geocoder=None) -> GeocodeSummary:
    """Geocode a CSV of names (column `name`, optional `country` as ISO2) into a new CSV.

    The output repeats every input column and adds latitude, longitude, geo_precision,
    geo_source and matched_name; names that cannot be resolved keep empty coordinates (never a
    guess). Raises ValueError naming the file when it has no `name` column.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    frame, keys = _read_names(input_path)
    wanted = list(dict.fromkeys(k for k in keys if k[0]))
    answers = _lookup(geocoder or _default_geocoder(), wanted)
    found = [answers.get(k) for k in keys]
    output_path.parent.mkdir(parents=True, exist_ok=True)
    _with_answers(frame, found).to_csv(output_path, index=False, na_rep="")

    resolved = sum(1 for a in found if a)
    unresolved = [n for (n, _), a in zip(keys, found, strict=True) if not a and n]
    return GeocodeSummary(
        input=input_path,
        output=output_path,
        rows=len(frame),
        resolved=resolved,
        unresolved=len(frame) - resolved,
        by_source=dict(Counter(a["geo_source"] for a in found if a)),
        unresolved_names=list(dict.fromkeys(unresolved)),
    )
