"""UCDP Georeferenced Event Dataset (GED) CSV -> canonical text cells.

The GED (Uppsala Conflict Data Program) has one row per event of lethal organised violence, in
`HEADER`'s 49 columns. Its precision scales are finer than ours and are mapped down
(`GEO_PRECISION`, `TIME_PRECISION`); its countries are Gleditsch-Ward numbers (`GW_COUNTRIES`).
Every source column is also kept verbatim as `ucdp_<column>`. Mapping tables: docs/formats.md.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from dashboard.cell_parsers import Distinct, shown
from dashboard.formats.source_cells import (
    cells_by_column,
    choose,
    column_key,
    column_reader,
    constant,
    has_point,
    missing_required,
    parse_dates,
    spreadsheet_rows,
    stripped,
)
from dashboard.problems import Problem

NAME = "ucdp"

# GED codebook column order (GED 23.1 / 24.1 / 25.1 CSV releases).
HEADER: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

REQUIRED: tuple[str, ...] = (
    "id", "type_of_violence", "date_start", "latitude", "longitude", "best",
)  # fmt: skip

# Canonical column -> the GED column it comes from, to name the user's column in messages.
SOURCE_COLUMNS: dict[str, str] = {
    "incident_id": "id", "event_date": "date_start", "time_precision": "date_prec",
    "event_type": "type_of_violence", "actor1": "side_a", "actor2": "side_b",
    "location": "where_coordinates", "country": "country_id", "admin1": "adm_1",
    "latitude": "latitude", "longitude": "longitude", "geo_precision": "where_prec",
    "killed": "best", "source": "source_office", "notes": "source_headline",
}  # fmt: skip

# UCDP where_prec (1-7) -> our geo_precision (1 site, 2 nearby town, 3 region, 4 country).
GEO_PRECISION: dict[str, str] = {
    "1": "1",  # exact location
    "2": "2",  # within about 25 km of a named place
    "3": "3",  # second-order division (district), its centroid
    "4": "3",  # first-order division (province), its centroid
    "5": "3",  # part of a country larger than a province / between two places
    "6": "4",  # whole country, its centroid
    "7": "4",  # over water or in international airspace, an estimated point
}
# UCDP date_prec (1-5) -> our time_precision (1 exact day, 2 within a week, 3 within a month).
TIME_PRECISION: dict[str, str] = {
    "1": "1",  # exact day
    "2": "2",  # a span of 2-6 days
    "3": "2",  # a known week
    "4": "3",  # a known month
    "5": "3",  # a known year only: coarser than our scale; ucdp_date_prec keeps the 5
}
# type_of_violence -> canonical event type.
EVENT_TYPES: dict[str, str] = {
    "1": "clash",  # state-based conflict (a government against another organised party)
    "2": "clash",  # non-state conflict (organised groups, no government)
    "3": "attack",  # one-sided violence (an organised party against civilians)
}

# Gleditsch-Ward state number (GED country_id, gwnoa, gwnob) -> (ISO2, GED country name).
GW_COUNTRIES: dict[int, tuple[str, str]] = {
    645: ("IQ", "Iraq"),
    652: ("SY", "Syria"),
    663: ("JO", "Jordan"),
    630: ("IR", "Iran"),
    660: ("LB", "Lebanon"),
    666: ("IL", "Israel"),
    640: ("TR", "Turkey"),
    670: ("SA", "Saudi Arabia"),
    690: ("KW", "Kuwait"),
    678: ("YE", "Yemen (North Yemen)"),
    679: ("YE", "Yemen"),
    651: ("EG", "Egypt"),
    692: ("BH", "Bahrain"),
    694: ("QA", "Qatar"),
    696: ("AE", "United Arab Emirates"),
    698: ("OM", "Oman"),
    352: ("CY", "Cyprus"),
    700: ("AF", "Afghanistan"),
    770: ("PK", "Pakistan"),
    371: ("AM", "Armenia"),
    373: ("AZ", "Azerbaijan"),
    372: ("GE", "Georgia"),
    620: ("LY", "Libya"),
    625: ("SD", "Sudan"),
    626: ("SS", "South Sudan"),
    520: ("SO", "Somalia"),
    522: ("DJ", "Djibouti"),
    531: ("ER", "Eritrea"),
    530: ("ET", "Ethiopia"),
    615: ("DZ", "Algeria"),
    616: ("TN", "Tunisia"),
    600: ("MA", "Morocco"),
    2: ("US", "United States of America"),
    200: ("GB", "United Kingdom"),
    220: ("FR", "France"),
    255: ("DE", "Germany"),
    365: ("RU", "Russia (Soviet Union)"),
    369: ("UA", "Ukraine"),
}
_BY_NAME = {name.lower(): iso2 for iso2, name in GW_COUNTRIES.values()} | {
    "yemen": "YE", "russia": "RU", "united states": "US", "palestine": "PS", "turkiye": "TR",
}  # fmt: skip
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\S.*)?$")


def looks_like(columns: list[str]) -> bool:
    """True for a header of a UCDP GED CSV, in any case or spacing."""
    names = {column_key(c) for c in columns}
    if {"type_of_violence", "date_start", "side_a", "side_b"} <= names:
        return True
    signature = {"where_prec", "date_prec", "dyad_name", "conflict_new_id", "priogrid_gid", "best"}
    return len(names & signature) >= 4


def parse_date(text: str) -> str | None:
    """'2023-11-20' or '2023-11-20 00:00:00.000' -> '2023-11-20'; None for anything else.

    An ISO-shaped date that does not exist is returned unchanged for the validator to report.
    """
    text = text.strip()
    match = _ISO_DATETIME.match(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text[:10]


def country_code(country_id: str, name: str = "") -> str:
    """ISO2 from the Gleditsch-Ward `country_id`, else from the GED name; else the name as is."""
    code = country_id.strip().removesuffix(".0")
    if code.isdigit() and int(code) in GW_COUNTRIES:
        return GW_COUNTRIES[int(code)][0]
    name = name.strip()
    if name.lower() in _BY_NAME:
        return _BY_NAME[name.lower()]
    bare = re.sub(r"\s*\(.*\)\s*$", "", name).lower()  # "Yemen (North Yemen)" -> "yemen"
    return _BY_NAME.get(bare, name)


def _code(text: str) -> str:
    return text.strip().removesuffix(".0")


def _scale(cells: pd.Series, rows: np.ndarray, name: str, table: dict[str, str], what: str):
    """A UCDP code column through its table; an unknown code is reported and left empty."""
    mapped = Distinct(lambda text: (text, table.get(_code(text), "")), cells, na_value=("", ""))
    unknown = mapped.where(lambda result: result[0].strip() and not result[1])
    allowed = f"{min(table)}-{max(table)}"
    problems = [
        Problem(int(row), name, f"unknown UCDP {what} '{shown(text)}' (use {allowed})")
        for row, (text, _code_) in zip(rows[unknown], mapped.results_at(unknown), strict=True)
    ]
    return mapped.text(lambda result: result[1]), problems


def to_canonical(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """GED text cells -> canonical text cells (same index) and UCDP-specific problems."""
    problems: list[Problem] = []
    cells = cells_by_column(raw)
    problems += missing_required(cells, REQUIRED, "UCDP GED")
    col = column_reader(cells, raw.index)
    index = raw.index
    rows = spreadsheet_rows(index)

    def scale(name: str, table: dict[str, str], what: str) -> pd.Series:
        mapped, found = _scale(col(name), rows, name, table, what)
        problems.extend(found)
        return mapped

    dates, found = parse_dates(
        col("date_start"), parse_date, rows, "date_start", "UCDP", "YYYY-MM-DD"
    )
    problems += found

    location = col("where_coordinates")
    for fallback in ("adm_2", "adm_1", "country"):
        location = location.where(stripped(location).ne(""), col(fallback))
    ids = Distinct(lambda v: f"ucdp-{_code(v)}" if v.strip() else "", col("id"), na_value="")
    event_type = scale("type_of_violence", EVENT_TYPES, "type of violence")
    source = col("source_office")
    source = source.where(stripped(source).ne(""), col("source_original"))
    countries = Distinct(country_code, col("country_id"), col("country")).text()

    out = {
        "incident_id": ids.text(),
        "event_date": dates,
        "time_precision": scale("date_prec", TIME_PRECISION, "date precision"),
        "event_type": event_type,
        "weapon": choose(event_type.ne("").to_numpy(), "unknown", "", index),
        "actor1": col("side_a"),
        "actor2": col("side_b"),
        "location": location,
        "site_id": constant("", index),
        "country": countries,
        "admin1": col("adm_1"),
        "latitude": col("latitude"),
        "longitude": col("longitude"),
        "geo_precision": scale("where_prec", GEO_PRECISION, "location precision"),
        "geo_source": choose(has_point(col), "source", "", index),
        "killed": col("best"),
        "wounded": constant("", index),  # the GED counts deaths only: never 0
        "source": source,
        "source_url": constant("", index),
        "notes": col("source_headline"),
        "dataset": constant(NAME, index),
    }
    for name, values in cells.items():
        out[f"{NAME}_{name}"] = values
    return pd.DataFrame(out, index=index), problems
