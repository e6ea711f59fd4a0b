"""The command line: every command documents itself and fails with one clear line, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from dashboard.__main__ import main

COMMANDS = ["validate", "import", "export", "batches", "geocode", "extract"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "usage: atlas " + command in capsys.readouterr().out


def test_geocode_writes_points_and_leaves_unknown_names_empty(tmp_path, capsys):
    names = tmp_path / "names.csv"
    names.write_text("name,country\nAyn al-Asad airbase,IQ\nHarir Airport,\nAtlantis base,\n")
    out = tmp_path / "out.csv"
    assert main(["geocode", str(names), "-o", str(out)]) == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(result.columns[:2]) == ["name", "country"]
    assert {"latitude", "longitude", "geo_precision", "geo_source", "matched_name"} <= set(
        result.columns
    )
    assert result.loc[0, "geo_source"] == "gazetteer"
    assert abs(float(result.loc[0, "latitude"]) - 33.79) < 0.05
    assert result.loc[1, "latitude"] != ""
    assert result.loc[2, "latitude"] == "" and result.loc[2, "longitude"] == ""


def test_geocode_without_a_name_column_says_how_to_fix_it(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("place\nErbil\n")
    assert main(["geocode", str(bad), "-o", str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}: no 'name' column")
    assert "Traceback" not in err


def test_missing_file_is_one_line(capsys):
    assert main(["validate", "no/such/file.csv"]) == 1
    assert capsys.readouterr().err.strip() == "no/such/file.csv: no such file"


def test_extract_without_a_date_asks_for_one(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("On Monday, rockets hit Ain al-Asad air base, officials said.\n")
    assert main(["extract", str(article), "-o", str(tmp_path / "out.csv")]) == 1
    assert "pass --published YYYY-MM-DD" in capsys.readouterr().err


def test_module_entry_point_runs_as_a_program(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", "tests/fixtures/invalid/empty.csv"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].endswith("row 1: file is empty: expected a header row")
    assert "Traceback" not in result.stderr
