"""The timeline chart: its spec, its colours, and reading a selected span back."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.views.map import TYPE_COLORS
from dashboard.views.timeline import SPAN_PARAM, build_timeline, selected_span


def test_chart_stacks_groups_with_the_map_colours_and_a_casualty_line():
    incidents = read_incidents("tests/fixtures/native_small.csv")
    counts = Engine(incidents).timeline(Filters(), by="event_type")
    spec = build_timeline(counts, frequency="day", by="event_type").to_dict()
    bars, line = spec["layer"]
    assert bars["mark"]["type"] == "bar" and line["mark"]["type"] == "line"
    scale = bars["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        t: TYPE_COLORS[t] for t in ("airstrike", "attack", "foiled_attack")
    }
    assert spec["params"][0]["name"] == SPAN_PARAM
    assert spec["params"][0]["views"] == [bars["name"]]  # the span is drawn on the bars
    assert line["encoding"]["y"]["title"] == "killed + wounded (known)"


def test_selected_span_reads_vega_lite_milliseconds():
    start, end = pd.Timestamp("2023-11-20"), pd.Timestamp("2023-11-27")
    event = {"selection": {SPAN_PARAM: {"yearmonthdate_period": [
        start.value // 10**6, end.value // 10**6]}}}  # fmt: skip
    assert selected_span(event) == (date(2023, 11, 20), date(2023, 11, 27))
    assert selected_span({"selection": {SPAN_PARAM: {}}}) is None
    assert selected_span(None) is None
