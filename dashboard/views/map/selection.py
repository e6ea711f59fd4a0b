"""The incident chosen elsewhere on the page (a table row) or on the map: a dashed ring with the
incident's popup. The map centres on it once per choice, unless the choice was a click on the
map itself (the user is looking at it already)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.views.map.elements import AtlasLayer
from dashboard.views.map.points import incident_popup, incident_tooltip
from dashboard.views.map.templates import is_missing


def focus_layer(
    incident: Mapping[str, Any], *, pan: bool, color: str, scale: float
) -> AtlasLayer | None:
    """None when the incident has no coordinates."""
    lat, lon = incident.get("latitude"), incident.get("longitude")
    if is_missing(lat) or is_missing(lon):
        return None
    key = str(incident.get("incident_id"))
    options = {"pan": pan, "color": color, "scale": scale, "popup": incident_popup(incident),
               "label": incident_tooltip(incident)}  # fmt: skip
    return AtlasLayer("focus", key, [round(float(lat), 5), round(float(lon), 5)], options,
                      kind="SelectionRing")  # fmt: skip
