"""The snapshot button: a PNG of the map as it is on screen, with its legend and the one-line
description of the selection on top, drawn in the browser by the vendored html-to-image (no
server round trip, no network)."""

from __future__ import annotations

from dashboard.views.map.elements import AtlasCall


def snapshot_control() -> AtlasCall:
    return AtlasCall("snapshotControl", kind="SnapshotControl")
