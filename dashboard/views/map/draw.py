"""Spatial filters on the map: the draw control (a rectangle becomes the `bbox` filter, a polygon
the `area` filter; see `clicks.drawn_filter`) and the dashed outline of whichever spatial
filters are set, `near` included (a circle of its radius)."""

from __future__ import annotations

import folium.plugins

from dashboard.views.map.elements import AtlasLayer
from dashboard.views.offline_assets import use_offline_assets

SHAPE_STYLE = {"color": "#5a2ca0", "weight": 2, "fillOpacity": 0.05}


def draw_control() -> folium.plugins.Draw:
    """Rectangle and polygon tools only; a drawn shape is applied as a filter and then drawn
    from the filter, so nothing is left to edit or delete."""
    use_offline_assets()
    return folium.plugins.Draw(
        export=False,
        position="topleft",
        show_geometry_on_click=False,
        draw_options={
            "polyline": False, "circle": False, "marker": False, "circlemarker": False,
            "rectangle": {"shapeOptions": SHAPE_STYLE},
            "polygon": {"allowIntersection": False, "showArea": False,
                        "shapeOptions": SHAPE_STYLE},
        },
        edit_options={"edit": False, "remove": False},
    )  # fmt: skip


def filter_shapes(filters) -> list[dict]:
    """The set spatial filters as shapes map.js draws: circles (metres) and polygons."""
    shapes = []
    if filters.near is not None:
        near = filters.near
        shapes.append({"kind": "circle", "center": [near.latitude, near.longitude],
                       "radius": near.km * 1000})  # fmt: skip
    if filters.bbox:
        south, west, north, east = filters.bbox
        shapes.append(
            {
                "kind": "polygon",
                "latlngs": [[south, west], [north, west], [north, east], [south, east]],
            }
        )
    if filters.area:
        shapes.append({"kind": "polygon", "latlngs": [list(corner) for corner in filters.area]})
    return shapes


def outline_layer(shapes: list[dict], *, color: str) -> AtlasLayer:
    return AtlasLayer("outline", shapes, {"color": color}, kind="FilterOutline")
