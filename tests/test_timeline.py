"""The timeline chart: its spec reads for one day and for three years (bars as wide as their
period, an axis that covers the period asked for, whole-number counts, at most MAX_TICKS
labels), its colours are the map's, unknown casualties break the line instead of reading 0, and a
selected span reads back as the days it covers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.synthetic import synthetic_incidents
from dashboard.views.map import TYPE_COLORS
from dashboard.views.timeline import (
    MAX_TICKS,
    MIN_PERIODS,
    SPAN_PARAM,
    build_timeline,
    periods_shown,
    selected_span,
)


def chart_for(engine: Engine, filters: Filters | None = None, by: str = "side", span=None):
    filters = filters or Filters()
    frequency = engine.frequency(filters)
    counts = engine.timeline(filters, by=by, frequency=frequency)
    return (
        counts,
        frequency,
        build_timeline(counts, frequency=frequency, by=by, span=span).to_dict(),
    )


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def dataset(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def utc_day(value: dict) -> date:
    assert value["utc"] is True
    return date(value["year"], value["month"], value["date"])


@pytest.fixture(scope="module")
def small():
    return Engine(read_incidents("tests/fixtures/native_small.csv"), search_in_background=False)


def test_chart_stacks_groups_with_the_map_colours_and_a_casualty_line(small):
    _, _, spec = chart_for(small, by="event_type")
    bars, line = spec["layer"]
    assert bars["mark"]["type"] == "bar" and line["mark"]["type"] == "line"
    scale = bars["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        t: TYPE_COLORS[t] for t in ("airstrike", "attack", "foiled_attack")
    }
    assert "replace(datum.label, /_/g, ' ')" in bars["encoding"]["color"]["legend"]["labelExpr"]
    assert spec["params"][0]["name"] == SPAN_PARAM
    assert spec["params"][0]["views"] == [bars["name"]]  # the span is drawn on the bars
    assert line["encoding"]["y"]["axis"]["title"] == "killed + wounded (known)"


def test_one_day_is_one_bar_among_empty_days_not_a_bar_across_the_chart(small):
    one_day = Filters(start=date(2023, 11, 21), end=date(2023, 11, 21))
    counts, frequency, spec = chart_for(small, one_day, span=(one_day.start, one_day.end))
    assert frequency == "day" and len(counts) == 1
    bars = layers(spec)[0]
    x = bars["encoding"]["x"]
    first, last = (utc_day(v) for v in x["scale"]["domain"])
    assert (last - first).days == MIN_PERIODS  # the bar is 1/7 of the width
    assert first < date(2023, 11, 21) < last
    (row,) = dataset(spec, bars)
    assert (row["start"], row["end"]) == ("2023-11-21", "2023-11-22")  # exactly one day wide
    ticks = [utc_day(v) for v in x["axis"]["values"]]
    assert len(ticks) == len(set(ticks)) == MIN_PERIODS  # one label per day, none repeated
    assert x["axis"]["labelExpr"] == "utcFormat(datum.value, '%d %b')"


@pytest.mark.parametrize(
    ("days", "frequency", "step_days"),
    [(1, "day", 1), (100, "day", 1), (400, "week", 7), (1100, "week", 7), (1500, "month", 28)],
)
def test_bars_are_as_wide_as_their_period_and_labels_stay_few(days, frequency, step_days):
    engine = Engine(synthetic_incidents(400, seed=3, days=days), search_in_background=False)
    counts, chosen, spec = chart_for(engine)
    assert chosen == frequency
    bars = layers(spec)[0]
    for row in dataset(spec, bars):
        width = (pd.Timestamp(row["end"]) - pd.Timestamp(row["start"])).days
        assert step_days <= width <= 31
    ticks = [utc_day(v) for v in bars["encoding"]["x"]["axis"]["values"]]
    assert 1 <= len(ticks) <= MAX_TICKS
    assert ticks == sorted(set(ticks))
    starts = set(pd.to_datetime(counts["period"]).dt.date)
    shown = {d.date() for d in periods_shown(counts, frequency)}
    assert starts <= shown  # every bar is inside the axis
    if frequency == "month":
        assert all(t.day == 1 for t in ticks)
    if frequency == "week":
        assert all(t.weekday() == 0 for t in ticks)  # weeks start on Monday, as counted


def test_counts_are_whole_numbers_on_every_axis(small):
    _, _, spec = chart_for(small)
    for layer in layers(spec):
        axis = layer["encoding"]["y"]["axis"]
        assert axis["format"] == ",d" and axis["tickMinStep"] == 1
        assert layer["encoding"]["y"]["scale"]["domain"][1] >= 1  # never a 0-to-0 axis


def test_unknown_casualties_break_the_line_and_no_figures_draw_no_line(small):
    _, _, spec = chart_for(small)
    line = spec["layer"][1]
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    values = {row["when"]: row["casualties"] for row in dataset(spec, line)}
    assert values["21 Nov 2023"] == 13  # fx-2: 8 killed + 5 wounded
    assert values["20 Nov 2023"] is None  # fx-1 gives no figure: a gap, not 0
    assert values["22 Nov 2023"] is None  # no incident that day
    unknown_only = Filters(site=("ain-al-asad",))
    _, _, spec = chart_for(small, unknown_only)
    assert [layer["mark"]["type"] for layer in layers(spec)] == ["bar"]


def test_the_axis_covers_the_period_asked_for(small):
    asked = (date(2023, 11, 1), date(2023, 12, 31))
    _, _, spec = chart_for(small, Filters(start=asked[0], end=asked[1]), span=asked)
    first, last = (utc_day(v) for v in layers(spec)[0]["encoding"]["x"]["scale"]["domain"])
    assert (first, last) == (date(2023, 11, 1), date(2024, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Vega gives the brush's ends in UTC milliseconds; the days touched are selected.
        ("2023-11-20 14:00", "2023-11-23 09:00", (date(2023, 11, 20), date(2023, 11, 23))),
        # Ending exactly at midnight ends with the day before.
        ("2023-11-20 00:00", "2023-11-27 00:00", (date(2023, 11, 20), date(2023, 11, 26))),
        # Dragged leftwards.
        ("2023-11-23 09:00", "2023-11-20 14:00", (date(2023, 11, 20), date(2023, 11, 23))),
        ("2023-11-20 02:00", "2023-11-20 05:00", (date(2023, 11, 20), date(2023, 11, 20))),
    ],
)
def test_selected_span_reads_vega_lite_milliseconds(start, end, expected):
    values = [pd.Timestamp(start).value // 10**6, pd.Timestamp(end).value // 10**6]
    assert selected_span({"selection": {SPAN_PARAM: {"start": values}}}) == expected


def test_no_selection_is_no_span():
    assert selected_span({"selection": {SPAN_PARAM: {}}}) is None
    assert selected_span(None) is None
