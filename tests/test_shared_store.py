"""One store, several processes: `atlas import` while the app reads the same SQLite file, and two
app servers on one PostgreSQL seeing each other's imports on their next rerun, no restart."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import PACKAGE_DIR
from dashboard.store import Store
from dashboard.synthetic import synthetic_incidents
from tests.browser import ARTIFACTS, REPO, running_app
from tests.test_app_pages import count_in

APP = str(PACKAGE_DIR / "app.py")
CURATED_ROWS = 74
SMALL = REPO / "tests" / "fixtures" / "native_small.csv"

PAUSED_WRITER = textwrap.dedent(
    """
    import sys
    from dashboard.store import Store
    from dashboard.synthetic import synthetic_incidents
    frame = synthetic_incidents(60_000, seed=11)
    def progress(stage, done, total):
        if stage == "importing" and done >= 50_000 and not progress.paused:
            progress.paused = True
            print("writing", flush=True)
            sys.stdin.readline()  # hold the open write transaction until told to go on
    progress.paused = False
    Store(sys.argv[1]).import_incidents(frame, name="concurrent", progress=progress)
    print("committed", flush=True)
    """
)


def test_the_app_reads_while_another_process_is_half_way_through_an_import(store_url, monkeypatch):
    """A writer holds its transaction open in the middle of 60,000 rows: the app reruns and
    reads the store meanwhile (old data, no error, no wait); after the commit its next rerun
    shows the new batch."""
    monkeypatch.setenv("ATLAS_DATA", store_url)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert count_in(at) == CURATED_ROWS
    store = Store(store_url)
    version = store.data_version()
    writer = subprocess.Popen(
        [sys.executable, "-c", PAUSED_WRITER, store_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        at.run()
        assert not at.exception
        assert count_in(at) == CURATED_ROWS
        assert store.data_version() == version
        assert store.incidents_table().num_rows == CURATED_ROWS
        writer.stdin.write("go on\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "committed"
    finally:
        writer.stdin.close()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert store.data_version() != version
    at.run()
    assert not at.exception
    assert count_in(at) == CURATED_ROWS + 60_000
    store.close()


def test_cli_import_while_the_app_keeps_rerunning_on_the_same_sqlite_store(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ATLAS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert count_in(at) == CURATED_ROWS
    data = tmp_path / "synthetic.csv"
    synthetic_incidents(20_000, seed=12).to_csv(data, index=False)
    cli = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(data)],
        env={**os.environ, "ATLAS_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    reruns = 0
    while cli.poll() is None or reruns == 0:
        at.run()
        assert not at.exception
        assert count_in(at) in (CURATED_ROWS, CURATED_ROWS + 20_000)
        reruns += 1
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, err
    assert "imported 20000 incidents" in out
    at.run()
    assert count_in(at) == CURATED_ROWS + 20_000


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_two_app_servers_on_one_postgresql_see_each_others_imports(postgres_url, tmp_path, page):
    """Import through app A's upload page in Chromium; app B (another process) shows the batch
    on its next page load, with no restart."""
    from tests.test_browser_app import wait_for_text

    def env(name: str) -> dict[str, str]:
        return {"ATLAS_DATA": postgres_url, "ATLAS_HOME": str(tmp_path / name)}

    with (
        running_app(env("a"), ARTIFACTS / "postgres-app-a.log") as app_a,
        running_app(env("b"), ARTIFACTS / "postgres-app-b.log") as app_b,
    ):
        page.goto(app_b)
        wait_for_text(page, f"{CURATED_ROWS} incidents")
        page.goto(f"{app_a}/upload")
        wait_for_text(page, "Batches in the store")
        page.locator("input[type='file']").set_input_files(str(SMALL))
        wait_for_text(page, "valid, 4 incidents")
        page.get_by_role("button", name="Import as a new batch").click()
        # fx-1 reports a curated incident: by default it becomes a source of it.
        wait_for_text(page, "Imported 3 incidents, 1 source of stored incidents as batch")
        page.goto(app_b)
        wait_for_text(page, f"{CURATED_ROWS + 3} incidents")
    assert page.requests.outside() == []
