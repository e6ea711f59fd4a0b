"""Every setting in one table: environment variable, default, and what it does.

Defaults work with no internet. The README's settings table is generated from SETTINGS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dashboard.errors import BadSetting


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
    "read_only": Setting(
        "ATLAS_READ_ONLY",
        "0",
        "1 (or true/yes/on) for a read-only deployment (wall screens, shared servers): no "
        "upload, import, article import or batch removal pages, and the CLI refuses to change "
        "the store.",
    ),
    "basemap": Setting(
        "ATLAS_BASEMAP",
        "offline",
        "'offline' (bundled Natural Earth borders, no tile server) or a tile URL template such as "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png.",
    ),
    "max_upload_mb": Setting(
        "ATLAS_MAX_UPLOAD_MB",
        "200",
        "Largest file the upload page accepts, in MB (a 1,000,000-row CSV is about 300 MB: import "
        "it with the CLI or as Parquet). Streamlit's own limit, server.maxUploadSize in "
        ".streamlit/config.toml, must be at least as large.",
    ),
    "max_rows": Setting(
        "ATLAS_MAX_ROWS",
        "2000000",
        "Most data rows one file may have (validate, import, upload); larger files are refused "
        "before they fill the memory.",
    ),
    "max_columns": Setting(
        "ATLAS_MAX_COLUMNS",
        "1000",
        "Most columns one file may have; checked on the header before the rest is read.",
    ),
    "max_field_chars": Setting(
        "ATLAS_MAX_FIELD_CHARS",
        "100000",
        "Longest cell accepted, in characters (a long report fits in 100,000).",
    ),
}


def get(name: str) -> str:
    return SETTINGS[name].value()


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def read_only() -> bool:
    """ATLAS_READ_ONLY as a flag; an unknown value is an error rather than a guess."""
    value = get("read_only").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadSetting(
        f"ATLAS_READ_ONLY={value!r} is not understood: use 1 (read-only) or 0 (the default)"
    )


def get_int(name: str) -> int:
    """A setting that is a positive whole number; a bad value is a BadSetting, not a crash."""
    from dashboard.errors import BadSetting

    setting = SETTINGS[name]
    text = setting.value().replace(",", "").replace("_", "")
    if not text.isdigit() or int(text) < 1:
        raise BadSetting(
            f"{setting.env}={setting.value()!r} is not a positive whole number; "
            f"unset it to use the default ({setting.default})"
        )
    return int(text)


def settings_markdown() -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS.values():
        lines.append(f"| `{setting.env}` | `{setting.default or '(empty)'}` | {setting.help} |")
    return "\n".join(lines)
