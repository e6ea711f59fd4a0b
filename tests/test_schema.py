"""`atlas validate` on broken files: every problem, located by spreadsheet row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.schema import COLUMNS, parse_incidents

INVALID = "tests/fixtures/invalid"
ALLOWED_TYPES = "attack, airstrike, foiled_attack, interception, clash, seizure, protest, other"

CASES = [
    (
        "missing_columns.csv",
        [
            "row 1, column event_date: required column is missing",
            "row 1, column location: required column is missing",
        ],
    ),
    (
        "unreadable_date.csv",
        [
            "row 2, column event_date: cannot read date 'yesterday': write it as YYYY-MM-DD",
        ],
    ),
    (
        "impossible_date.csv",
        [
            "row 2, column event_date: impossible date '2023-02-30': there is no such day",
        ],
    ),
    ("future_date.csv", ["row 2, column event_date: date 2099-01-01 is in the future"]),
    (
        "latitude_out_of_range.csv",
        [
            "row 2, column latitude: latitude must be between -90 and 90 ('133.79')",
        ],
    ),
    (
        "longitude_out_of_range.csv",
        [
            "row 2, column longitude: longitude must be between -180 and 180 ('-242.44')",
        ],
    ),
    (
        "swapped_coordinates.csv",
        [
            "row 2, column latitude: latitude and longitude look swapped: "
            "(42.44, 33.79) is outside IQ, (33.79, 42.44) is inside it",
        ],
    ),
    ("negative_casualties.csv", ["row 2, column killed: must not be negative ('-8')"]),
    ("casualties_in_words.csv", ["row 2, column wounded: 'several' is not a whole number"]),
    (
        "unknown_precision.csv",
        [
            "row 2, column geo_precision: unknown geo precision (use 1 site, 2 town, 3 region, "
            "4 country) ('9')",
            "row 2, column time_precision: unknown time precision "
            "(use 1 day, 2 week, 3 month) ('5')",
        ],
    ),
    ("duplicate_ids.csv", ["row 4, column incident_id: duplicate id 't1' (first used in row 2)"]),
    (
        "curated_without_source.csv",
        [
            "row 2, column source: curated incidents must name their source",
        ],
    ),
    (
        "not_utf8.csv",
        [
            "row 3: file is not UTF-8: byte 0xe9 cannot be read "
            "(it looks like Windows-1252/Latin-1); save the file as UTF-8 and try again",
        ],
    ),
    ("short_row.csv", ["row 2: has 14 cells but the header has 15"]),
    (
        "half_coordinates.csv",
        [
            "row 2, column longitude: latitude and longitude must be given together",
        ],
    ),
    (
        "unknown_event_type.csv",
        [
            f"row 2, column event_type: unknown value 'bombardment' (allowed: {ALLOWED_TYPES})",
        ],
    ),
    (
        "comma_decimal.csv",
        [
            "row 2, column latitude: '33,79' is not a number (use a dot as the decimal separator)",
        ],
    ),
    (
        "unknown_country.csv",
        [
            "row 2, column country: 'Irak' is not a two-letter ISO 3166-1 code (e.g. IQ)",
        ],
    ),
    ("missing_location.csv", ["row 2, column location: value is required"]),
    ("empty.csv", ["row 1: file is empty: expected a header row"]),
    (
        "many_problems.csv",
        [
            "row 2, column event_date: cannot read date '20/11/2023': write it as YYYY-MM-DD",
            "row 2, column killed: must not be negative ('-1')",
            "row 3, column time_precision: unknown time precision "
            "(use 1 day, 2 week, 3 month) ('4')",
            f"row 4, column event_type: unknown value 'drone strike' (allowed: {ALLOWED_TYPES})",
            "row 4, column wounded: 'two' is not a whole number",
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate_reports_every_problem_with_row_and_column(name, expected, capsys):
    path = f"{INVALID}/{name}"
    status = main(["validate", path])
    lines = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert lines[:-1] == [f"{path}: {line}" for line in expected]
    assert lines[-1].startswith(f"{path}: {len(expected)} problem")


def test_validate_accepts_utf8_with_byte_order_mark(capsys):
    assert main(["validate", "tests/fixtures/utf8_with_bom.csv"]) == 0
    assert "valid, 1 incident" in capsys.readouterr().out


def _cells(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns, dtype="string")
    frame.index = range(2, len(frame) + 2)
    return frame


def test_unknown_casualties_stay_missing_and_are_never_zero():
    cells = _cells(
        event_date=["2023-11-20", "2023-11-21"],
        location=["A", "B"],
        killed=["", "0"],
        wounded=["3", ""],
    )
    incidents, problems = parse_incidents(cells)
    assert problems == []
    assert incidents["killed"].isna().tolist() == [True, False]
    assert incidents["killed"].iloc[1] == 0
    assert incidents["wounded"].isna().tolist() == [False, True]


def test_parsed_frame_has_every_column_with_its_type():
    cells = _cells(
        event_date=["2023-11-20"],
        location=["Ain Al Asad"],
        latitude=["33.8"],
        longitude=["42.44"],
        killed=["1"],
        event_type=["Air Strike"],
    )
    incidents, problems = parse_incidents(cells, dataset="upload:x.csv")
    assert problems == []
    assert list(incidents.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert str(incidents["event_date"].dtype).startswith("datetime64")
    assert str(incidents["killed"].dtype) == "Int64"
    assert incidents["latitude"].dtype == "float64"
    row = incidents.iloc[0]
    assert row["event_type"] == "airstrike"
    assert row["geo_source"] == "source"
    assert row["dataset"] == "upload:x.csv"


def test_derived_ids_are_stable_and_distinct():
    cells = _cells(event_date=["2023-11-20"] * 2, location=["Harir"] * 2, source=["AP"] * 2)
    first, _ = parse_incidents(cells)
    second, _ = parse_incidents(cells)
    assert first["incident_id"].tolist() == second["incident_id"].tolist()
    assert first["incident_id"].nunique() == 2
    assert first["incident_id"].str.startswith("inc-").all()
