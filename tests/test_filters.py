"""The filter registry: roles kept apart, names read as analysts write them, every unusable value
reported, words that say what was asked, and one URL round trip for every filter."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.engine import Engine
from dashboard.filters import REGISTRY, Filters, Near, misspelt_keys
from dashboard.formats import read_incidents


@pytest.fixture(scope="module")
def engine():
    return Engine(read_incidents("tests/fixtures/native_small.csv"), search_in_background=False)


def ids(engine: Engine, filters: Filters) -> list[str]:
    return engine.frame(filters)["incident_id"].tolist()


def parse(engine: Engine, **params):
    return Filters.parse(params, engine.vocabulary)


@pytest.mark.parametrize(
    ("params", "expected_ids"),
    [
        ({}, ["fx-1", "fx-2", "fx-3", "fx-4"]),
        ({"start": "2023-11-21", "end": "2023-11-25"}, ["fx-2", "fx-3"]),
        # Roles: KH attacked in fx-1 and was struck in fx-2.
        ({"attacker": "Kataib Hezbollah"}, ["fx-1"]),
        ({"target": "Kataib Hezbollah"}, ["fx-2"]),
        ({"actor": "Kataib Hezbollah"}, ["fx-1", "fx-2"]),
        # Any alias or transliteration in actors.csv names the actor.
        ({"attacker": "KH"}, ["fx-1"]),
        ({"attacker": "Kata'ib Hizballah"}, ["fx-1"]),
        # An umbrella group matches its member groups.
        ({"attacker": "Islamic Resistance in Iraq"}, ["fx-1", "fx-4"]),
        # Side is the attacker's unless asked otherwise.
        ({"side": "US and coalition"}, ["fx-2"]),
        ({"side": "US and coalition", "side_of": "target"}, ["fx-1", "fx-4"]),
        ({"side": "US and coalition", "side_of": "either"}, ["fx-1", "fx-2", "fx-4"]),
        ({"side": "Iraqi government"}, ["fx-3"]),
        ({"type": "attack"}, ["fx-1", "fx-4"]),
        ({"type": "Foiled attack"}, ["fx-3"]),
        ({"weapon": "drone"}, ["fx-4"]),
        ({"country": "sy"}, ["fx-4"]),
        ({"country": "Syria"}, ["fx-4"]),
        ({"country": "IRQ"}, ["fx-1", "fx-2", "fx-3"]),
        ({"site": "harir,al-tanf"}, ["fx-3", "fx-4"]),
        ({"site": "Ain al-Asad Air Base"}, ["fx-1"]),
        # Unknown casualties never count as zero, nor as meeting a minimum.
        ({"min_casualties": "1"}, ["fx-2"]),
        ({"min_casualties": "0"}, ["fx-2", "fx-3"]),
        # Each fixture row names one source.
        ({"min_sources": "1"}, ["fx-1", "fx-2", "fx-3", "fx-4"]),
        ({"min_sources": "2"}, []),
        ({"q": "LAUNCHERS"}, ["fx-3"]),
        # Search spells places as the geocoder does, and finds the site a query names.
        ({"q": "Ayn al-Asad"}, ["fx-1"]),
        ({"q": "jurf sakhar"}, ["fx-2"]),
        ({"type": "attack", "country": "IQ"}, ["fx-1"]),
        ({"near": "ain-al-asad:25"}, ["fx-1"]),
        ({"near": "33.0,44.0:50"}, ["fx-2"]),
        ({"bbox": "32,40,34,45"}, ["fx-1", "fx-2"]),
        ({"area": "32,44;33.5,44;33,45"}, ["fx-2"]),
    ],
)
def test_filters_select(engine, params, expected_ids):
    filters, problems = parse(engine, **params)
    assert problems == []
    assert ids(engine, filters) == expected_ids


def test_description_says_who_did_what_to_whom(engine):
    filters, _ = parse(engine, attacker="KH", country="IQ")
    words = filters.describe(count=1, span=engine.span(filters), vocab=engine.vocabulary)
    assert words == "1 incident, 20 Nov 2023 - 20 Nov 2023, by Kataib Hezbollah, in Iraq"
    target, _ = parse(engine, target="KH", side="US and coalition", side_of="either")
    assert target.describe(vocab=engine.vocabulary) == (
        "on Kataib Hezbollah, involving the US and coalition side"
    )
    assert Filters().describe() == "all incidents"
    assert Filters(min_casualties=5, text="base").describe() == (
        "at least 5 killed or wounded, mentioning “base”"
    )


def test_descriptions_use_names_not_codes_or_slugs(engine):
    filters, _ = parse(engine, country="EG,QA,AE", site="ain-al-asad", near="al-tanf-garrison:25")
    words = filters.describe(vocab=engine.vocabulary)
    assert "in Egypt, Qatar or United Arab Emirates" in words
    assert "at Ain al-Asad Air Base" in words
    assert "within 25 km of" in words and "al-tanf-garrison" not in words


@pytest.mark.parametrize(
    ("params", "key", "reason"),
    [
        ({"start": "yesterday"}, "start", "YYYY-MM-DD"),
        ({"start": "0001-01-01"}, "start", "before 1900"),
        ({"min_casualties": "many"}, "min_casualties", "whole number"),
        ({"min_casualties": "-3"}, "min_casualties", "negative"),
        ({"min_sources": "two"}, "min_sources", "whole number"),
        ({"attacker": "Nobody Brigade"}, "attacker", "unknown actor"),
        ({"side": "Martians"}, "side", "unknown side"),
        ({"side": "Iran", "side_of": "sideways"}, "side_of", "attacker, target or either"),
        ({"type": "picnic"}, "type", "unknown event type"),
        ({"country": "Atlantis"}, "country", "unknown country"),
        ({"site": "nowhere-base"}, "site", "unknown site"),
        ({"near": "ain-al-asad"}, "near", "SITE:KM"),
        ({"near": "ain-al-asad:-5"}, "near", "SITE:KM"),
        ({"near": "atlantis:25"}, "near", "unknown site"),
        ({"bbox": "34,40,32,45"}, "bbox", "south < north"),
        ({"bbox": "nan,1,2,3"}, "bbox", "south,west,north,east"),
        ({"area": "1,2;3,4"}, "area", "3 to"),
    ],
)
def test_unusable_values_are_reported_with_their_key(engine, params, key, reason):
    filters, problems = parse(engine, **params)
    assert [p.key for p in problems] == [key]
    assert reason in problems[0].message
    # The rest of the view still works: the same as the link without the bad value.
    usable, _ = parse(engine, **{k: v for k, v in params.items() if k != key})
    assert filters == usable


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("Kataib Hezbolah", "Kataib Hezbollah"),  # one letter dropped
        ("Islamic Resistence in Iraq", "Islamic Resistance in Iraq"),
        ("Nobody Brigade", None),  # nothing near: no guess
        ("Hamas Brigade", None),
    ],
)
def test_a_near_miss_actor_is_answered_with_the_nearest_name(engine, text, suggested):
    _, problems = parse(engine, attacker=text)
    message = problems[0].message
    if suggested:
        assert message.endswith(f"did you mean {suggested}?")
    else:
        assert "did you mean" not in message


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"contry": "IQ"}, ["contry='IQ': not a filter; did you mean country?"]),
        ({"atacker": "KH"}, ["atacker='KH': not a filter; did you mean attacker?"]),
        ({"country": "IQ", "view": "briefing"}, []),  # a filter and a page setting
        ({"zzz": "1"}, ["zzz='1': not a filter; known: "]),
    ],
)
def test_parameters_that_are_not_filters_are_named(params, expected):
    problems = [p.describe() for p in misspelt_keys(params, ("view",))]
    assert len(problems) == len(expected)
    assert all(p.startswith(e) for p, e in zip(problems, expected, strict=True))


def test_every_filter_round_trips_through_its_url(engine):
    filters = Filters(
        start=date(2023, 10, 17),
        end=date(2024, 2, 29),
        attacker=("Kataib Hezbollah", "Harakat Hezbollah al-Nujaba"),
        target=("United States Armed Forces",),
        actor=("Islamic Resistance in Iraq",),
        side=(("Iran-aligned militia",), "either"),
        type=("attack",),
        weapon=("drone", "rocket"),
        country=("IQ", "SY"),
        site=("ain-al-asad",),
        near=Near(33.7856, 42.4412, 25.0, "ain-al-asad"),
        bbox=(32.0, 40.0, 34.0, 45.0),
        area=((32.0, 44.0), (33.5, 44.0), (33.0, 45.0)),
        min_casualties=2,
        min_sources=2,
        text="drone",
    )
    assert {f.name for f in REGISTRY} == {name for name, _ in filters.items()}
    assert len(filters.active()) == len(REGISTRY)  # every filter is set in this example
    query = filters.to_query()
    assert query["attacker"] == "Kataib Hezbollah,Harakat Hezbollah al-Nujaba"
    assert query["near"] == "ain-al-asad:25" and query["side_of"] == "either"
    again, problems = Filters.parse(query, engine.vocabulary)
    assert problems == []
    assert again == filters


def test_cli_export_flags_come_from_the_registry():
    from dashboard.__main__ import build_parser

    export = build_parser()._subparsers._group_actions[0].choices["export"]
    flags = {option for action in export._actions for option in action.option_strings}
    for spec in REGISTRY:
        keys = spec.keys or (spec.name,)
        wanted = [spec.name] if len(keys) == 1 else list(keys)
        for name in wanted:
            assert f"--{name.replace('_', '-')}" in flags
