"""Hexagons: the H3 cells the engine counted, filled on a sequential colour scale by number of
incidents or by known killed + wounded, each with a tooltip giving its count, casualties and
the mix of sides and event types. Cells of one resolution tile the plane: they never overlap.
"""

from __future__ import annotations

from collections.abc import Mapping

import h3
import pandas as pd

from dashboard.views.map.elements import AtlasLayer
from dashboard.views.map.palette import NO_FIGURE_COLOR, SequentialScale, sequential_scale
from dashboard.views.map.templates import is_missing, label, mix, render

METRICS = {"incidents": "Incidents per hexagon", "casualties": "Known killed + wounded per hexagon"}
CELL_OPACITY = 0.78
UNDER_HEAT_OPACITY = 0.25  # the heat layer shows through; hovering still gives the counts


def cell_km(resolution: int) -> float:
    """A hexagon's width across (twice its average edge), in km."""
    return 2 * h3.average_hexagon_edge_length(resolution, unit="km")


def km_text(km: float) -> str:
    return f"{km:,.0f}" if km >= 10 else f"{km:.1f}" if km >= 1 else f"{km:.2f}"


def cell_scale(cells: pd.DataFrame, metric: str, theme: str) -> SequentialScale:
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {tuple(METRICS)}, not {metric!r}")
    return sequential_scale(cells[metric] if len(cells) else pd.Series([], dtype=float), theme)


def _ring(cell: str) -> list[list[float]]:
    boundary = [[round(lon, 4), round(lat, 4)] for lat, lon in h3.cell_to_boundary(cell)]
    return [*boundary, boundary[0]]


def cell_features(
    cells: pd.DataFrame, *, metric: str, scale: SequentialScale, resolution: int,
    highlight_days: int | None = None,
) -> list[dict]:  # fmt: skip
    """One polygon feature per cell: c (fill colour), n (incidents), h (has recent incidents),
    t (tooltip HTML)."""
    km = km_text(cell_km(resolution))
    features = []
    for row in cells.itertuples(index=False):
        value = getattr(row, metric)
        color = NO_FIGURE_COLOR if is_missing(value) else scale.color(value)
        tooltip = render(
            "cell_tooltip.html", incidents=int(row.incidents), place=None,
            killed=row.killed, wounded=row.wounded, with_figures=int(row.with_figures),
            recent=int(row.recent) if highlight_days else 0, days=highlight_days,
            sides=mix(row.sides), types=mix(row.types, label), km=km,
        )  # fmt: skip
        props = {"c": color, "n": int(row.incidents), "h": int(bool(highlight_days) and
                 row.recent > 0), "t": str(tooltip)}  # fmt: skip
        features.append({
            "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [_ring(row.cell)]},
            "properties": props,
        })  # fmt: skip
    return features


def cells_layer(
    features: list[dict], *, style: Mapping[str, str], scale: float, heat: bool = False
) -> AtlasLayer:
    data = {"type": "FeatureCollection", "features": features}
    options = {"stroke": style["cell_stroke"], "ring": style["recent"], "scale": scale,
               "opacity": UNDER_HEAT_OPACITY if heat else CELL_OPACITY}  # fmt: skip
    layer = AtlasLayer("cells", data, options, kind="CellLayer",
                       name=f"Incidents in {len(features):,} hexagons")  # fmt: skip
    layer.features = features
    return layer
