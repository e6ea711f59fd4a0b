"""The map in two parts, both pure functions of their inputs (no Streamlit):

- `base_map`: what never changes while a page is open (basemap, setup, controls). Its script
  is the same on every rerun, so streamlit-folium keeps the same iframe and the user's view.
- `map_layers`: one feature group with everything that depends on the selection and the view
  (hexagons or incidents, sites, heat, legend, focus ring, filter outline, fit). Streamlit-folium
  swaps it in place (`feature_group_to_add`) on every answer.

`standalone_map` puts the two together as one folium.Map (tests, snapshots of a saved page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import folium
import folium.plugins

from dashboard.mapcontent import MAX_POINTS, MapContent
from dashboard.views.map.basemap import check_basemap, offline_borders, tile_layer, zoom_range
from dashboard.views.map.cells import (
    METRICS,
    cell_features,
    cell_km,
    cell_scale,
    cells_layer,
    km_text,
)
from dashboard.views.map.draw import draw_control, outline_layer
from dashboard.views.map.fit import fit_layer
from dashboard.views.map.heat import heat_layer
from dashboard.views.map.legend import LegendFacts, legend_html, legend_layer
from dashboard.views.map.palette import COLOR_BY
from dashboard.views.map.points import incident_features, points_layer
from dashboard.views.map.selection import focus_layer
from dashboard.views.map.sites import site_features, sites_frame, sites_layer
from dashboard.views.map.snapshot import snapshot_control
from dashboard.views.map.style import THEME_STYLE, MapSetup
from dashboard.views.offline_assets import use_offline_assets

DEFAULT_CENTER = (33.5, 42.0)  # Iraq / Syria
DEFAULT_ZOOM = 5
WALL_ZOOM_SNAP = 0.25


@dataclass(frozen=True)
class MapSummary:
    """What map_layers drew; kept on the feature group as `atlas_summary`."""

    mode: str  # points, cells or empty
    features: int  # circles or hexagons drawn
    in_box: int  # located incidents they stand for
    resolution: int | None
    heat: bool
    sites: int
    selected: bool


@dataclass(frozen=True)
class Display:
    """How to draw: colour of incidents, value of hexagons, theme, scale, heat, recent days.

    wall: a screen nobody touches: incidents whose symbols would overlap at the fitted view are
    merged into one (split by colour, labelled with their number), gazetteer sites are not
    drawn (the numbers are the labels), and the map is fitted to the whole selection on every
    answer and every resize. legend: False when the page draws it (from `atlas_legend`)."""

    color_by: str = "side"
    metric: str = "incidents"
    theme: str = "light"
    scale: float = 1.0
    heat: bool = False
    highlight_days: int | None = None
    offline: bool = True
    wall: bool = False
    legend: bool = True

    def __post_init__(self):
        if self.color_by not in COLOR_BY:
            raise ValueError(f"color_by must be one of {COLOR_BY}, not {self.color_by!r}")
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {tuple(METRICS)}, not {self.metric!r}")
        if self.theme not in THEME_STYLE:
            raise ValueError(f"theme must be one of {tuple(THEME_STYLE)}, not {self.theme!r}")
        if self.highlight_days is not None and self.highlight_days < 1:
            raise ValueError("highlight_days must be a positive number of days")


def base_map(
    *,
    theme: str = "light",
    basemap: str = "offline",
    scale: float = 1.0,
    location: Sequence[float] | None = None,
    zoom: int | None = None,
    fit_key: str | None = None,
    draw: bool = True,
    snapshot: bool = True,
    wall: bool = False,
) -> folium.Map:
    """The part of the map that stays while the page is open. `fit_key` marks the selection the
    view (`location`, `zoom`, from a link) already shows, so it is not fitted over.

    wall: no controls (zoom, full screen, scale bar; draw and snapshot are off too), only the
    attribution, and zoom in quarter steps so the fitted selection fills the screen."""
    offline = check_basemap(basemap)
    use_offline_assets()
    low, high = zoom_range(offline)
    options = {"minZoom": low, "maxZoom": high, **({"zoomSnap": WALL_ZOOM_SNAP} if wall else {})}
    fmap = folium.Map(
        location=list(location or DEFAULT_CENTER), zoom_start=zoom or DEFAULT_ZOOM, tiles=None,
        control_scale=not wall, zoom_control=not wall, **options,
    )  # fmt: skip
    fmap.add_child(MapSetup(theme=theme, offline=offline, scale=scale, fit_key=fit_key, wall=wall))
    if offline:
        fmap.add_child(offline_borders(THEME_STYLE[theme]))
    else:
        fmap.add_child(tile_layer(basemap))
    if wall:
        return fmap
    folium.plugins.Fullscreen(position="topleft").add_to(fmap)
    if draw:
        fmap.add_child(draw_control())
    if snapshot:
        fmap.add_child(snapshot_control())
    return fmap


def map_layers(
    content: MapContent | None,
    display: Display = Display(),
    *,
    sites: Any = None,
    description: str = "",
    fit: tuple[str, Any] | None = None,
    focus: tuple[Mapping[str, Any], bool] | None = None,
    shapes: Sequence[dict] = (),
    name: str = "Incidents",
) -> folium.FeatureGroup:
    """Everything that depends on the selection and the view, as one feature group.

    content: the engine's answer for the view (None: nothing located in the selection).
    sites: the gazetteer's sites (frame or table), drawn with content.site_counts.
    fit: (key, bounds) the map is fitted to once per key. focus: (incident row, pan).
    shapes: outlines of the spatial filters (draw.filter_shapes).
    The legend's facts are kept on the group as `atlas_legend` (for a page that draws it)."""
    style = THEME_STYLE[display.theme]
    group = folium.FeatureGroup(name=name, control=False)
    mode, drawn, facts = _data_layers(group, content, display, style)
    site_count = _sites(group, sites, content, display)
    if shapes:
        group.add_child(outline_layer(list(shapes), color=style["outline"]))
    ring = None
    if focus is not None:
        ring = focus_layer(focus[0], pan=focus[1], color=style["selected"], scale=display.scale)
        if ring is not None:
            group.add_child(ring)
    facts = replace(facts, sites=site_count > 0, ring=style["recent"])
    group.atlas_legend = facts
    if display.legend:
        group.add_child(legend_layer(legend_html(facts, ring=style["recent"]),
                                     description=description))  # fmt: skip
    if fit is not None:  # after the legend: the fit leaves room for it
        group.add_child(fit_layer(*fit, wall=display.wall))
    group.atlas_summary = MapSummary(
        mode=mode, features=drawn, in_box=content.in_box if content else 0,
        resolution=content.resolution if content else None,
        heat=any(isinstance(c, folium.plugins.HeatMap) for c in group._children.values()),
        sites=site_count, selected=ring is not None,
    )  # fmt: skip
    return group


def _sites(group, sites, content: MapContent | None, display: Display) -> int:
    """Adds the sites layer; returns how many sites it draws."""
    if sites is None or display.wall:
        return 0
    features = site_features(sites, content.site_counts if content else {})
    if features:
        group.add_child(sites_layer(features, scale=display.scale,
                                    total=len(sites_frame(sites))))  # fmt: skip
    return len(features)


def _data_layers(group, content: MapContent | None, display: Display, style) -> tuple:
    """Adds heat and the incidents or hexagons; returns (mode, features drawn, legend facts)."""
    base = {
        "color_by": display.color_by, "metric": display.metric, "offline": display.offline,
        "max_points": MAX_POINTS, "days": display.highlight_days,
    }  # fmt: skip
    if content is None or content.mode == "empty":
        located = content.located if content else 0
        total = content.total if content else 0
        return "empty", 0, LegendFacts(mode="empty", located=located, total=total, **base)
    counts = {"in_box": content.in_box, "located": content.located, "total": content.total}
    since = content.recent_since if display.highlight_days else None
    if display.heat:
        heat = heat_layer(content.cells, content.points, display.scale)
        if heat is not None:
            group.add_child(heat)  # before the incidents: its canvas lies under them
    if content.mode == "points":
        features, rows = incident_features(content.points, display.color_by, since)
        group.add_child(points_layer(features, style=style, scale=display.scale,
                                     merge=display.wall))  # fmt: skip
        return "points", len(features), LegendFacts(mode="points", rows=rows, since=since,
                                                    **counts, **base)  # fmt: skip
    scale = cell_scale(content.cells, display.metric, display.theme)
    features = cell_features(content.cells, metric=display.metric, scale=scale,
                             resolution=content.resolution, highlight_days=display.highlight_days
                             if since else None)  # fmt: skip
    group.add_child(cells_layer(features, style=style, scale=display.scale, heat=display.heat))
    no_figure = int(content.cells[display.metric].isna().sum())
    facts = LegendFacts(
        mode="cells", scale=scale, no_figure=no_figure, cells=len(features),
        km=km_text(cell_km(content.resolution)), since=since, **counts, **base,
    )  # fmt: skip
    return "cells", len(features), facts


def standalone_map(base: folium.Map, layers: folium.FeatureGroup) -> folium.Map:
    """The base map with the layers added: one page that works on its own (tests, saving)."""
    base.add_child(layers)
    return base


def build_map(
    incidents, *, color_by: str = "side", theme: str = "light", basemap: str = "offline"
) -> folium.Map:
    """A self-contained map of a few incidents (a frame in the canonical schema), each drawn
    one by one and fitted: for small sets outside the engine, e.g. an article's candidates."""
    from dashboard.mapview import MapQuery
    from dashboard.views.map.points import located

    placed = located(incidents)
    bounds = None
    if len(placed):
        bounds = (placed["_lat"].min(), placed["_lon"].min(), placed["_lat"].max(),
                  placed["_lon"].max())  # fmt: skip
    content = MapContent(
        mode="points" if len(placed) else "empty", query=MapQuery((-90, -180, 90, 180), 0, 0),
        resolution=None, in_box=len(placed), located=len(placed), total=len(incidents),
        points=placed.drop(columns=["_lat", "_lon"]),
    )  # fmt: skip
    display = Display(color_by=color_by, theme=theme, offline=basemap == "offline")
    layers = map_layers(content, display, fit=("incidents", bounds))
    return standalone_map(base_map(theme=theme, basemap=basemap, draw=False, snapshot=False),
                          layers)  # fmt: skip
