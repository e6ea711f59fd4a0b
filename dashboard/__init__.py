"""Incident Atlas: an offline-first geospatial dashboard of conflict incidents."""

__version__ = "0.1.0"
