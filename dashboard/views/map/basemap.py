"""The basemap: bundled Natural Earth borders fetched by the browser (offline, the default), or
a tile server when ATLAS_BASEMAP names one."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import folium
from markupsafe import escape

from dashboard.errors import BadSetting
from dashboard.views.map.elements import AtlasLayer
from dashboard.views.offline_assets import BASEMAP_URL

OFFLINE_ZOOM = (3, 13)  # borders only: no point zooming further
ONLINE_ZOOM = (2, 18)
KNOWN_TILES = {
    "openstreetmap.org": '&copy; <a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a> contributors",
    "cartocdn.com": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    ' contributors &copy; <a href="https://carto.com/attributions">CARTO</a>',
}


def check_basemap(basemap: str) -> bool:
    """True for the offline basemap; a usable tile URL template gives False; else BadSetting."""
    if basemap == "offline":
        return True
    template = str(basemap)
    if not template.startswith(("http://", "https://", "/")) or not all(
        part in template for part in ("{z}", "{x}", "{y}")
    ):
        raise BadSetting(
            f"ATLAS_BASEMAP={basemap!r} is not usable: set it to 'offline' (the bundled borders) "
            "or to a tile URL template with {z}, {x} and {y}, e.g. "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    return False


def zoom_range(offline: bool) -> tuple[int, int]:
    return OFFLINE_ZOOM if offline else ONLINE_ZOOM


def offline_borders(style: Mapping[str, str]) -> AtlasLayer:
    """Borders and country names drawn under everything (tile pane), never interactive."""
    border = {"color": style["border"], "weight": 0.8, "fillColor": style["land"],
              "fillOpacity": 1, "opacity": 1}  # fmt: skip
    return AtlasLayer("borders", BASEMAP_URL, border, kind="OfflineBasemap",
                      name="Borders (Natural Earth)")  # fmt: skip


def tile_layer(template: str) -> folium.TileLayer:
    low, high = ONLINE_ZOOM
    return folium.TileLayer(
        tiles=template, attr=tile_attribution(template), name="Basemap",
        min_zoom=low, max_zoom=high, control=False,
    )  # fmt: skip


def tile_attribution(template: str) -> str:
    host = urlsplit(template).hostname or "local tile server"
    for domain, attribution in KNOWN_TILES.items():
        if host == domain or host.endswith("." + domain):
            return attribution
    return f"Tiles: {escape(host)}"
