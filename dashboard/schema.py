"""The canonical incident schema, and turning text cells into typed, validated incidents.

Every reader produces text cells under canonical column names; `parse_incidents` converts them
to typed columns and collects *every* problem at once (pandera-style), each located by
spreadsheet row and column. Unknown is NA, never 0.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

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

EARLIEST_DATE = pd.Timestamp("1900-01-01")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
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
    text: pd.DataFrame, *, dataset: str | None = None, curated: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Text cells under canonical names -> (typed incidents, every problem found).

    `text.index` holds spreadsheet row numbers. `dataset` fills rows whose dataset is empty.
    Curated rows (dataset "curated", or every row when `curated`) must name their source.
    """
    problems: list[Problem] = []
    cells = text.copy()
    missing = [c for c in REQUIRED if c not in cells.columns]
    problems += [Problem(1, c, "required column is missing") for c in missing]
    for column in COLUMNS:
        if column not in cells.columns:
            cells[column] = ""
    cells = cells.astype("string").apply(lambda s: s.str.strip()).replace("", pd.NA)

    out = pd.DataFrame(index=cells.index)
    for column in cells.columns:
        out[column] = cells[column]

    out["event_date"], date_problems = _parse_dates(cells["event_date"])
    problems += date_problems
    for column in INT_COLUMNS:
        out[column], found = _parse_numbers(cells[column], column, whole=True)
        problems += found
    for column in FLOAT_COLUMNS:
        out[column], found = _parse_numbers(cells[column], column, whole=False)
        problems += found
    for column, allowed in CATEGORY_COLUMNS.items():
        out[column], found = _parse_category(cells[column], column, allowed)
        problems += found
    out["country"], found = _parse_country(cells["country"])
    problems += found

    if dataset is not None:
        out["dataset"] = out["dataset"].fillna(dataset)
    has_point = out["latitude"].notna() & out["longitude"].notna()
    out.loc[has_point & out["geo_source"].isna(), "geo_source"] = "source"

    required_now = [c for c in REQUIRED if c not in missing]
    problems += _check_values(out, cells, required_now)
    needs_source = out["source"].isna() & (curated | out["dataset"].eq("curated").fillna(False))
    problems += [
        Problem(row, "source", "curated incidents must name their source")
        for row in out.index[needs_source]
    ]
    problems += _check_swapped_coordinates(out)
    problems += _check_duplicate_ids(out)
    out["incident_id"] = _fill_incident_ids(out)
    return coerce_dtypes(out), problems


def _parse_dates(cells: pd.Series) -> tuple[pd.Series, list[Problem]]:
    iso = cells.str.slice(0, 10)
    parsed = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    problems = []
    bad = cells.notna() & parsed.isna()
    for row, value in cells[bad].items():
        if _ISO_DATE.match(value[:10]):
            message = f"impossible date '{value}': there is no such day"
        else:
            message = f"cannot read date '{value}': write it as YYYY-MM-DD"
        problems.append(Problem(row, "event_date", message))
    today = pd.Timestamp(date.today())
    for row, value in parsed[parsed > today].items():
        problems.append(Problem(row, "event_date", f"date {value:%Y-%m-%d} is in the future"))
    for row, value in parsed[parsed < EARLIEST_DATE].items():
        problems.append(Problem(row, "event_date", f"date {value:%Y-%m-%d} is before 1900"))
    return parsed, problems


def _parse_numbers(cells: pd.Series, column: str, *, whole: bool) -> tuple[pd.Series, list]:
    numbers = pd.to_numeric(cells, errors="coerce")
    problems = []
    for row, value in cells[cells.notna() & numbers.isna()].items():
        hint = " (use a dot as the decimal separator)" if re.fullmatch(r"-?\d+,\d+", value) else ""
        kind = "a whole number" if whole else "a number"
        problems.append(Problem(row, column, f"'{value}' is not {kind}{hint}"))
    if whole:
        fractional = numbers.notna() & (numbers % 1 != 0)
        for row, value in cells[fractional].items():
            problems.append(Problem(row, column, f"'{value}' is not a whole number"))
        numbers = numbers.where(~fractional)
        return numbers.astype("Int64"), problems
    return numbers.astype("float64"), problems


def _parse_category(cells: pd.Series, column: str, allowed: tuple[str, ...]):
    spelled = {value.replace("_", ""): value for value in allowed}
    values = cells.str.lower().str.replace(r"[\s\-/_]+", "", regex=True).map(spelled)
    unknown = cells.notna() & values.isna()
    problems = [
        Problem(row, column, f"unknown value '{cells[row]}' (allowed: {', '.join(allowed)})")
        for row in values[unknown].index
    ]
    return values.where(~unknown).astype("string"), problems


def _parse_country(cells: pd.Series) -> tuple[pd.Series, list[Problem]]:
    named = cells.str.lower().map(_COUNTRY_NAMES)
    codes = named.fillna(cells.str.upper()).astype("string")
    bad = codes.notna() & ~codes.str.fullmatch(r"[A-Z]{2}").fillna(False)
    problems = [
        Problem(row, "country", f"'{cells[row]}' is not a two-letter ISO 3166-1 code (e.g. IQ)")
        for row in codes[bad].index
    ]
    return codes.where(~bad), problems


def _value_schema() -> pa.DataFrameSchema:
    def nonnegative(column: str) -> pa.Column:
        return pa.Column("Int64", pa.Check.ge(0, error="must not be negative"), nullable=True)

    columns = {
        "latitude": pa.Column(
            float,
            pa.Check.in_range(-90, 90, error="latitude must be between -90 and 90"),
            nullable=True,
        ),
        "longitude": pa.Column(
            float,
            pa.Check.in_range(-180, 180, error="longitude must be between -180 and 180"),
            nullable=True,
        ),
        "killed": nonnegative("killed"),
        "wounded": nonnegative("wounded"),
        "time_precision": pa.Column(
            "Int64",
            pa.Check.isin(
                TIME_PRECISIONS, error="unknown time precision (use 1 day, 2 week, 3 month)"
            ),
            nullable=True,
        ),
        "geo_precision": pa.Column(
            "Int64",
            pa.Check.isin(
                GEO_PRECISIONS,
                error="unknown geo precision (use 1 site, 2 town, 3 region, 4 country)",
            ),
            nullable=True,
        ),
    }
    return pa.DataFrameSchema(columns, strict=False, coerce=False)


def _check_values(out: pd.DataFrame, cells: pd.DataFrame, required: list[str]) -> list[Problem]:
    problems = []
    for column in required:
        for row in cells.index[cells[column].isna()]:
            problems.append(Problem(row, column, "value is required"))
    typed = out[["latitude", "longitude", "killed", "wounded", "time_precision", "geo_precision"]]
    try:
        _value_schema().validate(typed, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for failure in errors.failure_cases.itertuples():
            value = cells.at[failure.index, failure.column]
            problems.append(Problem(failure.index, failure.column, f"{failure.check} ('{value}')"))
    half_point = cells["latitude"].isna() ^ cells["longitude"].isna()
    for row in cells.index[half_point]:
        missing = "latitude" if pd.isna(cells.at[row, "latitude"]) else "longitude"
        problems.append(Problem(row, missing, "latitude and longitude must be given together"))
    return problems


def _check_swapped_coordinates(out: pd.DataFrame) -> list[Problem]:
    """Flag points that lie outside their country but inside it once lat and lon are swapped."""
    boxes = country_boxes()
    lat, lon = out["latitude"], out["longitude"]
    known = out["country"].isin(list(boxes)).fillna(False) & lat.notna() & lon.notna()
    if not known.any():
        return []
    box = pd.DataFrame(
        [boxes[c] for c in out.loc[known, "country"]],
        index=out.index[known],
        columns=["min_lat", "min_lon", "max_lat", "max_lon"],
    )
    y, x = lat[known], lon[known]

    def inside(a: pd.Series, b: pd.Series) -> pd.Series:
        return a.between(box["min_lat"], box["max_lat"]) & b.between(box["min_lon"], box["max_lon"])

    swapped = ~inside(y, x) & inside(x, y)
    return [
        Problem(
            row,
            "latitude",
            f"latitude and longitude look swapped: ({y[row]}, {x[row]}) is outside "
            f"{out.at[row, 'country']}, ({x[row]}, {y[row]}) is inside it",
        )
        for row in swapped.index[swapped]
    ]


def _check_duplicate_ids(out: pd.DataFrame) -> list[Problem]:
    ids = out["incident_id"]
    duplicated = ids.notna() & ids.duplicated(keep="first")
    first_row = {value: row for row, value in ids[ids.notna()][::-1].items()}
    return [
        Problem(
            row,
            "incident_id",
            f"duplicate id '{ids[row]}' (first used in row {first_row[ids[row]]})",
        )
        for row in ids.index[duplicated]
    ]


def _fill_incident_ids(out: pd.DataFrame) -> pd.Series:
    """Derive ids the source did not give from source + date + place (stable across imports)."""
    ids = out["incident_id"].copy()
    needed = ids.isna()
    if not needed.any():
        return ids
    parts = out.loc[needed, ["dataset", "source", "event_date", "location", "actor1", "notes"]]
    keys = parts.astype("string").fillna("").agg("|".join, axis=1)
    derived = keys.map(lambda k: "inc-" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:12])
    repeat = derived.groupby(derived).cumcount()
    derived = derived.where(repeat == 0, derived + "-" + (repeat + 1).astype(str))
    ids[needed] = derived
    return ids
