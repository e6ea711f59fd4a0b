"""The map on a page: asks the engine what is in view and swaps it into a map that stays.

The map itself (`map.base_map`) is built the same on every rerun, so streamlit-folium keeps
its iframe and the user's view. What depends on the selection and the view travels as one
feature group (`map.map_layers`, `feature_group_to_add`): zooming or panning reruns only this
fragment, which asks the engine for the hexagons (or, few enough, the incidents) in the new
view; colour and heat options, filters and playback frames swap the group the same way.

The view is part of the link (`map=lat,lon,zoom`). A click on an incident selects it for the
rest of the page; an incident selected elsewhere (`focus_id`, e.g. a table row) is ringed and
centred; a rectangle or polygon drawn on the map becomes the `bbox` / `area` filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from dashboard import settings
from dashboard.engine import Engine
from dashboard.errors import AtlasError
from dashboard.filters import Filters
from dashboard.mapview import MapView, parse_view_param, plan
from dashboard.playback import Playback
from dashboard.views import common
from dashboard.views.common import cached_sites, show_error
from dashboard.views.filter_controls import set_map_filter
from dashboard.views.map import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    Display,
    base_map,
    drawing_signature,
    drawn_filter,
    incident_id_from_click,
    map_layers,
    view_from_return,
    view_link,
)
from dashboard.views.map.draw import filter_shapes
from dashboard.views.map.fit import fit_key
from dashboard.views.map.legend import LegendFacts
from dashboard.views.playback import current_frame, frames_for, show_frame_header, state_of

VIEW_PARAM = "map"
SELECTED = "selected_incident"  # session key the page's table reads
RETURNED = ["last_object_clicked_tooltip", "bounds", "zoom", "center"]


@dataclass(frozen=True)
class MapOptions:
    """How a page wants its map (everything but the data)."""

    key: str = "incident_map"
    color_by: str = "side"
    metric: str = "incidents"
    theme: str = "light"
    heat: bool = False
    highlight_days: int | None = None
    height: int = 560
    scale: float = 1.0
    draw: bool = True  # the draw tool and the snapshot button (not on a wall nobody touches)
    link_view: bool = True  # keep the view in the page's link
    wall: bool = False  # no controls, symbols merged where they would overlap, always fitted
    legend: Callable[[LegendFacts], None] | None = None  # the page draws it (else the map)


def show_map(
    engine: Engine,
    filters: Filters,
    *,
    key: str = "incident_map",
    color_by: str = "side",
    metric: str = "incidents",
    theme: str = "light",
    heat: bool = False,
    highlight_days: int | None = None,
    height: int = 560,
    scale: float = 1.0,
    focus_id: str | None = None,
    draw: bool = True,
    link_view: bool = True,
    description: str | None = None,
    playback: Playback | None = None,
    loop: bool = False,
    autoplay: bool = False,
    wall: bool = False,
    legend: Callable[[LegendFacts], None] | None = None,
) -> str | None:
    """Draw the map for `filters` in a fragment of its own (zoom and pan rerun only the map);
    returns the id of the incident last clicked on it, if any.

    scale multiplies symbol, legend and label sizes (a wall display); focus_id rings an
    incident and centres the map on it once; draw adds the draw tool and snapshot button.
    playback: step through the period (frames, numbers and a timeline above the map, which
    stays the same map); loop and autoplay for a wall, where there are no controls.
    wall: a screen nobody touches (`map.Display.wall`). legend: called with the legend's facts
    on every answer, just above the map, to draw it outside the map (the map then has none)."""
    options = MapOptions(
        key=key, color_by=color_by, metric=metric, theme=theme, heat=heat,
        highlight_days=highlight_days, height=height, scale=scale, draw=draw,
        link_view=link_view, wall=wall, legend=legend,
    )  # fmt: skip
    run_every = None
    if playback is not None and state_of(key, autoplay=autoplay).playing:
        run_every = playback.seconds
    fragment = st.fragment(_map_body, run_every=run_every)
    return fragment(engine, filters, options, focus_id, description, playback, loop, autoplay)


def _map_body(engine, filters, options, focus_id, description, playback, loop, autoplay):
    # The header sits above the map whether or not it plays, so the map keeps its place on
    # the page (and its iframe, and the user's view) when playback is switched on or off.
    header = st.container()
    window = None
    if playback is not None:
        frames = frames_for(engine, filters, playback)
        if frames:
            state = state_of(options.key, autoplay=autoplay)
            frame, stopped = current_frame(frames, state, playback, loop=loop)
            with header:
                show_frame_header(
                    engine,
                    filters,
                    frames,
                    frame,
                    playback,
                    state,
                    key=options.key,
                    controls=not autoplay,
                    wall=autoplay,
                )
            window = (frame.start, frame.end)
            if stopped:
                st.rerun(scope="app")  # the last frame: stop the frame timer
    if window is not None:  # the timeline's cursor says when; "recent" rings would not
        options = replace(options, highlight_days=None)
    return draw_map(
        engine,
        filters,
        options,
        focus_id=focus_id,
        description=description if window is None else None,
        window=window,
    )


def draw_map(
    engine: Engine,
    filters: Filters,
    options: MapOptions,
    *,
    focus_id: str | None = None,
    description: str | None = None,
    window: tuple[date, date] | None = None,
) -> str | None:
    """The map without a fragment of its own (for a caller's fragment, e.g. playback).
    window: only incidents of these days are drawn; the fit and the link stay the filters'."""
    reported = view_from_return(st.session_state.get(options.key))
    try:
        fmap, layers = _build(engine, filters, options, focus_id, description, window, reported)
    except AtlasError as error:
        show_error(error)
        return None
    if options.legend is not None:
        options.legend(layers.atlas_legend)
    if options.link_view:
        _link(view_link(st.session_state.get(options.key)))
    returned = st_folium(
        fmap, key=options.key, height=options.height, use_container_width=True,
        feature_group_to_add=layers,
        returned_objects=[*RETURNED, "all_drawings"] if options.draw else RETURNED,
    )  # fmt: skip
    return _read_return(returned, options)


def _build(engine, filters, options, focus_id, description, window, reported):
    """(base map, feature group) for this rerun; `reported`: the view the browser reported
    last (None before it has)."""
    version = engine.version
    bounds = common.map_bounds(engine, version, filters)
    view = reported or _linked_view(options)
    if view is None and bounds is not None:
        view = MapView.fitting(bounds)
    shown = filters if window is None else _windowed(filters, window)
    content = None
    if view is not None:
        query = plan(view, scale=options.scale)
        content = common.map_content(engine, version, shown, query, options.highlight_days)
    key = fit_key(version, filters)
    display = Display(
        color_by=options.color_by, metric=options.metric, theme=options.theme,
        scale=options.scale, heat=options.heat, highlight_days=options.highlight_days,
        offline=settings.get("basemap") == "offline", wall=options.wall,
        legend=options.legend is None,
    )  # fmt: skip
    layers = map_layers(
        content, display, sites=cached_sites(),
        description=description if description is not None else _describe(engine, shown),
        fit=(key, bounds), focus=_focus(engine, focus_id, options),
        shapes=filter_shapes(filters),
    )  # fmt: skip
    location, zoom, first_key = _opening(options, key)
    fmap = base_map(
        theme=options.theme, basemap=settings.get("basemap"), scale=options.scale,
        location=location, zoom=zoom, fit_key=first_key, draw=options.draw,
        snapshot=options.draw, wall=options.wall,
    )  # fmt: skip
    return fmap, layers


def _windowed(filters: Filters, window: tuple[date, date]) -> Filters:
    start, end = window
    if filters.start and filters.start > start:
        start = filters.start
    if filters.end and filters.end < end:
        end = filters.end
    return replace(filters, start=start, end=end)


def _describe(engine: Engine, filters: Filters) -> str:
    numbers = common.headline(engine, engine.version, filters)
    span = (numbers.first_day, numbers.last_day) if numbers.first_day else None
    return filters.describe(count=numbers.incidents, span=span, vocab=engine.vocabulary)


def _linked_view(options: MapOptions) -> MapView | None:
    """The view the page's link names, until the browser reports its own."""
    linked = parse_view_param(st.query_params.get(VIEW_PARAM))
    return None if linked is None else MapView.around(*linked)


def _opening(options: MapOptions, key: str):
    """Where the map opens, fixed for the session (the map's script must not change): the
    link's view, marked as fitted for this selection, else the region (then fitted)."""
    state = f"_{options.key}_opening"
    if state not in st.session_state:
        linked = parse_view_param(st.query_params.get(VIEW_PARAM))
        if linked:
            st.session_state[state] = ((linked[0], linked[1]), linked[2], key)
        else:
            st.session_state[state] = (DEFAULT_CENTER, DEFAULT_ZOOM, None)
    return st.session_state[state]


def _focus(engine: Engine, focus_id: str | None, options: MapOptions):
    """(incident, pan) for the chosen incident; no pan when it was chosen on this map."""
    if not focus_id:
        return None
    incident = engine.incident(focus_id)
    if incident is None:
        return None
    clicked = f"_{options.key}_clicked"
    if st.session_state.get(clicked) not in (None, focus_id):
        st.session_state[clicked] = None  # chosen elsewhere since: a later choice of it pans
    return incident, st.session_state.get(clicked) != focus_id


def _read_return(returned, options: MapOptions) -> str | None:
    """Apply what the browser reported: the view to the link, a click to the selection, a
    drawn shape to the filters. The last two change the whole page: it reruns."""
    if not returned:
        return None
    rerun = _apply_drawing(returned, options)
    clicked = incident_id_from_click(returned)
    tooltip = returned.get("last_object_clicked_tooltip")
    if clicked and st.session_state.get(f"_{options.key}_last_tooltip") != tooltip:
        st.session_state[f"_{options.key}_last_tooltip"] = tooltip
        st.session_state[f"_{options.key}_clicked"] = clicked
        if st.session_state.get(SELECTED) != clicked:
            st.session_state[SELECTED] = clicked
            rerun = True
    if rerun:
        st.rerun(scope="app")
    return clicked


def _link(text: str | None) -> None:
    if text and st.query_params.get(VIEW_PARAM) != text:
        st.query_params[VIEW_PARAM] = text


def _apply_drawing(returned, options: MapOptions) -> bool:
    drawings = returned.get("all_drawings") if options.draw else None
    if not drawings:
        return False
    latest = drawings[-1]
    signature = drawing_signature(latest)
    seen = f"_{options.key}_drawn"
    if st.session_state.get(seen) == signature:
        return False
    st.session_state[seen] = signature
    found = drawn_filter(latest)
    if found is None:
        st.warning("Draw a rectangle, or a polygon of at most 200 corners, to filter by area.")
        return False
    set_map_filter(*found)
    return True


COLOR_CHOICES = {"side": "attacker's side", "event_type": "event type"}
METRIC_CHOICES = {"incidents": "incidents", "casualties": "known killed + wounded"}


def map_display_controls() -> tuple[str, str, bool]:
    """The map's display options (colour of incidents, value of hexagons, heat layer); they
    change only the drawing, never the view."""
    left, middle, right = st.columns([2, 2, 1])
    color_by = left.radio(
        "Colour incidents by", list(COLOR_CHOICES), horizontal=True, key="color_by",
        format_func=COLOR_CHOICES.get,
    )  # fmt: skip
    metric = middle.radio(
        "Shade hexagons by", list(METRIC_CHOICES), horizontal=True, key="map_metric",
        format_func=METRIC_CHOICES.get, help="Many incidents in view are grouped into hexagons",
    )  # fmt: skip
    heat = right.toggle("Heat layer", key="map_heat")
    return color_by, metric, heat
