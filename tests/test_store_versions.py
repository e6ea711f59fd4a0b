"""Data versions and the Arrow read: what the query engine relies on. On SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.errors import DuplicateIncidents
from dashboard.formats import read_incidents
from dashboard.schema import COLUMNS
from dashboard.store import Store
from dashboard.synthetic import synthetic_incidents

SMALL = "tests/fixtures/native_small.csv"


def awkward_incidents() -> pd.DataFrame:
    """Text a CSV round trip could break, and columns empty in the first rows only."""
    frame = synthetic_incidents(6, seed=21)
    frame["incident_id"] = [f"awkward-{i}" for i in range(6)]
    frame["notes"] = [
        'He said "no", then left',
        "two\nlines",
        "",
        "Ağrı — قاعدة عين الأسد",
        "comma, and ; semicolon",
        None,
    ]
    frame["source_url"] = [None, None, None, None, "https://example.org/a", "https://e.org/b"]
    frame["killed"] = pd.array([None, None, 0, 3, None, 12], dtype="Int64")
    frame["latitude"] = [33.785600000000002, None, 0.1 + 0.2, -1e-7, 36.0, 35.5]
    frame.loc[1, "longitude"] = None
    return frame


def test_incidents_table_is_typed_and_keeps_every_value(store):
    original = awkward_incidents()
    batch = store.import_incidents(original, name="awkward")
    table = store.incidents_table()
    assert table.schema.field("event_date").type == pa.date32()
    for column in ("time_precision", "geo_precision", "killed", "wounded", "batch_id"):
        assert table.schema.field(column).type == pa.int64()
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("notes").type == pa.string()
    assert set(table.column("batch_id").to_pylist()) == {batch.batch_id}
    stored = table.to_pandas().set_index("incident_id").loc[original["incident_id"]]
    assert stored["notes"].tolist()[:5] == original["notes"].tolist()[:5]
    assert pd.isna(stored["notes"].iloc[5]), "unknown stays unknown, not an empty string"
    assert stored["notes"].iloc[2] == "", "an empty string stays an empty string"
    assert stored["latitude"].tolist()[0] == 33.785600000000002
    assert stored["latitude"].tolist()[2] == 0.1 + 0.2
    assert stored["latitude"].tolist()[3] == -1e-7
    assert stored["killed"].tolist()[2:4] == [0, 3]
    assert stored["source_url"].tolist()[4] == "https://example.org/a"
    frame = store.incidents()
    assert frame["event_date"].dtype == "datetime64[ns]" and frame["killed"].dtype == "Int64"
    assert list(frame.columns[: len(COLUMNS)]) == list(COLUMNS)


def test_every_change_bumps_the_version_and_nothing_else_does(store, tmp_path):
    seen = [store.data_version()]

    def changed() -> bool:
        seen.append(store.data_version())
        return seen[-1] != seen[-2]

    batch = store.import_file(SMALL)
    assert changed()
    store.incidents_table(), store.incidents(), store.batches(), store.count()
    assert not changed(), "reading changes nothing"
    with pytest.raises(DuplicateIncidents):
        store.import_file(SMALL)
    assert not changed(), "a failed import changes nothing"
    store.remove_batch(batch.batch_id)
    assert changed()
    store.restore_batch(batch.batch_id)
    assert changed()
    store.remove_batch(batch.batch_id)
    assert changed()
    store.purge_batch(batch.batch_id)
    assert changed()
    assert len(set(seen)) == 6


def test_the_table_carries_the_version_it_was_read_at(store):
    store.import_file(SMALL)
    table = store.incidents_table()
    assert table.schema.metadata[b"atlas_data_version"].decode() == store.data_version()


def test_removed_batches_are_hidden_until_restored(store):
    kept = store.import_file(SMALL)
    other = store.import_incidents(synthetic_incidents(50, seed=22), name="other")
    store.remove_batch(other.batch_id)
    table = store.incidents_table()
    assert set(table.column("batch_id").to_pylist()) == {kept.batch_id}
    assert table.num_rows == 4 == store.count()
    store.restore_batch(other.batch_id)
    assert store.incidents_table().num_rows == 54 == store.count()


def test_two_stores_never_share_a_version(store_url, tmp_path):
    first = Store(store_url, seed_csv=None)
    second = Store(f"sqlite:///{tmp_path / 'second.db'}", seed_csv=None)
    assert first.data_version() != second.data_version()
    first.close(), second.close()


def test_an_empty_store_reads_as_an_empty_typed_table(store):
    table = store.incidents_table()
    assert table.num_rows == 0
    assert table.schema.field("event_date").type == pa.date32()


def test_a_large_sqlite_read_through_the_helper_process_equals_the_plain_read(
    tmp_path, monkeypatch
):
    from dashboard.store import sqlite as sqlite_backend

    store = Store(f"sqlite:///{tmp_path / 'big.db'}", seed_csv=None)
    store.import_incidents(synthetic_incidents(3_000, seed=23), name="first, with empty columns")
    store.import_incidents(awkward_incidents(), name="later, with values")
    removed = store.import_incidents(synthetic_incidents(100, seed=24), name="removed")
    store.remove_batch(removed.batch_id)
    helped = []
    real_helper = sqlite_backend.read_in_helper

    def spy(*args):
        helped.append(real_helper(*args))
        return helped[-1]

    monkeypatch.setattr(sqlite_backend, "HELPER_MIN_ROWS", 0)
    monkeypatch.setattr(sqlite_backend, "read_in_helper", spy)
    through_helper = store.incidents_table()
    assert helped and helped[0] is not None, "the helper process answered"
    with store.engine.connect() as conn:
        in_process = store.backend._read_here(conn, [removed.batch_id])
    assert through_helper.num_rows == 3_006
    assert through_helper.replace_schema_metadata(None).equals(in_process)
    assert through_helper.schema.metadata[b"atlas_data_version"].decode() == store.data_version()
    store.close()


def test_when_the_helper_process_cannot_run_the_read_still_works(tmp_path, monkeypatch):
    from dashboard.store import sqlite as sqlite_backend
    from dashboard.store import sqlite_reader

    store = Store(f"sqlite:///{tmp_path / 'big.db'}", seed_csv=None)
    store.import_incidents(read_incidents(SMALL), name="small")
    monkeypatch.setattr(sqlite_backend, "HELPER_MIN_ROWS", 0)
    monkeypatch.setattr(sqlite_reader.sys, "executable", str(tmp_path / "no-such-python"))
    assert store.incidents_table().num_rows == 4
    store.close()


def test_a_store_made_before_the_trash_existed_opens_and_gains_it(store_url):
    """Stores written by earlier versions (no removed_at, no data version) keep working."""
    import datetime as dt

    import sqlalchemy as sa

    from dashboard.store.tables import STORED_COLUMNS

    old = sa.MetaData()
    sa.Table(
        "batches",
        old,
        sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("format", sa.Text),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
    )
    incidents = sa.Table(
        "incidents",
        old,
        *[sa.Column(c, sa.Text, primary_key=c == "incident_id") for c in STORED_COLUMNS],
        sa.Column("batch_id", sa.Integer, nullable=False, index=True),
    )
    sa.Table("meta", old, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text))
    engine = sa.create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(
            sa.text("INSERT INTO batches (name, imported_at, rows) VALUES ('old.csv', :at, 1)"),
            {"at": dt.datetime(2024, 1, 2)},
        )
        conn.execute(
            incidents.insert().values(
                incident_id="old-1", event_date="2024-01-01", location="Erbil", batch_id=1
            )
        )
        conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('seeded', '1')"))
    engine.dispose()

    store = Store(store_url)
    store.ensure_seeded()  # already seeded by the old version: nothing imported
    assert store.count() == 1
    assert store.incidents()["location"].tolist() == ["Erbil"]
    version = store.data_version()
    store.remove_batch(1)
    assert store.count() == 0 and store.data_version() != version
    store.restore_batch(1)
    assert store.count() == 1
    store.close()
