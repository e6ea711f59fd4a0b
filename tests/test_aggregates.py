"""Headline numbers, timeline series and the previous-period comparison."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.aggregates import headline, latest, timeline, timeline_frequency
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.synthetic import synthetic_incidents


@pytest.fixture
def incidents():
    return read_incidents("tests/fixtures/native_small.csv")


def test_headline_counts_known_casualties_and_says_how_many_are_unknown(incidents):
    numbers = headline(incidents, Filters())
    assert numbers.incidents == 4
    assert (numbers.killed, numbers.killed_unknown) == (8, 2)
    assert (numbers.wounded, numbers.wounded_unknown) == (5, 2)
    assert numbers.sites_hit == 4


def test_previous_period_of_equal_length(incidents):
    earlier = incidents.iloc[[0]].assign(incident_id="fx-0", event_date=pd.Timestamp("2023-11-01"))
    incidents = pd.concat([earlier, incidents])  # the data now covers the previous period
    # 25 Nov - 3 Dec (9 days) against 16 - 24 Nov: fx-1 and fx-2 fall in the previous period.
    numbers = headline(incidents, Filters(start=date(2023, 11, 25), end=date(2023, 12, 3)))
    assert numbers.incidents == 2
    assert numbers.period_days == 9
    assert numbers.previous_incidents == 2
    assert numbers.change == 0


def test_no_comparison_with_a_period_before_the_data_begins(incidents):
    numbers = headline(incidents, Filters())
    assert numbers.previous_incidents is None
    assert numbers.change is None


def test_timeline_by_day_for_short_spans_and_week_for_long_ones(incidents):
    assert timeline_frequency(incidents) == "day"
    counts = timeline(incidents, by="event_type")
    assert counts["incidents"].sum() == 4
    airstrike = counts[counts["group"] == "airstrike"].iloc[0]
    assert (airstrike["period"], airstrike["casualties"]) == (pd.Timestamp("2023-11-21"), 13)
    year = synthetic_incidents(2000, seed=3, days=365)
    assert timeline_frequency(year) == "week"
    weekly = timeline(year, by="side")
    assert weekly["incidents"].sum() == 2000
    assert (weekly["period"].dt.day_of_week == 0).all()  # weeks start on Monday


def test_latest_is_newest_first(incidents):
    assert latest(incidents, 2)["incident_id"].tolist() == ["fx-4", "fx-3"]
