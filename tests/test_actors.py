"""Actor names as sources write them map to one canonical name; the original is kept."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import actors

CASES = [
    ("Kataib Hezbollah", "Kataib Hezbollah"),
    ("Kata'ib Hizballah", "Kataib Hezbollah"),
    ("Hezbollah Brigades", "Kataib Hezbollah"),
    ("KH", "Kataib Hezbollah"),
    ("kataib  hezbollah", "Kataib Hezbollah"),
    ("Kataʾib Ḥizballah", "Kataib Hezbollah"),
    ("Military Forces of the United States (2021-)", "United States Armed Forces"),
    ("Military Forces of Iraq (2022-)", "Iraqi Security Forces"),
    ("U.S. forces", "United States Armed Forces"),
    ("Harakat al-Nujaba", "Harakat Hezbollah al-Nujaba"),
    ("Islamic Resistance in Iraq", "Islamic Resistance in Iraq"),
    ("Hashd al-Shaabi", "Popular Mobilisation Forces"),
    ("The Islamic Resistance in Iraq", "Islamic Resistance in Iraq"),
    ("Unknown armed group", None),
    ("", None),
    ("Hezbollah", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_canonical_actor(text, expected):
    assert actors.canonical_actor(text) == expected


def test_canonicalise_keeps_original_text():
    frame = pd.DataFrame(
        {
            "actor1": ["Kata'ib Hizballah", "Some new group", None],
            "actor2": ["US forces", None, None],
        },
        dtype="string",
    )
    out = actors.canonicalise(frame)
    assert out["actor1"].tolist()[:2] == ["Kataib Hezbollah", "Some new group"]
    assert out["actor1_original"].tolist()[:2] == ["Kata'ib Hizballah", "Some new group"]
    assert out["actor2"].iloc[0] == "United States Armed Forces"
    assert pd.isna(out["actor1"].iloc[2])


def test_sides_and_umbrellas():
    assert actors.side_of("Kataib Hezbollah") == "Iran-aligned militia"
    assert actors.side_of("Nobody") == actors.UNKNOWN_SIDE
    assert actors.umbrellas_of("Kataib Hezbollah") == [
        "Islamic Resistance in Iraq",
        "Popular Mobilisation Forces",
    ]


def test_every_alias_names_one_actor_only():
    table = actors.load_actors()
    seen: dict[str, str] = {}
    for row in table.itertuples():
        for alias in [row.name, *row.aliases.split("|")]:
            key = actors.normalise_name(alias)
            assert seen.setdefault(key, row.name) == row.name, f"{alias!r} names two actors"
