"""The fallback chain: sites gazetteer -> GeoNames towns -> (optionally) an online geocoder.

The online step is off unless ATLAS_ONLINE_GEOCODER=nominatim. It is geopy's Nominatim behind
geopy's RateLimiter (one request a second, retries with a pause) and a persistent cache, so a
name is asked once, ever; "not found" answers are cached too. When the service fails (time-out,
HTTP 429 rate limit, outage, other service error) the name stays unresolved, the reason is
logged, nothing is cached and no exception escapes.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from geopy.exc import (
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from dashboard.errors import BadSetting
from dashboard.geocoding.cache import CachedAnswer, GeocodeCache
from dashboard.geocoding.geocoder import GazetteerGeocoder, country_hint

logger = logging.getLogger(__name__)

ONLINE_ENV = "ATLAS_ONLINE_GEOCODER"
OFF_VALUES = frozenset({"", "off", "none", "no", "false", "0", "offline"})
ONLINE_PROVIDERS = ("nominatim",)
_REGION_TYPES = frozenset({"state", "region", "province", "county", "state_district",
                           "administrative", "governorate"})  # fmt: skip


class _ClockedRateLimiter(RateLimiter):
    """geopy's RateLimiter with an injectable clock and sleep (tests pass fakes)."""

    def __init__(self, func, *, clock: Callable[[], float], sleep: Callable[[float], None],
                 **kwargs):  # fmt: skip
        super().__init__(func, **kwargs)
        self._clock_function = clock
        self._sleep_function = sleep

    def _clock(self):
        return self._clock_function()

    def _sleep(self, seconds):
        self._sleep_function(seconds)


def _online_precision(raw: dict) -> int:
    kind = str(raw.get("addresstype") or raw.get("type") or "").lower()
    if kind == "country":
        return 4
    if kind in _REGION_TYPES:
        return 3
    return 2


class OnlineFallback:
    """An online geopy geocoder behind a rate limiter and the persistent cache."""

    def __init__(
        self,
        geocoder,
        *,
        provider: str = "nominatim",
        cache: GeocodeCache | None = None,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.geocoder = geocoder
        self.provider = provider
        self.cache = cache if cache is not None else GeocodeCache()
        self.last_failure: str | None = None
        self._geocode = _ClockedRateLimiter(
            geocoder.geocode,
            clock=clock,
            sleep=sleep,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )

    def geocode(self, query: str, *, country: str | None = None) -> Location | None:
        cached = self.cache.get(self.provider, query, country)
        if cached is not None:
            return self._location(cached, country) if cached.found else None
        kwargs: dict = {"exactly_one": True}
        if country:
            kwargs["country_codes"] = country.lower()
        try:
            found = self._geocode(query, **kwargs)
        except GeocoderRateLimited as error:
            return self._failed(query, f"rate limited by {self.provider} (HTTP 429): {error}; "
                                       "try again later")  # fmt: skip
        except GeocoderTimedOut as error:
            return self._failed(query, f"{self.provider} timed out: {error}")
        except GeocoderUnavailable as error:
            return self._failed(query, f"{self.provider} is unavailable (no network?): {error}")
        except GeocoderServiceError as error:
            return self._failed(query, f"{self.provider} service error: {error}")
        except GeopyError as error:
            return self._failed(query, f"{self.provider} error: {error}")
        self.last_failure = None
        if found is None:
            answer = CachedAnswer(found=False)
        else:
            answer = CachedAnswer(True, float(found.latitude), float(found.longitude),
                                  found.address, dict(found.raw or {}))  # fmt: skip
        self.cache.put(self.provider, query, country, answer)
        return self._location(answer, country) if answer.found else None

    def _failed(self, query: str, reason: str) -> None:
        self.last_failure = reason
        logger.warning("online geocoding of %r left unresolved: %s", query, reason)
        return None

    def _location(self, answer: CachedAnswer, country: str | None) -> Location:
        provider_raw = answer.raw or {}
        address_parts = provider_raw.get("address") or {}
        found_country = str(address_parts.get("country_code") or country or "").upper() or None
        raw = {
            "site_id": None,
            "geonameid": None,
            "name": answer.address,
            "kind": provider_raw.get("type") or "place",
            "country": found_country,
            "admin1": address_parts.get("state") or None,
            "latitude": answer.latitude,
            "longitude": answer.longitude,
            "geo_precision": _online_precision(provider_raw),
            "geo_source": "online",
            "matched_name": answer.address,
            "score": None,
            "method": self.provider,
            "role": "head",
            "provider_raw": provider_raw,
        }
        return Location(answer.address or "", (answer.latitude, answer.longitude), raw)


class GeocodingChain:
    """geopy-style geocoder: gazetteer (sites, then towns), then the optional online step."""

    def __init__(self, gazetteer: GazetteerGeocoder | None = None,
                 online: OnlineFallback | None = None):  # fmt: skip
        self.gazetteer = gazetteer or GazetteerGeocoder()
        self.online = online

    def geocode(self, query, *, exactly_one=True, country=None):
        found = self.gazetteer.geocode(query, exactly_one=exactly_one, country=country)
        if found or self.online is None or query is None or not str(query).strip():
            return found
        location = self.online.geocode(str(query), country=country_hint(country))
        if location is None:
            return None
        return location if exactly_one else [location]


def make_geocoder(
    env: Mapping[str, str] | None = None,
    *,
    cache_path: str | Path | None = None,
    online_factory: Callable[[], object] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> GeocodingChain:
    """The chain as the environment configures it (ATLAS_ONLINE_GEOCODER; off by default).

    `online_factory` builds the online geopy geocoder (default: Nominatim); tests inject a fake.
    """
    setting = (os.environ if env is None else env).get(ONLINE_ENV, "").strip().lower()
    gazetteer = GazetteerGeocoder()
    if setting in OFF_VALUES:
        return GeocodingChain(gazetteer)
    if setting not in ONLINE_PROVIDERS:
        raise BadSetting(
            f"{ONLINE_ENV}={setting!r} is not supported: set it to 'nominatim' to enable the "
            "online fallback, or leave it unset to stay offline"
        )
    if online_factory is None:
        from geopy.geocoders import Nominatim

        from dashboard import __version__

        def online_factory():
            return Nominatim(user_agent=f"incident-atlas/{__version__}", timeout=10)

    online = OnlineFallback(online_factory(), provider=setting, cache=GeocodeCache(cache_path),
                            clock=clock, sleep=sleep)  # fmt: skip
    return GeocodingChain(gazetteer, online)
