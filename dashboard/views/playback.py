"""Playback on a page: the controls (desk), the frame's headline numbers, a timeline with the
frame's window and cursor, and the ticking that advances the frame.

Frames are driven from the server: the map's fragment reruns every `seconds` while playing
(`st.fragment(run_every=...)`) and swaps the frame's hexagons into the same map, as a zoom step
does; the numbers and the timeline above it are in the same fragment, so they follow. (Folium's
TimestampedGeoJson does not render through streamlit-folium, issue 208; bench/bench_map.py
compares this with sending every frame up front.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.playback import SPEEDS, STEPS, Frame, Playback, parse_playback
from dashboard.views import common, safe
from dashboard.views.filter_controls import query_params

WINDOW_CHOICES = (7, 14, 30, 90, None)
WALL_STYLE = "<style>.ia-frame-line{font-size:28px;line-height:1.3;color:#f5f7fa}</style>"
FRAME_LINE = (
    "**{label}** ({window}): **{incidents}** incidents, **{killed}** killed, **{wounded}** "
    "wounded (reported) · frame {number} of {frames}"
)
WALL_FRAME_LINE = (
    '<div class="ia-frame-line"><b>{label}</b> ({window}): <b>{incidents}</b> incidents, '
    "<b>{killed}</b> killed, <b>{wounded}</b> wounded (reported) · frame {number} of {frames}"
    "</div>"
)


@dataclass
class PlaybackState:
    """Per map key in the session: the frame shown, playing or not, when it last advanced."""

    index: int = 0
    playing: bool = False
    last_tick: float = 0.0


def state_of(key: str, *, autoplay: bool = False) -> PlaybackState:
    name = f"_{key}_playback"
    if name not in st.session_state:
        st.session_state[name] = PlaybackState(playing=autoplay, last_tick=time.monotonic())
    return st.session_state[name]


def playback_from_url() -> tuple[Playback | None, list]:
    return parse_playback(query_params())


def playback_controls(key: str = "playback") -> Playback | None:
    """The desk's toggle and settings (step, window, speed); None while playback is off. A link
    with `play=...` opens with playback on and its settings."""
    linked, _ = playback_from_url()
    if f"{key}_on" not in st.session_state and linked is not None:
        st.session_state[f"{key}_on"] = True
        st.session_state[f"{key}_step"] = linked.step
        st.session_state[f"{key}_window"] = linked.window if linked.window in WINDOW_CHOICES else 30
        st.session_state[f"{key}_speed"] = linked.seconds if linked.seconds in SPEEDS else 1.0
    columns = st.columns([1.4, 1, 1.3, 1])
    if not columns[0].toggle("Play over time", key=f"{key}_on",
                             help="Step through the filtered period on the map"):  # fmt: skip
        return None
    step = columns[1].selectbox("Step", list(STEPS), key=f"{key}_step")
    window = columns[2].selectbox(
        "Window", list(WINDOW_CHOICES), index=2, key=f"{key}_window",
        format_func=lambda w: "cumulative" if w is None else f"moving {w} days",
    )  # fmt: skip
    seconds = columns[3].selectbox(
        "Speed", list(SPEEDS), index=1, key=f"{key}_speed", format_func=lambda s: f"{s:g} s/frame"
    )
    return Playback(step=step, window=window, seconds=seconds)


def current_frame(frames: list[Frame], state: PlaybackState, playback: Playback, *,
                  loop: bool) -> tuple[Frame, bool]:  # fmt: skip
    """The frame to show now, advancing one when playing and a frame's time has passed;
    (frame, stopped): stopped when the last frame was reached without looping."""
    stopped = False
    state.index = min(state.index, len(frames) - 1)
    now = time.monotonic()
    if state.playing and now - state.last_tick >= playback.seconds * 0.8:
        state.last_tick = now
        if state.index + 1 < len(frames):
            state.index += 1
        elif loop:
            state.index = 0
        else:
            state.playing, stopped = False, True
    return frames[state.index], stopped


def frames_for(engine: Engine, filters: Filters, playback: Playback) -> list[Frame]:
    span = common.span(engine, engine.version, filters)
    return [] if span is None else playback.frames(*span)


def frame_filters(filters: Filters, frame: Frame) -> Filters:
    return replace(filters, start=frame.start, end=frame.end)


def show_frame_header(engine: Engine, filters: Filters, frames: list[Frame], frame: Frame,
                      playback: Playback, state: PlaybackState, *, key: str,
                      controls: bool, wall: bool) -> None:  # fmt: skip
    """Buttons and scrubber (desk), the frame's numbers and the timeline with its cursor."""
    if controls:
        _buttons_and_scrubber(frames, state, key)
    numbers = common.headline(engine, engine.version, frame_filters(filters, frame))
    killed = "unknown" if numbers.killed is None else f"{numbers.killed:,}"
    wounded = "unknown" if numbers.wounded is None else f"{numbers.wounded:,}"
    values = dict(
        label=frame.label(),
        window="since the start" if playback.window is None else f"{frame.days} days",
        incidents=f"{numbers.incidents:,}",
        killed=killed,
        wounded=wounded,
        number=frame.index + 1,
        frames=len(frames),
    )
    if wall:
        st.markdown(WALL_STYLE + safe.html(WALL_FRAME_LINE, **values), unsafe_allow_html=True)
    else:
        st.markdown(safe.markdown(FRAME_LINE, **values))
    chart = timeline_with_cursor(engine, filters, playback, frame, dark=wall)
    st.altair_chart(chart, width="stretch", key=f"{key}_timeline", theme=None if wall else
                    "streamlit")  # fmt: skip


def _buttons_and_scrubber(frames: list[Frame], state: PlaybackState, key: str) -> None:
    left, right = st.columns([1, 6])
    label = "Pause" if state.playing else "Play"
    if left.button(label, key=f"{key}_button", width="stretch"):
        state.playing = not state.playing
        state.last_tick = time.monotonic()
        if state.playing and state.index >= len(frames) - 1:
            state.index = 0
        # The frame timer is declared when the page runs: start or stop it there.
        st.rerun(scope="app")
    scrub = f"{key}_scrub"
    st.session_state[scrub] = state.index

    def scrubbed():
        state.index = st.session_state[scrub]
        state.last_tick = time.monotonic()

    right.select_slider(
        "Frame", options=list(range(len(frames))), key=scrub, on_change=scrubbed,
        format_func=lambda i: safe.markdown_text(frames[i].label()), label_visibility="collapsed",
    )  # fmt: skip


@st.cache_data(max_entries=64, show_spinner=False)
def _per_step(_engine: Engine, version: str, filters: Filters, step: str) -> pd.DataFrame:
    counts = _engine.timeline(filters, by="side", frequency=step)
    return counts.groupby("period", as_index=False)["incidents"].sum()


def timeline_with_cursor(engine: Engine, filters: Filters, playback: Playback, frame: Frame,
                         *, dark: bool = False) -> alt.LayerChart:  # fmt: skip
    """Incidents per step over the whole filtered period, the frame's window shaded and its
    last day marked."""
    counts = _per_step(engine, engine.version, filters, playback.step)
    ink = "#f2f2f2" if dark else "#222222"
    bars = alt.Chart(counts).mark_bar(color="#8e969e").encode(
        x=alt.X("period:T", title=None), y=alt.Y("incidents:Q", title=f"per {playback.step}"),
        tooltip=[alt.Tooltip("period:T", title=playback.step), "incidents:Q"],
    )  # fmt: skip
    window = pd.DataFrame({"start": [pd.Timestamp(frame.start)],
                           "end": [pd.Timestamp(frame.end) + pd.Timedelta(days=1)]})  # fmt: skip
    shade = (
        alt.Chart(window).mark_rect(color="#d62728", opacity=0.18).encode(x="start:T", x2="end:T")
    )
    cursor = alt.Chart(window).mark_rule(color=ink, strokeWidth=2).encode(x="end:T")
    chart = alt.layer(shade, bars, cursor).properties(height=90)
    if dark:
        chart = chart.configure(background="transparent").configure_axis(
            labelColor=ink, titleColor=ink, gridColor="#39414d", labelFontSize=16
        ).configure_view(stroke=None)  # fmt: skip
    return chart
