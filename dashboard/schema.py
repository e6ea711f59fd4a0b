"""The canonical incident schema, and turning text cells into typed, validated incidents.

Every reader produces cells under canonical column names (text, or already typed values from
Parquet); `parse_incidents` converts them to typed columns and collects *every* problem at once,
each located by spreadsheet row and column. It is vectorised (`dashboard.cell_parsers`): a
million rows validate in seconds. Unknown is NA, never 0.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard import cell_parsers as cp
from dashboard.paths import STATIC_DIR
from dashboard.problems import Problem

COLUMNS: tuple[str, ...] = (
    "incident_id",
    "event_date",
    "time_precision",
    "event_type",
    "weapon",
    "actor1",
    "actor2",
    "location",
    "site_id",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "geo_source",
    "killed",
    "wounded",
    "source",
    "source_url",
    "notes",
    "dataset",
)
REQUIRED: tuple[str, ...] = ("event_date", "location")
# Readers keep the actor text as the source wrote it beside the canonical name.
ORIGINAL_ACTOR_COLUMNS: tuple[str, ...] = ("actor1_original", "actor2_original")

EVENT_TYPES = (
    "attack",
    "airstrike",
    "foiled_attack",
    "interception",
    "clash",
    "seizure",
    "protest",
    "other",
)
WEAPONS = (
    "rocket",
    "drone",
    "ballistic_missile",
    "missile",
    "ied",
    "small_arms",
    "aircraft",
    "artillery",
    "unknown",
)
GEO_SOURCES = ("source", "gazetteer", "geonames", "online", "manual")
TIME_PRECISIONS = (1, 2, 3)
GEO_PRECISIONS = (1, 2, 3, 4)

INT_COLUMNS = ("time_precision", "geo_precision", "killed", "wounded")
FLOAT_COLUMNS = ("latitude", "longitude")
CATEGORY_COLUMNS = {"event_type": EVENT_TYPES, "weapon": WEAPONS, "geo_source": GEO_SOURCES}
STRING_COLUMNS = (
    tuple(c for c in COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS + ("event_date",))
    + ORIGINAL_ACTOR_COLUMNS
)

EARLIEST_DATE = pd.Timestamp(cp.EARLIEST_DAY)
_COUNTRY_NAMES = {
    "iraq": "IQ",
    "syria": "SY",
    "jordan": "JO",
    "iran": "IR",
    "lebanon": "LB",
    "israel": "IL",
    "palestine": "PS",
    "turkey": "TR",
    "turkiye": "TR",
    "saudi arabia": "SA",
    "kuwait": "KW",
    "yemen": "YE",
    "united states": "US",
    "egypt": "EG",
    "qatar": "QA",
    "bahrain": "BH",
    "united arab emirates": "AE",
    "oman": "OM",
    "cyprus": "CY",
}


def empty_incidents() -> pd.DataFrame:
    """A typed frame with every canonical column and no rows."""
    return coerce_dtypes(pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS}))


def coerce_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Give already-valid canonical columns their dtypes (used after reading from the store)."""
    out = frame.copy()
    for column in COLUMNS:
        if column not in out.columns:
            out[column] = pd.NA
    out["event_date"] = pd.to_datetime(out["event_date"]).astype("datetime64[ns]")
    for column in INT_COLUMNS:
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    for column in FLOAT_COLUMNS:
        out[column] = pd.to_numeric(out[column]).astype("float64")
    for column in STRING_COLUMNS:
        if column in out.columns:
            out[column] = out[column].astype("string")
    ordered = list(COLUMNS) + [c for c in out.columns if c not in COLUMNS]
    return out[ordered]


@lru_cache(maxsize=1)
def country_boxes() -> dict[str, tuple[float, float, float, float]]:
    """ISO2 -> (min_lat, min_lon, max_lat, max_lon), computed from the bundled Natural Earth map."""
    path = STATIC_DIR / "basemap" / "country-bbox.json"
    if not path.exists():
        return {}
    return {k: tuple(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def parse_incidents(
    text: pd.DataFrame,
    *,
    dataset: str | None = None,
    curated: bool = False,
    progress=None,
    check_text: bool = True,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Cells under canonical names -> (typed incidents, every problem found).

    `text.index` holds spreadsheet row numbers. Cells are text, or typed values (numbers,
    timestamps) as Parquet keeps them. `dataset` fills rows whose dataset is empty. Curated rows
    (dataset "curated", or every row when `curated`) must name their source. `progress`, when
    given, is called as progress("validating", step, steps). `check_text=False` skips the
    search for control characters when the reader has already found none in the file's bytes.
    """
    cells = text
    missing = [c for c in REQUIRED if c not in cells.columns]
    problems = [Problem(1, c, "required column is missing") for c in missing]
    if check_text:
        problems += cp.check_control_characters(cells)
    out = pd.DataFrame(index=cells.index)
    for column in COLUMNS:
        out[column] = cells[column] if column in cells.columns else _empty(cells.index)
    steps = _steps(out)
    for step, (_column, check) in enumerate(steps, start=1):
        problems += check(out, cells)
        if progress:
            progress("validating", step, len(steps))
    extras = cells[[c for c in cells.columns if c not in COLUMNS]]
    out = pd.concat([out, _as_text(extras)], axis=1) if len(extras.columns) else out
    if dataset is not None:
        out["dataset"] = out["dataset"].fillna(dataset)
    has_point = out["latitude"].notna() & out["longitude"].notna()
    out["geo_source"] = out["geo_source"].mask(has_point & out["geo_source"].isna(), "source")
    problems += _check_required(cells, out, [c for c in REQUIRED if c not in missing])
    problems += _check_curated_sources(out, curated)
    problems += _check_swapped_coordinates(out)
    problems += _check_duplicate_ids(out)
    out["incident_id"] = _fill_incident_ids(out)
    return coerce_dtypes(out), problems


def _empty(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype="string")


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda s: s if cp.is_text(s) else s.astype("string"))


def _steps(out: pd.DataFrame) -> list:
    """(column, check) pairs; each check types `out[column]` in place and returns problems."""

    def dates(out, _cells):
        out["event_date"], found = cp.parse_days(out["event_date"], "event_date")
        return found

    def number(column, whole, check=None):
        def run(out, _cells):
            values, written, found = cp.parse_numbers(out[column], column, whole=whole)
            out[column] = values
            return found + (check(values, written) if check else [])

        return run

    def category(column, allowed):
        def run(out, _cells):
            out[column], found = cp.parse_category(out[column], column, allowed)
            return found

        return run

    def text(column):
        def run(out, _cells):
            out[column] = cp.blank_to_na(out[column])
            return []

        return run

    def country(out, _cells):
        out["country"], found = cp.parse_country(out["country"], _COUNTRY_NAMES)
        return found

    def links(out, _cells):
        out["source_url"], found = cp.check_links(out["source_url"], "source_url")
        return found

    checks = [("event_date", dates)]
    checks += [(c, number(c, c in INT_COLUMNS, _VALUE_CHECKS.get(c))) for c in _NUMBERS]
    checks += [(c, category(c, allowed)) for c, allowed in CATEGORY_COLUMNS.items()]
    checks += [("country", country), ("source_url", links)]
    plain = [c for c in STRING_COLUMNS if c in out.columns and c not in ("country", "source_url")]
    checks += [(c, text(c)) for c in plain if c not in CATEGORY_COLUMNS]
    return checks


_NUMBERS = ("latitude", "longitude", "time_precision", "geo_precision", "killed", "wounded")


def _range(column: str, low: float, high: float, message: str):
    return lambda values, written: cp.check_range(values, written, column, low, high, message)


def _allowed(column: str, allowed, message: str):
    return lambda values, written: cp.check_allowed(values, written, column, allowed, message)


_VALUE_CHECKS = {
    "latitude": _range("latitude", -90, 90, "latitude must be between -90 and 90"),
    "longitude": _range("longitude", -180, 180, "longitude must be between -180 and 180"),
    "killed": _range("killed", 0, np.inf, "must not be negative"),
    "wounded": _range("wounded", 0, np.inf, "must not be negative"),
    "time_precision": _allowed(
        "time_precision", TIME_PRECISIONS, "unknown time precision (use 1 day, 2 week, 3 month)"
    ),
    "geo_precision": _allowed(
        "geo_precision",
        GEO_PRECISIONS,
        "unknown geo precision (use 1 site, 2 town, 3 region, 4 country)",
    ),
}


def _check_required(cells: pd.DataFrame, out: pd.DataFrame, required: list[str]) -> list[Problem]:
    problems = []
    for column in required:
        given = cells[column]
        empty = given.isna() if not cp.is_text(given) else cp.blank_to_na(given).isna()
        problems += cp.problems_at(out.index[empty.to_numpy()], column, "value is required")
    lat_given = _given(cells, "latitude")
    lon_given = _given(cells, "longitude")
    half = lat_given ^ lon_given
    for column, given in (("latitude", lat_given), ("longitude", lon_given)):
        rows = out.index[half & ~given]
        problems += cp.problems_at(rows, column, "latitude and longitude must be given together")
    return problems


def _given(cells: pd.DataFrame, column: str) -> np.ndarray:
    if column not in cells.columns:
        return np.zeros(len(cells), dtype=bool)
    values = cells[column]
    values = cp.blank_to_na(values) if cp.is_text(values) else values
    return values.notna().to_numpy()


def _check_curated_sources(out: pd.DataFrame, curated: bool) -> list[Problem]:
    is_curated = curated | out["dataset"].eq("curated").fillna(False).to_numpy(dtype=bool)
    needs_source = out["source"].isna().to_numpy() & is_curated
    return cp.problems_at(
        out.index[needs_source], "source", "curated incidents must name their source"
    )


def _check_swapped_coordinates(out: pd.DataFrame) -> list[Problem]:
    """Flag points that lie outside their country but inside it once lat and lon are swapped."""
    boxes = pd.DataFrame.from_dict(
        country_boxes(), orient="index", columns=["min_lat", "min_lon", "max_lat", "max_lon"]
    )
    codes = pd.Categorical(out["country"], categories=boxes.index).codes
    lat, lon = out["latitude"], out["longitude"]
    known = (codes >= 0) & lat.notna().to_numpy() & lon.notna().to_numpy()
    if not known.any():
        return []
    box = pd.DataFrame(
        boxes.to_numpy()[codes[known]], columns=boxes.columns, index=out.index[known]
    )
    y, x = lat[known], lon[known]

    def inside(a: pd.Series, b: pd.Series) -> pd.Series:
        return a.between(box["min_lat"], box["max_lat"]) & b.between(box["min_lon"], box["max_lon"])

    swapped = ~inside(y, x) & inside(x, y)
    return [
        Problem(
            int(row),
            "latitude",
            f"latitude and longitude look swapped: ({y[row]}, {x[row]}) is outside "
            f"{out.at[row, 'country']}, ({x[row]}, {y[row]}) is inside it",
        )
        for row in swapped.index[swapped.to_numpy()]
    ]


def _check_duplicate_ids(out: pd.DataFrame) -> list[Problem]:
    ids = out["incident_id"]
    duplicated = (ids.notna() & ids.duplicated(keep="first")).to_numpy()
    if not duplicated.any():
        return []
    given = ids[ids.notna()]
    first_row = pd.Series(given.index, index=given.to_numpy())
    first_row = first_row[~first_row.index.duplicated(keep="first")]
    return [
        Problem(
            int(row),
            "incident_id",
            f"duplicate id '{cp.shown(value)}' (first used in row {first_row[value]})",
        )
        for row, value in ids[duplicated].items()
    ]


def _fill_incident_ids(out: pd.DataFrame) -> pd.Series:
    """Derive ids the source did not give from source + date + place (stable across imports)."""
    ids = out["incident_id"].copy()
    needed = ids.isna().to_numpy()
    if not needed.any():
        return ids
    parts = out.loc[needed, ["dataset", "source", "event_date", "location", "actor1", "notes"]]
    parts = parts.assign(event_date=parts["event_date"].dt.strftime("%Y-%m-%d"))
    parts = parts.astype("string").fillna("")
    keys = parts.iloc[:, 0].str.cat([parts.iloc[:, i] for i in range(1, 6)], sep="|")
    derived = pd.Series(
        [
            "inc-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
            for key in keys.to_numpy(dtype=object)
        ],
        index=keys.index,
    )
    repeat = derived.groupby(derived).cumcount()
    derived = derived.where(repeat == 0, derived + "-" + (repeat + 1).astype(str))
    ids[needed] = derived
    return ids
