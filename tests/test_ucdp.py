"""UCDP GED -> canonical cells: tables of input -> expected output, and the whole fixture.

The fixture is hand-written, made-up rows in the GED's 49-column layout.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.formats import acled, ucdp
from dashboard.problems import Problem
from dashboard.schema import COLUMNS

NATIVE_HEADER = ["incident_id", "event_date", "location", "latitude", "longitude"]


def one_row(**cells: str) -> pd.DataFrame:
    row = dict.fromkeys(ucdp.HEADER, "")
    row.update(id="1", type_of_violence="1", date_start="2023-11-20", latitude="33.3",
               longitude="44.4", best="2", where_prec="1", date_prec="1", country_id="645",
               where_coordinates="Baghdad town")  # fmt: skip
    row.update(cells)
    return pd.DataFrame([row], dtype=object)


# --- header recognition -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        (list(ucdp.HEADER), True),
        ([c.upper() for c in ucdp.HEADER], True),
        ([f" {c} " for c in ucdp.HEADER], True),
        (["id", "type_of_violence", "side_a", "side_b", "date_start", "best"], True),
        (NATIVE_HEADER, False),
        (list(COLUMNS), False),
        (list(acled.HEADER), False),
        (list(acled.LEGACY_HEADER), False),
        ([], False),
    ],
)
def test_looks_like(header, expected):
    assert ucdp.looks_like(header) is expected


def test_acled_does_not_claim_a_ged_header():
    assert not acled.looks_like(list(ucdp.HEADER))


def test_header_is_the_49_column_codebook_order():
    assert len(ucdp.HEADER) == 49 and len(set(ucdp.HEADER)) == 49
    assert ucdp.HEADER[:6] == ("id", "relid", "year", "active_year", "code_status",
                               "type_of_violence")  # fmt: skip
    assert ucdp.HEADER[37:40] == ("date_prec", "date_start", "date_end")
    assert ucdp.HEADER[-5:] == ("best", "high", "low", "gwnoa", "gwnob")


# --- mapping tables -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where_prec, geo_precision",
    [("1", "1"), ("2", "2"), ("3", "3"), ("4", "3"), ("5", "3"), ("6", "4"), ("7", "4"),
     ("6.0", "4")],
)  # fmt: skip
def test_where_prec_to_geo_precision(where_prec, geo_precision):
    cells, problems = ucdp.to_canonical(one_row(where_prec=where_prec))
    assert problems == []
    assert cells.loc[0, "geo_precision"] == geo_precision
    assert cells.loc[0, "ucdp_where_prec"] == where_prec


@pytest.mark.parametrize(
    "date_prec, time_precision", [("1", "1"), ("2", "2"), ("3", "2"), ("4", "3"), ("5", "3")]
)
def test_date_prec_to_time_precision(date_prec, time_precision):
    cells, problems = ucdp.to_canonical(one_row(date_prec=date_prec))
    assert problems == []
    assert cells.loc[0, "time_precision"] == time_precision
    assert cells.loc[0, "ucdp_date_prec"] == date_prec


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("where_prec", "8", "unknown UCDP location precision '8' (use 1-7)"),
        ("date_prec", "0", "unknown UCDP date precision '0' (use 1-5)"),
        ("type_of_violence", "4", "unknown UCDP type of violence '4' (use 1-3)"),
    ],
)
def test_unknown_codes_are_problems(column, value, message):
    cells, problems = ucdp.to_canonical(one_row(**{column: value}))
    assert problems == [Problem(2, column, message)]


@pytest.mark.parametrize(
    "type_of_violence, event_type", [("1", "clash"), ("2", "clash"), ("3", "attack")]
)
def test_type_of_violence_to_event_type(type_of_violence, event_type):
    cells, _problems = ucdp.to_canonical(one_row(type_of_violence=type_of_violence))
    assert (cells.loc[0, "event_type"], cells.loc[0, "weapon"]) == (event_type, "unknown")


@pytest.mark.parametrize(
    "country_id, name, expected",
    [
        ("645", "Iraq", "IQ"), ("652", "", "SY"), ("663", "", "JO"), ("630", "", "IR"),
        ("660", "", "LB"), ("666", "", "IL"), ("640", "", "TR"), ("670", "", "SA"),
        ("690", "", "KW"), ("679", "", "YE"), ("678", "Yemen (North Yemen)", "YE"),
        ("651", "", "EG"), ("2", "", "US"), ("645.0", "", "IQ"),
        ("645", "Syria", "IQ"),  # the number wins
        ("", "Lebanon", "LB"), ("", "Yemen (North Yemen)", "YE"), ("9999", "Jordan", "JO"),
        ("", "Narnia", "Narnia"), ("", "", ""),
    ],
)  # fmt: skip
def test_country_code(country_id, name, expected):
    assert ucdp.country_code(country_id, name) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-11-20", "2023-11-20"),
        ("2023-11-20 00:00:00.000", "2023-11-20"),
        ("2023-11-20T00:00:00", "2023-11-20"),
        ("2023-02-30", "2023-02-30"),  # kept for the validator to report
        ("20/11/2023", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert ucdp.parse_date(text) == expected


def test_unreadable_date_is_a_problem_and_keeps_its_text():
    cells, problems = ucdp.to_canonical(one_row(date_start="Nov 2023"))
    assert cells.loc[0, "event_date"] == "Nov 2023"
    assert problems == [
        Problem(2, "date_start", "cannot read UCDP date 'Nov 2023': expected YYYY-MM-DD")
    ]


@pytest.mark.parametrize("best, killed", [("0", "0"), ("12", "12"), ("", "")])
def test_best_becomes_killed_and_wounded_is_unknown(best, killed):
    cells, _problems = ucdp.to_canonical(one_row(best=best, high="99", low="1"))
    assert cells.loc[0, "killed"] == killed
    assert cells.loc[0, "wounded"] == ""  # unknown, never "0"
    assert (cells.loc[0, "ucdp_high"], cells.loc[0, "ucdp_low"]) == ("99", "1")


@pytest.mark.parametrize(
    "office, original, source",
    [("Reuters", "local police", "Reuters"), ("", "local police", "local police"), ("", "", "")],
)
def test_source_is_the_office_else_the_original(office, original, source):
    cells, _problems = ucdp.to_canonical(
        one_row(source_office=office, source_original=original, source_article="Art. 1")
    )
    assert cells.loc[0, "source"] == source
    assert cells.loc[0, "ucdp_source_article"] == "Art. 1"


@pytest.mark.parametrize(
    "where, adm_2, adm_1, location",
    [("Tikrit town", "Tikrit district", "Salah ad Din", "Tikrit town"),
     ("", "Tikrit district", "Salah ad Din", "Tikrit district"),
     ("", "", "Salah ad Din", "Salah ad Din")],
)  # fmt: skip
def test_location_is_where_coordinates_then_divisions(where, adm_2, adm_1, location):
    cells, _problems = ucdp.to_canonical(one_row(where_coordinates=where, adm_2=adm_2, adm_1=adm_1))
    assert (cells.loc[0, "location"], cells.loc[0, "admin1"]) == (location, adm_1)


def test_missing_required_columns_are_header_problems():
    _cells, problems = ucdp.to_canonical(one_row().drop(columns=["best", "date_start"]))
    assert problems == [
        Problem(1, "date_start", "required UCDP GED column is missing"),
        Problem(1, "best", "required UCDP GED column is missing"),
    ]


# --- whole fixture ------------------------------------------------------------------------------

EXPECTED = {
    0: dict(incident_id="ucdp-990001", event_date="2023-11-20", time_precision="1",
            event_type="clash", actor1="Government of Iraq", actor2="IS", location="Tikrit town",
            country="IQ", admin1="Salah ad Din governorate", geo_precision="1", killed="4",
            wounded="", source="Fixture Agency", ucdp_date_end="2023-11-20 00:00:00.000",
            ucdp_high="5", ucdp_low="4"),
    1: dict(event_date="2023-11-21", time_precision="2", geo_precision="2", country="SY",
            source="Fixture Monitor", ucdp_date_end="2023-11-23"),
    2: dict(event_type="attack", actor2="Civilians", time_precision="2", geo_precision="3",
            killed="6"),
    3: dict(actor1="Government of Turkey", country="IQ", time_precision="3", geo_precision="3",
            event_date="2023-10-01"),
    4: dict(country="YE", time_precision="3", geo_precision="4", ucdp_date_prec="5",
            ucdp_where_prec="6", killed="16"),
    5: dict(location="Red Sea", geo_precision="4", country="YE", event_date="2023-12-31",
            ucdp_where_prec="7"),
}  # fmt: skip


def test_fixture(fixtures):
    raw = pd.read_csv(fixtures / "ucdp_ged.csv", dtype=str, keep_default_na=False)
    assert list(raw.columns) == list(ucdp.HEADER)
    assert ucdp.looks_like(list(raw.columns)) and not acled.looks_like(list(raw.columns))
    cells, problems = ucdp.to_canonical(raw)
    assert problems == []
    assert cells.index.equals(raw.index)
    assert list(cells.columns) == list(COLUMNS) + [f"ucdp_{c}" for c in ucdp.HEADER]
    assert (cells["dataset"] == "ucdp").all() and (cells["wounded"] == "").all()
    assert (cells["geo_source"] == "source").all()
    assert cells["notes"].str.startswith("Fixture row:").all()
    for row, values in EXPECTED.items():
        assert cells.loc[row, list(values)].to_dict() == values, f"row {row + 2}"


def test_fixture_passes_the_pipeline(fixtures):
    from dashboard.formats import read_incidents

    incidents = read_incidents(fixtures / "ucdp_ged.csv")
    assert len(incidents) == 6
    assert (incidents["dataset"] == "ucdp").all()
    assert incidents["wounded"].isna().all()
    assert incidents["killed"].tolist() == [4, 3, 6, 10, 16, 10]
