"""First-level divisions (governorates) of Iraq, Syria and Jordan: data/provinces.csv.

A place named only as a province ("in Anbar province", "the southern province of Wassit")
resolves here at geo_precision 3, at the province capital's GeoNames point (ACLED's convention
for that precision; scripts/build_provinces.py writes the table). Names are matched through the
geocoder's normaliser: exact on the folded name or an alias, then fuzzily at the sites
threshold ("Wassit" -> Wasit, "Suweida" -> As-Suwayda).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from dashboard.errors import GazetteerDataError
from dashboard.geocoding.normalise import fuzzy_key, parse_name
from dashboard.paths import DATA_DIR

PROVINCES_PATH = DATA_DIR / "provinces.csv"
PROVINCE_COLUMNS = (
    "id", "country", "admin1", "name", "aliases", "capital", "latitude", "longitude",
    "point_source",
)  # fmt: skip
FUZZY_CUTOFF = 84.0


@dataclass(frozen=True)
class Province:
    id: str  # ISO 3166-2
    country: str
    admin1: str  # GeoNames' spelling, as towns.csv and sites.csv use it
    name: str
    aliases: tuple[str, ...]
    capital: str
    latitude: float
    longitude: float
    point_source: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.admin1, *self.aliases)


def _row(row: dict, path: Path, number: int) -> Province:
    missing = [c for c in PROVINCE_COLUMNS if not (row.get(c) or "").strip() and c != "aliases"]
    if missing:
        raise GazetteerDataError(
            f"{path}: row {number}, column {missing[0]}: value is required "
            "(re-run scripts/build_provinces.py)"
        )
    try:
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
    except ValueError:
        raise GazetteerDataError(
            f"{path}: row {number}, column latitude/longitude: not a number"
        ) from None
    aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
    return Province(row["id"], row["country"], row["admin1"], row["name"], aliases,
                    row["capital"], latitude, longitude, row["point_source"])  # fmt: skip


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Province, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_row(row, path, n) for n, row in enumerate(csv.DictReader(handle), start=2))


def load_provinces(path: str | Path | None = None) -> tuple[Province, ...]:
    """The provinces table (default data/provinces.csv), read once per process."""
    return _load(Path(path or PROVINCES_PATH).resolve())


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Province]], list[str]]:
    by_key: dict[str, list[Province]] = {}
    for province in load_provinces():
        for name in province.names:
            key = fuzzy_key(parse_name(name).core)
            if key and province not in by_key.setdefault(key, []):
                by_key[key].append(province)
    return by_key, sorted(by_key)


_AFTER = re.compile(
    r"\b(?:province|governorate)\s+of\s+(?:the\s+)?(?P<name>[\w'’\-]+(?:\s+[\w'’\-]+)?)",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    r"(?P<name>(?:[\w'’\-]+\s+){0,2}[\w'’\-]+)\s+(?:province|governorate)\b", re.IGNORECASE
)


def province_words(text: str) -> str:
    """The name in "Anbar province (KH facility)", "the province of Wasit"; else the text."""
    match = _AFTER.search(text) or _BEFORE.search(text)
    return match.group("name") if match else text


def find_province(name: str, country: str | None = None) -> Province | None:
    """The province a name (with or without "province"/"governorate") means, or None."""
    key = fuzzy_key(parse_name(province_words(name)).core)
    if len(key) < 3:
        return None
    by_key, keys = _index()
    found = by_key.get(key)
    if not found:
        match = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        found = by_key.get(match[0]) if match and len(key) >= 5 else None
    if not found:
        return None
    in_country = [p for p in found if country is None or p.country == country]
    return (in_country or [None])[0]
