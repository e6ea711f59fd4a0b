"""The engine's sources: counts and lists from the store, in pages, points, popups and lookups."""

from __future__ import annotations

import pandas as pd

from dashboard.datasource import DataSource
from dashboard.filters import Filters
from dashboard.store import configured_store
from dashboard.views.map import build_map

TARGET = "atlas-20240128-tower-22-drone"


def _attach(store, publication: str, url: str | None) -> None:
    row = {"incident_id": TARGET, "publication": publication, "url": url,
           "published": "2024-01-29", "evidence": "Drone hit Tower 22."}  # fmt: skip
    store.import_incidents(pd.DataFrame(), name=f"article: {publication}",
                           attach=pd.DataFrame([row]))  # fmt: skip


def test_sources_reach_pages_points_popups_and_lookups():
    store = configured_store()
    _attach(store, "Outlet A", "https://example.org/a")
    _attach(store, "Outlet <B>", None)
    engine = DataSource.configured().engine(server=False)

    sources = engine.sources_of(TARGET)
    assert sources["publication"].tolist()[1:] == ["Outlet A", "Outlet <B>"]
    assert sources["published"].dt.strftime("%Y-%m-%d").tolist()[1:] == ["2024-01-29"] * 2
    page = engine.page(Filters(site=("tower-22",)))
    row = page[page["incident_id"] == TARGET].iloc[0]
    assert row["source_count"] == 3
    assert row["sources_text"].endswith(
        "Outlet A 2024-01-29 https://example.org/a · Outlet <B> 2024-01-29"
    )
    assert engine.incident(TARGET)["sources_text"] == row["sources_text"]
    points = engine.points(Filters(site=("tower-22",)))
    assert points.set_index("incident_id").at[TARGET, "source_count"] == 3
    # Every other curated incident has its one source.
    assert engine.count(Filters(min_sources=2)) == 1
    assert engine.count(Filters(min_sources=1)) == engine.count(Filters())

    script = build_map(points).get_root().render()
    assert "Sources (3)" in script
    assert "https://example.org/a" in script and "Outlet &lt;B&gt;" in script
    assert "Outlet <B>" not in script


def test_recorded_describes_incidents_in_the_order_asked():
    engine = DataSource.configured().engine(server=False)
    ids = [TARGET, "atlas-20231018-al-tanf-drones", "not-stored"]
    recorded = engine.recorded(ids)
    assert recorded["incident_id"].tolist() == ids[:2]
    assert recorded["source_count"].tolist() == [1, 1]
