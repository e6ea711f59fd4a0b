"""Every asset the map loads is vendored, exists, and is served from /app/static/.

A single missing file blanks the whole map inside st_folium without an error, so these checks are
strict: every <script src>/<link href> of a generated map, every link st_folium would collect,
every url(...) inside the vendored CSS.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
import pytest

from dashboard.mapcontent import MapContent
from dashboard.mapview import MapQuery
from dashboard.paths import STATIC_DIR
from dashboard.views.map import Display, base_map, map_layers, standalone_map
from dashboard.views.offline_assets import (
    BASEMAP_URL,
    ICON_IMAGE_PATH,
    PATCHED_CLASSES,
    STATIC_URL,
    local_path,
    offline_links,
    use_offline_assets,
)

VENDOR = STATIC_DIR / "vendor"
ASSET_TAGS = re.compile(r'<script[^>]*\bsrc="([^"]+)"|<link[^>]*\bhref="([^"]+)"', re.IGNORECASE)


def _asset_links(page: str) -> list[str]:
    return [a or b for a, b in ASSET_TAGS.findall(page)]


def _walk(element):
    """The elements st_folium collects default_js/default_css from (same walk as st_folium)."""
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _everything_map() -> folium.Map:
    incidents = pd.DataFrame(
        {"incident_id": ["a", "b"], "latitude": [33.3, 36.2], "longitude": [44.4, 43.9],
         "event_type": ["attack", "airstrike"], "dataset": "synthetic"}
    )  # fmt: skip
    sites = pd.DataFrame(
        {"site_id": ["s"], "name": ["Site"], "latitude": [33.8], "longitude": [42.4]}
    )
    content = MapContent(mode="points", query=MapQuery((30, 40, 37, 48), 5, 4), resolution=None,
                         in_box=2, located=2, total=2, points=incidents)  # fmt: skip
    layers = map_layers(content, Display(heat=True, highlight_days=3), sites=sites,
                        focus=(incidents.iloc[0].to_dict(), True))  # fmt: skip
    fmap = standalone_map(base_map(draw=True, snapshot=True), layers)
    # What the app might add on top: plugins whose asset lists use_offline_assets() patches.
    folium.plugins.MarkerCluster().add_to(fmap)
    folium.plugins.FastMarkerCluster([[33.0, 44.0]]).add_to(fmap)
    folium.Marker([33.0, 44.0], icon=folium.Icon(icon="bolt", prefix="fa")).add_to(fmap)
    return fmap


def test_use_offline_assets_is_idempotent():
    use_offline_assets()
    first = {cls: (list(cls.default_js), list(getattr(cls, "default_css", []))) for cls in
             PATCHED_CLASSES}  # fmt: skip
    use_offline_assets()
    use_offline_assets()
    again = {cls: (list(cls.default_js), list(getattr(cls, "default_css", []))) for cls in
             PATCHED_CLASSES}  # fmt: skip
    assert first == again
    for js, css in again.values():
        assert len({name for name, _ in js}) == len(js)
        assert len({name for name, _ in css}) == len(css)
    assert folium.plugins.FastMarkerCluster.default_js == folium.plugins.MarkerCluster.default_js


def test_every_patched_link_is_local_and_exists():
    use_offline_assets()
    for url in offline_links():
        # vendored packages, and our own map code under atlas/
        assert url.startswith((STATIC_URL + "/vendor/", STATIC_URL + "/atlas/")), url
        assert local_path(url).is_file(), f"{url} -> {local_path(url)} is missing"


def test_generated_map_links_only_existing_local_files():
    page = _everything_map().get_root().render()
    links = _asset_links(page)
    assert any(link.endswith("leaflet.js") for link in links)
    assert any(link.endswith("leaflet-heat.min.js") for link in links)
    assert any(link.endswith("leaflet.markercluster.js") for link in links)
    assert any(link.endswith("Control.FullScreen.js") for link in links)
    for link in links:
        assert link.startswith(STATIC_URL + "/"), f"not served locally: {link}"
        assert local_path(link).is_file(), f"{link} is linked but missing on disk"


def test_links_st_folium_collects_are_local_and_exist():
    fmap = _everything_map()
    fmap.get_root().render()
    links = [url for element in _walk(fmap)
             for _, url in [*element.default_js, *element.default_css]]  # fmt: skip
    assert links
    for link in links:
        assert link.startswith(STATIC_URL + "/"), link
        assert local_path(link).is_file(), link


def test_icon_path_and_basemap_urls_exist():
    assert local_path(ICON_IMAGE_PATH + "marker-icon.png").is_file()
    assert local_path(ICON_IMAGE_PATH + "marker-shadow.png").is_file()
    assert local_path(BASEMAP_URL).is_file()


def _css_urls(css: str) -> tuple[list[str], list[list[str]]]:
    """(url()s outside @font-face, [url()s of each @font-face src list])."""
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    outside = re.sub(r"@font-face\s*{[^}]*}", "", css)
    pattern = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
    return pattern.findall(outside), [pattern.findall(face) for face in faces]


@pytest.mark.parametrize("css_file", sorted(VENDOR.rglob("*.css")), ids=lambda p: p.name)
def test_css_url_references_resolve(css_file: Path):
    plain, faces = _css_urls(css_file.read_text(encoding="utf-8"))

    def resolve(url: str) -> Path | None:
        if url.startswith(("data:", "#")):
            return None
        assert not url.startswith(("http:", "https:", "//")), f"{css_file.name} loads {url}"
        return (css_file.parent / url.split("?")[0].split("#")[0]).resolve()

    for url in plain:
        path = resolve(url)
        assert path is None or path.is_file(), f"{css_file.name}: url({url}) missing"
    for sources in faces:
        # Browsers take the first format they support; all of ours read woff2, which is listed
        # first. Later fallbacks (ttf) are deliberately not vendored.
        first = resolve(sources[0])
        assert first is None or first.is_file(), f"{css_file.name}: @font-face {sources[0]}"
        assert sources[0].split("?")[0].endswith((".woff2", ".svg")) or first is None


def test_vendored_files_match_manifest():
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["files"]
    for target, info in manifest["files"].items():
        data = (VENDOR / target).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], f"vendor/{target} changed"
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert on_disk - {"MANIFEST.json"} == set(manifest["files"]), "unlisted vendored files"


def test_every_package_is_credited_with_a_licence_text():
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    licenses_md = (STATIC_DIR / "LICENSES.md").read_text(encoding="utf-8")
    for package in manifest["packages"]:
        row = f"| {package['name']} | {package['version']} |"
        assert row in licenses_md, f"{package['name']} not credited"
    for link in re.findall(r"\]\((licenses/[^)]+)\)", licenses_md):
        text = (STATIC_DIR / link).read_text(encoding="utf-8")
        assert len(text) > 100, f"{link} looks empty"


# --------------------------------------------------------------------------- offline basemap

BASEMAP = STATIC_DIR / "basemap" / "middle-east.geojson"
BBOX = STATIC_DIR / "basemap" / "country-bbox.json"
CORE = {"IQ", "SY", "JO", "LB", "IL", "PS", "TR", "IR", "SA", "KW", "QA", "BH", "AE", "OM", "YE",
        "EG", "CY"}  # fmt: skip


def _coordinates(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry[
        "coordinates"]  # fmt: skip
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def test_basemap_is_compact_geojson_of_the_region():
    assert BASEMAP.stat().st_size < 500_000
    data = json.loads(BASEMAP.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    iso = {f["properties"]["iso2"] for f in data["features"]}
    assert CORE.issubset(iso)
    assert 19 <= len(iso) <= 24
    for feature in data["features"]:
        assert feature["properties"]["name"]
        assert re.fullmatch(r"[A-Z]{2}", feature["properties"]["iso2"])
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        for lon, lat in _coordinates(feature["geometry"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert round(lon, 3) == lon and round(lat, 3) == lat


def test_country_boxes_match_basemap_and_catch_swapped_coordinates():
    boxes = json.loads(BBOX.read_text(encoding="utf-8"))
    data = json.loads(BASEMAP.read_text(encoding="utf-8"))
    assert set(boxes) == {f["properties"]["iso2"] for f in data["features"]}
    for iso2, (min_lat, min_lon, max_lat, max_lon) in boxes.items():
        assert min_lat < max_lat and min_lon < max_lon, iso2
    for feature in data["features"]:
        min_lat, min_lon, max_lat, max_lon = boxes[feature["properties"]["iso2"]]
        for lon, lat in _coordinates(feature["geometry"]):
            assert min_lat - 0.001 <= lat <= max_lat + 0.001
            assert min_lon - 0.001 <= lon <= max_lon + 0.001

    def inside(iso2: str, lat: float, lon: float) -> bool:
        min_lat, min_lon, max_lat, max_lon = boxes[iso2]
        return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon

    assert inside("IQ", 33.31, 44.37)  # Baghdad
    assert not inside("IQ", 44.37, 33.31)  # ... swapped
    assert inside("SY", 33.51, 36.29)  # Damascus
    assert inside("JO", 31.95, 35.93)  # Amman
    assert inside("CY", 35.19, 33.38)  # Nicosia (the island's box includes the north)
