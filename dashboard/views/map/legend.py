"""The legend: what the colours, sizes and rings mean, how many incidents are not on the map,
and (for snapshots) the one-line description of the selection. It is a control that comes and
goes with the feature group, so each answer brings its own scale.

The same facts travel as data (`LegendFacts`, kept on the feature group as `atlas_legend`) for
a page that draws the legend itself, outside the map: the wall, in its own type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dashboard.views.map.elements import AtlasLayer
from dashboard.views.map.palette import NO_FIGURE_COLOR, Category, SequentialScale
from dashboard.views.map.templates import render

TITLES = {
    ("points", "side"): "Colour: attacker's side",
    ("points", "event_type"): "Colour: event type",
    ("cells", "incidents"): "Incidents per hexagon",
    ("cells", "casualties"): "Known killed + wounded per hexagon",
}


@dataclass(frozen=True)
class LegendFacts:
    mode: str  # points, cells or empty
    color_by: str = "side"
    metric: str = "incidents"
    rows: Sequence[Category] = ()
    scale: SequentialScale | None = None
    no_figure: int = 0  # hexagons with no casualty figure (metric casualties)
    in_box: int = 0
    cells: int = 0
    km: str = ""
    max_points: int = 0
    located: int = 0
    total: int = 0
    since: date | None = None
    days: int | None = None
    sites: bool = False
    offline: bool = True
    ring: str = "#000000"  # colour of the ring around recent incidents

    @property
    def title(self) -> str:
        key = (self.mode, self.metric if self.mode == "cells" else self.color_by)
        return TITLES.get(key, "Incidents")

    @property
    def unlocated(self) -> int:
        return self.total - self.located


def legend_html(facts: LegendFacts, *, ring: str) -> str:
    return str(render(
        "legend.html", title=facts.title, mode=facts.mode, rows=facts.rows,
        bins=facts.scale.bins if facts.scale else (), no_figure=facts.no_figure,
        no_figure_color=NO_FIGURE_COLOR, in_box=facts.in_box, cells=facts.cells, km=facts.km,
        max_points=facts.max_points, located=facts.located, total=facts.total,
        unlocated=facts.unlocated,
        since=facts.since.isoformat() if facts.since else None, days=facts.days, ring=ring,
        sites=facts.sites, offline=facts.offline,
    ))  # fmt: skip


def legend_layer(html: str, *, description: str) -> AtlasLayer:
    layer = AtlasLayer("legend", html, {"description": description}, kind="Legend")
    layer.legend_html = html
    return layer
