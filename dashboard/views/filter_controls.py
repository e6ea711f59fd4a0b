"""The sidebar filters, mirrored in the URL query string so any view can be shared."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard import actors
from dashboard.filters import LIST_FILTERS, Filters

PRESETS = {
    "whole campaign": None,
    "last 7 days of the data": 7,
    "last 30 days of the data": 30,
    "last 90 days of the data": 90,
    "custom": "custom",
}
# Query parameters that are not filters and must survive rewriting the URL.
KEPT_PARAMS = ("view", "refresh", "color", "days", "theme")


def url_filters() -> Filters:
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    return Filters.from_query(params)


def write_url(filters: Filters) -> None:
    kept = {k: st.query_params[k] for k in KEPT_PARAMS if k in st.query_params}
    wanted = {**kept, **filters.to_query()}
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


def _choices(incidents: pd.DataFrame, column: str) -> list[str]:
    return sorted(incidents[column].dropna().astype(str).unique().tolist())


def _actor_choices(incidents: pd.DataFrame) -> list[str]:
    named = set(_choices(incidents, "actor1")) | set(_choices(incidents, "actor2"))
    umbrellas = {u for name in named for u in actors.umbrellas_of(name)}
    return sorted(named | umbrellas)


def _init_state(initial: Filters, data_start: date, data_end: date) -> None:
    """Seed widget state from the URL once per session, so the URL wins on first load."""
    if st.session_state.get("_filters_initialised"):
        return
    st.session_state["_filters_initialised"] = True
    for name in LIST_FILTERS:
        st.session_state[f"filter_{name}"] = list(getattr(initial, name))
    if initial.start or initial.end:
        st.session_state["filter_period"] = "custom"
        st.session_state["filter_dates"] = (initial.start or data_start, initial.end or data_end)
    st.session_state["filter_min_casualties"] = initial.min_casualties or 0
    st.session_state["filter_text"] = initial.text


def filter_controls(incidents: pd.DataFrame) -> Filters:
    """Draw the sidebar filters; returns the active Filters and writes them to the URL."""
    data_start = incidents["event_date"].min().date() if len(incidents) else date.today()
    data_end = incidents["event_date"].max().date() if len(incidents) else date.today()
    _init_state(url_filters(), data_start, data_end)

    sidebar = st.sidebar
    sidebar.header("Filters")
    preset = sidebar.selectbox("Period", list(PRESETS), key="filter_period")
    start = end = None
    if PRESETS[preset] == "custom":
        st.session_state.setdefault("filter_dates", (data_start, data_end))
        chosen = sidebar.date_input("Dates", key="filter_dates", format="YYYY-MM-DD")
        if isinstance(chosen, tuple | list) and len(chosen) == 2:
            start, end = chosen
    elif PRESETS[preset]:
        start, end = data_end - timedelta(days=PRESETS[preset] - 1), data_end

    lists = {}
    labels = {
        "actor": ("Actor or umbrella group", _actor_choices(incidents)),
        "side": ("Side", sorted(set(actors.load_actors()["side"]) | {actors.UNKNOWN_SIDE})),
        "type": ("Event type", _choices(incidents, "event_type")),
        "weapon": ("Weapon", _choices(incidents, "weapon")),
        "country": ("Country", _choices(incidents, "country")),
        "site": ("Site", _choices(incidents, "site_id")),
    }
    for name, (label, options) in labels.items():
        current = st.session_state.get(f"filter_{name}", [])
        options = sorted(set(options) | set(current))
        lists[name] = tuple(sidebar.multiselect(label, options, key=f"filter_{name}"))
    minimum = sidebar.number_input(
        "Minimum killed + wounded", min_value=0, step=1, key="filter_min_casualties"
    )
    text = sidebar.text_input("Search notes and places", key="filter_text")
    filters = Filters(
        start=start,
        end=end,
        min_casualties=int(minimum) if minimum else None,
        text=text.strip(),
        **lists,
    )
    write_url(filters)
    return filters


def set_date_span(start: date, end: date) -> None:
    """Apply a date span chosen elsewhere on the page (the timeline) to the sidebar."""
    st.session_state["filter_period"] = "custom"
    st.session_state["filter_dates"] = (start, end)
