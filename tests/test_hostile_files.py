"""Hostile and broken files: a clear error naming the file (and row and column where there is
one), through `validate`, `import` and the upload page; the store stays byte-identical; no
traceback anywhere. The large cases also run in a process of their own under a memory and time
bound, so a regression that reads them whole or parses them quadratically fails here.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.__main__ import main
from dashboard.paths import PACKAGE_DIR
from dashboard.store import Store
from tests.hostile_files import CASES, write

APP = str(PACKAGE_DIR / "app.py")
IDS = [case.id for case in CASES]


def test_the_corpus_holds_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def report_lines(err: str, path) -> list[str]:
    """The report's lines, each checked to start with the file's name."""
    lines = err.strip().splitlines()
    assert lines, "nothing was reported"
    for line in lines:
        assert line.startswith(f"{path}: "), line
    return [line.removeprefix(f"{path}: ") for line in lines]


def assert_reported(lines: list[str], expected: tuple[str, ...]) -> None:
    for fragment in expected:
        assert any(line.startswith(fragment) or fragment in line for line in lines), (
            f"{fragment!r} not in {lines}"
        )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validate_names_the_file_and_the_problem(case, tmp_path, capsys):
    path = write(case, tmp_path)
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out == ""
    assert_reported(report_lines(captured.err, path), case.expected)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_import_refuses_and_leaves_the_store_byte_identical(case, tmp_path, capsys):
    db = tmp_path / "store.db"
    seeded = Store(f"sqlite:///{db}")
    seeded.ensure_seeded()
    seeded.close()  # the write-ahead log is folded into the file now, not at some later GC
    before = db.read_bytes()
    path = write(case, tmp_path)
    assert main(["import", str(path), "--db", f"sqlite:///{db}"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert_reported(report_lines(captured.err, path), case.expected)
    assert db.read_bytes() == before


def test_upload_page_rejects_every_case_with_the_files_name(tmp_path):
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/upload.py").run()
    store = Path(os.environ["ATLAS_HOME"]) / "atlas.db"  # made by the page's first run
    before = store.read_bytes()
    for case in CASES:
        data = case.make()
        at.file_uploader[0].set_value((case.name, data, "text/csv")).run()
        assert not at.exception, (case.id, at.exception)
        assert at.error, f"{case.id}: no error shown"
        message = at.error[0].value.replace("\\", "")
        assert message.startswith(f"{case.name}: "), (case.id, message)
        shown = [message]
        if at.dataframe:
            table = at.dataframe[0].value
            shown += [
                f"row {r}, column {c}: {p}" if c else f"row {r}: {p}"
                for r, c, p in table.itertuples(index=False)
            ]
        assert_reported(shown, case.expected)
        assert not at.success, f"{case.id}: shown as valid"
        # A rejected file is let go: the uploader is empty again, ready for the next one.
        assert at.file_uploader[0].value is None
    assert store.read_bytes() == before


BOUND = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
resource.setrlimit(resource.RLIMIT_CPU, (120, 120))
from dashboard.__main__ import main
sys.exit(main(["validate", sys.argv[1]]))
"""


@pytest.mark.parametrize("case", [c for c in CASES if c.large], ids=lambda c: c.id)
def test_large_cases_are_refused_within_memory_and_time_bounds(case, tmp_path):
    """3 GB of address space and 2 CPU minutes: generous, but a whole-file Python parse of the
    50 MB cell or a quadratic million-column header would not fit."""
    path = write(case, tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", BOUND, str(path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert_reported(report_lines(result.stderr, path), case.expected)
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime < 600
