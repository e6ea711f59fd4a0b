"""Property-based tests (hypothesis) for the readers and the validator.

Whatever a file holds, reading it ends in a typed frame or an InvalidFile naming rows that
exist, never another exception; row numbers are a spreadsheet's however cells are quoted; and
valid incidents survive a CSV round trip unchanged.
"""

from __future__ import annotations

import contextlib
import csv

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.errors import AtlasError, InvalidFile
from dashboard.formats import read_incidents, read_table
from dashboard.formats.writers import to_csv_text
from dashboard.schema import COLUMNS
from dashboard.synthetic import synthetic_incidents

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Cells as people and programs write them: quotes, separators, line breaks, spaces, numbers,
# dates, control characters, right-to-left text.
CELL = st.one_of(
    st.text(
        alphabet=st.sampled_from(
            list("abcXYZ019 ,;\"'\n\r\t-+=@./:") + ["\x00", "\x07", "é", "ع", "\u202e", "😀"]
        ),
        max_size=12,
    ),
    st.sampled_from(["2023-11-20", "2023-02-30", "0000-01-01", "9999-12-31", "NaN", "-1", "1e308"]),
    st.from_regex(r"-?\d{1,3}(\.\d{1,6})?", fullmatch=True),
)
HEADER = st.lists(st.one_of(st.sampled_from(COLUMNS), st.text(max_size=6)), min_size=1, max_size=8)


def write_csv(path, header, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


@SETTINGS
@given(header=HEADER, rows=st.lists(st.lists(CELL, max_size=9), max_size=8))
def test_any_text_table_gives_incidents_or_problems_on_rows_that_exist(tmp_path, header, rows):
    path = tmp_path / "table.csv"
    write_csv(path, header, rows)
    try:
        incidents = read_incidents(path)
    except InvalidFile as error:
        assert error.problems
        for problem in error.problems:
            assert problem.row is None or 1 <= problem.row <= len(rows) + 1
            assert problem.message
            assert "\n" not in problem.describe()
    else:
        assert list(incidents.columns[: len(COLUMNS)]) == list(COLUMNS)
        assert len(incidents) <= len(rows)


@SETTINGS
@given(data=st.binary(max_size=600))
def test_any_bytes_give_incidents_or_an_atlas_error(tmp_path, data):
    path = tmp_path / "bytes.csv"
    path.write_bytes(data)
    with contextlib.suppress(AtlasError):  # any other exception fails the test
        read_incidents(path)


@SETTINGS
@given(
    notes=st.lists(st.text(alphabet=st.sampled_from(list('ab ,"\n')), max_size=10), min_size=1),
    bad=st.data(),
)
def test_a_bad_cell_is_reported_on_its_spreadsheet_row_however_cells_span_lines(
    tmp_path, notes, bad
):
    """Quoted line breaks stay inside their row, blank lines count, as a spreadsheet shows."""
    wrong = bad.draw(st.integers(0, len(notes) - 1))
    rows = [
        ["2023-11-20" if i != wrong else "not a date", "Erbil", note]
        for i, note in enumerate(notes)
    ]
    path = tmp_path / "multiline.csv"
    write_csv(path, ["event_date", "location", "notes"], rows)
    try:
        read_incidents(path)
    except InvalidFile as error:
        assert [(p.row, p.column) for p in error.problems] == [(wrong + 2, "event_date")]
    else:
        raise AssertionError("the bad date was not reported")


TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u202a\u202b\u202c\u202d\u202e"
    ),
    max_size=20,
).map(str.strip)


@SETTINGS
@given(
    count=st.integers(1, 30),
    seed=st.integers(0, 10**6),
    notes=st.lists(TEXT, min_size=30, max_size=30),
)
def test_valid_incidents_round_trip_through_csv(tmp_path, count, seed, notes):
    original = synthetic_incidents(count, seed=seed, scattered=0.3)
    original["notes"] = pd.array([n or None for n in notes[:count]], dtype="string")
    path = tmp_path / "round.csv"
    path.write_text(to_csv_text(original, formula_escape=False), encoding="utf-8")
    again = read_incidents(path)
    pd.testing.assert_frame_equal(
        original[list(COLUMNS)].reset_index(drop=True),
        again[list(COLUMNS)].reset_index(drop=True),
        check_dtype=False,
    )


@SETTINGS
@given(text=st.text(max_size=30), longitude=st.floats(-180, 180))
def test_escaped_csv_never_starts_a_text_cell_with_a_formula(tmp_path, text, longitude):
    incidents = synthetic_incidents(1, seed=1)
    incidents["longitude"] = longitude  # negative numbers are numbers, never escaped
    for column in ("notes", "location", "actor1", "source"):
        incidents[column] = pd.array([text], dtype="string")
    path = tmp_path / "escaped.csv"
    path.write_text(to_csv_text(incidents), encoding="utf-8")
    frame, _problems = read_table(path)
    for column in ("notes", "location", "actor1", "source"):
        assert not frame[column].iloc[0].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert float(frame["longitude"].iloc[0]) == longitude
