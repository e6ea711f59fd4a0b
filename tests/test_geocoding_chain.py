"""The fallback chain and its optional online step: fake geocoder, fake clock, no network."""

from __future__ import annotations

import logging

import pytest
from geopy.exc import (
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.location import Location

from dashboard.geocoding import GeocodeCache, GeocodingChain, OnlineFallback, make_geocoder


class FakeOnline:
    """Stands in for Nominatim: canned answers, scripted failures, every call recorded."""

    def __init__(self, answers=None, errors=()):
        self.answers = answers or {}
        self.errors = list(errors)
        self.calls: list[tuple[str, dict]] = []

    def geocode(self, query, exactly_one=True, **kwargs):
        self.calls.append((query, kwargs))
        if self.errors:
            raise self.errors.pop(0)
        answer = self.answers.get(query)
        if answer is None:
            return None
        lat, lon, raw = answer
        return Location(raw.get("display_name", query), (lat, lon), raw)


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


VILLAGE_RAW = {
    "display_name": "Khirbat Example, Iraq",
    "addresstype": "village",
    "type": "village",
    "address": {"country_code": "iq", "state": "Anbar"},
}
VILLAGE = (34.1, 43.2, VILLAGE_RAW)


def chain(tmp_path, online: FakeOnline, clock: FakeClock, **kwargs) -> GeocodingChain:
    fallback = OnlineFallback(online, cache=GeocodeCache(tmp_path / "cache.sqlite"),
                              clock=clock.clock, sleep=clock.sleep, **kwargs)  # fmt: skip
    return GeocodingChain(online=fallback)


def test_gazetteer_answers_first_and_online_is_not_asked(tmp_path):
    online, clock = FakeOnline(), FakeClock()
    location = chain(tmp_path, online, clock).geocode("Ain al-Asad")
    assert location.raw["geo_source"] == "gazetteer"
    assert online.calls == []


def test_unknown_name_is_asked_online_once_ever(tmp_path):
    online, clock = FakeOnline({"Khirbat Example": VILLAGE}), FakeClock()
    first = chain(tmp_path, online, clock).geocode("Khirbat Example")
    assert (first.latitude, first.longitude) == (34.1, 43.2)
    assert first.raw["geo_source"] == "online" and first.raw["geo_precision"] == 2
    assert first.raw["country"] == "IQ" and first.raw["admin1"] == "Anbar"
    assert first.raw["site_id"] is None
    # a new chain on the same cache file (a new process) does not ask again
    again_online = FakeOnline()
    again = chain(tmp_path, again_online, FakeClock()).geocode("khirbat  example")
    assert again_online.calls == [] and (again.latitude, again.longitude) == (34.1, 43.2)
    assert len(online.calls) == 1


def test_not_found_is_cached_too(tmp_path):
    online, clock = FakeOnline(), FakeClock()
    geocoder = chain(tmp_path, online, clock)
    assert geocoder.geocode("Nowhere At All") is None
    assert geocoder.geocode("Nowhere At All") is None
    assert len(online.calls) == 1
    assert GeocodeCache(tmp_path / "cache.sqlite").get("nominatim", "nowhere at all").found is False


def test_country_hint_is_passed_to_the_service(tmp_path):
    online, clock = FakeOnline(), FakeClock()
    chain(tmp_path, online, clock).geocode("Nowhere At All", country="IQ")
    assert online.calls == [("Nowhere At All", {"country_codes": "iq"})]


def test_requests_are_rate_limited_with_the_injected_clock(tmp_path):
    online, clock = FakeOnline(), FakeClock()
    geocoder = chain(tmp_path, online, clock)
    geocoder.geocode("Unknown One")
    geocoder.geocode("Unknown Two")
    clock.now += 5
    geocoder.geocode("Unknown Three")
    assert clock.sleeps == [1.0]  # the second request waited one second; the third did not
    assert len(online.calls) == 3


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (GeocoderTimedOut("no answer in 10 s"), "timed out"),
        (GeocoderRateLimited("HTTP 429", retry_after=30), "rate limited"),
        (GeocoderUnavailable("connection refused"), "unavailable"),
        (GeocoderServiceError("HTTP 500"), "service error"),
    ],
)
def test_failures_leave_the_name_unresolved_logged_and_uncached(tmp_path, caplog, error, reason):
    online, clock = FakeOnline({"Khirbat Example": VILLAGE}, errors=[error] * 3), FakeClock()
    geocoder = chain(tmp_path, online, clock)
    with caplog.at_level(logging.WARNING, logger="dashboard.geocoding.chain"):
        assert geocoder.geocode("Khirbat Example") is None
    assert reason in caplog.text and "Khirbat Example" in caplog.text
    assert reason in geocoder.online.last_failure
    assert len(online.calls) == 3  # first try and two retries
    assert clock.sleeps == [5.0, 5.0]  # waits between retries, on the fake clock
    assert len(GeocodeCache(tmp_path / "cache.sqlite")) == 0
    # the next time the service works, the name is asked again and placed
    assert geocoder.geocode("Khirbat Example").raw["geo_source"] == "online"
    assert len(online.calls) == 4


def test_a_retry_that_succeeds_is_cached(tmp_path):
    online = FakeOnline({"Khirbat Example": VILLAGE}, errors=[GeocoderTimedOut("slow")])
    clock = FakeClock()
    geocoder = chain(tmp_path, online, clock)
    assert geocoder.geocode("Khirbat Example") is not None
    assert len(online.calls) == 2 and clock.sleeps == [5.0]
    assert geocoder.geocode("Khirbat Example") is not None
    assert len(online.calls) == 2


@pytest.mark.parametrize(
    ("addresstype", "precision"), [("village", 2), ("city", 2), ("state", 3), ("country", 4)]
)
def test_online_precision_follows_the_kind_of_place(tmp_path, addresstype, precision):
    raw = {"display_name": "X", "addresstype": addresstype}
    online = FakeOnline({"Somewhere": (30.0, 40.0, raw)})
    location = chain(tmp_path, online, FakeClock()).geocode("Somewhere")
    assert location.raw["geo_precision"] == precision


def test_exactly_one_false_returns_a_list(tmp_path):
    online = FakeOnline({"Khirbat Example": VILLAGE})
    found = chain(tmp_path, online, FakeClock()).geocode("Khirbat Example", exactly_one=False)
    assert isinstance(found, list) and len(found) == 1


def test_online_step_is_off_by_default(tmp_path):
    assert make_geocoder(env={}).online is None
    assert make_geocoder(env={"ATLAS_ONLINE_GEOCODER": "off"}).online is None
    assert make_geocoder(env={}).geocode("Khirbat Example") is None


def test_nominatim_setting_builds_the_online_step(tmp_path):
    fake = FakeOnline({"Khirbat Example": VILLAGE})
    clock = FakeClock()
    geocoder = make_geocoder(
        env={"ATLAS_ONLINE_GEOCODER": "Nominatim"},
        cache_path=tmp_path / "c.sqlite",
        online_factory=lambda: fake,
        clock=clock.clock,
        sleep=clock.sleep,
    )
    assert geocoder.geocode("Khirbat Example").raw["geo_source"] == "online"
    assert (tmp_path / "c.sqlite").exists()


def test_default_online_geocoder_is_nominatim_and_makes_no_request_when_built(tmp_path):
    from geopy.geocoders import Nominatim

    geocoder = make_geocoder(
        env={"ATLAS_ONLINE_GEOCODER": "nominatim"}, cache_path=tmp_path / "c.sqlite"
    )
    assert isinstance(geocoder.online.geocoder, Nominatim)
    assert "incident-atlas" in geocoder.online.geocoder.headers["User-Agent"]


def test_unsupported_setting_says_how_to_fix_it():
    with pytest.raises(ValueError, match="ATLAS_ONLINE_GEOCODER='google'.*nominatim"):
        make_geocoder(env={"ATLAS_ONLINE_GEOCODER": "google"})
