"""The sites gazetteer (data/sites.csv): named bases, airports, fields, crossings and dams.

Each site has an id, a name, a kind, a country (ISO2), a first-level division, a WGS84 point,
aliases (pipe-separated spellings, transliterations, former names, ICAO/IATA codes) and the
source of its coordinates. Loading is cached per path: the file is read once per process.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from dashboard.errors import GazetteerDataError
from dashboard.paths import DATA_DIR

SITES_PATH = DATA_DIR / "sites.csv"
SITE_COLUMNS = (
    "id", "name", "kind", "country", "admin1", "latitude", "longitude", "aliases",
    "coord_source", "notes",
)  # fmt: skip
SITE_KINDS = frozenset(
    {"air_base", "garrison", "outpost", "embassy", "oil_gas_field", "airport", "town",
     "border_crossing", "district", "dam"}
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...]
    coord_source: str
    notes: str

    @property
    def names(self) -> tuple[str, ...]:
        """The name first, then every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SiteTable:
    path: Path
    sites: tuple[Site, ...]

    @cached_property
    def by_id(self) -> dict[str, Site]:
        return {site.id: site for site in self.sites}


def _float(value: str, path: Path, row: int, column: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise GazetteerDataError(
            f"{path}: row {row}, column {column}: '{value}' is not a number (write decimal "
            "degrees, e.g. 33.7856)"
        ) from None
    if not math.isfinite(number):
        raise GazetteerDataError(f"{path}: row {row}, column {column}: '{value}' is not finite")
    return number


def parse_sites(path: Path) -> tuple[Site, ...]:
    """Read and check sites.csv; every problem raises GazetteerDataError naming row and column."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in SITE_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise GazetteerDataError(
                f"{path}: missing column(s) {', '.join(missing)}; the header must be "
                f"{','.join(SITE_COLUMNS)}"
            )
        sites: list[Site] = []
        seen: set[str] = set()
        for row_number, row in enumerate(reader, start=2):
            site = _site(row, path, row_number)
            if site.id in seen:
                raise GazetteerDataError(
                    f"{path}: row {row_number}, column id: duplicate id '{site.id}'"
                )
            seen.add(site.id)
            sites.append(site)
    return tuple(sites)


def _site(row: dict[str, str | None], path: Path, row_number: int) -> Site:
    """One checked row of sites.csv."""
    site_id = (row["id"] or "").strip()
    if not site_id:
        raise GazetteerDataError(f"{path}: row {row_number}, column id: value is required")
    kind = (row["kind"] or "").strip()
    if kind not in SITE_KINDS:
        raise GazetteerDataError(
            f"{path}: row {row_number}, column kind: unknown kind '{kind}' (allowed: "
            f"{', '.join(sorted(SITE_KINDS))})"
        )
    latitude = _float(row["latitude"], path, row_number, "latitude")
    longitude = _float(row["longitude"], path, row_number, "longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise GazetteerDataError(
            f"{path}: row {row_number}: point ({latitude}, {longitude}) is outside WGS84 ranges"
        )
    return Site(
        id=site_id,
        name=(row["name"] or "").strip(),
        kind=kind,
        country=(row["country"] or "").strip().upper(),
        admin1=(row["admin1"] or "").strip(),
        latitude=latitude,
        longitude=longitude,
        aliases=tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip()),
        coord_source=(row["coord_source"] or "").strip(),
        notes=(row["notes"] or "").strip(),
    )


@lru_cache(maxsize=8)
def _load_sites(path: Path) -> SiteTable:
    return SiteTable(path, parse_sites(path))


def load_sites(path: str | Path | None = None) -> SiteTable:
    """The sites gazetteer at path (default data/sites.csv), read once per process."""
    return _load_sites(Path(path or SITES_PATH).resolve())
