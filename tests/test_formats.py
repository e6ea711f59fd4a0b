"""The single way in: format detection, decoding, and messages that name the user's columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.errors import InvalidFile
from dashboard.formats import decode_text, detect_format, read_incidents, read_text_table

FIXTURES = "tests/fixtures"


@pytest.mark.parametrize(
    ("name", "expected_format", "rows"),
    [
        ("acled_current.csv", "acled", 7),
        ("acled_legacy.csv", "acled", 5),
        ("ucdp_ged.csv", "ucdp", 6),
        ("native_small.csv", "native", 4),
    ],
)
def test_fixtures_are_recognised_and_valid(name, expected_format, rows, capsys):
    frame, problems = read_text_table(f"{FIXTURES}/{name}")
    assert problems == []
    assert detect_format(list(frame.columns)) == expected_format
    assert main(["validate", f"{FIXTURES}/{name}"]) == 0
    assert f"valid, {rows} incidents" in capsys.readouterr().out


def test_acled_actors_are_mapped_and_the_original_kept():
    incidents = read_incidents(f"{FIXTURES}/acled_current.csv")
    first = incidents.iloc[0]
    assert first["actor2"] == "United States Armed Forces"
    assert first["actor2_original"] == "Military Forces of the United States (2021-)"
    assert first["dataset"] == "acled"
    assert pd.isna(first["wounded"])


def test_acled_problems_name_the_acled_column(tmp_path):
    text = Path(f"{FIXTURES}/acled_current.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    cells = text[1].split(",")
    cells[header.index("fatalities")] = "-2"
    broken = tmp_path / "acled_broken.csv"
    broken.write_text("\n".join([text[0], ",".join(cells)]) + "\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as error:
        read_incidents(broken)
    assert [p.describe() for p in error.value.problems] == [
        "row 2, column fatalities: must not be negative ('-2')"
    ]


def test_parquet_is_read_like_csv(tmp_path):
    frame = pd.read_csv(f"{FIXTURES}/native_small.csv", dtype=str, keep_default_na=False)
    frame.to_parquet(tmp_path / "small.parquet")
    from_parquet = read_incidents(tmp_path / "small.parquet")
    from_csv = read_incidents(f"{FIXTURES}/native_small.csv")
    columns = [c for c in from_csv.columns if c != "dataset"]
    pd.testing.assert_frame_equal(
        from_parquet[columns].reset_index(drop=True), from_csv[columns].reset_index(drop=True)
    )


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"a,b\n1,2\n", "a,b\n1,2\n"), (b"\xef\xbb\xbfa,b\n", "a,b\n"), ("é".encode(), "é")],
)
def test_utf8_with_or_without_bom_decodes(data, text):
    assert decode_text(data) == (text, [])
