"""The map on a page: asks the engine for what is in view and draws it with build_map.

Up to MAX_POINTS located incidents are drawn one by one; above that, the engine aggregates them
into cells before anything reaches Python, so the page stays small at any data size.
"""

from __future__ import annotations

from streamlit_folium import st_folium

from dashboard import settings
from dashboard.engine import Engine
from dashboard.errors import AtlasError
from dashboard.filters import Filters
from dashboard.views.common import cached_sites, show_error
from dashboard.views.map import build_map, incident_id_from_click

MAX_POINTS = 1500


def show_map(
    engine: Engine,
    filters: Filters,
    *,
    key: str,
    color_by: str = "side",
    theme: str = "light",
    heat: bool = False,
    highlight_days: int | None = None,
    height: int = 560,
    returned_objects: list[str] | None = None,
    scale: float = 1.0,
) -> str | None:
    """Draw the map for `filters`; returns the id of an incident the user clicked, if any.

    scale: multiplies symbol, legend and label sizes (a wall display). Accepted here for the
    wall; the map package being rewritten applies it (branch `map`)."""
    located = engine.located_count(filters)
    frame = engine.points(filters, limit=MAX_POINTS if located <= MAX_POINTS else 200_000)
    try:
        incident_map = build_map(
            frame,
            color_by=color_by,
            theme=theme,
            basemap=settings.get("basemap"),
            sites=cached_sites(),
            heat=heat,
            highlight_days=highlight_days,
            max_markers=MAX_POINTS,
        )
    except AtlasError as error:
        show_error(error)
        return None
    clicked = st_folium(
        incident_map,
        height=height,
        use_container_width=True,
        key=key,
        returned_objects=returned_objects
        if returned_objects is not None
        else ["last_object_clicked_tooltip"],
    )
    return incident_id_from_click(clicked)
