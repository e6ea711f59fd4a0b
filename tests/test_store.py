"""The store: all-or-nothing imports as batches, seeding, and round trips through writers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.errors import DuplicateIncidents, InvalidFile, UnknownBatch
from dashboard.formats import read_incidents
from dashboard.formats.writers import KML_NS, render
from dashboard.schema import COLUMNS
from dashboard.store import Store

SMALL = "tests/fixtures/native_small.csv"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'test.db'}", seed_csv=None)


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


def _snapshot(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    return store.incidents(), store.batches()


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
    with pytest.raises(UnknownBatch):
        store.remove_batch(batch.batch_id)


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
    after = _snapshot(store)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_database_failure_mid_insert_rolls_back_the_whole_batch(store, tmp_path, monkeypatch):
    store.import_file(SMALL)
    before = _snapshot(store)
    good = tmp_path / "thousand.csv"
    _generated_csv(good, 1000)
    incidents = read_incidents(good)
    # Row 500 collides with a stored id only at insert time: the database itself refuses it.
    incidents.loc[incidents.index[499], "incident_id"] = "fx-2"
    monkeypatch.setattr(Store, "_existing_ids", staticmethod(lambda conn, ids: {}))
    with pytest.raises(Exception, match="UNIQUE constraint failed"):
        store.import_incidents(incidents, name="thousand.csv")
    after = _snapshot(store)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_importing_the_same_ids_twice_is_refused_with_the_batch_named(store):
    first = store.import_file(SMALL)
    with pytest.raises(DuplicateIncidents, match=f"fx-1 \\(batch {first.batch_id}\\)"):
        store.import_file(SMALL)
    assert store.count() == 4


def test_store_seeds_itself_once_from_the_curated_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'seeded.db'}"
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


def test_round_trip_csv_store_csv_keeps_every_column(store, tmp_path):
    original = read_incidents(SMALL)
    store.import_incidents(original, name="small")
    stored = store.incidents()
    pd.testing.assert_frame_equal(
        original[list(COLUMNS)].reset_index(drop=True), stored[list(COLUMNS)], check_dtype=True
    )
    out = tmp_path / "out.csv"
    out.write_text(render(stored, "csv"), encoding="utf-8")
    again = read_incidents(out)
    pd.testing.assert_frame_equal(
        original[list(COLUMNS)].reset_index(drop=True),
        again[list(COLUMNS)].reset_index(drop=True),
    )


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


def test_cli_import_list_export_and_remove(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
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
