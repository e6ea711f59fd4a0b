"""Make folium load every script and stylesheet from our own server instead of CDNs.

With no internet a stock folium map inside `st_folium` disappears without an error: the component
loads the map's JS links one after another and stops at the first that fails. So folium's
class-level asset lists are pointed at the files vendored under `dashboard/static/vendor/`
(see `scripts/vendor_assets.py`), which Streamlit serves at `/app/static/...` when
`[server] enableStaticServing = true`.

`use_offline_assets()` is idempotent and cheap; the map package calls it.
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins

from dashboard.paths import STATIC_DIR

STATIC_URL = "/app/static"
VENDOR_URL = f"{STATIC_URL}/vendor"
BASEMAP_URL = f"{STATIC_URL}/basemap/middle-east.geojson"
# Leaflet's default marker icons: its path detection fails inside st_folium (the stylesheet is
# added after the scripts), so the map's setup sets L.Icon.Default.imagePath to this explicitly.
ICON_IMAGE_PATH = f"{VENDOR_URL}/leaflet/images/"

# Same (name, url) keys folium uses, so anything that dedups by name keeps working. Leaflet only:
# folium's other defaults (jQuery, Bootstrap's script and stylesheet, Font Awesome and
# Leaflet.awesome-markers) serve folium.Icon markers, which the app does not draw (its symbols
# are divIcons styled by atlas/map.css); streamlit-folium loads each script one after another,
# and those four held the first map back by about 0.35 s on these machines.
MAP_JS = [("leaflet", f"{VENDOR_URL}/leaflet/leaflet.js")]
MAP_CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet/leaflet.css")]
MARKER_CLUSTER_JS = [
    ("markerclusterjs", f"{VENDOR_URL}/leaflet.markercluster/leaflet.markercluster.js"),
]
MARKER_CLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR_URL}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{VENDOR_URL}/leaflet.markercluster/MarkerCluster.Default.css"),
]
HEATMAP_JS = [("leaflet-heat.js", f"{VENDOR_URL}/leaflet.heat/leaflet-heat.min.js")]
FULLSCREEN_JS = [
    ("Control.Fullscreen.js", f"{VENDOR_URL}/leaflet.fullscreen/Control.FullScreen.js"),
]
FULLSCREEN_CSS = [
    ("Control.FullScreen.css", f"{VENDOR_URL}/leaflet.fullscreen/Control.FullScreen.css"),
]
DRAW_JS = [("leaflet_draw_js", f"{VENDOR_URL}/leaflet-draw/leaflet.draw.js")]
DRAW_CSS = [("leaflet_draw_css", f"{VENDOR_URL}/leaflet-draw/leaflet.draw.css")]
HTML_TO_IMAGE_JS = ("html-to-image", f"{VENDOR_URL}/html-to-image/html-to-image.js")
# Our own map code (not vendored): the layers, keyboard access, fitting and snapshots.
ATLAS_JS = ("atlas_map_js", f"{STATIC_URL}/atlas/map.js")
ATLAS_CSS = ("atlas_map_css", f"{STATIC_URL}/atlas/map.css")

# class -> {attribute: asset list}. FastMarkerCluster inherits MarkerCluster's lists.
_PATCHES: dict[type, dict[str, list[tuple[str, str]]]] = {
    folium.Map: {"default_js": MAP_JS, "default_css": MAP_CSS},
    folium.plugins.MarkerCluster: {
        "default_js": MARKER_CLUSTER_JS,
        "default_css": MARKER_CLUSTER_CSS,
    },
    folium.plugins.HeatMap: {"default_js": HEATMAP_JS},
    folium.plugins.Fullscreen: {"default_js": FULLSCREEN_JS, "default_css": FULLSCREEN_CSS},
    folium.plugins.Draw: {"default_js": DRAW_JS, "default_css": DRAW_CSS},
}
PATCHED_CLASSES: tuple[type, ...] = tuple(_PATCHES)


def use_offline_assets() -> None:
    """Point folium's Map, MarkerCluster/FastMarkerCluster, HeatMap and Fullscreen at
    /app/static/vendor/... . Idempotent: each call sets the same fresh copies of the lists."""
    for cls, attributes in _PATCHES.items():
        for attribute, links in attributes.items():
            setattr(cls, attribute, list(links))


def offline_links() -> list[str]:
    """Every URL the patched classes and the map's setup reference (what tests check exists
    on disk)."""
    patched = [url for attributes in _PATCHES.values() for links in attributes.values()
               for _, url in links]  # fmt: skip
    return [*patched, HTML_TO_IMAGE_JS[1], ATLAS_JS[1], ATLAS_CSS[1]]


def local_path(url: str) -> Path:
    """The file behind a /app/static/... URL (query string and fragment ignored)."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path.startswith(STATIC_URL + "/"):
        raise ValueError(f"not a static URL: {url}")
    return STATIC_DIR / path.removeprefix(STATIC_URL + "/")
