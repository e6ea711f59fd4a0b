"""What the map draws for a selection and a view, asked of the query engine.

- Few incidents in the query box (at most `MAX_POINTS`): the incidents themselves, each with
  its popup.
- More: H3 hexagons at the resolution the view reads at (`mapview.plan`), made coarser while
  the box holds more than `mapview.MAX_CELLS` of them. Hexagons of one resolution never
  overlap, and only those in the box are sent, so a zoom step costs the same at any data size.

Pure over the engine (no Streamlit): the map panel caches it, the benchmark times it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.mapview import MAX_CELLS, MapQuery, MapView, plan

MAX_POINTS = 500  # incidents drawn one by one (each carries its popup: about 1 KB)
MODES = ("points", "cells", "empty")


@dataclass(frozen=True)
class MapContent:
    """What the map shows. `points` or `cells` is set according to `mode`."""

    mode: str
    query: MapQuery
    resolution: int | None  # of the cells drawn
    in_box: int  # located incidents in the query box
    located: int  # located incidents in the whole selection
    total: int  # incidents in the selection, located or not
    points: pd.DataFrame | None = None
    cells: pd.DataFrame | None = None
    site_counts: dict[str, int] = field(default_factory=dict)
    recent_since: date | None = None  # incidents from this day on are highlighted


def initial_view(engine: Engine, filters: Filters) -> MapView | None:
    """Where the map opens before the browser reports its view: the selection, fitted."""
    bounds = engine.map_bounds(filters)
    return None if bounds is None else MapView.fitting(bounds)


@dataclass(frozen=True)
class Selection:
    """What the map needs about the whole selection, whatever the view (asked once per
    selection, not on every zoom step)."""

    total: int
    located: int
    site_counts: dict[str, int]
    recent_since: date | None


def selection(engine: Engine, filters: Filters, *, highlight_days: int | None = None):
    total, located = engine.selection_counts(filters)
    return Selection(total=total, located=located, site_counts=engine.site_counts(filters),
                     recent_since=_recent_since(engine, filters, highlight_days))  # fmt: skip


def map_content(
    engine: Engine,
    filters: Filters,
    query: MapQuery,
    *,
    highlight_days: int | None = None,
    max_points: int = MAX_POINTS,
    max_cells: int = MAX_CELLS,
    about: Selection | None = None,
) -> MapContent:
    """Points or cells of `filters` inside `query.box`, plus per-site counts. `about`: the
    selection's numbers when already known (they do not change with the view)."""
    about = about or selection(engine, filters, highlight_days=highlight_days)
    candidates = tuple(range(query.resolution, query.safe_resolution, -1))
    in_box, cell_counts = engine.view_counts(filters, bbox=query.box, resolutions=candidates)
    common = {
        "query": query, "in_box": in_box, "located": about.located, "total": about.total,
        "site_counts": about.site_counts, "recent_since": about.recent_since,
    }  # fmt: skip
    if in_box == 0:
        return MapContent(mode="empty", resolution=None, **common)
    if in_box <= max_points:
        points = engine.points(filters, bbox=query.box, limit=max_points)
        return MapContent(mode="points", resolution=None, points=points, **common)
    resolution = next((r for r in candidates if cell_counts[r] <= max_cells),
                      query.safe_resolution)  # fmt: skip
    cells = engine.cells(filters, resolution=resolution, bbox=query.box,
                         recent_since=about.recent_since)  # fmt: skip
    return MapContent(mode="cells", resolution=resolution, cells=cells, **common)


def content_for_view(engine: Engine, filters: Filters, view: MapView | None, **options):
    """`map_content` for a view (the selection's fitted view when None); None when nothing in
    the selection has coordinates."""
    view = view or initial_view(engine, filters)
    if view is None:
        return None
    return map_content(engine, filters, plan(view), **options)


def _recent_since(engine: Engine, filters: Filters, days: int | None) -> date | None:
    if not days:
        return None
    span = engine.span(filters)
    return None if span is None else span[1] - timedelta(days=days - 1)
