"""The command line and sources: `import` reports likely duplicates of stored incidents (and
attaches them as sources on request), `export` writes every source, and a CSV export imports
back with all of them."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.datasource import DataSource
from dashboard.store import open_store

ACLED = "tests/fixtures/acled_current.csv"
UCDP = "tests/fixtures/ucdp_ged.csv"
CURATED_MATCH = "atlas-20231120-ain-al-asad-missile"  # the fixture's row 2, as curated


def _sources(incident_id: str, db: str | None = None) -> pd.DataFrame:
    return DataSource(db or "").engine(server=False).sources_of(incident_id)


def test_import_reports_likely_duplicates_and_imports_them_by_default(capsys):
    before = open_store().count()
    assert main(["import", ACLED]) == 0
    out, _ = capsys.readouterr()
    reported = [line for line in out.splitlines() if "is likely stored incident" in line]
    assert reported == [
        f"{ACLED}: row 2: 2023-11-20 Ain al Asad Air Base is likely stored incident "
        f"{CURATED_MATCH} (2023-11-20 · attack · Ain Al Asad airbase · Iran-backed militias → "
        "United States Armed Forces · 1 source)"
    ]
    assert "imported 7 incidents from" in out
    assert "1 of them likely duplicate stored incidents" in out
    assert "--duplicates attach" in out
    assert open_store().count() == before + 7
    assert len(_sources(CURATED_MATCH)) == 1


def test_import_can_attach_likely_duplicates_as_sources(capsys):
    before = open_store().count()
    assert main(["import", ACLED, "--duplicates", "attach"]) == 0
    out, _ = capsys.readouterr()
    assert "imported 6 incidents, 1 source of stored incidents from" in out
    assert open_store().count() == before + 6
    sources = _sources(CURATED_MATCH)
    assert len(sources) == 2
    added = sources.iloc[1]
    assert added["publication"] == "Fixture Source A"
    assert added["evidence"].startswith("acled IRQFX0001: ")
    # Removing the batch takes the rows and the source away together.
    batch = open_store().batches().iloc[-1]
    assert main(["batches", "remove", str(batch["batch_id"]), "--yes"]) == 0
    assert len(_sources(CURATED_MATCH)) == 1 and open_store().count() == before


def test_rows_already_stored_under_other_ids_are_reported(tmp_path, capsys):
    """A UCDP export stored once, then the same events again in a CSV with ids of its own."""
    assert main(["import", UCDP]) == 0
    again = pd.read_csv(UCDP, dtype=str, keep_default_na=False)
    again["id"] = [str(900 + n) for n in range(len(again))]
    path = tmp_path / "ucdp_again.csv"
    again.to_csv(path, index=False)
    capsys.readouterr()
    assert main(["import", str(path), "--duplicates", "attach"]) == 0
    out, _ = capsys.readouterr()
    rows = [line.split(": ")[1] for line in out.splitlines() if "is likely stored" in line]
    assert rows == [f"row {n}" for n in range(2, 2 + len(again))]
    assert f"imported 0 incidents, {len(again)} sources of stored incidents" in out


def test_export_writes_every_source_and_reimports_them(tmp_path, capsys):
    assert main(["import", ACLED, "--duplicates", "attach"]) == 0
    exported = tmp_path / "out.csv"
    assert main(["export", "-o", str(exported), "--min-sources", "2"]) == 0
    out, _ = capsys.readouterr()
    assert "reported by at least 2 sources" in out
    table = pd.read_csv(exported)
    assert table["incident_id"].tolist() == [CURATED_MATCH]
    assert {"source_count", "sources"} <= set(table.columns)
    assert table["source_count"].tolist() == [2]
    assert '"publication":"Fixture Source A"' in table["sources"].iloc[0]

    other = f"sqlite:///{tmp_path / 'other.db'}"
    for action in ("remove", "purge"):  # a store without the curated set
        assert main(["batches", action, "1", "--yes", "--db", other]) == 0
    assert main(["import", str(exported), "--db", other]) == 0
    again = _sources(CURATED_MATCH, other)
    assert again["publication"].tolist() == _sources(CURATED_MATCH)["publication"].tolist()


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_geojson_and_kml_exports_carry_the_sources(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    assert main(["export", "-o", str(path), "--site", "tower-22"]) == 0
    text = path.read_text(encoding="utf-8")
    assert "source_count" in text and "publication" in text


def test_an_import_stores_no_export_columns_but_keeps_the_sources_dates(capsys):
    from dashboard.formats import read_incidents
    from dashboard.store.arrow import importable

    read = read_incidents(UCDP)
    kept = importable(read)
    assert any(c.startswith("ucdp_") for c in read.columns)
    assert [c for c in kept.columns if c.startswith("ucdp_")] == ["ucdp_source_date"]
    assert main(["import", UCDP]) == 0
    incident_id = read["incident_id"].iloc[1]
    (source,) = _sources(incident_id).itertuples()
    assert str(source.published)[:10] == "2023-11-23"  # the export's source_date
