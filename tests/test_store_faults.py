"""Store faults: locked by another process, read-only, corrupt, failing its integrity check,
unreachable. Each gives a clear error (CLI and page), and nothing stored is overwritten."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.__main__ import main
from dashboard.paths import PACKAGE_DIR
from dashboard.store import Store, open_store
from tests.browser import free_port
from tests.page_text import unescaped

SMALL = "tests/fixtures/native_small.csv"
APP = str(PACKAGE_DIR / "app.py")

HOLD_LOCK = textwrap.dedent(
    """
    import sys
    url = sys.argv[1]
    if url.startswith("sqlite"):
        import sqlite3
        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        import psycopg
        conn = psycopg.connect(url.replace("+psycopg", ""))
        conn.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
    print("locked", flush=True)
    sys.stdin.readline()
    """
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def locked_by_another_process(url: str):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_store_locked_by_another_process_is_busy_and_unchanged(store_url, capsys, monkeypatch):
    monkeypatch.setattr("dashboard.store.store.BUSY_TIMEOUT_SECONDS", 0.5)
    store = open_store(store_url)
    before = (store.data_version(), store.count())
    with locked_by_another_process(store_url):
        assert main(["import", SMALL, "--db", store_url]) == 1
        message = capsys.readouterr().err
        assert "is busy: it is locked by another process" in message
        assert "try again when it has finished" in message
        assert "Traceback" not in message
        # Reading goes on while another process writes.
        assert main(["batches", "list", "--db", store_url]) == 0
    assert (store.data_version(), store.count()) == before
    assert main(["import", SMALL, "--db", store_url]) == 0, "and it works once the lock is gone"


@pytest.fixture
def sqlite_store(tmp_path) -> Path:
    """A seeded SQLite store with a few thousand incidents, closed (WAL folded in)."""
    from dashboard.synthetic import synthetic_incidents

    path = tmp_path / "home" / "atlas.db"
    path.parent.mkdir()
    store = Store(f"sqlite:///{path}")
    store.ensure_seeded()
    store.import_incidents(synthetic_incidents(5_000, seed=8), name="synthetic")
    store.close()
    assert not Path(f"{path}-wal").exists()
    return path


@contextmanager
def read_only(*paths: Path):
    """Make files and folders unwritable, for root too (the immutable attribute), and back."""
    if os.geteuid() == 0:
        done = []
        try:
            for path in paths:
                subprocess.run(["chattr", "+i", str(path)], check=True)
                done.append(path)
            yield
        finally:
            for path in done:
                subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        modes = {path: path.stat().st_mode for path in paths}
        try:
            for path in paths:
                path.chmod(0o555 if path.is_dir() else 0o444)
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)


def test_a_read_only_store_file_refuses_imports_and_still_reads(sqlite_store, capsys):
    url = f"sqlite:///{sqlite_store}"
    before = digest(sqlite_store)
    with read_only(sqlite_store):
        assert main(["import", SMALL, "--db", url]) == 1
        message = capsys.readouterr().err
        assert f"the store at {url} is read-only" in message and "nothing was changed" in message
        assert main(["batches", "list", "--db", url]) == 0
        assert "synthetic" in capsys.readouterr().out
    assert digest(sqlite_store) == before


def test_a_read_only_folder_is_named_as_the_problem(sqlite_store, capsys):
    url = f"sqlite:///{sqlite_store}"
    before = digest(sqlite_store)
    with read_only(sqlite_store, sqlite_store.parent):
        assert main(["import", SMALL, "--db", url]) == 1
        message = capsys.readouterr().err
        assert "is read-only: the file or its folder cannot be written" in message
    assert digest(sqlite_store) == before


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    store = home / "atlas.db"
    store.write_bytes(b"These are someone's notes, not a database.\n" * 200)
    before = digest(store)
    monkeypatch.setenv("ATLAS_HOME", str(home))
    assert main(["import", SMALL]) == 1
    message = capsys.readouterr().err
    assert "is damaged (file is not a database)" in message
    assert "nothing was imported or overwritten" in message
    assert main(["batches", "list"]) == 1
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    # Page messages are escaped Markdown; read them as the user sees them.
    assert "is damaged (file is not a database)" in unescaped(at.error[0].value)
    assert digest(store) == before


def _corrupt_a_page_in_the_middle(path: Path) -> None:
    size = path.stat().st_size
    page = 4096
    middle = (size // page // 2) * page
    with open(path, "r+b") as handle:
        handle.seek(middle)
        handle.write(b"\xff" * 64)  # page type and cell pointers: no longer a b-tree page


def test_no_import_into_a_store_that_fails_its_integrity_check(sqlite_store, capsys):
    url = f"sqlite:///{sqlite_store}"
    _corrupt_a_page_in_the_middle(sqlite_store)
    before = digest(sqlite_store)
    assert main(["import", SMALL, "--db", url]) == 1
    message = capsys.readouterr().err
    assert f"the store at {url} is damaged (" in message
    assert "nothing was imported or overwritten" in message
    assert "Traceback" not in message
    assert digest(sqlite_store) == before


def test_an_unreachable_postgresql_names_host_and_port_not_the_password(capsys):
    port = free_port()
    url = f"postgresql://atlas:s3cret-word@127.0.0.1:{port}/atlas"
    assert main(["batches", "list", "--db", url]) == 1
    message = capsys.readouterr().err
    assert f"cannot open the store at postgresql://atlas:***@127.0.0.1:{port}/atlas" in message
    assert f'connection to server at "127.0.0.1", port {port} failed' in message
    assert "s3cret-word" not in message
    assert "Traceback" not in message


def test_a_store_in_a_missing_folder_says_which_folder(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'nowhere' / 'atlas.db'}"
    assert main(["batches", "list", "--db", url]) == 1
    assert f"the folder {tmp_path / 'nowhere'} does not exist" in capsys.readouterr().err


def test_kill_in_the_middle_of_a_large_import_leaves_the_store_intact(sqlite_store):
    """SIGKILL while a 300,000-row import is writing: the store opens, passes its integrity
    check and holds exactly what it held before."""
    url = f"sqlite:///{sqlite_store}"
    store = Store(url)
    before = (store.count(), store.data_version())
    store.close()
    script = textwrap.dedent(
        f"""
            from dashboard.store import Store
            from dashboard.synthetic import synthetic_incidents
            frame = synthetic_incidents(300_000, seed=9)
            def progress(stage, done, total):
                if stage == "importing" and done >= 100_000:
                    print("halfway", flush=True)
                    import time; time.sleep(60)
            Store({url!r}).import_incidents(frame, name="killed", progress=progress)
            """
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    assert writer.stdout.readline().strip() == "halfway"
    writer.kill()
    writer.wait(timeout=30)
    store = Store(url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert (store.count(), store.data_version()) == before
    store.close()
