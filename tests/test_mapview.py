"""The map's view: the hexagons read at every zoom, stay few, and the query box covers the view;
fitting a selection; the link's `map=` value."""

from __future__ import annotations

import math

import h3
import pytest

from dashboard.mapview import (
    MAX_CELLS,
    MIN_EDGE_PX,
    MapView,
    finest_resolution,
    km_per_pixel,
    parse_view_param,
    plan,
    query_box,
)

SIZES = [(390, 500), (1280, 560), (3840, 2000)]


@pytest.mark.parametrize("zoom", range(3, 14))
@pytest.mark.parametrize("size", SIZES)
def test_hexagons_are_legible_and_few_at_every_zoom(zoom, size):
    view = MapView.around(33.5, 42.0, zoom, size)
    query = plan(view)
    per_px = km_per_pixel(zoom, view.center[0])
    finest = h3.average_hexagon_edge_length(query.resolution, unit="km") / per_px
    assert finest >= MIN_EDGE_PX or query.resolution == 0
    if query.resolution < 9:  # the next finer level would be too small to read
        assert h3.average_hexagon_edge_length(query.resolution + 1, unit="km") / per_px < (
            MIN_EDGE_PX)  # fmt: skip
    south, west, north, east = query.box
    km2 = (north - south) * 111.32 * (east - west) * 111.32 * math.cos(math.radians(33.5))
    assert km2 / h3.average_hexagon_area(query.safe_resolution, unit="km^2") <= MAX_CELLS * 1.1
    assert query.safe_resolution <= query.resolution


def test_scale_makes_hexagons_larger():
    view = MapView.around(33.5, 42.0, 8, (1920, 1080))
    assert finest_resolution(view, scale=2.5) < finest_resolution(view, scale=1.0)


def test_the_query_box_covers_the_view_and_nearby_views_share_it():
    view = MapView.around(33.5, 42.0, 7, (1280, 560))
    south, west, north, east = query_box(view)
    assert south < view.south and west < view.west and north > view.north and east > view.east
    nudged = MapView(view.south + 0.01, view.west + 0.01, view.north + 0.01, view.east + 0.01, 7)
    assert query_box(nudged) == query_box(view)  # a small pan asks the same question
    world = query_box(MapView(-89, -200, 89, 200, 2))
    assert world == (-85.0, -180.0, 85.0, 180.0)


@pytest.mark.parametrize("size", SIZES)
def test_fitting_shows_the_bounds_at_the_closest_zoom(size):
    bounds = (32.46, 38.6, 36.9, 44.4)
    view = MapView.fitting(bounds, size)
    assert view.south <= bounds[0] and view.north >= bounds[2]
    assert view.west <= bounds[1] and view.east >= bounds[3]
    closer = MapView.around(*view.center, view.zoom + 1, size)
    assert not (closer.south <= bounds[0] and closer.north >= bounds[2]
                and closer.west <= bounds[1] and closer.east >= bounds[3])  # fmt: skip
    width, height = view.size_px
    assert abs(width - size[0]) < 1 and abs(height - size[1]) < 1


@pytest.mark.parametrize(("text", "expected"), [
    ("33.7856,42.4412,9", (33.7856, 42.4412, 9)), ("-10,170.5,3", (-10.0, 170.5, 3)),
    ("33.7,42.4", None), ("north,42,9", None), ("95,42,9", None), ("33,42,40", None),
    ("", None), (None, None),
])  # fmt: skip
def test_the_links_view(text, expected):
    assert parse_view_param(text) == expected
