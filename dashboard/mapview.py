"""The map's view (what part of the world is on screen) and what to ask the engine for it.

A view is the map's bounds and zoom as the browser reports them. From it come:
- the link's `map=lat,lon,zoom` value (so a shared link opens on the same view);
- the H3 resolution whose hexagons read at that zoom: at least `MIN_EDGE_PX` pixels a side
  (times the display scale), and never more than `MAX_CELLS` of them in the query box;
- the query box: the view padded on each side (small pans need no new answer) and snapped to a
  grid, so nearby views ask the same question and share cached answers.

Pure functions, no Streamlit: the views, the benchmark and the tests use the same rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3

from dashboard.engine import CELL_RESOLUTION

TILE_PX = 256
EARTH_CIRCUMFERENCE_KM = 40075.016686
MIN_ZOOM, MAX_ZOOM = 2, 18
MAX_LATITUDE = 85.0  # Web Mercator stops short of the poles
MIN_EDGE_PX = 10.0  # a hexagon side at least this long on screen (about 20 px across)
MAX_CELLS = 2500  # hexagons in the query box at most (bounds bytes sent per zoom step)
PAD = 0.2  # share of the view's width/height added on each side of the query box
SNAP_PARTS = 8  # the query box snaps to 1/8 of the view's larger side
ASSUMED_SIZE_PX = (1000, 560)  # the map's size before the browser has reported one


@dataclass(frozen=True)
class MapView:
    """What the map shows: south, west, north, east in degrees and Leaflet's zoom."""

    south: float
    west: float
    north: float
    east: float
    zoom: int

    @property
    def center(self) -> tuple[float, float]:
        return (self.south + self.north) / 2, (self.west + self.east) / 2

    @property
    def size_px(self) -> tuple[float, float]:
        """Width and height on screen in pixels (Web Mercator at this zoom)."""
        world = TILE_PX * 2**self.zoom
        width = (self.east - self.west) / 360 * world
        height = abs(_mercator_y(self.north) - _mercator_y(self.south)) * world
        return width, height

    @classmethod
    def around(cls, lat: float, lon: float, zoom: int, size_px=ASSUMED_SIZE_PX) -> MapView:
        """The view of a map of `size_px` centred on (lat, lon) at `zoom`."""
        world = TILE_PX * 2**zoom
        half_w = size_px[0] / 2 / world * 360
        y = _mercator_y(lat)
        half_h = size_px[1] / 2 / world
        return cls(
            south=_latitude(y - half_h), west=lon - half_w,
            north=_latitude(y + half_h), east=lon + half_w, zoom=zoom,
        )  # fmt: skip

    @classmethod
    def fitting(cls, bounds, size_px=ASSUMED_SIZE_PX, max_zoom: int = 10) -> MapView:
        """The view a map of `size_px` shows after fitting `bounds` (south, west, north, east)."""
        south, west, north, east = bounds
        lat, lon = (south + north) / 2, (west + east) / 2
        zoom = max_zoom
        while zoom > MIN_ZOOM:
            view = cls.around(lat, lon, zoom, size_px)
            if (
                view.south <= south
                and view.north >= north
                and view.west <= west
                and (view.east >= east)
            ):
                break
            zoom -= 1
        return cls.around(lat, lon, zoom, size_px)


def _mercator_y(lat: float) -> float:
    """Latitude -> Web Mercator y as a share of the world's height (0 at the equator)."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def _latitude(y: float) -> float:
    lat = math.degrees(2 * math.atan(math.exp(y * 2 * math.pi)) - math.pi / 2)
    return max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))


# ----------------------------------------------------------------------------- the link


def parse_view_param(text: str | None) -> tuple[float, float, int] | None:
    """(lat, lon, zoom) from 'lat,lon,zoom', or None when the text is not one."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 3:
        return None
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(float(parts[2]))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and MIN_ZOOM <= zoom <= MAX_ZOOM):
        return None
    return lat, lon, zoom


# ----------------------------------------------------------------------------- the question


@dataclass(frozen=True)
class MapQuery:
    """What to ask the engine for a view: the (padded, snapped) box, the finest H3 resolution
    that reads at the zoom, and the finest that surely keeps to MAX_CELLS even if every
    hexagon in the box held an incident (the engine's count picks between the two)."""

    box: tuple[float, float, float, float]
    resolution: int
    safe_resolution: int


def km_per_pixel(zoom: int, lat: float) -> float:
    return EARTH_CIRCUMFERENCE_KM * math.cos(math.radians(lat)) / (TILE_PX * 2**zoom)


def query_box(view: MapView) -> tuple[float, float, float, float]:
    """The view padded by PAD on each side, snapped outward to a grid of 1/SNAP_PARTS of its
    larger side (a power of two in degrees), clipped to the Mercator world."""
    height, width = view.north - view.south, view.east - view.west
    span = max(height, width, 1e-6)
    step = 2.0 ** math.floor(math.log2(span / SNAP_PARTS))
    south = math.floor((view.south - PAD * height) / step) * step
    west = math.floor((view.west - PAD * width) / step) * step
    north = math.ceil((view.north + PAD * height) / step) * step
    east = math.ceil((view.east + PAD * width) / step) * step
    return (
        max(south, -MAX_LATITUDE), max(west, -180.0),
        min(north, MAX_LATITUDE), min(east, 180.0),
    )  # fmt: skip


def finest_resolution(view: MapView, *, scale: float = 1.0) -> int:
    """The finest H3 resolution whose hexagons are at least MIN_EDGE_PX * scale pixels a side
    at the view's zoom (0 when even the coarsest are smaller)."""
    lat = max(-80.0, min(80.0, view.center[0]))
    per_px = km_per_pixel(view.zoom, lat)
    resolution = 0
    for candidate in range(CELL_RESOLUTION + 1):
        if h3.average_hexagon_edge_length(candidate, unit="km") / per_px >= MIN_EDGE_PX * scale:
            resolution = candidate
    return resolution


def full_box_resolution(box, resolution: int, *, max_cells: int = MAX_CELLS) -> int:
    """`resolution`, coarsened until at most `max_cells` hexagons could fill `box`."""
    box_km2 = _box_km2(box)
    while resolution > 0 and box_km2 / h3.average_hexagon_area(resolution, unit="km^2") > max_cells:
        resolution -= 1
    return resolution


def _box_km2(box) -> float:
    south, west, north, east = box
    km_per_degree = EARTH_CIRCUMFERENCE_KM / 360
    mid = math.radians((south + north) / 2)
    return (north - south) * km_per_degree * (east - west) * km_per_degree * math.cos(mid)


def plan(view: MapView, *, scale: float = 1.0) -> MapQuery:
    box = query_box(view)
    finest = finest_resolution(view, scale=scale)
    return MapQuery(box=box, resolution=finest, safe_resolution=full_box_resolution(box, finest))
