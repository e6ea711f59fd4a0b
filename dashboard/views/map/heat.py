"""The heat layer, made from what the map already has (hexagon centres weighted by the log of
their counts, or the incidents drawn), so it costs no extra query and stays small. It lies
under the hexagons (drawn faint while it is on) and the incidents."""

from __future__ import annotations

import folium.plugins
import numpy as np
import pandas as pd

HEAT_FULL_ZOOM = 6  # zoom at which a heat point counts its full weight


def heat_layer(cells: pd.DataFrame | None, points: pd.DataFrame | None, scale: float = 1.0):
    if cells is not None and len(cells):
        lat, lon = cells["latitude"].to_numpy(), cells["longitude"].to_numpy()
        weight = np.log1p(cells["incidents"].to_numpy(dtype="float64"))
    elif points is not None and len(points):
        lat = pd.to_numeric(points["latitude"], errors="coerce").to_numpy(dtype="float64")
        lon = pd.to_numeric(points["longitude"], errors="coerce").to_numpy(dtype="float64")
        weight = np.ones(len(lat))
    else:
        return None
    data = np.column_stack([np.round(lat, 4), np.round(lon, 4), np.round(weight, 3)])
    data = data[~np.isnan(data).any(axis=1)]
    # Leaflet.heat scales weights by 2**-(max_zoom - zoom) and normalises by the densest screen
    # cell; with max_zoom at the regional view's zoom the densest places read red there.
    return folium.plugins.HeatMap(
        data.tolist(), name="Heat (incidents, log-weighted)", radius=20 * scale,
        blur=16 * scale, min_opacity=0.1, max_zoom=HEAT_FULL_ZOOM, show=True, pane="ia-heat",
    )  # fmt: skip
