"""The briefing wall view (`?view=briefing`): full screen, dark, legible across a room, refreshes
itself.

Nobody touches a wall screen, so everything comes from the URL: the filters, `days` (the last N
days highlighted, default 7), `refresh` (seconds between data reloads, default 300), `rotate`
(seconds each side panel shows, default 15) and `scale` (the map's symbol and text size; by
default worked out from the screen the browser reports, see `wall.map_scale`). The data part is
a fragment that reruns on a timer, so the page itself never reloads or flickers. Layout, style
and markup are in `wall`; the side panels are the latest incidents, then incidents by attacker,
target, site, weapon and month, in turn. The map is a wall's map (`map.Display.wall`): no
controls, the whole selection in sight, symbols that never overlap, and its legend above it in
the wall's type.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard.engine import Engine
from dashboard.errors import AtlasError
from dashboard.filters import Filters
from dashboard.views import common
from dashboard.views.breakdowns import PANELS, breakdown_rows, wall_panel_html
from dashboard.views.common import show_error
from dashboard.views.filter_controls import page_number, show_problems, url_filters
from dashboard.views.map.legend import LegendFacts
from dashboard.views.map.style import MAX_SCALE, MIN_SCALE
from dashboard.views.map_panel import show_map
from dashboard.views.playback import playback_from_url
from dashboard.views.screen import screen
from dashboard.views.wall import (
    MAP_SHARE,
    header_html,
    latest_html,
    map_legend_html,
    map_scale,
    panels_html,
    wall_css,
)

LATEST_COUNT = 3  # latest incidents in their panel: 3 lines each fit the panel's height
PANEL_ROWS = 5  # rows of a breakdown panel (the fifth lumps the rest)

REFRESH_SECONDS, _refresh = page_number("refresh", 300, 10, 86_400)
HIGHLIGHT_DAYS, _days = page_number("days", 7, 1, 365)
ROTATE_SECONDS, _rotate = page_number("rotate", 15, 5, 3600)
SCALE, _scale = page_number(
    "scale", 0, MIN_SCALE, MAX_SCALE, whole=False,
    default_words="a scale worked out from the screen",
)  # fmt: skip
SETTING_PROBLEMS = _refresh + _days + _rotate + _scale


def side_panels(engine: Engine, filters: Filters, recent_since: pd.Timestamp) -> list[str]:
    latest = engine.page(filters, limit=LATEST_COUNT)
    latest["event_date"] = pd.to_datetime(latest["event_date"])
    title = f"Latest incidents (red: last {HIGHLIGHT_DAYS:g} days)"
    panels = [f'<div class="wall-panel-title">{title}</div>{latest_html(latest, recent_since)}']
    for panel in PANELS:
        frame = common.breakdown(engine, engine.version, filters, panel.by, PANEL_ROWS)
        if panel.by == "month":
            frame = frame.tail(PANEL_ROWS)  # the latest months
        rows = breakdown_rows(frame, panel.by, engine.vocabulary)
        panels.append(wall_panel_html(rows, panel.by))
    return panels


def show_map_legend(facts: LegendFacts) -> None:
    """The map's legend above the map, in the wall's type (drawn by the map's own fragment,
    so a playback frame brings its own counts)."""
    st.markdown(map_legend_html(facts), unsafe_allow_html=True)


st.html(wall_css(1 + len(PANELS), ROTATE_SECONDS))
SCREEN = screen()
MAP_SCALE = SCALE or map_scale(SCREEN)


@st.fragment(run_every=REFRESH_SECONDS)
def wall() -> None:
    try:
        # The data version is asked on every refresh: an import shows at the next one.
        engine = common.current_engine()
    except AtlasError as error:
        show_error(error)
        return
    filters, problems = url_filters(engine)
    show_problems(SETTING_PROBLEMS + problems)
    numbers = common.headline(engine, engine.version, filters)
    newest = numbers.last_day
    recent_since = (
        pd.Timestamp(newest) - pd.Timedelta(days=HIGHLIGHT_DAYS - 1) if newest else pd.Timestamp.max
    )
    span = (numbers.first_day, newest) if newest else None
    description = filters.describe(count=numbers.incidents, span=span, vocab=engine.vocabulary)
    loaded = datetime.now(UTC).strftime("%H:%M UTC")
    header = header_html(
        description, numbers, loaded=loaded, refresh_seconds=REFRESH_SECONDS, scale=MAP_SCALE
    )
    st.markdown(header, unsafe_allow_html=True)
    playback, playback_problems = playback_from_url()
    show_problems(playback_problems)
    left, right = st.columns([11, 9])
    with left, st.container(key="wall-map"):
        # The iframe's height is set by CSS (--body-h); this is its height before the CSS.
        show_map(
            engine, filters, key="briefing_map", theme="dark", highlight_days=HIGHLIGHT_DAYS,
            height=int(SCREEN.height * MAP_SHARE), draw=False, link_view=False,
            description=description, playback=playback, loop=True, autoplay=True,
            scale=MAP_SCALE, wall=True, legend=show_map_legend,
        )  # fmt: skip
    with right:
        panels = side_panels(engine, filters, recent_since)
        st.markdown(panels_html(panels, ROTATE_SECONDS), unsafe_allow_html=True)


wall()
