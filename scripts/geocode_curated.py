"""Fill the curated set's coordinates from the gazetteer, in place (run after editing rows).

Only rows without coordinates are geocoded (a source's own point is never overwritten);
names the gazetteer cannot resolve keep empty coordinates and are listed, never guessed.
Usage: python scripts/geocode_curated.py [data/incidents.csv]
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.formats import read_incidents
from dashboard.formats.writers import write_incidents
from dashboard.geocoding import GazetteerGeocoder, geocode_frame
from dashboard.paths import DATA_DIR
from dashboard.schema import COLUMNS


def main(path: Path) -> int:
    incidents = read_incidents(path, format="native", dataset="curated", curated=True)
    # Keep the file's actor text: the curated set is written with canonical names already.
    incidents = incidents.drop(columns=["actor1_original", "actor2_original"])
    geocoded = geocode_frame(incidents, GazetteerGeocoder())
    write_incidents(geocoded[list(COLUMNS)], path, "csv")
    unresolved = geocoded[geocoded["latitude"].isna()]
    print(f"{path}: {len(geocoded) - len(unresolved)} of {len(geocoded)} incidents placed")
    for row in unresolved.itertuples():
        print(f"  unresolved: {row.incident_id}: {row.location!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_DIR / "incidents.csv"))
