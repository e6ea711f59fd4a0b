"""Every setting in one table: environment variable, default, and what it does.

Defaults work with no internet. The README's settings table is generated from SETTINGS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env, "").strip() or self.default


SETTINGS = {
    "data": Setting(
        "ATLAS_DATA",
        "",
        "Incidents to show: a CSV/Parquet path or a SQLAlchemy URL. Empty: the local store, "
        "seeded from data/incidents.csv on first run.",
    ),
    "home": Setting(
        "ATLAS_HOME",
        "~/.local/share/incident-atlas",
        "Folder of the local SQLite store (atlas.db) and the geocoding cache.",
    ),
    "online_geocoder": Setting(
        "ATLAS_ONLINE_GEOCODER",
        "off",
        "'nominatim' enables the online fallback geocoder (rate-limited, cached). Off by default.",
    ),
    "basemap": Setting(
        "ATLAS_BASEMAP",
        "offline",
        "'offline' (bundled Natural Earth borders, no tile server) or a tile URL template such as "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png.",
    ),
}


def get(name: str) -> str:
    return SETTINGS[name].value()


def settings_markdown() -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS.values():
        lines.append(f"| `{setting.env}` | `{setting.default or '(empty)'}` | {setting.help} |")
    return "\n".join(lines)
