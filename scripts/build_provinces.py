"""Write data/provinces.csv: the first-level divisions of Iraq, Syria and Jordan and their points.

A report that places an event only in a province ("in Anbar province") gets geo_precision 3
and the province's point. As ACLED does for that precision, the point is the province's capital:
its GeoNames point from data/towns.csv (the capital named in each governorate's Wikipedia
article). Names and aliases are the spellings reports use; `admin1` is GeoNames' spelling, the
one towns.csv and the sites gazetteer use. Run again after changing the table below:

    python scripts/build_provinces.py
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# ISO 3166-2 code, GeoNames admin1 (as towns.csv spells it), name, aliases, capital GeoNames id
PROVINCES = (
    ("IQ-AN", "Anbar", "Anbar", "Al Anbar|Al-Anbar|Anbar Governorate", 98717),
    ("IQ-BB", "Babil", "Babil", "Babylon|Babel|Babil Governorate", 99347),
    ("IQ-BG", "Mayorality of Baghdad", "Baghdad", "Baghdad Governorate", 98182),
    ("IQ-BA", "Basra Governorate", "Basra", "Basrah|Al Basrah", 99532),
    ("IQ-DQ", "Dhi Qar", "Dhi Qar", "Thi Qar|Dhiqar|Di Qar", 98854),
    ("IQ-DI", "Diyala", "Diyala", "Diala|Diyala Governorate", 97990),
    ("IQ-DA", "Dahuk", "Duhok", "Dohuk|Dahuk|Dihok|Duhok Governorate", 96994),
    ("IQ-AR", "Arbil", "Erbil", "Arbil|Irbil|Hawler|Erbil Governorate", 95446),
    ("IQ-KA", "Muhafazat Karbala'", "Karbala", "Kerbala|Karbala Governorate", 94824),
    ("IQ-KI", "Muhafazat Kirkuk", "Kirkuk", "Kerkuk|Tamim|Kirkuk Governorate", 94787),
    ("IQ-MA", "Maysan", "Maysan", "Missan|Maysan Governorate", 99608),
    ("IQ-MU", "Al Muthanna", "Muthanna", "Al Muthanna|Al-Muthanna", 98530),
    ("IQ-NA", "An Najaf", "Najaf", "An Najaf|Najaf Governorate", 98860),
    ("IQ-NI", "Ninawa", "Nineveh", "Ninawa|Ninewa|Nineva|Ninevah|Mosul Governorate", 99072),
    ("IQ-QA", "Al Qadisiyah", "Qadisiyah", "Al-Qadisiyah|Diwaniyah|Qadisiyyah", 99762),
    ("IQ-SD", "Salah ad Din Governorate", "Salahuddin",
     "Salah ad Din|Salah al-Din|Salahaddin|Saladin|Salah Al Din", 90150),
    ("IQ-SU", "As Sulaymaniyah", "Sulaymaniyah",
     "Sulaimani|Sulaimaniya|Sulaimaniyah|Slemani|Suleimaniyah|Sulaymaniyah Governorate", 98463),
    ("IQ-WA", "Wasit", "Wasit", "Wassit|Wasit Governorate", 99131),
    ("SY-HA", "Al-Hasakah", "Hasakah", "Al-Hasakah|Hasaka|Hassakeh|Hasakeh|Al-Hasakeh", 173811),
    ("SY-HL", "Aleppo", "Aleppo", "Halab", 170063),
    ("SY-RA", "Ar-Raqqah", "Raqqa", "Raqqah|Ar-Raqqah|Al-Raqqa", 172955),
    ("SY-SU", "As-Suwayda", "Suwayda", "Sweida|Suweida|As-Suwayda|Swaida|Sueida", 172408),
    ("SY-DR", "Daraa", "Daraa", "Dar'a|Deraa|Dara'a", 170905),
    ("SY-DY", "Deir ez-Zor", "Deir ez-Zor",
     "Deir al-Zor|Deir Ezzor|Deir el-Zour|Deir al-Zour|Dayr az Zawr|Deir Ez-Zor", 170794),
    ("SY-DI", "Dimashq", "Damascus", "Dimashq", 170654),
    ("SY-HM", "Hama", "Hama", "Hamah", 170017),
    ("SY-HI", "Homs", "Homs", "Hims", 169577),
    ("SY-ID", "Idlib", "Idlib", "Idleb", 169389),
    ("SY-LA", "Latakia", "Latakia", "Lattakia|Al-Ladhiqiyah", 173576),
    ("SY-QU", "Quneitra", "Quneitra", "Al-Qunaytirah|Kuneitra", 173334),
    ("SY-RD", "Rif-dimashq", "Rif Dimashq", "Rural Damascus|Damascus countryside|Reef Dimashq",
     170654),
    ("SY-TA", "Tartus", "Tartus", "Tartous|Tartous", 163345),
    ("JO-AM", "Amman", "Amman", "Capital Governorate", 250441),
    ("JO-AQ", "Aqaba", "Aqaba", "Al Aqabah", 250774),
    ("JO-BA", "Balqa", "Balqa", "Al-Balqa|Al Balqa", 250258),
    ("JO-IR", "Irbid", "Irbid", "", 248946),
    ("JO-KA", "Karak", "Karak", "Kerak|Al Karak", 6946409),
    ("JO-MN", "Ma'an", "Ma'an", "Maan", 248382),
    ("JO-MD", "Madaba", "Madaba", "", 248370),
    ("JO-MA", "Mafraq", "Mafraq", "Al Mafraq", 250582),
    ("JO-AT", "Tafielah", "Tafilah", "Tafila|Tafielah|At Tafilah", 250198),
    ("JO-AZ", "Zarqa", "Zarqa", "Az Zarqa", 250090),
)  # fmt: skip
COLUMNS = ("id", "country", "admin1", "name", "aliases", "capital", "latitude", "longitude",
           "point_source")  # fmt: skip


def main() -> int:
    with (DATA / "towns.csv").open(encoding="utf-8", newline="") as handle:
        towns = {int(row["id"]): row for row in csv.DictReader(handle)}
    rows = []
    for code, admin1, name, aliases, capital_id in PROVINCES:
        town = towns[capital_id]
        rows.append({
            "id": code, "country": code[:2], "admin1": admin1, "name": name, "aliases": aliases,
            "capital": town["name"], "latitude": town["latitude"], "longitude": town["longitude"],
            "point_source": f"GeoNames {capital_id} ({town['name']}, the capital) via towns.csv",
        })  # fmt: skip
    with (DATA / "provinces.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} provinces to data/provinces.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
