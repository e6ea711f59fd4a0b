"""The main page as a first visitor without a link sees it, asked for before anyone arrives.

A server (`dashboard.serve`) calls `first_page` once its engine is built: every answer the
page's first run needs (headline, pickers' choices, map, timeline, breakdowns, table) is then
in the page's own caches (`views.common`), keyed exactly as the page keys them, and the first
visitor waits only for Streamlit to draw. Nothing here draws, and nothing here imports
streamlit-folium (a component registers only from a page's script run).
"""

from __future__ import annotations

from dashboard.engine import Engine
from dashboard.filters import REGISTRY, Filters
from dashboard.mapview import MapView, plan
from dashboard.views import breakdowns, common
from dashboard.views.filter_controls import picker_columns
from dashboard.views.incident_table import PAGE_ROWS

# The main page's defaults (views/overview.py and views/map_panel.py).
FIRST_COLOR_BY = "side"
FIRST_MAP_SCALE = 1.0


def first_page(engine: Engine) -> None:
    filters = Filters()
    version = engine.version
    for spec in REGISTRY:
        for column in picker_columns(spec):
            common.choices(engine, version, column)
    numbers = common.headline(engine, version, filters)
    bounds = common.map_bounds(engine, version, filters)
    if bounds is not None:
        query = plan(MapView.fitting(bounds), scale=FIRST_MAP_SCALE)
        common.map_content(engine, version, filters, query, None)
    common.cached_sites()
    span = (numbers.first_day, numbers.last_day)
    common.timeline(engine, version, filters, FIRST_COLOR_BY, span)
    for panel in breakdowns.PANELS:
        common.breakdown(engine, version, filters, panel.by, breakdowns.DESK_LIMIT)
    breakdowns.warm()
    common.table_page(engine, version, filters, 0, PAGE_ROWS)
