"""The query engine answers what the views show: headline numbers with unknowns kept unknown,
timeline buckets for a day or three years, newest-first pages, map cells that add up, and
breakdowns; the data source rebuilds it when the data changes."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import h3
import numpy as np
import pandas as pd
import pytest

from dashboard.datasource import DataSource
from dashboard.engine import CELL_RESOLUTION, Engine, h3_cells, parent_mask
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.synthetic import synthetic_incidents


@pytest.fixture(scope="module")
def small():
    return Engine(read_incidents("tests/fixtures/native_small.csv"), search_in_background=False)


@pytest.fixture(scope="module")
def synthetic():
    frame = synthetic_incidents(3000, seed=7, days=900)
    return frame, Engine(frame, search_in_background=False)


def test_headline_keeps_unknown_figures_unknown(small):
    numbers = small.headline(Filters())
    assert numbers.incidents == 4
    assert (numbers.killed, numbers.killed_unknown) == (8, 2)  # fx-1 and fx-4 give no figure
    assert (numbers.wounded, numbers.wounded_unknown) == (5, 2)
    assert numbers.sites_hit == 4 and numbers.countries == 2
    only_unknown = small.headline(Filters(site=("ain-al-asad",)))
    assert only_unknown.killed is None and only_unknown.killed_unknown == 1


def test_headline_compares_with_the_previous_period_only_where_data_exists(small):
    assert small.headline(Filters()).previous_incidents is None  # nothing before the data
    # 16-24 Nov begins before the data (20 Nov): no comparison, rather than a false "0".
    assert small.headline(Filters(start=date(2023, 11, 25))).previous_incidents is None
    numbers = small.headline(Filters(start=date(2023, 11, 29), end=date(2023, 12, 3)))
    assert numbers.incidents == 1 and numbers.period_days == 5
    assert numbers.previous_incidents == 1  # 24-28 Nov: fx-3
    assert numbers.change == 0


@pytest.mark.parametrize(("days", "frequency"), [(1, "day"), (100, "day"), (400, "week"),
                                                 (1500, "month")])  # fmt: skip
def test_timeline_bucket_reads_for_one_day_and_for_years(days, frequency):
    frame = synthetic_incidents(500, seed=1, days=days)
    engine = Engine(frame, search_in_background=False)
    assert engine.frequency(Filters()) == frequency
    counts = engine.timeline(Filters(), by="side")
    assert counts["incidents"].sum() == 500
    assert counts["period"].is_monotonic_increasing
    known = frame["killed"].fillna(0) + frame["wounded"].fillna(0)
    assert counts["casualties"].sum() == known.sum()


def test_pages_are_newest_first_and_never_overlap(synthetic):
    frame, engine = synthetic
    pages = [engine.page(Filters(), offset=i * 700, limit=700) for i in range(5)]
    rows = pd.concat(pages, ignore_index=True)
    assert len(rows) == len(frame) and rows["incident_id"].is_unique
    ordered = rows.sort_values(["event_date", "incident_id"], ascending=False, ignore_index=True)
    assert rows["incident_id"].tolist() == ordered["incident_id"].tolist()


@pytest.mark.parametrize("resolution", [2, 4, 6, CELL_RESOLUTION])
def test_cells_add_up_to_the_located_incidents(synthetic, resolution):
    frame, engine = synthetic
    filters = Filters(country=("IQ",))
    cells = engine.cells(filters, resolution=resolution)
    selected = frame[frame["country"] == "IQ"]
    assert cells["incidents"].sum() == len(selected.dropna(subset=["latitude"]))
    assert cells["killed"].sum() == selected["killed"].sum()
    assert all(h3.get_resolution(c) == resolution for c in cells["cell"])
    assert engine.cell_count(filters, resolution=resolution) == len(cells)
    # Every incident is counted in the H3 ancestor of its finest cell.
    some = selected.head(50)
    for lat, lon in zip(some["latitude"], some["longitude"], strict=True):
        finest = h3.latlng_to_cell(lat, lon, CELL_RESOLUTION)
        assert h3.cell_to_parent(finest, resolution) in set(cells["cell"])
    mixes = cells["sides"].map(lambda pairs: sum(n for _, n in pairs))
    assert (mixes == cells["incidents"]).all()


def test_parent_mask_matches_h3():
    cell = h3.latlng_to_cell(33.7856, 42.4412, CELL_RESOLUTION)
    for resolution in range(CELL_RESOLUTION + 1):
        and_mask, or_bits = parent_mask(resolution)
        parent = (h3.str_to_int(cell) & and_mask) | or_bits
        assert h3.int_to_str(parent) == h3.cell_to_parent(cell, resolution)


def test_cells_only_in_the_view(synthetic):
    _, engine = synthetic
    box = (33.0, 41.5, 34.5, 43.5)  # around Ain al-Asad
    cells = engine.cells(Filters(), resolution=6, bbox=box)
    assert len(cells) > 0
    assert cells["latitude"].between(box[0], box[2]).all()
    assert cells["incidents"].sum() == engine.located_count(Filters(), bbox=box)


def test_breakdown_lumps_the_tail_into_one_row(synthetic):
    frame, engine = synthetic
    by_site = engine.breakdown(Filters(), "site", limit=5)
    assert len(by_site) == 5
    assert by_site["others"].tolist()[:4] == [0, 0, 0, 0] and by_site["others"].iloc[-1] > 1
    assert by_site["value"].iloc[-1] is None
    assert by_site["incidents"].sum() == len(frame)
    months = engine.breakdown(Filters(), "month")
    assert all(isinstance(v, date) and v.day == 1 for v in months["value"])
    assert months["value"].is_monotonic_increasing and months["incidents"].sum() == len(frame)


@pytest.mark.parametrize(
    ("by", "column"),
    [("attacker", "actor1"), ("target", "actor2"), ("site", "site_id"), ("weapon", "weapon")],
)
def test_breakdown_counts_and_known_casualties_per_value(synthetic, by, column):
    frame, engine = synthetic
    table = engine.breakdown(Filters(), by, limit=1000)
    expected = frame.groupby(frame[column].astype(object).fillna("(none)"), dropna=False)
    for row in table.itertuples():
        group = expected.get_group("(none)" if row.value is None else row.value)
        assert row.incidents == len(group)
        if group["killed"].notna().any():
            assert row.killed == group["killed"].sum()
        else:
            assert pd.isna(row.killed)
        figures = group["killed"].notna() | group["wounded"].notna()
        assert row.with_figures == figures.sum()
    assert table["incidents"].is_monotonic_decreasing


def test_breakdown_keeps_unknown_casualties_unknown(small):
    # fx-1 (the only incident at ain-al-asad) gives no figure: NaN, not 0.
    row = small.breakdown(Filters(), "site").set_index("value").loc["ain-al-asad"]
    assert row["incidents"] == 1 and row["with_figures"] == 0
    assert pd.isna(row["killed"]) and pd.isna(row["casualties"])


def test_breakdown_follows_the_filters_and_refuses_unknown_keys(small):
    by_weapon = small.breakdown(Filters(attacker=("Kataib Hezbollah",)), "weapon")
    assert by_weapon["incidents"].sum() == small.count(Filters(attacker=("Kataib Hezbollah",)))
    with pytest.raises(ValueError, match="cannot break down by 'colour'"):
        small.breakdown(Filters(), "colour")


def test_cells_are_h3s_for_repeated_distinct_and_missing_points():
    latitude = np.array([33.78, 33.78, np.nan, 36.19, 33.78, 0.0, -0.0, 36.19, 35.0])
    longitude = np.array([42.44, 42.44, 44.0, 44.01, 42.45, 0.0, 0.0, np.nan, 36.0])
    cells = h3_cells(latitude, longitude).to_pylist()
    for lat, lon, cell in zip(latitude, longitude, cells, strict=True):
        if np.isnan(lat) or np.isnan(lon):
            assert cell is None
        else:
            assert cell == h3.str_to_int(h3.latlng_to_cell(lat, lon, CELL_RESOLUTION))
    assert h3_cells(np.array([np.nan]), np.array([1.0])).to_pylist() == [None]
    assert h3_cells(np.array([]), np.array([])).to_pylist() == []


def test_data_source_rebuilds_when_the_file_changes(tmp_path):
    path = tmp_path / "incidents.csv"
    original = read_incidents("tests/fixtures/native_small.csv")
    original.head(2).to_csv(path, index=False)
    source = DataSource(str(path))
    first = source.version()
    assert source.engine(first, server=False).rows == 2
    assert len(list((tmp_path / "atlas-home" / "snapshots").glob("*.parquet"))) == 1
    original.to_csv(path, index=False)
    second = source.version()
    assert second != first
    assert source.engine(second, server=False).rows == 4
    # The older snapshot is gone; the newer one is read back as it was written.
    assert len(list((tmp_path / "atlas-home" / "snapshots").glob("*.parquet"))) == 1
    again = source.engine(second, server=False)
    assert again.frame(Filters())["incident_id"].tolist() == ["fx-1", "fx-2", "fx-3", "fx-4"]


def test_an_engine_from_its_snapshot_answers_as_the_one_built_from_the_file(tmp_path):
    # The curated incidents: sources, sides, sites, unknown figures and unplaced rows.
    source = DataSource(str(Path("data/incidents.csv").resolve()))
    version = source.version()
    built = source.engine(version, server=False)
    (snapshot,) = (tmp_path / "atlas-home" / "snapshots").glob("*.parquet")
    loaded = Engine.from_saved(snapshot, version=version, search_in_background=False)
    schema = "SELECT column_name, column_type FROM (DESCRIBE incidents)"
    assert loaded._db.execute(schema).fetchall() == built._db.execute(schema).fetchall()
    pd.testing.assert_frame_equal(loaded.frame(Filters()), built.frame(Filters()))
    iraq = Filters(country=("IQ",), text="base")
    pd.testing.assert_frame_equal(loaded.frame(iraq), built.frame(iraq))
    assert loaded.headline(Filters()) == built.headline(Filters())
    assert loaded.vocabulary == built.vocabulary


def test_a_damaged_snapshot_is_rebuilt_from_the_file(tmp_path):
    path = tmp_path / "incidents.csv"
    read_incidents("tests/fixtures/native_small.csv").to_csv(path, index=False)
    source = DataSource(str(path))
    version = source.version()
    source.engine(version, server=False)
    (snapshot,) = (tmp_path / "atlas-home" / "snapshots").glob("*.parquet")
    snapshot.write_bytes(b"PAR1 not a parquet file")
    assert source.engine(version, server=False).rows == 4
    assert Engine.from_saved(snapshot, search_in_background=False).rows == 4


def test_a_server_writes_its_snapshot_beside_its_first_answers(tmp_path):
    path = tmp_path / "incidents.csv"
    read_incidents("tests/fixtures/native_small.csv").to_csv(path, index=False)
    source = DataSource(str(path))
    engine = source.engine(source.version())  # a server's: the snapshot is written meanwhile
    assert engine.count(Filters()) == 4
    for work in engine._background:
        work.join(timeout=30)
    (snapshot,) = (tmp_path / "atlas-home" / "snapshots").glob("*")
    assert snapshot.suffix == ".parquet"  # renamed into place, no partial file left
    assert Engine.from_saved(snapshot, search_in_background=False).rows == 4
    engine.close()


def test_a_partial_snapshot_left_by_a_stopped_writer_is_removed(tmp_path):
    path = tmp_path / "incidents.csv"
    read_incidents("tests/fixtures/native_small.csv").to_csv(path, index=False)
    source = DataSource(str(path))
    folder = tmp_path / "atlas-home" / "snapshots"
    source.engine(source.version(), server=False)
    (snapshot,) = folder.glob("*.parquet")
    prefix = snapshot.name.split("-")[0]
    dead = folder / f"{prefix}-0123456789abcdef.{_exited_pid()}.1.partial"  # its writer is gone
    alive = folder / f"{prefix}-0123456789abcdef.{os.getpid()}.2.partial"  # still writing
    for partial in (dead, alive):
        partial.write_bytes(b"half a snapshot")
    path.write_text(path.read_text() + "\n")  # new data: a new snapshot
    source.engine(source.version(), server=False)
    assert not dead.exists() and alive.exists()
    assert len(list(folder.glob("*.parquet"))) == 1


def _exited_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_store_imports_change_the_version(tmp_path):
    source = DataSource("")
    before = source.version()
    engine = source.engine(before, server=False)
    from dashboard.store import configured_store

    frame = read_incidents("tests/fixtures/native_small.csv")
    configured_store().import_incidents(replace_ids(frame), name="more")
    after = source.version()
    assert after != before
    assert source.engine(after, server=False).rows == engine.rows + 4


def replace_ids(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(incident_id=frame["incident_id"] + "-copy")


def test_filters_are_cache_keys():
    a = Filters(country=("IQ",), start=date(2024, 1, 1))
    assert hash(a) == hash(replace(Filters(start=date(2024, 1, 1)), country=("IQ",)))
