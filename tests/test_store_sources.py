"""Sources in the store: every import records its incidents' sources, later batches attach
sources to stored incidents, and removing, restoring or purging a batch does the same to its
sources. A store made before sources existed opens and gets them.

Every test here runs twice: on the embedded SQLite store and on a real PostgreSQL server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.errors import BadInput, InvalidFile
from dashboard.formats import read_incidents
from dashboard.store import Store
from dashboard.store.store import CURATED_CSV

SMALL = "tests/fixtures/native_small.csv"


def _sources(store: Store) -> pd.DataFrame:
    return store.sources_table().to_pandas()


def _attach(incident_id: str, publication: str, **fields) -> pd.DataFrame:
    row = {"incident_id": incident_id, "publication": publication, "url": None,
           "published": None, "evidence": None, **fields}  # fmt: skip
    return pd.DataFrame([row])


def test_every_imported_incident_brings_its_own_source(store):
    incidents = read_incidents(SMALL)
    batch = store.import_incidents(incidents, name="small")
    found = _sources(store).sort_values("incident_id").reset_index(drop=True)
    named = incidents[incidents["source"].notna() | incidents["source_url"].notna()]
    assert sorted(found["incident_id"]) == sorted(named["incident_id"])
    by_id = named.set_index("incident_id")
    for row in found.itertuples():
        assert row.publication == by_id.at[row.incident_id, "source"]
        assert row.batch_id == batch.batch_id
    assert batch.attached == 0


def test_curated_rows_each_get_their_source(store_url):
    store = Store(store_url, seed_csv=CURATED_CSV)
    store.ensure_seeded()
    curated = read_incidents(CURATED_CSV, dataset="curated", curated=True)
    found = _sources(store)
    assert len(found) == len(curated)  # curated rows must name their source
    merged = found.merge(curated, on="incident_id")
    assert (merged["publication"] == merged["source"]).all()
    assert (merged["url"].fillna("") == merged["source_url"].fillna("")).all()
    store.close()


def test_an_attached_source_follows_its_batch_through_trash_restore_and_purge(store):
    first = store.import_file(SMALL)
    target = store.incidents()["incident_id"].iloc[0]
    before = len(store.sources_of(target))
    version = store.data_version()
    article = store.import_incidents(
        pd.DataFrame(), name="article: Wire",
        attach=_attach(target, "Wire", url="https://example.org/a", published="2023-11-02",
                       evidence="Rockets hit the base on Thursday."),
    )  # fmt: skip
    assert store.data_version() != version
    assert article.rows == 0 and article.attached == 1
    assert "1 source of stored incidents" in article.describe()
    listed = store.sources_of(target)
    assert len(listed) == before + 1
    newest = listed.iloc[-1]
    assert (newest["publication"], newest["url"]) == ("Wire", "https://example.org/a")
    assert str(newest["published"])[:10] == "2023-11-02"
    assert store.count() == 4  # no new incident

    store.remove_batch(article.batch_id)
    assert len(store.sources_of(target)) == before
    assert article.batch_id not in set(_sources(store)["batch_id"])
    store.restore_batch(article.batch_id)
    assert len(store.sources_of(target)) == before + 1
    store.remove_batch(article.batch_id)
    store.purge_batch(article.batch_id)
    with store.engine.connect() as conn:
        left = conn.execute(sa.text("SELECT count(*) FROM sources WHERE batch_id = :b"),
                            {"b": article.batch_id}).scalar()  # fmt: skip
    assert left == 0
    assert first.batch_id in set(_sources(store)["batch_id"])


def test_removing_the_incidents_batch_hides_sources_attached_to_them(store):
    first = store.import_file(SMALL)
    target = store.incidents()["incident_id"].iloc[0]
    store.import_incidents(pd.DataFrame(), name="article", attach=_attach(target, "Wire"))
    store.remove_batch(first.batch_id)
    assert store.sources_of(target).empty
    store.purge_batch(first.batch_id)
    # The attached source went with the incident it described: nothing points at nothing.
    assert target not in set(_sources(store)["incident_id"])


def test_attaching_to_an_incident_not_stored_or_in_the_trash_changes_nothing(store):
    first = store.import_file(SMALL)
    target = store.incidents()["incident_id"].iloc[0]
    version = store.data_version()
    with pytest.raises(BadInput, match="not in the store .or are in the trash.: nowhere-1"):
        store.import_incidents(pd.DataFrame(), name="x", attach=_attach("nowhere-1", "Wire"))
    store.remove_batch(first.batch_id)
    version = store.data_version()
    with pytest.raises(BadInput, match=target):
        store.import_incidents(pd.DataFrame(), name="x", attach=_attach(target, "Wire"))
    assert store.data_version() == version
    assert len(store.batches()) == 0


def test_one_batch_can_add_incidents_and_attach_sources(store):
    store.import_file(SMALL)
    target = store.incidents()["incident_id"].iloc[0]
    new = read_incidents(SMALL).iloc[:1].assign(incident_id="new-1", source="Daily")
    batch = store.import_incidents(
        new, name="article: Daily", attach=_attach(target, "Daily"), published=pd.Timestamp(
            "2023-11-03").date(),
    )  # fmt: skip
    assert (batch.rows, batch.attached) == (1, 1)
    mine = _sources(store).query("batch_id == @batch.batch_id").set_index("incident_id")
    assert set(mine.index) == {"new-1", target}
    assert str(mine.at["new-1", "published"]) == "2023-11-03"


def test_a_sources_column_imports_every_source_it_lists(store, tmp_path):
    frame = read_incidents(SMALL)
    listed = [{"publication": "AP", "url": "https://example.org/ap", "published": "2023-11-02"},
              {"publication": "AFP"}]  # fmt: skip
    cells = [json.dumps(listed)] + [pd.NA] * (len(frame) - 1)
    frame["sources"] = pd.Series(cells, index=frame.index, dtype="string")
    store.import_incidents(frame, name="with sources")
    found = _sources(store)
    first = found[found["incident_id"] == frame["incident_id"].iloc[0]]
    assert sorted(first["publication"]) == ["AFP", "AP"]
    assert len(found) == (len(frame) - 1) + 2


def test_an_unreadable_sources_cell_is_reported_with_its_row(tmp_path):
    text = Path(SMALL).read_text(encoding="utf-8").splitlines()
    text[0] += ",sources"
    text[1] += ',"[{""publication"": ""AP"""'
    text[2] += ',"[{""paper"": ""AP""}]"'
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as error:
        read_incidents(bad)
    lines = [p.describe() for p in error.value.problems]
    assert lines[0].startswith("row 2, column sources: not a JSON list of sources")
    assert lines[1].startswith("row 3, column sources: unknown source field(s) paper")


def test_a_store_made_before_sources_existed_opens_and_gets_them(store_url):
    old = Store(store_url, seed_csv=CURATED_CSV)
    old.ensure_seeded()
    extra = old.import_file(SMALL)
    old.remove_batch(extra.batch_id)
    # Back to the layout of schema 2: no sources table, no `attached` column.
    with old.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE sources"))
        conn.execute(sa.text("ALTER TABLE batches DROP COLUMN attached"))
        conn.execute(sa.text("UPDATE meta SET value = '2' WHERE key = 'schema'"))
    version = old.data_version()
    old.close()

    store = Store(store_url, seed_csv=CURATED_CSV)
    assert store.data_version() != version
    curated = read_incidents(CURATED_CSV, dataset="curated", curated=True)
    assert len(_sources(store)) == len(curated)  # the removed batch's stay in the trash
    store.restore_batch(extra.batch_id)
    assert len(_sources(store)) == len(curated) + 4
    assert [b.attached for b in [store.batch(extra.batch_id)]] == [0]
    target = curated["incident_id"].iloc[0]
    batch = store.import_incidents(pd.DataFrame(), name="a", attach=_attach(target, "Wire"))
    assert len(store.sources_of(target)) == 2 and batch.attached == 1
    store.close()
