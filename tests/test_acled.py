"""ACLED exports -> canonical cells: tables of input -> expected output, and whole fixtures.

The fixtures are hand-written, made-up rows in ACLED's column layouts (no ACLED data).
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.formats import acled
from dashboard.problems import Problem
from dashboard.schema import COLUMNS, parse_incidents

NATIVE_HEADER = ["incident_id", "event_date", "location", "latitude", "longitude"]


def read_fixture(fixtures, name: str) -> pd.DataFrame:
    return pd.read_csv(fixtures / name, dtype=str, keep_default_na=False)


def one_row(**cells: str) -> pd.DataFrame:
    """A one-row export in the current layout: every column empty except `cells`."""
    row = dict.fromkeys(acled.HEADER, "")
    row.update(event_id_cnty="IRQFX9", event_date="2023-11-20", country="Iraq", location="X")
    row.update(cells)
    return pd.DataFrame([row], dtype=object)


# --- header recognition -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        (list(acled.HEADER), True),
        (list(acled.LEGACY_HEADER), True),
        ([c.upper() for c in acled.LEGACY_HEADER], True),
        ([f"  {c.title()} " for c in acled.HEADER], True),
        (["event_id_cnty", "event_date", "sub_event_type", "location"], True),
        (NATIVE_HEADER, False),
        (list(COLUMNS), False),
        (["id", "type_of_violence", "date_start", "side_a", "side_b", "best"], False),
        ([], False),
    ],
)
def test_looks_like(header, expected):
    assert acled.looks_like(header) is expected


def test_header_is_the_31_column_codebook_order():
    assert len(acled.HEADER) == 31 and len(set(acled.HEADER)) == 31
    assert acled.HEADER[:5] == ("event_id_cnty", "event_date", "year", "time_precision",
                                "disorder_type")  # fmt: skip
    assert acled.HEADER[-4:] == ("notes", "fatalities", "tags", "timestamp")
    assert len(acled.LEGACY_HEADER) == 31
    assert {"disorder_type", "civilian_targeting", "tags"}.isdisjoint(acled.LEGACY_HEADER)


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-11-20", "2023-11-20"),
        ("2023-1-5", "2023-01-05"),
        ("20 November 2023", "2023-11-20"),
        ("20-November-2023", "2023-11-20"),
        ("20-Nov-23", "2023-11-20"),
        ("5-Dec-23", "2023-12-05"),
        ("03 December 2023", "2023-12-03"),
        ("20 Nov 2023", "2023-11-20"),
        ("20-nov-2023", "2023-11-20"),
        ("12-Sept-97", "1997-09-12"),
        ("01-Jan-99", "1999-01-01"),
        ("2023-02-30", "2023-02-30"),  # kept: the validator says there is no such day
        ("31-Nov-23", None),
        ("20 Novembre 2023", None),
        ("20/11/2023", None),
        ("yesterday", None),
    ],
)
def test_parse_date(text, expected):
    assert acled.parse_date(text) == expected


def test_unreadable_date_is_a_problem_and_keeps_its_text():
    cells, problems = acled.to_canonical(one_row(event_date="20/11/2023"))
    assert cells.loc[0, "event_date"] == "20/11/2023"
    assert problems == [
        Problem(2, "event_date", "cannot read ACLED date '20/11/2023': expected YYYY-MM-DD, "
                "'DD Month YYYY', 'DD-Month-YYYY' or 'DD-Mon-YY'")
    ]  # fmt: skip


def test_problem_rows_follow_a_spreadsheet_index():
    raw = one_row(event_date="bad")
    raw.index = [7]  # the lead's reader indexes by spreadsheet row
    _cells, problems = acled.to_canonical(raw)
    assert [p.row for p in problems] == [7]


# --- countries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iso, name, iso3, expected",
    [
        ("368", "Iraq", "", "IQ"),
        ("760", "", "", "SY"),
        ("400", "Jordan", "", "JO"),
        ("364", "", "", "IR"),
        ("422", "", "", "LB"),
        ("376", "", "", "IL"),
        ("275", "", "", "PS"),
        ("792", "", "", "TR"),
        ("682", "", "", "SA"),
        ("887", "", "", "YE"),
        ("48", "", "", "BH"),
        ("368", "Syria", "", "IQ"),  # the numeric code wins
        ("", "", "JOR", "JO"),
        ("", "Lebanon", "", "LB"),
        ("", " saudi arabia ", "", "SA"),
        ("", "Türkiye", "", "TR"),
        ("999", "Iraq", "", "IQ"),
        ("", "Narnia", "", "Narnia"),  # unknown: left for the validator to report
        ("", "", "", ""),
    ],
)
def test_country_code(iso, name, iso3, expected):
    assert acled.country_code(iso, name, iso3) == expected


# --- event types and weapons --------------------------------------------------------------------


@pytest.mark.parametrize(
    "event_type, sub_event_type, notes, expected",
    [
        ("Explosions/Remote violence", "Air/drone strike", "Warplanes struck a depot",
         ("airstrike", "aircraft")),
        ("Explosions/Remote violence", "Air/drone strike", "", ("airstrike", "aircraft")),
        ("Explosions/Remote violence", "Air/drone strike", "A UAV struck a car",
         ("airstrike", "drone")),
        ("Explosions/Remote violence", "Air/drone strike", "two drones hit the base",
         ("airstrike", "drone")),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack",
         "Katyusha rockets landed near the base", ("attack", "rocket")),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack",
         "a ballistic missile hit the airport", ("attack", "ballistic_missile")),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack",
         "a cruise missile was fired", ("attack", "missile")),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack",
         "mortar shells fell on the village", ("attack", "artillery")),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "an attack",
         ("attack", "unknown")),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", "", ("attack", "ied")),
        ("Explosions/Remote violence", "Suicide bomb", "", ("attack", "ied")),
        ("Battles", "Armed clash", "", ("clash", "unknown")),
        ("Battles", "Armed clash", "gunmen opened fire", ("clash", "small_arms")),
        ("Battles", "Government regains territory", "", ("clash", "unknown")),
        ("Violence against civilians", "Attack", "", ("attack", "unknown")),
        ("Violence against civilians", "Abduction/forced disappearance", "", ("other", "")),
        ("Strategic developments", "Disrupted weapons use", "a device was defused",
         ("foiled_attack", "unknown")),
        ("Strategic developments", "Disrupted weapons use", "a drone was intercepted",
         ("interception", "drone")),
        ("Strategic developments", "Disrupted weapons use", "air defences shot down a rocket",
         ("interception", "rocket")),
        ("Strategic developments", "Disrupted weapons use", "police seized rocket launchers",
         ("seizure", "rocket")),
        ("Strategic developments", "Arrests", "two men were arrested", ("other", "")),
        ("Strategic developments", "Arrests", "arrests and a weapons seizure",
         ("seizure", "unknown")),
        ("Strategic developments", "Looting/property destruction", "", ("other", "")),
        ("Strategic developments", "Change to group/activity", "", ("other", "")),
        ("Strategic developments", "Other", "", ("other", "")),
        ("Protests", "Peaceful protest", "", ("protest", "")),
        ("Riots", "Violent demonstration", "", ("protest", "")),
        ("Riots", "Mob violence", "", ("protest", "")),
        (" battles ", "ARMED  CLASH", "", ("clash", "unknown")),
        ("Explosions/Remote violence", "A sub-event ACLED adds later", "", ("attack", "unknown")),
        ("Strategic developments", "", "", ("other", "")),
        ("", "", "", ("", "")),
    ],
)  # fmt: skip
def test_map_event(event_type, sub_event_type, notes, expected):
    assert acled.map_event(event_type, sub_event_type, notes) == expected


@pytest.mark.parametrize(
    "code, label",
    [("1", "State forces"), ("2", "Rebel group"), ("3", "Political militia"),
     ("4", "Identity militia"), ("7", "Civilians"), ("8", "External/Other forces"),
     ("8.0", "External/Other forces"), ("Political militia", "Political militia"), ("", "")],
)  # fmt: skip
def test_inter_label(code, label):
    assert acled.inter_label(code) == label


# --- figures, precision, provenance -------------------------------------------------------------


@pytest.mark.parametrize("fatalities, killed", [("0", 0), ("8", 8), ("", None), (" 3 ", 3)])
def test_fatalities_become_killed_and_wounded_is_unknown(fatalities, killed):
    cells, problems = acled.to_canonical(one_row(fatalities=fatalities))
    assert problems == []
    assert cells.loc[0, "wounded"] == ""  # unknown, never "0"
    assert cells.loc[0, "acled_fatalities"] == fatalities  # kept verbatim
    incidents, problems = parse_incidents(cells)  # the validator reads the figure
    assert problems == []
    value = incidents["killed"].iloc[0]
    assert (pd.isna(value) and killed is None) or value == killed
    assert pd.isna(incidents["wounded"].iloc[0])


@pytest.mark.parametrize("value", ["1", "2", "3"])
def test_precisions_keep_acleds_meaning(value):
    cells, _problems = acled.to_canonical(one_row(time_precision=value, geo_precision=value))
    assert (cells.loc[0, "time_precision"], cells.loc[0, "geo_precision"]) == (value, value)


@pytest.mark.parametrize(
    "latitude, longitude, geo_source", [("33.1", "44.2", "source"), ("", "", ""), ("33.1", "", "")]
)
def test_geo_source_only_with_a_point(latitude, longitude, geo_source):
    cells, _problems = acled.to_canonical(one_row(latitude=latitude, longitude=longitude))
    assert cells.loc[0, "geo_source"] == geo_source


def test_missing_required_columns_are_header_problems():
    raw = one_row().drop(columns=["sub_event_type", "latitude"])
    cells, problems = acled.to_canonical(raw)
    assert problems == [
        Problem(1, "sub_event_type", "required ACLED column is missing"),
        Problem(1, "latitude", "required ACLED column is missing"),
    ]
    assert cells.loc[0, "latitude"] == ""


def test_header_case_and_spaces_do_not_matter():
    raw = one_row(fatalities="4", sub_event_type="Armed clash").rename(
        columns=lambda c: f" {c.upper()} "
    )
    cells, problems = acled.to_canonical(raw)
    assert problems == []
    assert (cells.loc[0, "killed"], cells.loc[0, "event_type"]) == ("4", "clash")
    assert "acled_sub_event_type" in cells.columns


# --- whole fixtures -----------------------------------------------------------------------------

CURRENT_EXPECTED = {
    0: dict(incident_id="IRQFX0001", event_date="2023-11-20", event_type="attack", weapon="rocket",
            actor1="Islamic Resistance in Iraq",
            actor2="Military Forces of the United States (2021-)", country="IQ",
            location="Ain al Asad Air Base", geo_precision="1", time_precision="1", killed="0"),
    1: dict(event_type="airstrike", weapon="aircraft", actor2="Kataib Hezbollah", killed="8",
            source="Fixture Source B; Fixture Source C", admin1="Babil"),
    2: dict(event_type="airstrike", weapon="drone", country="SY", time_precision="2"),
    3: dict(event_type="seizure", weapon="rocket", actor1="Military Forces of Iraq (2022-)",
            actor2=""),
    4: dict(event_type="interception", weapon="drone"),
    5: dict(event_type="protest", weapon="", acled_tags="crowd size=no report"),
    6: dict(event_type="clash", weapon="small_arms", country="LB", killed="2"),
}  # fmt: skip
LEGACY_EXPECTED = {
    0: dict(incident_id="IRQFX1001", event_date="2023-11-20", event_type="attack", weapon="ied",
            acled_inter1="Political militia", acled_inter2="State forces",
            acled_interaction="13", killed="1", country="IQ"),
    1: dict(event_date="2023-11-21", weapon="ballistic_missile",
            acled_inter2="External/Other forces"),
    2: dict(event_date="2023-11-25", event_type="clash", country="SY", time_precision="2"),
    3: dict(event_date="2023-12-03", event_type="seizure", country="JO"),
    4: dict(event_date="2023-12-05", country="IQ", killed="", wounded="", weapon="small_arms",
            time_precision="3", geo_precision="3"),
}  # fmt: skip


@pytest.mark.parametrize(
    "name, expected",
    [("acled_current.csv", CURRENT_EXPECTED), ("acled_legacy.csv", LEGACY_EXPECTED)],
)
def test_fixture(fixtures, name, expected):
    raw = read_fixture(fixtures, name)
    assert acled.looks_like(list(raw.columns))
    cells, problems = acled.to_canonical(raw)
    assert problems == []
    assert cells.index.equals(raw.index)
    assert list(cells.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert all(c.startswith("acled_") for c in cells.columns[len(COLUMNS) :])
    assert len(cells.columns) == len(COLUMNS) + len(raw.columns)
    assert (cells["dataset"] == "acled").all()
    assert (cells["wounded"] == "").all()
    assert (cells["source_url"] == "").all() and (cells["site_id"] == "").all()
    assert cells["notes"].str.startswith("Fixture row:").all()
    assert cells.map(lambda v: isinstance(v, str)).all().all()
    for row, values in expected.items():
        assert cells.loc[row, list(values)].to_dict() == values, f"row {row + 2}"


@pytest.mark.parametrize("name", ["acled_current.csv", "acled_legacy.csv"])
def test_fixture_passes_the_pipeline(fixtures, name):
    from dashboard.formats import read_incidents

    incidents = read_incidents(fixtures / name)
    assert len(incidents) == len(read_fixture(fixtures, name))
    assert (incidents["dataset"] == "acled").all()
    assert incidents["wounded"].isna().all()
