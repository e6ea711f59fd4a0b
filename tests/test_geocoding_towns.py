"""data/towns.csv (GeoNames towns tier), its loader, and the script that extracts it."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from dashboard.geocoding.towns import TOWN_COLUMNS, load_towns
from dashboard.paths import DATA_DIR, STATIC_DIR

ROOT = Path(__file__).resolve().parent.parent
TOWNS = load_towns().towns
BOXES = STATIC_DIR / "basemap" / "country-bbox.json"


def _extract_module():
    spec = importlib.util.spec_from_file_location(
        "extract_towns", ROOT / "scripts" / "extract_towns.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_header_and_unique_ids():
    with (DATA_DIR / "towns.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == TOWN_COLUMNS
    ids = [town.id for town in TOWNS]
    assert len(ids) == len(set(ids))


def test_coverage_of_the_region():
    counts = Counter(town.country for town in TOWNS)
    for country, at_least in {"IQ": 150, "SY": 300, "JO": 140, "LB": 50, "KW": 25}.items():
        assert counts[country] >= at_least, (country, counts[country])
    assert set(counts) <= {"IQ", "SY", "JO", "LB", "KW", "IL", "PS", "TR", "IR", "SA"}


def test_neighbours_only_where_they_border_iraq_or_syria():
    allowed = {
        "TR": {"Hatay", "Gaziantep", "Kilis", "Sanliurfa", "Mardin", "Sirnak", "Hakkari"},
        "IR": {"Azarbayjan-e Gharbi", "Kordestan", "Kermanshah", "Ilam", "Khuzestan"},
        "SA": {"Northern Borders", "Al Jawf"},
    }
    for town in TOWNS:
        if town.country in allowed:
            assert town.admin1 in allowed[town.country], (town.id, town.name, town.admin1)


def test_alternate_names_are_latin_or_arabic_script():
    module = _extract_module()
    for town in TOWNS:
        for name in town.alternatenames:
            assert module.script_ok(name), (town.id, name)


def test_first_level_divisions_are_named():
    named = sum(1 for town in TOWNS if town.admin1)
    assert named / len(TOWNS) >= 0.95


@pytest.mark.skipif(not BOXES.exists(), reason="country boxes come with the map assets")
def test_every_town_lies_in_its_country():
    boxes = json.loads(BOXES.read_text(encoding="utf-8"))
    for town in TOWNS:
        min_lat, min_lon, max_lat, max_lon = boxes[town.country]
        assert min_lat - 0.05 <= town.latitude <= max_lat + 0.05, town
        assert min_lon - 0.05 <= town.longitude <= max_lon + 0.05, town


def test_loader_reads_the_file_once():
    assert load_towns() is load_towns()
    assert load_towns().by_id[95446].name == "Erbil"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Erbil", True), ("Ḩadīthah", True), ("`Ayn `Isa", True), ("أربيل", True),
        ("ʾrbyl", True), ("Эрбиль", False), ("ארביל", False), ("アルビール", False), ("123", False),
    ],
)  # fmt: skip
def test_script_filter(text, ok):
    assert _extract_module().script_ok(text) is ok


def test_extract_on_a_small_table(tmp_path):
    cities = {
        "1": {"geonameid": 1, "name": "Hit", "latitude": 33.63664, "longitude": 42.82768,
              "countrycode": "IQ", "population": 31901, "admin1code": "01",
              "alternatenames": ["Hit", "هيت", "Хит", "hyt\u200e"]},
        "2": {"geonameid": 2, "name": "Paris", "latitude": 48.85, "longitude": 2.35,
              "countrycode": "FR", "population": 2000000, "admin1code": "11",
              "alternatenames": []},
        "3": {"geonameid": 3, "name": "Kilis", "latitude": 36.71, "longitude": 37.11,
              "countrycode": "TR", "population": 80000, "admin1code": "90",
              "alternatenames": ["Kilis"]},
        "4": {"geonameid": 4, "name": "Ankara", "latitude": 39.9, "longitude": 32.8,
              "countrycode": "TR", "population": 3000000, "admin1code": "68",
              "alternatenames": []},
        "5": {"geonameid": 5, "name": "Kubaysah", "latitude": 33.58, "longitude": 42.6,
              "countrycode": "IQ", "population": 600, "admin1code": "01",
              "alternatenames": []},
    }  # fmt: skip
    cities_path = tmp_path / "cities.json"
    cities_path.write_text(json.dumps(cities), encoding="utf-8")
    rg_path = tmp_path / "rg.csv"
    rg_path.write_text(
        "lat,lon,name,admin1,admin2,cc\n33.63664,42.82768,Hit,Anbar,,IQ\n"
        "36.71,37.11,Kilis,Kilis,,TR\n",
        encoding="utf-8",
    )
    out = tmp_path / "towns.csv"
    assert _extract_module().extract(cities_path, rg_path, out) == 3
    rows = {row["id"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert set(rows) == {"1", "3", "5"}  # Paris (FR) and Ankara (not a border province) left out
    assert rows["1"]["admin1"] == "Anbar"
    assert rows["5"]["admin1"] == "Anbar"  # named through its admin1 code, not its own row
    assert rows["1"]["alternatenames"] == "hyt|هيت"  # Cyrillic dropped, invisible mark removed
    assert list(rows) == ["1", "5", "3"]  # by country, then population
