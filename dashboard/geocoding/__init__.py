"""Offline geocoding: sites gazetteer, GeoNames towns tier, optional online fallback.

Entry points of the data layer:
- `GazetteerGeocoder().geocode(query, *, exactly_one=True, country=None)` -> geopy Location
- `make_geocoder()` -> the fallback chain as ATLAS_ONLINE_GEOCODER configures it
- `geocode_frame(df, geocoder=None, *, overwrite=False)` -> incidents with points filled
- `geocode_csv(input_path, output_path, geocoder=None)` -> GeocodeSummary (the CLI command)
Nothing here imports streamlit.
"""

from dashboard.geocoding.cache import GeocodeCache
from dashboard.geocoding.chain import GeocodingChain, OnlineFallback, make_geocoder
from dashboard.geocoding.frame import GeocodeSummary, geocode_csv, geocode_frame
from dashboard.geocoding.geocoder import GazetteerGeocoder, location_from_match

__all__ = [
    "GazetteerGeocoder",
    "GeocodeCache",
    "GeocodeSummary",
    "GeocodingChain",
    "OnlineFallback",
    "geocode_csv",
    "geocode_frame",
    "location_from_match",
    "make_geocoder",
]
