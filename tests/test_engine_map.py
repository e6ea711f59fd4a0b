"""The engine's answers for the map and the dossiers: cells with casualties and recent counts,
the selection's bounds, incidents per site, sources, attack -> retaliation pairs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.schema import COLUMNS, coerce_dtypes
from dashboard.synthetic import synthetic_incidents


@pytest.fixture(scope="module")
def synthetic():
    frame = synthetic_incidents(4000, seed=5, days=300)
    return frame, Engine(frame, search_in_background=False)


def test_cells_carry_known_casualties_and_recent_counts(synthetic):
    frame, engine = synthetic
    since = date(2024, 6, 1)
    cells = engine.cells(Filters(), resolution=5, recent_since=since)
    known = frame["killed"].notna() | frame["wounded"].notna()
    total = (frame["killed"].fillna(0) + frame["wounded"].fillna(0))[known].sum()
    assert cells["casualties"].sum() == total
    assert cells["with_figures"].sum() == known.sum()
    assert cells["recent"].sum() == (frame["event_date"] >= pd.Timestamp(since)).sum()
    assert (cells["types"].map(lambda t: sum(n for _, n in t)) == cells["incidents"]).all()
    assert cells["incidents"].is_monotonic_decreasing
    assert engine.cells(Filters(), resolution=5)["recent"].sum() == 0


def test_cells_with_no_figure_say_unknown_not_zero():
    frame = synthetic_incidents(50, seed=2, days=10)
    frame[["killed", "wounded"]] = pd.NA
    cells = Engine(frame, search_in_background=False).cells(Filters(), resolution=3)
    assert cells["casualties"].isna().all() and (cells["with_figures"] == 0).all()


def test_empty_selection_gives_empty_cells(synthetic):
    _, engine = synthetic
    cells = engine.cells(Filters(start=date(2030, 1, 1)), resolution=4)
    assert cells.empty and "casualties" in cells.columns


def test_map_bounds_leave_out_stray_points(synthetic):
    frame, engine = synthetic
    stray = frame.copy()
    stray.loc[0, ["latitude", "longitude"]] = [-40.0, 170.0]  # one geocode far away
    south, west, north, east = Engine(stray, search_in_background=False).map_bounds(Filters())
    assert south > 20 and east < 70
    assert engine.map_bounds(Filters(start=date(2030, 1, 1))) is None
    few = Engine(frame.head(5), search_in_background=False).map_bounds(Filters())
    assert few == (frame.head(5)["latitude"].min(), frame.head(5)["longitude"].min(),
                   frame.head(5)["latitude"].max(), frame.head(5)["longitude"].max())  # fmt: skip


def test_site_counts_and_sources(synthetic):
    frame, engine = synthetic
    counts = engine.site_counts(Filters(country=("IQ",)))
    expected = frame[frame["country"] == "IQ"]["site_id"].value_counts()
    assert counts == {k: int(v) for k, v in expected.items()}
    sources = engine.sources(Filters())
    assert sources["incidents"].sum() == len(frame) and len(sources) == 1


def _engine(rows: list[dict]) -> Engine:
    frame = coerce_dtypes(pd.DataFrame(rows).reindex(columns=list(COLUMNS)))
    return Engine(frame, search_in_background=False)


def _incident(i, day, side_actor, target, site=None):
    return {"incident_id": f"t-{i}", "event_date": pd.Timestamp(day), "event_type": "attack",
            "actor1": side_actor, "actor2": target, "location": "x", "site_id": site,
            "country": "IQ", "latitude": 33.0, "longitude": 44.0, "source": "s",
            "dataset": "synthetic"}  # fmt: skip


def test_retaliation_pairs_each_attack_with_the_strikes_that_followed():
    militia, us = "Kataib Hezbollah", "United States Armed Forces"
    iran = "Islamic Revolutionary Guard Corps"
    rows = [
        _incident(1, "2024-01-01", militia, us, "ain-al-asad"),
        _incident(2, "2024-01-01", us, militia),  # same day: cannot be placed after
        _incident(3, "2024-01-03", us, militia),  # 2 days later: the first answer
        _incident(4, "2024-01-05", us, iran),  # on another side: only with any_target
        _incident(5, "2024-01-20", us, militia),  # too late for 7 days
        _incident(6, "2024-01-10", militia, us, "ain-al-asad"),  # answered by t-5 in 10 days
    ]
    engine = _engine(rows)
    attacks = Filters(site=("ain-al-asad",))
    pairs = engine.retaliation(attacks, days=7).set_index("attack_id")
    assert pairs.loc["t-1", "strikes"] == 1 and pairs.loc["t-1", "strike_id"] == "t-3"
    assert pairs.loc["t-1", "lag_days"] == 2
    assert pairs.loc["t-6", "strikes"] == 0 and pd.isna(pairs.loc["t-6", "strike_id"])
    wider = engine.retaliation(attacks, days=7, any_target=True).set_index("attack_id")
    assert wider.loc["t-1", "strikes"] == 2
    later = engine.retaliation(attacks, days=10).set_index("attack_id")
    assert later.loc["t-6", "strike_id"] == "t-5" and later.loc["t-6", "lag_days"] == 10
    with pytest.raises(ValueError):
        engine.retaliation(attacks, days=0)


def test_retaliation_needs_known_sides():
    rows = [
        _incident(1, "2024-01-01", "Somebody unlisted", "United States Armed Forces"),
        _incident(2, "2024-01-02", "United States Armed Forces", "Somebody unlisted"),
    ]
    pairs = _engine(rows).retaliation(Filters(), days=7)
    assert (pairs["strikes"] == 0).all()


def test_cells_in_a_box_do_not_depend_on_rows_outside_it():
    frame = synthetic_incidents(3000, seed=9, days=50)
    engine = Engine(frame, search_in_background=False)
    box = (33.0, 41.5, 34.5, 43.5)
    inside = frame["latitude"].between(33.0, 34.5) & frame["longitude"].between(41.5, 43.5)
    far = frame[~inside].copy()
    far["incident_id"] = far["incident_id"] + "-far"
    more = Engine(pd.concat([frame, far]), search_in_background=False)
    first = engine.cells(Filters(), resolution=6, bbox=box)
    second = more.cells(Filters(), resolution=6, bbox=box)
    assert first["incidents"].sum() == second["incidents"].sum() == inside.sum()
    assert np.array_equal(first["cell"].to_numpy(), second["cell"].to_numpy())
