"""Readers at scale and at their limits: settings bound rows, columns and cells; Parquet keeps
its types; progress is reported; the synthetic generator makes valid, marked files."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import settings as atlas_settings
from dashboard.__main__ import main
from dashboard.errors import BadSetting, InvalidFile
from dashboard.formats import acled, read_incidents, read_table
from dashboard.formats.writers import write_incidents
from dashboard.paths import PACKAGE_DIR
from dashboard.synthetic import (
    SCATTERED_LOCATION,
    SYNTHETIC_SOURCE,
    synthetic_acled,
    synthetic_incidents,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def native_csv(tmp_path) -> Path:
    path = tmp_path / "native.csv"
    write_incidents(synthetic_incidents(20, seed=5), path)
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(InvalidFile) as error:
        read_incidents(path)
    return [p.describe() for p in error.value.problems]


def test_rows_over_the_limit_are_refused(native_csv, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_ROWS", "10")
    assert problems_of(native_csv) == [
        "the file has more than 10 data rows, the most one file may have (ATLAS_MAX_ROWS); "
        "split it into smaller files"
    ]
    monkeypatch.setenv("ATLAS_MAX_ROWS", "20")
    assert len(read_incidents(native_csv)) == 20


def test_columns_over_the_limit_are_refused_on_the_header(native_csv, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_COLUMNS", "5")
    [problem] = problems_of(native_csv)
    assert problem.startswith("row 1: the header has 21 columns, more than the 5 a file may have")


def test_a_cell_over_the_limit_is_named_by_row_and_column(native_csv, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_FIELD_CHARS", "40")
    problems = problems_of(native_csv)
    assert (
        "row 2, column notes: the cell holds 55 characters, more than the 40 allowed"
        in "\n".join(problems)
    )
    for problem in problems:
        length = re.search(r"^row \d+, column \w+: the cell holds (\d+) characters", problem)
        assert length and int(length.group(1)) > 40, problem


@pytest.mark.parametrize("value", ["many", "-3", "0", "1.5"])
def test_a_bad_limit_setting_is_explained(native_csv, monkeypatch, value, capsys):
    monkeypatch.setenv("ATLAS_MAX_ROWS", value)
    with pytest.raises(BadSetting, match="ATLAS_MAX_ROWS"):
        read_incidents(native_csv)
    assert main(["validate", str(native_csv)]) == 1
    assert "is not a positive whole number" in capsys.readouterr().err


def test_limits_are_documented_settings_with_the_upload_limit_matching_streamlits():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (
        "ATLAS_MAX_UPLOAD_MB",
        "ATLAS_MAX_ROWS",
        "ATLAS_MAX_COLUMNS",
        "ATLAS_MAX_FIELD_CHARS",
    ):
        assert f"`{name}`" in readme
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    default = atlas_settings.SETTINGS["max_upload_mb"].default
    assert config["server"]["maxUploadSize"] == int(default)
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_every_line_end_reads_the_same(native_csv, tmp_path, line_end):
    text = native_csv.read_text(encoding="utf-8").replace("\r\n", "\n")
    path = tmp_path / "line-ends.csv"
    path.write_bytes(text.replace("\n", line_end).encode())
    pd.testing.assert_frame_equal(read_incidents(path), read_incidents(native_csv))


def test_parquet_keeps_its_types(tmp_path):
    incidents = synthetic_incidents(50, seed=6, scattered=0.2)
    path = tmp_path / "typed.parquet"
    incidents.to_parquet(path)
    frame, problems = read_table(path)
    assert problems == []
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert frame["latitude"].dtype == "float64"
    assert str(frame["killed"].dtype) == "Int64"
    again = read_incidents(path)
    pd.testing.assert_frame_equal(
        incidents.reset_index(drop=True), again[incidents.columns].reset_index(drop=True)
    )


def test_progress_is_reported_stage_by_stage(native_csv):
    calls = []
    read_incidents(native_csv, progress=lambda *call: calls.append(call))
    stages = [stage for stage, _done, _total in calls]
    assert stages[0] == "checking encoding" and "reading" in stages
    assert stages[-1] == "validating" and calls[-1][1] == calls[-1][2]
    for _stage, done, total in calls:
        assert total is None or 0 <= done <= total


def test_the_cli_prints_a_progress_line_when_asked(native_csv, capsys):
    assert main(["validate", str(native_csv), "--progress", "always"]) == 0
    captured = capsys.readouterr()
    assert "validating: 100%" in captured.err
    assert "valid, 20 incidents" in captured.out
    assert main(["validate", str(native_csv), "--progress", "never"]) == 0
    assert capsys.readouterr().err == ""


def test_scattered_synthetic_rows_are_valid_and_stay_marked_synthetic(tmp_path):
    incidents = synthetic_incidents(400, seed=3, scattered=0.5)
    scattered = incidents["site_id"].isna()
    assert scattered.sum() > 100
    assert (incidents.loc[scattered, "location"] == SCATTERED_LOCATION).all()
    path = tmp_path / "scattered.csv"
    write_incidents(incidents, path)
    again = read_incidents(path)
    assert len(again) == 400
    assert (again["dataset"] == "synthetic").all()
    assert (again["source"] == SYNTHETIC_SOURCE).all()


def test_synthetic_acled_is_read_as_acled_and_says_it_is_synthetic(tmp_path):
    path = tmp_path / "acled.csv"
    synthetic_acled(300, seed=2).to_csv(path, index=False)
    incidents = read_incidents(path)
    assert len(incidents) == 300
    assert (incidents["dataset"] == "acled").all()
    assert incidents["source"].eq(SYNTHETIC_SOURCE).all()
    assert incidents["notes"].str.startswith("Synthetic event, not a real one").all()
    assert set(incidents["country"]) <= {"IQ", "SY", "JO", "KW", "LB"}


WORDS = st.sampled_from(
    ["drone", "UAV", "rockets", "Katyusha", "ballistic missile", "missile", "shelling", "IED",
     "airstrike", "jets", "gunmen", "intercepted", "shot down", "seized", "weapons cache",
     "Drones", "dronesx", "a", "the", "near", "base", "", "ROCKET", "shot"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([*acled.EVENT_TYPES, "Unknown", ""]),
            st.sampled_from([*acled.SUB_EVENT_TYPES, "Something new", ""]),
            st.lists(WORDS, max_size=6).map(" ".join),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_column_event_mapping_agrees_with_the_one_row_rule(rows):
    """The vectorised path (pyarrow's RE2) and the rule as written (Python's re) agree."""
    kinds, subs, notes = (pd.Series(list(c), dtype="string") for c in zip(*rows, strict=True))
    event_types, weapons = acled.map_events(kinds, subs, notes)
    expected = [acled.map_event(k, s, n) for k, s, n in rows]
    assert list(zip(event_types, weapons, strict=True)) == expected


def test_upload_page_refuses_a_file_over_the_upload_limit(monkeypatch, native_csv):
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "1")
    at = AppTest.from_file(str(PACKAGE_DIR / "app.py"), default_timeout=60)
    at.switch_page("views/upload.py").run()
    big = native_csv.read_bytes() * 500  # about 2.7 MB
    at.file_uploader[0].set_value(("big.csv", big, "text/csv")).run()
    assert not at.exception
    assert "more than the 1 MB an upload may be (ATLAS_MAX_UPLOAD_MB)" in at.error[0].value.replace(
        "\\", ""
    )
    assert at.error[0].value.replace("\\", "").startswith("big.csv: ")


def test_upload_page_shows_the_first_thousand_problems_and_offers_them_all(native_csv):
    text = native_csv.read_text(encoding="utf-8").replace("\r\n", "\n").splitlines()
    header, row = text[0], text[1]
    date = row.split(",")[1]
    body = [row.replace(date, "someday", 1).replace("syn-5-0", f"r{i}", 1) for i in range(1500)]
    data = "\n".join([header, *body]).encode()
    at = AppTest.from_file(str(PACKAGE_DIR / "app.py"), default_timeout=60)
    at.switch_page("views/upload.py").run()
    at.file_uploader[0].set_value(("many.csv", data, "text/csv")).run()
    assert not at.exception
    assert "1500 problems found" in at.error[0].value.replace("\\", "")
    assert len(at.dataframe[0].value) == 1000
    assert any("The first 1,000 of 1,500 problems." in c.value for c in at.caption)
    assert at.get("download_button")
