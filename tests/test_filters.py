"""Filters select the right incidents, describe themselves, and round-trip through the URL."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.formats import read_incidents


@pytest.fixture
def incidents():
    return read_incidents("tests/fixtures/native_small.csv")


@pytest.mark.parametrize(
    ("filters", "expected_ids"),
    [
        (Filters(), ["fx-1", "fx-2", "fx-3", "fx-4"]),
        (Filters(start=date(2023, 11, 21), end=date(2023, 11, 25)), ["fx-2", "fx-3"]),
        (Filters(actor=("Kataib Hezbollah",)), ["fx-1", "fx-2"]),
        # An umbrella group matches its member groups.
        (Filters(actor=("Islamic Resistance in Iraq",)), ["fx-1", "fx-2", "fx-4"]),
        (Filters(side=("Iraqi government",)), ["fx-3"]),
        (Filters(type=("attack",)), ["fx-1", "fx-4"]),
        (Filters(weapon=("drone",)), ["fx-4"]),
        (Filters(country=("sy",)), ["fx-4"]),
        (Filters(site=("harir", "al-tanf")), ["fx-3", "fx-4"]),
        # Unknown casualties never count as zero, nor as meeting a minimum.
        (Filters(min_casualties=1), ["fx-2"]),
        (Filters(min_casualties=0), ["fx-2", "fx-3"]),
        (Filters(text="LAUNCHERS"), ["fx-3"]),
        (Filters(type=("attack",), country=("IQ",)), ["fx-1"]),
    ],
)
def test_filters_select(incidents, filters, expected_ids):
    assert filters.apply(incidents)["incident_id"].tolist() == expected_ids


def test_description_reads_as_a_sentence(incidents):
    filters = Filters(actor=("Kataib Hezbollah",), country=("IQ",))
    selected = filters.apply(incidents)
    assert filters.describe(selected) == (
        "2 incidents, 20 Nov 2023 - 21 Nov 2023, actor Kataib Hezbollah, Iraq"
    )
    assert Filters().describe() == "all incidents"
    assert Filters(min_casualties=5, text="base").describe() == (
        "at least 5 killed or wounded, mentioning “base”"
    )


def test_query_round_trip():
    filters = Filters(
        start=date(2023, 10, 17),
        end=date(2024, 2, 29),
        actor=("Kataib Hezbollah", "Harakat Hezbollah al-Nujaba"),
        type=("attack",),
        country=("IQ", "SY"),
        min_casualties=2,
        text="drone",
    )
    query = filters.to_query()
    assert query["actor"] == "Kataib Hezbollah,Harakat Hezbollah al-Nujaba"
    assert Filters.from_query(query) == filters


def test_bad_query_values_are_ignored_not_fatal():
    filters = Filters.from_query({"start": "yesterday", "min_casualties": "many", "type": ""})
    assert filters == Filters()
