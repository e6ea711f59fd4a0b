"""The data layer (everything but the pages) works without Streamlit, as DESIGN.md promises."""

from __future__ import annotations

import subprocess
import sys

DATA_LAYER = [
    "dashboard.schema", "dashboard.formats", "dashboard.formats.acled", "dashboard.formats.ucdp",
    "dashboard.formats.writers", "dashboard.actors", "dashboard.store", "dashboard.filters",
    "dashboard.engine", "dashboard.datasource", "dashboard.countries", "dashboard.textsearch",
    "dashboard.settings", "dashboard.synthetic", "dashboard.geocoding", "dashboard.mapview",
    "dashboard.mapcontent",
    "dashboard.ingest", "dashboard.views.map", "dashboard.views.timeline", "dashboard.__main__",
    "dashboard.views.safe", "dashboard.views.highlight",
    "dashboard.store.store", "dashboard.store.sqlite", "dashboard.store.postgres",
    "dashboard.store.sqlite_reader", "dashboard.progress",
]  # fmt: skip


def test_data_layer_imports_no_streamlit():
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in DATA_LAYER)
        + "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')\n"
        + "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
