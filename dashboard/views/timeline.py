"""The timeline chart: incidents per day or week stacked by group, casualties as a line.

A pure function returning an Altair chart, so tests can inspect its spec; dragging across the
chart selects a time span (the `span` parameter) that the page applies as a date filter.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from dashboard.views.map import SIDE_COLORS, TYPE_COLORS, UNKNOWN_COLOR

SPAN_PARAM = "span"


def build_timeline(counts: pd.DataFrame, *, frequency: str, by: str, dark: bool = False):
    """counts: output of `aggregates.timeline`. Returns a layered Altair chart."""
    label = {"side": "actor side", "event_type": "event type"}[by]
    palette = SIDE_COLORS if by == "side" else TYPE_COLORS
    groups = sorted(counts["group"].unique()) if len(counts) else []
    # The same colour for a side or type as on the map, so the two read together.
    scale = alt.Scale(domain=groups, range=[palette.get(g, UNKNOWN_COLOR) for g in groups])
    unit = "yearmonthdate"
    span = alt.selection_interval(name=SPAN_PARAM, encodings=["x"])
    base = alt.Chart(counts).encode(
        x=alt.X(f"{unit}(period):T", title=f"{frequency} starting"),
    )
    bars = (
        base.mark_bar()
        .encode(
            y=alt.Y("sum(incidents):Q", title=f"incidents per {frequency}"),
            color=alt.Color("group:N", title=label, scale=scale, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip(f"{unit}(period):T", title=frequency),
                alt.Tooltip("group:N", title=label),
                alt.Tooltip("sum(incidents):Q", title="incidents"),
            ],
        )
        .add_params(span)
    )
    line = base.mark_line(point=True, color="#222222" if not dark else "#f5f5f5").encode(
        y=alt.Y("sum(casualties):Q", title="killed + wounded (known)"),
        tooltip=[
            alt.Tooltip(f"{unit}(period):T", title=frequency),
            alt.Tooltip("sum(casualties):Q", title="killed + wounded"),
        ],
    )
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=220)


def selected_span(event) -> tuple[date, date] | None:
    """The (start, end) days a chart selection covers, or None when nothing is selected."""
    if not event:
        return None
    selection = (event.get("selection") or {}).get(SPAN_PARAM) or {}
    values = next(iter(selection.values()), None) if selection else None
    if not values or len(values) != 2:
        return None
    start, end = (
        pd.to_datetime(v, unit="ms") if isinstance(v, int | float) else pd.Timestamp(v)
        for v in values
    )
    return start.date(), end.date()
