"""GazetteerGeocoder: the offline gazetteer behind geopy's geocoder interface.

    >>> from dashboard.geocoding import GazetteerGeocoder
    >>> location = GazetteerGeocoder().geocode("Ayn al-Asad airbase")
    >>> location.raw["site_id"], location.raw["geo_precision"]
    ('ain-al-asad', 1)

It never touches the network: its geopy adapter refuses every request.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from dashboard.geocoding.gazetteer import load_sites
from dashboard.geocoding.matcher import SITE_THRESHOLD, TOWN_THRESHOLD, Match, PlaceIndex
from dashboard.geocoding.towns import load_towns


class OfflineAdapter(BaseSyncAdapter):
    """A geopy adapter that refuses to make requests: the gazetteer is local data."""

    is_available = True

    def __init__(self, *, proxies=None, ssl_context=None):
        super().__init__(proxies=proxies, ssl_context=ssl_context)

    def get_json(self, url, *, timeout, headers):
        raise GeocoderServiceError(f"the offline gazetteer makes no requests (asked for {url})")

    def get_text(self, url, *, timeout, headers):
        raise GeocoderServiceError(f"the offline gazetteer makes no requests (asked for {url})")


@lru_cache(maxsize=8)
def _index(sites_path: Path | None, towns_path: Path | None, site_threshold: float,
           town_threshold: float, towns: bool) -> PlaceIndex:  # fmt: skip
    town_rows = load_towns(towns_path).towns if towns else ()
    return PlaceIndex(load_sites(sites_path).sites, town_rows, site_threshold=site_threshold,
                      town_threshold=town_threshold)  # fmt: skip


def location_from_match(match: Match) -> Location:
    """A geopy Location whose raw dict carries the gazetteer fields."""
    address = ", ".join(part for part in (match.name, match.admin1, match.country) if part)
    raw = {
        "site_id": match.site_id,
        "geonameid": int(match.place_id) if match.source == "geonames" else None,
        "name": match.name,
        "kind": match.kind,
        "country": match.country,
        "admin1": match.admin1 or None,
        "latitude": match.latitude,
        "longitude": match.longitude,
        "geo_precision": match.precision,
        "geo_source": match.source,
        "matched_name": match.matched_name,
        "score": match.score,
        "method": match.method,
        "role": match.role,
    }
    return Location(address, (match.latitude, match.longitude), raw)


def country_hint(country) -> str | None:
    """An ISO2 hint from whatever a table holds: None, NA, NaN and blanks mean no hint."""
    if country is None:
        return None
    text = str(country).strip().upper()
    return None if text in ("", "<NA>", "NAN", "NONE", "NAT") else text


class GazetteerGeocoder(Geocoder):
    """Offline geocoder: sites gazetteer (geo_precision 1), then GeoNames towns (2).

    geocode() follows geopy's signature and returns a geopy Location (raw dict: site_id, kind,
    country, admin1, geo_precision, geo_source 'gazetteer' or 'geonames', matched_name, score)
    or None when the name is unknown; it never guesses below the fuzzy threshold.
    """

    def __init__(
        self,
        sites_path: str | Path | None = None,
        towns_path: str | Path | None = None,
        *,
        site_threshold: float = SITE_THRESHOLD,
        town_threshold: float = TOWN_THRESHOLD,
        towns: bool = True,
    ):
        super().__init__(adapter_factory=OfflineAdapter)
        self.index = _index(
            Path(sites_path).resolve() if sites_path else None,
            Path(towns_path).resolve() if towns_path else None,
            float(site_threshold),
            float(town_threshold),
            towns,
        )

    def geocode(self, query, *, exactly_one=True, country=None):
        """Place `query`; `country` (ISO2) prefers places in that country.

        exactly_one=False returns every candidate of the stage that found one (e.g. both
        Sinjars without a country hint), best first, or None.
        """
        text = "" if query is None else str(query)
        if not text.strip():
            return None
        hint = country_hint(country)
        if exactly_one:
            match = self.index.resolve(text, hint)
            return location_from_match(match) if match else None
        matches = self.index.candidates(text, hint)
        return [location_from_match(m) for m in matches] or None

    def reverse(self, query, *, exactly_one=True):  # pragma: no cover - not offered
        raise NotImplementedError("the gazetteer geocoder does not reverse-geocode")
