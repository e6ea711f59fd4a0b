"""Fitting the map to the selection once per selection: a new filter shows its incidents, while
zooming, panning, display options and playback frames keep the user's view (same key). A wall
is fitted every time: nobody pans it, and the whole selection must stay in sight."""

from __future__ import annotations

import hashlib

from dashboard.views.map.elements import AtlasLayer


def fit_key(*parts: object) -> str:
    """A short stable key for what the map was fitted to (the filters, the data version)."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def fit_layer(key: str, bounds, *, wall: bool = False) -> AtlasLayer:
    """bounds: (south, west, north, east) or None (nothing to fit: only the key is recorded).
    wall: fitted on every answer and every resize (nobody moves a wall's map), with room at
    the edges for the largest symbol."""
    corners = None if bounds is None else [[bounds[0], bounds[1]], [bounds[2], bounds[3]]]
    return AtlasLayer("fit", key, corners, {"wall": wall}, kind="FitView")
