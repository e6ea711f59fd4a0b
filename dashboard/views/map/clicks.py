"""Reading what streamlit-folium returns: the incident clicked (its tooltip starts "#<id> · "),
the map's view (bounds and zoom), and a shape drawn with the draw tool, as a registry filter."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from dashboard.filters import MAX_AREA_POINTS
from dashboard.mapview import MAX_ZOOM, MIN_ZOOM, MapView

_CLICK_ID = re.compile(r"^\s*#(.+?) \u00b7 ", re.DOTALL)


def incident_id_from_click(result: Mapping[str, Any] | None) -> str | None:
    """The incident id behind `st_folium`'s return value, or None.

    Reads `last_object_clicked_tooltip` (or `last_object_clicked_popup`), whose text starts
    "#<incident_id> · " for an incident; hexagons and sites do not start with "#".
    """
    if not result:
        return None
    for key in ("last_object_clicked_tooltip", "last_object_clicked_popup"):
        text = result.get(key)
        if isinstance(text, str):
            match = _CLICK_ID.match(text)
            if match:
                return match.group(1).strip() or None
    return None


def view_from_return(result: Mapping[str, Any] | None) -> MapView | None:
    """The view the browser reported (bounds and zoom), or None before it has reported one."""
    if not result:
        return None
    bounds, zoom = result.get("bounds"), result.get("zoom")
    try:
        south_west, north_east = bounds["_southWest"], bounds["_northEast"]
        south, west = float(south_west["lat"]), float(south_west["lng"])
        north, east = float(north_east["lat"]), float(north_east["lng"])
        zoom = int(zoom)
    except (TypeError, KeyError, ValueError):
        return None
    if not (south < north and west < east and MIN_ZOOM <= zoom <= MAX_ZOOM):
        return None
    return MapView(max(south, -90.0), max(west, -180.0), min(north, 90.0), min(east, 180.0), zoom)


def view_link(result: Mapping[str, Any] | None) -> str | None:
    """The link's `map` value ('lat,lon,zoom') for the centre and zoom the browser reported;
    the centre as Leaflet gives it (the middle of the bounds is not, in Web Mercator)."""
    view = view_from_return(result)
    if view is None:
        return None
    center = result.get("center") or {}
    try:
        lat, lon = float(center["lat"]), float(center["lng"])
    except (TypeError, KeyError, ValueError):
        lat, lon = view.center
    return f"{lat:.4f},{lon:.4f},{view.zoom}"


def _ring(feature: Mapping[str, Any]) -> list[tuple[float, float]] | None:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Polygon" or not geometry.get("coordinates"):
        return None
    ring = [(float(lat), float(lon)) for lon, lat in geometry["coordinates"][0]]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    return ring


def drawn_filter(feature: Mapping[str, Any] | None) -> tuple[str, Any] | None:
    """A drawn GeoJSON feature as a filter: ("bbox", (s, w, n, e)) for an axis-aligned
    rectangle, ("area", ((lat, lon), ...)) for any other polygon, None for anything else."""
    if not feature:
        return None
    ring = _ring(feature)
    if not ring or len(ring) < 3:
        return None
    lats, lons = {round(lat, 9) for lat, _ in ring}, {round(lon, 9) for _, lon in ring}
    if len(ring) == 4 and len(lats) == 2 and len(lons) == 2:
        return "bbox", (min(lats), min(lons), max(lats), max(lons))
    if len(ring) > MAX_AREA_POINTS:
        return None
    return "area", tuple((round(lat, 5), round(lon, 5)) for lat, lon in ring)


def drawing_signature(feature: Mapping[str, Any] | None) -> str:
    """A stable text for a drawing, so the same one is applied once."""
    return json.dumps((feature or {}).get("geometry"), sort_keys=True)
