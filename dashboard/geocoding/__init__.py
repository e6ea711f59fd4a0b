"""Offline geocoding: sites gazetteer, GeoNames towns tier, optional online fallback.

The data layer's entry points: `GazetteerGeocoder` (geopy interface), `make_geocoder` (the
fallback chain configured from the environment), `geocode_frame` and `geocode_csv`.
Nothing here imports streamlit.
"""

from dashboard.geocoding.geocoder import GazetteerGeocoder, location_from_match

__all__ = ["GazetteerGeocoder", "location_from_match"]
