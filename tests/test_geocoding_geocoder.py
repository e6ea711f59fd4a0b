"""GazetteerGeocoder behind geopy's interface, and the matching rules it applies."""

from __future__ import annotations

import subprocess
import sys

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from dashboard.geocoding import GazetteerGeocoder
from dashboard.geocoding.geocoder import OfflineAdapter
from dashboard.geocoding.matcher import SITE_THRESHOLD, PlaceIndex
from dashboard.geocoding.towns import Town

RAW_KEYS = {"site_id", "kind", "country", "admin1", "geo_precision", "geo_source",
            "matched_name", "score"}  # fmt: skip


@pytest.fixture(scope="module")
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


def test_is_a_geopy_geocoder_returning_locations(geocoder):
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Ayn al-Asad airbase")
    assert isinstance(location, Location)
    assert set(location.raw) >= RAW_KEYS
    assert location.raw["site_id"] == "ain-al-asad"
    assert location.raw["geo_precision"] == 1 and location.raw["geo_source"] == "gazetteer"
    assert location.raw["country"] == "IQ" and location.raw["admin1"] == "Anbar"
    assert location.raw["score"] == 100.0
    assert "Ain al-Asad Air Base" in location.address


def test_signature_is_keyword_only(geocoder):
    with pytest.raises(TypeError):
        geocoder.geocode("Erbil", False)


def test_never_makes_requests():
    adapter = OfflineAdapter()
    with pytest.raises(GeocoderServiceError, match="no requests"):
        adapter.get_json("https://example.org", timeout=1, headers={})


def test_towns_are_precision_2_from_geonames(geocoder):
    location = geocoder.geocode("Erbil")
    assert location.raw["geo_source"] == "geonames"
    assert location.raw["geo_precision"] == 2
    assert location.raw["site_id"] is None and location.raw["geonameid"] == 95446


def test_site_beats_town_of_the_same_name(geocoder):
    # Harir is a town (GeoNames 96046) and the air base; reports mean the base.
    assert geocoder.geocode("Harir").raw["site_id"] == "harir-air-base"
    # "Erbil" is the city, "Erbil air base" the airport.
    assert geocoder.geocode("Erbil").raw["geonameid"] == 95446
    assert geocoder.geocode("Erbil air base").raw["site_id"] == "erbil-airport"


def test_place_known_only_through_a_site_name_is_near_that_site(geocoder):
    # No town "Rmelan" in the towns tier; the airfield is named after it.
    location = geocoder.geocode("Rmelan")
    assert location.raw["site_id"] == "kharab-al-jir" and location.raw["geo_precision"] == 2
    assert geocoder.geocode("Rmelan airport").raw["geo_precision"] == 1


def test_kind_word_picks_between_sites(geocoder):
    assert geocoder.geocode("al-Tanf").raw["site_id"] == "al-tanf"
    assert geocoder.geocode("al-Tanf border crossing").raw["site_id"] == "al-waleed-crossing"


def test_context_place_is_at_best_precision_2(geocoder):
    location = geocoder.geocode("a military base near Baghdad International Airport")
    assert location.raw["site_id"] == "baghdad-airport"
    assert location.raw["geo_precision"] == 2
    assert location.raw["role"] == "context"
    head = geocoder.geocode("Harir Airport in the northern city of Erbil")
    assert head.raw["site_id"] == "harir-air-base" and head.raw["geo_precision"] == 1


@pytest.mark.parametrize(
    ("query", "expected", "precision"),
    [
        ("near Abu Kamal", "174448", 2),
        ("near Al-Asad Air Base", "ain-al-asad", 2),
        ("Mashtal, eastern Baghdad", "98182", 2),
        ("US Embassy Baghdad and Union III", "us-embassy-baghdad", 1),
    ],
)
def test_places_named_only_as_context(geocoder, query, expected, precision):
    location = geocoder.geocode(query)
    assert expected in (location.raw["site_id"], str(location.raw["geonameid"]))
    assert location.raw["geo_precision"] == precision


def test_country_hint_resolves_ambiguous_names(geocoder):
    assert geocoder.geocode("Sinjar", country="IQ").raw["country"] == "IQ"
    assert geocoder.geocode("Sinjar", country="sy").raw["country"] == "SY"
    both = geocoder.geocode("Sinjar", exactly_one=False)
    assert isinstance(both, list)
    assert {loc.raw["country"] for loc in both} == {"IQ", "SY"}


def test_country_hint_is_strict_for_towns(geocoder):
    assert geocoder.geocode("Kirkuk", country="SY") is None


@pytest.mark.parametrize("query", [None, "", "   ", "Atlantis base", "Springfield", "Paris"])
def test_unknown_or_empty_names_are_none(geocoder, query):
    assert geocoder.geocode(query) is None
    assert geocoder.geocode(query, exactly_one=False) is None


def test_fuzzy_match_needs_the_threshold():
    default = GazetteerGeocoder()
    location = default.geocode("Camp Speichr")
    assert location.raw["site_id"] == "camp-speicher"
    assert location.raw["method"] == "fuzzy" and SITE_THRESHOLD <= location.raw["score"] < 100
    strict = GazetteerGeocoder(site_threshold=100, town_threshold=100)
    assert strict.geocode("Camp Speichr") is None
    assert strict.geocode("Camp Speicher").raw["site_id"] == "camp-speicher"


def test_index_on_injected_data():
    towns = [
        Town(1, "Alpha", "IQ", "A", 33.0, 44.0, 100, ("Alfa",)),
        Town(2, "Alpha", "SY", "B", 35.0, 40.0, 5000, ()),
    ]
    index = PlaceIndex([], towns)
    assert index.resolve("Alpha").place_id == "2"  # larger population without a hint
    assert index.resolve("Alpha", "IQ").place_id == "1"
    assert index.resolve("Alfa").place_id == "1"
    assert index.resolve("Beta") is None


def test_repeated_lookups_are_cached(geocoder):
    geocoder.index.resolve.cache_clear()
    for _ in range(3):
        geocoder.geocode("Hasakah")
    info = geocoder.index.resolve.cache_info()
    assert info.misses == 1 and info.hits == 2


def test_geocoding_does_not_import_streamlit():
    code = (
        "import sys, dashboard.geocoding as g; g.GazetteerGeocoder().geocode('Erbil'); "
        "sys.exit('streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
