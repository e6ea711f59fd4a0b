"""Article extraction: the seed article field by field, the test articles, recall/precision.

Expected incidents are written by hand from reading each article (tests/fixtures/articles/).
Places are compared as "site:<gazetteer id>", "town:<towns.csv name>" (within 1 km of the town's
point) or "text:<location as written>" for sites the gazetteer does not know (no coordinates).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from geopy.distance import geodesic

from dashboard.geocoding.towns import load_towns
from dashboard.ingest import extract_incidents
from dashboard.schema import COLUMNS, EVENT_TYPES, WEAPONS

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
# The seed article the project started from (The National, 26 Nov 2023), kept verbatim as a
# test fixture so the suite runs from a fresh clone; see tests/fixtures/articles/README.md.
SEED = Path(__file__).parent / "fixtures" / "articles" / "seed-the-national-2023-11-26.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
USAF = "United States Armed Forces"
KH = "Kataib Hezbollah"
IRI = "Islamic Resistance in Iraq"
NA = None


def E(day, place, etype, weapon=NA, actor1=NA, actor2=NA, killed=NA, wounded=NA, precision=1):
    return {
        "event_date": day,
        "place": place,
        "event_type": etype,
        "weapon": weapon,
        "actor1": actor1,
        "actor2": actor2,
        "killed": killed,
        "wounded": wounded,
        "time_precision": precision,
    }


# article file -> (publication date to pass or None, expected incidents)
EXPECTED: dict[str, tuple[str | None, list[dict]]] = {
    "a01_tower22.txt": (
        None,
        [
            E("2024-01-28", "text:tower 22", "attack", "drone", IRI, USAF, 3, 30),
            E("2024-01-27", "site:ain-al-asad", "attack", "rocket", NA, NA, 0, 0),
        ],
    ),
    "a02_conoco_month_end.txt": (
        None,
        [
            E(
                "2024-01-30",
                "site:conoco-gas-field",
                "attack",
                "drone",
                "Iran-backed militias",
                USAF,
                0,
                0,
            ),
            E("2024-01-31", "site:al-omar-oil-field", "attack", "rocket", NA, NA, 0, 0),
            E(
                "2024-02-01",
                "town:Ash Shaddādah",
                "clash",
                NA,
                "Syrian Democratic Forces",
                "Islamic State",
                4,
                2,
            ),
        ],
    ),
    "a03_erbil_leap_day.txt": (
        None,
        [
            E(
                "2024-02-28",
                "site:erbil-airport",
                "interception",
                "drone",
                IRI,
                "US-led coalition",
                0,
                0,
            ),
            E("2024-02-29", "site:harir-air-base", "attack", "drone", IRI, NA, NA, 1),
            E("2024-02-29", "town:Kirkuk", "seizure", "rocket", "Iraqi Security Forces"),
        ],
    ),
    "a04_analysis_no_incident.txt": (None, []),
    "a05_us_strikes_qaim.txt": (
        None,
        [
            E(
                "2024-02-02",
                "town:Al Qā’im",
                "airstrike",
                "aircraft",
                USAF,
                "Islamic Revolutionary Guard Corps",
                16,
                25,
            ),
            E(
                "2024-02-02",
                "town:Ālbū Kamāl",
                "airstrike",
                "aircraft",
                USAF,
                "Islamic Revolutionary Guard Corps",
            ),
            E(
                "2024-02-02",
                "town:Al Mayādīn",
                "airstrike",
                "aircraft",
                USAF,
                "Islamic Revolutionary Guard Corps",
            ),
            E("2024-01-28", "text:tower 22", "attack", NA, NA, USAF, 3, NA),
        ],
    ),
    "a06_embassy_rockets.txt": (
        None,
        [
            E("2023-12-08", "site:us-embassy-baghdad", "attack", "rocket", NA, NA, 0, 0),
            E(
                "2023-12-08",
                "site:baghdad-airport",
                "attack",
                "drone",
                NA,
                "Iraqi Security Forces",
                NA,
                1,
            ),
            E("2023-12-09", "site:us-embassy-baghdad", "protest", NA, KH),
            E(
                "2023-11-15",
                "text:union iii",
                "attack",
                "rocket",
                NA,
                "US-led coalition",
                0,
                0,
                precision=3,
            ),
        ],
    ),
    "a07_syria_month_end.txt": (
        None,
        [
            E("2023-11-30", "site:al-omar-oil-field", "attack", "rocket", NA, USAF, 0, 0),
            E("2023-12-01", "site:al-tanf", "attack", "drone", NA, USAF, NA, 2),
            E(
                "2023-11-27",
                "town:Ash Shaddādah",
                "other",
                NA,
                "Syrian Democratic Forces",
                "Islamic State",
                precision=2,
            ),
        ],
    ),
    "a08_kirkuk_ied.txt": (
        None,
        [
            # "south-west of Kirkuk" is a relative place: never Kirkuk's point (issue 9); it
            # keeps the expression as its location and no coordinates.
            E(
                "2023-09-03",
                "text:south west of kirkuk",
                "attack",
                "ied",
                "Islamic State",
                "Iraqi Security Forces",
                2,
                3,
            ),
            E(
                "2023-09-02",
                "town:Al Ḩawījah",
                "attack",
                "small_arms",
                "Islamic State",
                "Popular Mobilisation Forces",
                1,
                NA,
            ),
            E(
                "2023-08-30",
                "town:Ţūz Khūrmātū",
                "airstrike",
                "aircraft",
                "Iraqi Security Forces",
                "Islamic State",
                7,
                NA,
            ),
        ],
    ),
    "a09_ain_al_asad_missiles.txt": (
        "2024-01-21",
        [
            E("2024-01-20", "site:ain-al-asad", "attack", "ballistic_missile", IRI, USAF, NA, 5),
            E("2024-01-18", "site:erbil-airport", "interception", "drone", NA, "US-led coalition"),
            E("2024-01-16", "site:jurf-al-sakhar", "airstrike", "aircraft", USAF, KH),
            E("2024-01-16", "town:Al Qā’im", "airstrike", "aircraft", USAF, KH),
        ],
    ),
}

# Written before any rule was run on them; never used to tune (see test docstring below).
HELD_OUT: dict[str, tuple[str | None, list[dict]]] = {
    "h01_tanf_abu_kamal.txt": (
        None,
        [
            E("2023-10-29", "site:al-tanf", "interception", "drone", NA, USAF, 0, 0),
            E(
                "2023-10-26",
                "town:Ālbū Kamāl",
                "airstrike",
                "aircraft",
                USAF,
                "Islamic Revolutionary Guard Corps",
            ),
            E("2023-10-27", "site:conoco-gas-field", "attack", "rocket"),
        ],
    ),
    "h02_erbil_k1.txt": (
        None,
        [
            E("2023-12-31", "site:erbil-airport", "attack", "drone"),
            E("2024-01-01", "site:k1-air-base", "attack", "rocket", killed=1, wounded=2),
            E(
                "2023-12-28",
                "town:Mexmur",
                "attack",
                "small_arms",
                NA,
                "Kurdistan Region Security Forces",
                NA,
                3,
            ),
        ],
    ),
    "h03_baghdad_drone_strike.txt": (
        None,
        [
            E(
                "2024-01-04",
                "town:Baghdad",
                "airstrike",
                "drone",
                USAF,
                "Harakat Hezbollah al-Nujaba",
                2,
                NA,
            ),
        ],
    ),
    "h04_shaddadi.txt": (
        None,
        [
            E("2024-03-25", "town:Ash Shaddādah", "attack", "rocket", NA, NA, 0, 0),
            E("2024-03-25", "text:tal baidar", "airstrike", "aircraft", USAF, NA, 5, NA),
            E("2024-03-20", "site:kharab-al-jir", "interception", "drone"),
        ],
    ),
}


def _town_point(name: str) -> tuple[float, float]:
    town = next(t for t in load_towns().towns if t.name == name)
    return town.latitude, town.longitude


def place_matches(row: pd.Series, place: str) -> bool:
    kind, value = place.split(":", 1)
    if kind == "site":
        return _value(row["site_id"]) == value
    if kind == "town":
        if pd.isna(row["latitude"]) or not pd.isna(row["site_id"]):
            return False
        return geodesic(_town_point(value), (row["latitude"], row["longitude"])).km <= 1
    location = " ".join("".join(c if c.isalnum() else " " for c in row["location"]).split())
    return value in location.lower()


def run(name: str, folder: Path = ARTICLES, published: str | None = None) -> pd.DataFrame:
    text = (folder / name).read_text(encoding="utf-8")
    day = date.fromisoformat(published) if published else None
    return extract_incidents(text, published=day, name=Path(name).stem)


def _matching(frame: pd.DataFrame, expected: dict) -> list[int]:
    day = pd.Timestamp(expected["event_date"])
    return [
        i
        for i, row in frame.iterrows()
        if row["event_date"] == day and place_matches(row, expected["place"])
    ]


def _value(value):
    return None if pd.isna(value) else value


# -- the seed article ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return extract_incidents(SEED_TEXT, name="the-national-2023-11-26", source="The National")


def one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == (pd.Timestamp(value) if column == "event_date" else value)
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}:\n{frame}"
    return rows.iloc[0]


def test_seed_has_exactly_the_six_incidents(seed):
    assert len(seed) == 6
    assert list(seed.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert {"evidence", "confidence"} <= set(seed.columns)
    assert seed["confidence"].between(0, 1).all()
    assert seed["source"].eq("The National").all()
    assert seed["dataset"].eq("article:the-national-2023-11-26").all()
    assert seed["incident_id"].str.startswith("art-").all()
    assert seed["incident_id"].is_unique


def test_seed_attack_at_ain_al_asad_on_monday(seed):
    row = one(seed, event_type="attack")
    assert row["event_date"] == pd.Timestamp("2023-11-20")  # Monday before 26 Nov
    assert row["time_precision"] == 1
    assert row["site_id"] == "ain-al-asad"
    assert "Ain Al Asad" in row["location"]
    assert row["country"] == "IQ" and row["geo_precision"] == 1
    assert row["geo_source"] == "gazetteer"
    assert row["latitude"] == pytest.approx(33.7856) and row["longitude"] == pytest.approx(42.4412)
    assert pd.isna(row["actor1"]) and row["actor2"] == USAF
    assert pd.isna(row["killed"]) and pd.isna(row["wounded"])
    assert "On Monday, US forces were attacked at Ain Al Asad airbase" in row["evidence"]


def test_seed_ac130_strike_a_few_hours_later(seed):
    row = one(seed, event_type="airstrike", event_date="2023-11-20")
    assert row["weapon"] == "aircraft"
    assert row["actor1"] == USAF and row["actor2"] == KH
    assert row["killed"] == 1 and pd.isna(row["wounded"])
    assert row["site_id"] == "ain-al-asad" and row["geo_precision"] == 2  # near, inferred
    assert row["location"].startswith("near ")
    assert "AC-130" in row["evidence"]
    assert row["confidence"] < one(seed, event_type="attack")["confidence"]


def test_seed_jurf_al_sakhar_strike_the_following_day(seed):
    row = one(seed, site_id="jurf-al-sakhar")
    assert row["event_date"] == pd.Timestamp("2023-11-21")
    assert row["time_precision"] == 1
    assert row["event_type"] == "airstrike" and row["weapon"] == "aircraft"
    assert row["actor1"] == USAF and row["actor2"] == KH  # "the same group"
    assert row["killed"] == 8 and row["wounded"] == 5
    assert row["location"].startswith("Jurf Al Sakhar")
    assert row["geo_precision"] == 1 and row["country"] == "IQ" and row["admin1"] == "Babil"


@pytest.mark.parametrize(
    ("site_id", "location", "geo_precision"),
    [
        ("ain-al-asad", "Ain Al Asad", 1),
        ("baghdad-airport", "a military base near Baghdad International Airport", 2),
        ("harir-air-base", "Harir Airport in the northern city of Erbil", 1),
    ],
)
def test_seed_prevented_attacks(seed, site_id, location, geo_precision):
    row = one(seed, event_type="foiled_attack", site_id=site_id)
    assert row["location"] == location
    assert row["geo_precision"] == geo_precision
    assert row["time_precision"] in (2, 3)
    # Undated: the day the minister reported them ("in an interview on Saturday").
    assert row["event_date"] == pd.Timestamp("2023-11-25")
    assert row["actor1"] == "Iran-backed militias" and row["actor2"] == USAF
    assert pd.isna(row["weapon"]) and pd.isna(row["killed"]) and pd.isna(row["wounded"])
    assert "prevented several attacks" in row["evidence"] and "The targets were" in row["evidence"]


def test_seed_background_sentences_make_no_incident(seed):
    evidence = " ".join(seed["evidence"])
    for background in ("15,000", "1,200", "October 7", "last week", "took office", "truce"):
        assert background not in evidence
    assert seed["event_date"].min() >= pd.Timestamp("2023-11-20")
    assert (seed["killed"].fillna(0) < 100).all()


def test_seed_publication_date_argument_wins():
    frame = extract_incidents(SEED_TEXT, published=date(2023, 11, 22))
    attack = one(frame, event_type="attack")
    assert attack["event_date"] == pd.Timestamp("2023-11-20")
    strike = one(frame, site_id="jurf-al-sakhar")
    assert strike["event_date"] == pd.Timestamp("2023-11-21")


# -- the test articles --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_article_fields(name):
    published, expected = EXPECTED[name]
    text = (ARTICLES / name).read_text(encoding="utf-8")
    assert text.startswith("TEST ARTICLE — written for the test suite, not a real report")
    frame = run(name, published=published)
    assert len(frame) == len(expected), frame[["event_date", "location", "event_type"]]
    assert frame["event_type"].dropna().isin(EVENT_TYPES).all()
    assert frame["weapon"].dropna().isin(WEAPONS).all()
    for incident in expected:
        rows = _matching(frame, incident)
        assert len(rows) == 1, f"{name}: {incident['event_date']} {incident['place']}: {rows}"
        row = frame.loc[rows[0]]
        for field in ("event_type", "weapon", "actor1", "actor2", "killed", "wounded",
                      "time_precision"):  # fmt: skip
            assert _value(row[field]) == incident[field], (name, incident["place"], field)
        assert (
            row["evidence"]
            and row["evidence"] in text
            or all(part in text for part in row["evidence"].split(" … "))
        )


def _scores(expected_set: dict, folder: Path) -> tuple[float, float, list]:
    true_positive = extracted = relevant = 0
    misses = []
    for name, (published, expected) in expected_set.items():
        frame = run(name, folder, published)
        extracted += len(frame)
        relevant += len(expected)
        used: set[int] = set()
        for incident in expected:
            rows = [i for i in _matching(frame, incident) if i not in used]
            if rows:
                used.add(rows[0])
                true_positive += 1
            else:
                misses.append((name, "missed", incident["event_date"], incident["place"]))
        for i, row in frame.iterrows():
            if i not in used:
                misses.append((name, "extra", f"{row['event_date']:%Y-%m-%d}", row["location"]))
    recall = true_positive / relevant if relevant else 1.0
    precision = true_positive / extracted if extracted else 1.0
    return recall, precision, misses


def test_recall_and_precision_of_date_place_pairs():
    expected = dict(EXPECTED)
    recall, precision, misses = _scores(expected, ARTICLES)
    print(f"tuned set: recall {recall:.2f}, precision {precision:.2f}; {misses}")
    assert recall >= 0.9 and precision >= 0.9, misses


def test_held_out_recall_and_precision():
    """Held-out articles, written before the rules were run on them and never tuned on.

    They were written by the same person as the rules, so they are not independent of the
    rule writer's habits; the bound is lower than the tuned set's on purpose. First run:
    recall 0.80, precision 0.80; after issue 9 (Tal Baydar in the gazetteer, provinces that only
    locate): 0.90 / 0.90. Known miss: h03 dates the strike by the debate's "on Saturday" in
    the same sentence ("days after a US drone strike ...").
    """
    recall, precision, misses = _scores(HELD_OUT, ARTICLES / "heldout")
    print(f"held-out set: recall {recall:.2f}, precision {precision:.2f}; {misses}")
    assert recall >= 0.7 and precision >= 0.7, misses
