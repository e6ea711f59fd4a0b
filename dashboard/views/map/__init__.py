"""The incident map as a package, one element per module the way folium splits its own:

basemap (borders or tiles), style (setup: assets, theme, scale, panes), points (incidents),
cells (hexagons), sites (gazetteer sites), heat, legend, selection (the chosen incident),
draw (spatial filters drawn and outlined), fit (fitting to a new selection), snapshot (PNG),
clicks (reading what the browser returns), palette (colours), templates (autoescaped HTML),
build (putting them together: `base_map` + `map_layers`).

No Streamlit here: `dashboard.views.map_panel` puts the map on a page.
"""

from dashboard.views.map.build import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    Display,
    MapSummary,
    base_map,
    build_map,
    map_layers,
    standalone_map,
)
from dashboard.views.map.clicks import (
    drawing_signature,
    drawn_filter,
    incident_id_from_click,
    view_from_return,
    view_link,
)
from dashboard.views.map.palette import (
    OTHER_COLOR,
    SIDE_COLORS,
    TYPE_COLORS,
    UNKNOWN_COLOR,
)

__all__ = [
    "DEFAULT_CENTER", "DEFAULT_ZOOM", "Display", "MapSummary", "OTHER_COLOR", "SIDE_COLORS",
    "TYPE_COLORS", "UNKNOWN_COLOR", "base_map", "build_map", "drawing_signature", "drawn_filter",
    "incident_id_from_click", "map_layers", "standalone_map", "view_from_return", "view_link",
]  # fmt: skip
