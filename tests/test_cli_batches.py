"""CLI: `atlas batches list|remove|restore|purge|reseed`, the import progress line, and the
read-only refusal. On SQLite and on PostgreSQL."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.paths import DATA_DIR
from dashboard.store import open_store

SMALL = "tests/fixtures/native_small.csv"
CURATED_ROWS = len(pd.read_csv(DATA_DIR / "incidents.csv"))


def answer(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.fixture
def imported(store_url, capsys) -> int:
    """The store with the curated set and native_small.csv; returns the small batch's id."""
    assert main(["import", SMALL, "--db", store_url]) == 0
    capsys.readouterr()
    return int(open_store(store_url).batches()["batch_id"].iloc[-1])


def test_list_shows_every_batch_with_its_rows_and_marks_the_curated_one(
    store_url, imported, capsys
):
    assert main(["batches", "list", "--db", store_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "curated: data/incidents.csv (curated)" in lines[0]
    assert f"{CURATED_ROWS} incidents" in lines[0]
    assert lines[1].split()[0] == str(imported) and "native_small.csv" in lines[1]
    assert "4 incidents" in lines[1]


def test_remove_asks_and_does_nothing_without_yes(store_url, imported, capsys, monkeypatch):
    answer(monkeypatch, "n\n")
    assert main(["batches", "remove", str(imported), "--db", store_url]) == 1
    printed = capsys.readouterr()
    assert f"Remove batch {imported} 'native_small.csv' (4 incidents)?" in printed.err
    assert "nothing removed" in printed.err
    answer(monkeypatch, "")  # no terminal, nothing piped: no consent
    assert main(["batches", "remove", str(imported), "--db", store_url]) == 1
    assert open_store(store_url).count() == CURATED_ROWS + 4


def test_remove_restore_purge_round_trip(store_url, imported, capsys, monkeypatch):
    store = open_store(store_url)
    answer(monkeypatch, "y\n")
    assert main(["batches", "remove", str(imported), "--db", store_url]) == 0
    assert f"atlas batches restore {imported}" in capsys.readouterr().out
    assert store.count() == CURATED_ROWS
    assert main(["batches", "list", "--db", store_url]) == 0
    listing = capsys.readouterr().out
    trash_part = listing.split("In the trash")[1]
    assert "native_small.csv" in trash_part and "removed " in trash_part

    assert main(["batches", "restore", str(imported), "--db", store_url]) == 0
    assert store.count() == CURATED_ROWS + 4
    assert main(["batches", "purge", str(imported), "--db", store_url, "--yes"]) == 1
    assert "not in the trash; remove it first" in capsys.readouterr().err

    assert main(["batches", "remove", str(imported), "--db", store_url, "--yes"]) == 0
    answer(monkeypatch, "no\n")
    assert main(["batches", "purge", str(imported), "--db", store_url]) == 1
    assert "cannot be undone" in capsys.readouterr().err
    assert main(["batches", "purge", str(imported), "--db", store_url, "-y"]) == 0
    assert store.batches(removed=True).empty
    # Purged for good: the same file imports again.
    assert main(["import", SMALL, "--db", store_url]) == 0


def test_a_removed_batch_keeps_its_ids_until_purged(store_url, imported, capsys):
    assert main(["batches", "remove", str(imported), "--db", store_url, "--yes"]) == 0
    capsys.readouterr()
    assert main(["import", SMALL, "--db", store_url]) == 1
    message = capsys.readouterr().err
    assert f"(batch {imported}, in the trash)" in message
    assert f"atlas batches purge {imported}" in message


def test_reseed_brings_the_curated_set_back_whatever_happened_to_it(store_url, capsys):
    store = open_store(store_url)
    curated = store.curated_batch_id()
    assert main(["batches", "reseed", "--db", store_url]) == 0
    assert "already in the store" in capsys.readouterr().out
    store.remove_batch(curated)
    assert main(["batches", "reseed", "--db", store_url]) == 0
    assert "restored the curated batch" in capsys.readouterr().out
    assert store.count() == CURATED_ROWS
    store.remove_batch(curated)
    store.purge_batch(curated)
    assert store.count() == 0
    assert main(["batches", "reseed", "--db", store_url]) == 0
    assert "imported the curated incidents" in capsys.readouterr().out
    assert store.count() == CURATED_ROWS
    assert store.curated_batch_id() != curated


def test_unknown_batch_and_missing_id_are_explained(store_url, capsys):
    assert main(["batches", "remove", "999", "--db", store_url, "--yes"]) == 1
    assert "no batch 999 in the store" in capsys.readouterr().err
    assert main(["batches", "restore", "--db", store_url]) == 1
    assert "give the batch id" in capsys.readouterr().out


def test_import_prints_a_progress_line(store_url, tmp_path, capsys):
    from dashboard.synthetic import synthetic_incidents

    path = tmp_path / "synthetic.csv"
    synthetic_incidents(60_000, seed=2).to_csv(path, index=False)
    assert main(["import", str(path), "--db", store_url, "--progress", "always"]) == 0
    printed = capsys.readouterr()
    assert "imported 60000 incidents" in printed.out
    lines = printed.err.splitlines()
    assert any(line.startswith("validating: 100%") for line in lines)
    assert any(line.startswith("importing: 0% (0 of 60,000 rows)") for line in lines)
    assert any(line.startswith("importing: 100% (60,000 of 60,000 rows)") for line in lines)
    assert lines[-1].startswith("committing")


@pytest.mark.parametrize(
    "command",
    [
        ["import", SMALL],
        ["batches", "remove", "1", "--yes"],
        ["batches", "restore", "1"],
        ["batches", "purge", "1", "--yes"],
        ["batches", "reseed"],
    ],
)
def test_read_only_refuses_every_change_and_changes_nothing(
    store_url, command, capsys, monkeypatch
):
    store = open_store(store_url)
    before = (store.data_version(), store.count())
    monkeypatch.setenv("ATLAS_READ_ONLY", "1")
    assert main([*command, "--db", store_url]) == 1
    assert "read-only (ATLAS_READ_ONLY is set)" in capsys.readouterr().err
    assert (store.data_version(), store.count()) == before
    assert main(["batches", "list", "--db", store_url]) == 0, "reading is still allowed"
