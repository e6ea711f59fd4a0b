"""The store: all-or-nothing imports as batches, seeding, and round trips through writers.

Every test here runs twice: on the embedded SQLite store and on a real PostgreSQL server.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.errors import BatchStateError, DuplicateIncidents, InvalidFile, UnknownBatch
from dashboard.formats import read_incidents
from dashboard.formats.writers import KML_NS, render
from dashboard.schema import COLUMNS
from dashboard.store import Store, open_store

SMALL = "tests/fixtures/native_small.csv"


def _generated_csv(path, rows: int, bad_row: int | None = None) -> None:
    """A native CSV of `rows` incidents; `bad_row` (spreadsheet numbering) gets a bad latitude."""
    lines = ["incident_id,event_date,event_type,location,country,latitude,longitude,killed,source"]
    for i in range(rows):
        latitude = "not-a-number" if bad_row == i + 2 else f"{33 + (i % 100) / 100:.2f}"
        lines.append(
            f"gen-{i},2023-11-{1 + i % 28:02d},attack,Place {i},IQ,{latitude},42.5,"
            f"{i % 3},Generated test row"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _snapshot(store: Store) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    stored = store.incidents().sort_values("incident_id").reset_index(drop=True)
    return stored, store.batches(), store.data_version()


def _assert_unchanged(before, after) -> None:
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])
    assert before[2] == after[2], "a failed import must not change the data version"


def test_import_is_one_batch_that_can_be_listed_and_removed(store):
    batch = store.import_file(SMALL)
    assert batch.rows == 4
    listed = store.batches()
    assert listed["batch_id"].tolist() == [batch.batch_id]
    assert listed["rows"].tolist() == [4]
    assert store.count() == 4
    assert store.remove_batch(batch.batch_id) == 4
    assert store.count() == 0
    assert store.batches().empty
    assert [b.batch_id for b in store.trash()] == [batch.batch_id]
    with pytest.raises(BatchStateError, match="already in the trash"):
        store.remove_batch(batch.batch_id)
    with pytest.raises(UnknownBatch):
        store.remove_batch(batch.batch_id + 1)


def test_failed_import_at_row_500_of_1000_leaves_store_unchanged(store, tmp_path):
    store.import_file(SMALL)
    before = _snapshot(store)
    bad = tmp_path / "thousand.csv"
    _generated_csv(bad, 1000, bad_row=500)
    with pytest.raises(InvalidFile) as error:
        store.import_file(bad)
    assert [p.describe() for p in error.value.problems] == [
        "row 500, column latitude: 'not-a-number' is not a number"
    ]
    _assert_unchanged(before, _snapshot(store))


def test_database_refusal_at_row_60000_rolls_back_the_whole_batch(store):
    """Row 60,000 of 100,000 collides with a stored id: the database refuses it in the second
    chunk, after the first chunk went in; nothing of the batch stays."""
    from dashboard.synthetic import synthetic_incidents

    store.import_file(SMALL)
    before = _snapshot(store)
    incidents = synthetic_incidents(100_000, seed=3)
    incidents.loc[incidents.index[59_999], "incident_id"] = "fx-2"
    with pytest.raises(DuplicateIncidents, match=r"1 incident id\(s\).*fx-2 \(batch 1\)"):
        store.import_incidents(incidents, name="hundred-thousand")
    _assert_unchanged(before, _snapshot(store))


def test_a_failure_in_the_middle_of_an_import_leaves_nothing(store):
    """Whatever stops an import half way (here the progress callback, after the first chunk),
    the rows already sent are rolled back with the batch."""
    from dashboard.synthetic import synthetic_incidents

    store.import_file(SMALL)
    before = _snapshot(store)
    seen = []

    def stop_after_first_chunk(stage, done, total):
        seen.append((stage, done, total))
        if stage == "importing" and done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.import_incidents(
            synthetic_incidents(120_000, seed=4), name="big", progress=stop_after_first_chunk
        )
    assert seen[-1][0] == "importing" and 0 < seen[-1][1] < 120_000
    _assert_unchanged(before, _snapshot(store))


def test_progress_reports_every_stage_and_ends_at_the_total(store):
    from dashboard.synthetic import synthetic_incidents

    seen = []
    store.import_incidents(
        synthetic_incidents(120_000, seed=5), name="big", progress=lambda *a: seen.append(a)
    )
    stages = [stage for stage, _, _ in seen]
    assert stages[0] == "checking the store" and stages[-1] == "committing"
    importing = [(done, total) for stage, done, total in seen if stage == "importing"]
    assert importing[0] == (0, 120_000) and importing[-1] == (120_000, 120_000)
    assert len(importing) >= 3, "progress is reported per chunk, not only at the end"
    assert [d for d, _ in importing] == sorted(d for d, _ in importing)
    assert store.count() == 120_000


def test_importing_the_same_ids_twice_is_refused_with_the_batch_named(store):
    first = store.import_file(SMALL)
    with pytest.raises(DuplicateIncidents, match=f"fx-1 \\(batch {first.batch_id}\\)"):
        store.import_file(SMALL)
    assert store.count() == 4


def test_store_seeds_itself_once_from_the_curated_file(store_url, tmp_path):
    url = store_url
    seed = tmp_path / "curated.csv"
    seed.write_text(
        "incident_id,event_date,location,source,dataset\n"
        "c1,2023-11-20,Ain Al Asad,The National,curated\n",
        encoding="utf-8",
    )
    store = Store(url, seed_csv=seed)
    store.ensure_seeded()
    store.ensure_seeded()
    assert store.count() == 1
    store.remove_batch(int(store.batches()["batch_id"].iloc[0]))
    Store(url, seed_csv=seed).ensure_seeded()
    assert store.count() == 0, "a removed curated batch must not come back by itself"
    store.purge_batch(store.curated_batch_id())
    Store(url, seed_csv=seed).ensure_seeded()
    assert store.count() == 0, "nor a purged one"


def test_round_trip_csv_store_csv_keeps_every_column(store, tmp_path):
    original = read_incidents(SMALL).sort_values("incident_id").reset_index(drop=True)
    store.import_incidents(original, name="small")
    stored = store.incidents().sort_values("incident_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        original[list(COLUMNS)], stored[list(COLUMNS)], check_dtype=True, check_exact=True
    )
    out = tmp_path / "out.csv"
    out.write_text(render(stored, "csv"), encoding="utf-8")
    again = read_incidents(out).sort_values("incident_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(original[list(COLUMNS)], again[list(COLUMNS)])


def test_round_trip_to_geojson_keeps_every_column(store):
    store.import_file(SMALL)
    document = json.loads(render(store.incidents(), "geojson"))
    assert document["type"] == "FeatureCollection"
    features = {f["properties"]["incident_id"]: f for f in document["features"]}
    assert set(features) == {"fx-1", "fx-2", "fx-3", "fx-4"}
    for feature in features.values():
        assert set(COLUMNS) <= set(feature["properties"])
    # RFC 7946: longitude first; no coordinates -> null geometry.
    assert features["fx-1"]["geometry"] == {"type": "Point", "coordinates": [42.4412, 33.7856]}
    assert features["fx-4"]["geometry"] is None
    props = features["fx-2"]["properties"]
    assert (props["event_date"], props["killed"], props["wounded"]) == ("2023-11-21", 8, 5)
    assert features["fx-1"]["properties"]["killed"] is None
    assert props["actor2"] == "Kataib Hezbollah"


def test_round_trip_to_kml_keeps_every_column(store):
    store.import_file(SMALL)
    root = ET.fromstring(render(store.incidents(), "kml"))
    ns = {"k": KML_NS}
    placemarks = root.findall(".//k:Placemark", ns)
    assert len(placemarks) == 4
    by_id = {p.get("id"): p for p in placemarks}
    data = {
        d.get("name"): d.find("k:value", ns).text or ""
        for d in by_id["fx-2"].findall(".//k:Data", ns)
    }
    assert set(COLUMNS) <= set(data)
    assert data["notes"] == 'Fixture: "operations centre" struck; <b>bold</b> & co'
    assert data["killed"] == "8"
    coordinates = by_id["fx-1"].find(".//k:coordinates", ns).text
    assert coordinates == "42.441200,33.785600"
    assert by_id["fx-4"].find(".//k:Point", ns) is None


def test_cli_import_list_export_and_remove(store_url, tmp_path, capsys):
    db = store_url
    assert main(["import", SMALL, "--db", db]) == 0
    assert "imported 4 incidents" in capsys.readouterr().out
    out = tmp_path / "iq.geojson"
    assert (
        main(["export", "--db", db, "--country", "IQ", "--type", "airstrike", "-o", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    exported = json.loads(out.read_text(encoding="utf-8"))
    ids = [f["properties"]["incident_id"] for f in exported["features"]]
    assert "fx-2" in ids and "fx-1" not in ids  # fx-1 is an attack, not an airstrike
    assert printed.startswith(f"wrote {len(ids)} incidents, ")
    assert {f["properties"]["event_type"] for f in exported["features"]} == {"airstrike"}
    assert {f["properties"]["country"] for f in exported["features"]} == {"IQ"}
    assert main(["batches", "list", "--db", db]) == 0
    assert "native_small.csv" in capsys.readouterr().out
    status = main(["import", SMALL, "--db", db])
    assert status == 1
    assert "already in the store" in capsys.readouterr().err


def test_a_file_with_a_header_and_no_rows_imports_nothing(store_url, tmp_path, capsys):
    empty = tmp_path / "header-only.csv"
    empty.write_text("incident_id,event_date,location\n", encoding="utf-8")
    store = open_store(store_url)
    before = (store.data_version(), len(store.batches()))
    assert main(["import", str(empty), "--db", store_url]) == 1
    assert "header-only.csv: no incidents" in capsys.readouterr().err  # refused by the reader
    assert (store.data_version(), len(store.batches())) == before
