"""Where the project's files live: one place, so nothing hard-codes a path twice."""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
STATIC_DIR = PACKAGE_DIR / "static"


def atlas_home() -> Path:
    """Folder for the local store and caches; ATLAS_HOME overrides ~/.local/share/incident-atlas."""
    configured = os.environ.get("ATLAS_HOME")
    home = Path(configured) if configured else Path.home() / ".local" / "share" / "incident-atlas"
    home.mkdir(parents=True, exist_ok=True)
    return home
