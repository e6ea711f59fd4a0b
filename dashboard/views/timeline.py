"""The timeline chart: incidents per day, week or month stacked by group, casualties as a line.

A pure function returning an Altair chart, so tests can inspect its spec; dragging across the
chart selects a time span (the `span` parameter) that the page applies as a date filter.

It reads for one day as for three years: each bar spans exactly its period (a day, a week from
Monday, a month), the axis covers the period asked for and at least `MIN_PERIODS` periods (one
day of data is one bar among empty days, not a bar across the chart), ticks sit on period starts
with at most `MAX_TICKS` labels, and counts are whole numbers. Days are handed to the browser as
UTC dates on a UTC scale, so a reader in Baghdad or Washington sees, and selects, the same days.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import altair as alt
import pandas as pd

from dashboard.views.map import SIDE_COLORS, TYPE_COLORS, UNKNOWN_COLOR

SPAN_PARAM = "span"
MIN_PERIODS = 7
MAX_TICKS = 10
STEP = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1),
        "month": pd.DateOffset(months=1)}  # fmt: skip
LABELS = {"day": "day", "week": "week (from Monday)", "month": "month"}


def _first_of(day: pd.Timestamp, frequency: str) -> pd.Timestamp:
    """The start of the period holding `day` (the engine's date_trunc)."""
    day = day.normalize()
    if frequency == "week":
        return day - pd.Timedelta(days=day.weekday())
    if frequency == "month":
        return day.replace(day=1)
    return day


def periods_shown(counts: pd.DataFrame, frequency: str, span=None) -> list[pd.Timestamp]:
    """Period starts from the first to the last shown: the asked-for span (or the data's),
    widened evenly to at least MIN_PERIODS periods."""
    if span is not None and span[0] is not None and span[1] is not None:
        first, last = (_first_of(pd.Timestamp(d), frequency) for d in span)
    elif len(counts):
        first, last = counts["period"].min(), counts["period"].max()
    else:
        first = last = _first_of(pd.Timestamp(date.today()), frequency)
    starts = list(pd.date_range(first, last, freq=STEP[frequency]))
    while len(starts) < MIN_PERIODS:
        starts = [starts[0] - STEP[frequency], *starts]
        if len(starts) < MIN_PERIODS:
            starts.append(starts[-1] + STEP[frequency])
    return starts


def period_names(starts: pd.Series, frequency: str) -> list[str]:
    """'2 Feb 2024', 'week from 29 Jan 2024', 'Feb 2024' (tooltips)."""
    days = pd.to_datetime(starts)
    if frequency == "month":
        return [f"{d:%b %Y}" for d in days]
    prefix = "week from " if frequency == "week" else ""
    return [f"{prefix}{d.day} {d:%b %Y}" for d in days]


def _utc(day: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _day_text(values: pd.Series) -> pd.Series:
    # A date-only ISO string is read by browsers as UTC midnight: no zone shifts a day.
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def _x_axis(starts: list[pd.Timestamp], frequency: str) -> alt.Axis:
    step = max(1, math.ceil(len(starts) / MAX_TICKS))
    if frequency == "month":
        label = "%b %Y"
    else:
        label = "%d %b" if len({s.year for s in starts}) == 1 else "%d %b %Y"
    return alt.Axis(
        values=[_utc(s) for s in starts[::step]], labelExpr=f"utcFormat(datum.value, '{label}')",
        labelOverlap="greedy", labelAngle=0, title=LABELS[frequency],
    )  # fmt: skip


def _count_axis(title: str) -> alt.Axis:
    # Counts are whole: never a "0.5" or "0.000000" tick, whatever the range.
    return alt.Axis(title=title, format=",d", tickMinStep=1)


def build_timeline(counts: pd.DataFrame, *, frequency: str, by: str, dark: bool = False, span=None):
    """counts: output of `Engine.timeline`; span: the first and last day asked for (the
    period filter), else the data's. Returns a layered Altair chart."""
    label = {"side": "actor side", "event_type": "event type"}[by]
    palette = SIDE_COLORS if by == "side" else TYPE_COLORS
    groups = sorted(counts["group"].unique()) if len(counts) else []
    # The same colour for a side or type as on the map, so the two read together.
    scale = alt.Scale(domain=groups, range=[palette.get(g, UNKNOWN_COLOR) for g in groups])
    starts = periods_shown(counts, frequency, span)
    end = starts[-1] + STEP[frequency]
    x_scale = alt.Scale(type="utc", domain=[_utc(starts[0]), _utc(end)], nice=False)
    bars_data = counts.assign(
        when=period_names(counts["period"], frequency),
        start=_day_text(counts["period"]),
        end=_day_text(counts["period"] + STEP[frequency]) if len(counts) else [],
    )
    span_param = alt.selection_interval(name=SPAN_PARAM, encodings=["x"])
    tallest = int(counts.groupby("period")["incidents"].sum().max()) if len(counts) else 0
    bars = (
        alt.Chart(bars_data)
        .mark_bar(stroke="white" if not dark else "#05070a", strokeWidth=0.5)
        .encode(
            x=alt.X("start:T", scale=x_scale, axis=_x_axis(starts, frequency)),
            x2="end:T",
            y=alt.Y(
                "sum(incidents):Q",
                axis=_count_axis(f"incidents per {frequency}"),
                scale=alt.Scale(domain=[0, max(tallest, 1)]),
            ),  # fmt: skip
            color=alt.Color(
                "group:N",
                title=label,
                scale=scale,
                legend=alt.Legend(orient="top", labelExpr="replace(datum.label, /_/g, ' ')"),
            ),  # fmt: skip
            tooltip=_tooltip(frequency, label),
        )
        .add_params(span_param)
    )
    if not counts["casualties"].notna().any():
        return bars.properties(height=220)  # no figure to draw: no line, no empty axis
    line = _casualty_line(counts, frequency, x_scale, dark)
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=220)


def _tooltip(frequency: str, label: str) -> list:
    return [
        alt.Tooltip("when:N", title=frequency),
        alt.Tooltip("group:N", title=label),
        alt.Tooltip("sum(incidents):Q", title="incidents"),
    ]


def _casualty_line(counts: pd.DataFrame, frequency: str, x_scale, dark: bool):
    """Killed + wounded per period at the middle of its bar; a period where no incident gives a
    figure breaks the line (it is unknown, not 0)."""
    totals = counts.groupby("period").agg(
        casualties=("casualties", lambda s: s.sum(min_count=1)),
        with_figures=("with_figures", "sum"),
        incidents=("incidents", "sum"),
    )
    every = pd.date_range(totals.index.min(), totals.index.max(), freq=STEP[frequency])
    totals = totals.reindex(every)
    middles = [p + (p + STEP[frequency] - p) / 2 for p in totals.index]
    data = pd.DataFrame(
        {
            "middle": [m.strftime("%Y-%m-%dT%H:%M:%SZ") for m in middles],
            "when": period_names(pd.Series(totals.index), frequency),
            "casualties": totals["casualties"].to_numpy(dtype=float),
            "known": totals["with_figures"].fillna(0).astype(int).to_numpy(),
            "incidents": totals["incidents"].fillna(0).astype(int).to_numpy(),
        }
    )
    highest = data["casualties"].max()
    ink = "#222222" if not dark else "#f5f5f5"
    return (
        alt.Chart(data)
        .mark_line(
            point={"color": ink, "filled": True}, color=ink, invalid="break-paths-show-domains"
        )
        .encode(
            x=alt.X("middle:T", scale=x_scale),
            y=alt.Y(
                "casualties:Q",
                axis=_count_axis("killed + wounded (known)"),
                scale=alt.Scale(domain=[0, max(int(highest), 1)]),
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip(
                    "start:T", title=f"{frequency} from", format="%d %b %Y", formatType="utc"
                ),  # fmt: skip
                alt.Tooltip("casualties:Q", title="killed + wounded (known)", format=",d"),
                alt.Tooltip("known:Q", title="incidents giving figures"),
            ],
        )
    )


def selected_span(event) -> tuple[date, date] | None:
    """The (first, last) days a chart selection covers, or None when nothing is selected.

    Vega gives the brush's ends as UTC milliseconds (the scale is UTC); the last day is the one
    the brush ends in, unless it ends exactly at a midnight (the end of the day before)."""
    if not event:
        return None
    selection = (event.get("selection") or {}).get(SPAN_PARAM) or {}
    values = next(iter(selection.values()), None) if selection else None
    if not values or len(values) != 2:
        return None
    start, end = sorted(
        pd.to_datetime(v, unit="ms") if isinstance(v, int | float) else pd.Timestamp(v)
        for v in values
    )
    last = end.normalize()
    if last == end and last > start.normalize():
        last -= timedelta(days=1)
    return start.date(), last.date()
