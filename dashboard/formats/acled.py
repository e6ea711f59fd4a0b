"""ACLED exports (current and older layouts) -> canonical text cells.

ACLED is the Armed Conflict Location & Event Data project. Its exports come in two layouts:

* current (since the 20 March 2023 column change): `HEADER`, 31 columns, ISO dates
  (YYYY-MM-DD) and, in newer exports, actor types as text ("State forces", "Rebel group" ...);
* older: `LEGACY_HEADER`, with `data_id`, `event_id_no_cnty` and `iso3`, no `disorder_type`,
  `civilian_targeting` or `tags`, numeric actor-type codes (1..8, interaction 10..88) and dates
  such as "20 November 2023", "20-November-2023" or "20-Nov-23".

`to_canonical` maps either layout to canonical columns as *text*; `dashboard.schema` parses and
validates them afterwards. Every source column is also kept as `acled_<column>`, verbatim
except `acled_inter1`/`acled_inter2`, where older numeric codes are written as the current labels.
The mapping tables are in docs/formats.md.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.cell_parsers import Distinct, arrow_strings
from dashboard.formats.source_cells import (
    cells_by_column,
    choose,
    column_key,
    column_reader,
    constant,
    has_point,
    missing_required,
    parse_dates,
    spreadsheet_rows,
)
from dashboard.problems import Problem

NAME = "acled"

# Current ACLED codebook column order.
HEADER: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

# Column order of exports made before the March 2023 change.
LEGACY_HEADER: tuple[str, ...] = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
    "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "timestamp", "iso3",
)  # fmt: skip

# Without these a row cannot become an incident; every other column may be absent.
REQUIRED: tuple[str, ...] = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "country", "location",
    "latitude", "longitude",
)  # fmt: skip

# Canonical column -> the ACLED column it comes from, to name the user's column in messages.
SOURCE_COLUMNS: dict[str, str] = {
    "incident_id": "event_id_cnty", "event_date": "event_date", "time_precision": "time_precision",
    "event_type": "sub_event_type", "weapon": "sub_event_type", "actor1": "actor1",
    "actor2": "actor2", "location": "location", "country": "iso", "admin1": "admin1",
    "latitude": "latitude", "longitude": "longitude", "geo_precision": "geo_precision",
    "killed": "fatalities", "source": "source", "notes": "notes",
}  # fmt: skip

# ISO 3166-1 numeric (ACLED's `iso`) -> (alpha-2, alpha-3, country name as ACLED writes it).
ISO_NUMERIC: dict[int, tuple[str, str, str]] = {
    368: ("IQ", "IRQ", "Iraq"),
    760: ("SY", "SYR", "Syria"),
    400: ("JO", "JOR", "Jordan"),
    364: ("IR", "IRN", "Iran"),
    422: ("LB", "LBN", "Lebanon"),
    376: ("IL", "ISR", "Israel"),
    275: ("PS", "PSE", "Palestine"),
    792: ("TR", "TUR", "Turkey"),
    682: ("SA", "SAU", "Saudi Arabia"),
    414: ("KW", "KWT", "Kuwait"),
    887: ("YE", "YEM", "Yemen"),
    818: ("EG", "EGY", "Egypt"),
    634: ("QA", "QAT", "Qatar"),
    48: ("BH", "BHR", "Bahrain"),
    784: ("AE", "ARE", "United Arab Emirates"),
    512: ("OM", "OMN", "Oman"),
    196: ("CY", "CYP", "Cyprus"),
    4: ("AF", "AFG", "Afghanistan"),
    586: ("PK", "PAK", "Pakistan"),
    51: ("AM", "ARM", "Armenia"),
    31: ("AZ", "AZE", "Azerbaijan"),
    268: ("GE", "GEO", "Georgia"),
    434: ("LY", "LBY", "Libya"),
    729: ("SD", "SDN", "Sudan"),
    728: ("SS", "SSD", "South Sudan"),
    706: ("SO", "SOM", "Somalia"),
    262: ("DJ", "DJI", "Djibouti"),
    232: ("ER", "ERI", "Eritrea"),
    231: ("ET", "ETH", "Ethiopia"),
    12: ("DZ", "DZA", "Algeria"),
    788: ("TN", "TUN", "Tunisia"),
    504: ("MA", "MAR", "Morocco"),
    840: ("US", "USA", "United States"),
    826: ("GB", "GBR", "United Kingdom"),
    250: ("FR", "FRA", "France"),
    276: ("DE", "DEU", "Germany"),
    643: ("RU", "RUS", "Russia"),
    804: ("UA", "UKR", "Ukraine"),
}
_ALIASES = {
    "turkiye": "TR", "türkiye": "TR", "uae": "AE", "usa": "US", "united states of america": "US",
    "palestinian territory": "PS", "syrian arab republic": "SY", "iran (islamic republic of)": "IR",
    "uk": "GB",
}  # fmt: skip
_BY_NAME = {name.lower(): a2 for a2, _a3, name in ISO_NUMERIC.values()} | _ALIASES
_BY_ALPHA3 = {a3: a2 for a2, a3, _name in ISO_NUMERIC.values()}

# Older exports code actor types as numbers; newer ones write the label.
INTER_LABELS: dict[str, str] = {
    "1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces",
}  # fmt: skip

# ACLED sub-event type (lower case) -> canonical event type. See weapon rules in `map_event`.
SUB_EVENT_TYPES: dict[str, str] = {
    # Battles
    "armed clash": "clash",
    "government regains territory": "clash",
    "non-state actor overtakes territory": "clash",
    # Explosions/Remote violence
    "air/drone strike": "airstrike",
    "shelling/artillery/missile attack": "attack",
    "remote explosive/landmine/ied": "attack",
    "suicide bomb": "attack",
    "grenade": "attack",
    "chemical weapon": "attack",
    # Violence against civilians
    "attack": "attack",
    "sexual violence": "attack",
    "abduction/forced disappearance": "other",
    # Protests and Riots
    "peaceful protest": "protest",
    "protest with intervention": "protest",
    "excessive force against protesters": "protest",
    "excessive force against protestors": "protest",
    "violent demonstration": "protest",
    "mob violence": "protest",
    # Strategic developments
    "disrupted weapons use": "foiled_attack",
    "agreement": "other",
    "arrests": "other",
    "change to group/activity": "other",
    "headquarters or base established": "other",
    "looting/property destruction": "other",
    "non-violent transfer of territory": "other",
    "other": "other",
}
# Used when the sub-event type is missing or unknown (e.g. a category ACLED adds later).
EVENT_TYPES: dict[str, str] = {
    "battles": "clash",
    "explosions/remote violence": "attack",
    "violence against civilians": "attack",
    "protests": "protest",
    "riots": "protest",
    "strategic developments": "other",
}

# Weapon keywords in the notes, most specific first; the first family that matches wins.
_WEAPON_WORDS: tuple[tuple[str, str], ...] = (
    ("ballistic_missile", r"ballistic missiles?"),
    ("drone", r"drones?|uavs?|unmanned aerial|unmanned aircraft|one-way attack|loitering munition"
              r"|kamikaze"),
    ("rocket", r"rockets?|katyushas?|grad|mlrs|multiple rocket"),
    ("missile", r"missiles?"),
    ("artillery", r"artillery|shell(?:s|ed|ing)?|mortars?|howitzers?"),
    ("ied", r"ieds?|vbieds?|improvised explosive|roadside bombs?|car bombs?|landmines?|land mines?"
            r"|explosive devices?|suicide bomb(?:er|ing)?s?"),
    ("aircraft", r"air ?strikes?|warplanes?|fighter jets?|jets?|aircraft|helicopters?|bombers?"),
    ("small_arms", r"gunfire|gunmen|small arms|small-arms|rifles?|machine guns?|snipers?"
                   r"|opened fire|shot|shooting|gun battle|firefight"),
)  # fmt: skip
_SEIZURE_WORDS = (
    r"seiz(?:e|ed|es|ing|ure)|confiscat\w*|weapons? caches?|arms caches?|caches? of|impound\w*"
)
_INTERCEPTION_WORDS = r"intercept\w*|shot down|downed|air defen[cs]es?|air-defen[cs]es?"
# Every keyword family the rules look for in the notes, one bit each (weapons in priority order,
# then interception and seizure). The notes column is searched once per family, in pyarrow
# (RE2), and the rules then run once per distinct (event type, sub-event type, bits).
_FAMILIES: tuple[tuple[str, str], ...] = (
    *_WEAPON_WORDS,
    ("interception", _INTERCEPTION_WORDS),
    ("seizure", _SEIZURE_WORDS),
)
_FAMILY_PATTERNS = tuple(rf"\b(?:{words})\b" for _name, words in _FAMILIES)
_COMPILED = tuple(re.compile(pattern, re.IGNORECASE) for pattern in _FAMILY_PATTERNS)
_BIT = {name: 1 << bit for bit, (name, _words) in enumerate(_FAMILIES)}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\S.*)?$")
_NAMED_MONTH_DATE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4}|\d{2})$")
DATE_FORMATS_HELP = "YYYY-MM-DD, 'DD Month YYYY', 'DD-Month-YYYY' or 'DD-Mon-YY'"


def looks_like(columns: list[str]) -> bool:
    """True for a header of an ACLED export, current or older, in any case or spacing."""
    names = {column_key(c) for c in columns}
    if "event_id_cnty" in names and names & {"event_type", "sub_event_type"}:
        return True
    # Exports with the id column left out are still recognised by most of the codebook columns.
    signature = {"sub_event_type", "assoc_actor_1", "inter1", "geo_precision", "fatalities"}
    return len(names & signature) >= 4


def parse_date(text: str) -> str | None:
    """An ACLED date in any layout -> 'YYYY-MM-DD'; None when it is not a date ACLED writes.

    An ISO-shaped date that does not exist (2023-02-30) is returned unchanged, so the validator
    can say "there is no such day".
    """
    text = text.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text[:10]
    match = _NAMED_MONTH_DATE.match(text)
    if not match:
        return None
    day_text, month_text, year_text = match.groups()
    month = _MONTHS.get(month_text.lower())
    if month is None:
        return None
    year = int(year_text)
    if len(year_text) == 2:  # as Python's %y: 69-99 -> 1900s, 00-68 -> 2000s (ACLED starts 1997)
        year += 1900 if year >= 69 else 2000
    try:
        return date(year, month, int(day_text)).isoformat()
    except ValueError:
        return None


def country_code(iso: str, name: str = "", iso3: str = "") -> str:
    """ISO2 from ACLED's numeric `iso`, else `iso3`, else the country name; else the name as is.

    An unknown name is returned unchanged so the validator reports it.
    """
    iso = iso.strip()
    if iso.isdigit() and int(iso) in ISO_NUMERIC:
        return ISO_NUMERIC[int(iso)][0]
    if iso3.strip().upper() in _BY_ALPHA3:
        return _BY_ALPHA3[iso3.strip().upper()]
    name = name.strip()
    if name.lower() in _BY_NAME:
        return _BY_NAME[name.lower()]
    if re.fullmatch(r"[A-Za-z]{2}", name):
        return name.upper()
    return name


def inter_label(code: str) -> str:
    """Actor type: numeric code of older exports -> the text label; text is kept as given."""
    code = code.strip()
    return INTER_LABELS.get(code.removesuffix(".0"), code)


def notes_flags(notes: str) -> int:
    """The keyword families found in one note, as bits (see `_FAMILIES`)."""
    return sum(1 << bit for bit, pattern in enumerate(_COMPILED) if pattern.search(notes))


def notes_flags_column(notes: pd.Series) -> np.ndarray:
    """`notes_flags` for a whole column, each family searched once by pyarrow."""
    values = arrow_strings(notes)
    flags = np.zeros(len(notes), dtype=np.int64)
    for bit, pattern in enumerate(_FAMILY_PATTERNS):
        found = pc.match_substring_regex(values, pattern, ignore_case=True)
        flags |= pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(np.int64) << bit
    return flags


def _weapon_from(flags: int, allowed: tuple[str, ...] | None = None) -> str | None:
    for weapon, _words in _WEAPON_WORDS:
        if (allowed is None or weapon in allowed) and flags & _BIT[weapon]:
            return weapon
    return None


def notes_weapon(notes: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """First weapon family (optionally among `allowed`) whose keywords appear in the notes."""
    return _weapon_from(notes_flags(notes), allowed)


def map_event(event_type: str, sub_event_type: str, notes: str = "") -> tuple[str, str]:
    """ACLED event type + sub-event type (+ notes keywords) -> (canonical event_type, weapon).

    The weapon is "" for events that are not uses of force (protests, arrests, agreements ...).
    """
    return map_event_flags(event_type, sub_event_type, notes_flags(notes))


# Sub-event types whose weapon is fixed, or read from the notes among some families only.
_FIXED_WEAPON = {"remote explosive/landmine/ied": "ied", "suicide bomb": "ied"}
_WEAPON_FAMILIES = {
    "air/drone strike": (("drone",), "aircraft"),
    "shelling/artillery/missile attack": (
        ("ballistic_missile", "rocket", "missile", "artillery"),
        "unknown",
    ),
}


def map_event_flags(event_type: str, sub_event_type: str, flags: int) -> tuple[str, str]:
    """`map_event` with the notes given as their keyword bits."""
    sub = " ".join(sub_event_type.lower().split())
    kind = SUB_EVENT_TYPES.get(sub) or EVENT_TYPES.get(" ".join(event_type.lower().split()), "")
    if not kind:
        return "", ""
    if sub in _FIXED_WEAPON:
        return kind, _FIXED_WEAPON[sub]
    if sub in _WEAPON_FAMILIES:
        families, otherwise = _WEAPON_FAMILIES[sub]
        return kind, _weapon_from(flags, families) or otherwise
    if sub == "disrupted weapons use":
        return _disrupted(kind, flags), _weapon_from(flags) or "unknown"
    if kind == "other" and flags & _BIT["seizure"]:
        return "seizure", _weapon_from(flags) or "unknown"
    if kind in ("attack", "clash", "airstrike"):
        return kind, _weapon_from(flags) or "unknown"
    return kind, ""


def _disrupted(kind: str, flags: int) -> str:
    """Disrupted weapons use: an interception or a seizure when the notes say so."""
    if flags & _BIT["interception"]:
        return "interception"
    if flags & _BIT["seizure"]:
        return "seizure"
    return kind


def map_events(
    event_type: pd.Series, sub_event_type: pd.Series, notes: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """`map_event` over whole columns: (event types, weapons) as text columns."""
    bits = pa.array(notes_flags_column(notes)).cast(pa.large_string())
    flags = pd.Series(pd.arrays.ArrowStringArray(bits), index=notes.index)
    events = Distinct(
        lambda kind, sub, bits: map_event_flags(kind, sub, int(bits)),
        event_type,
        sub_event_type,
        flags,
    )
    return events.text(lambda pair: pair[0]), events.text(lambda pair: pair[1])


def to_canonical(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """ACLED text cells -> canonical text cells (same index) and ACLED-specific problems."""
    problems: list[Problem] = []
    cells = cells_by_column(raw)
    problems += missing_required(cells, REQUIRED, "ACLED")
    col = column_reader(cells, raw.index)
    index = raw.index

    rows = spreadsheet_rows(index)
    dates, found = parse_dates(
        col("event_date"), parse_date, rows, "event_date", "ACLED", DATE_FORMATS_HELP
    )
    problems += found
    event_types, weapons = map_events(col("event_type"), col("sub_event_type"), col("notes"))
    countries = Distinct(country_code, col("iso"), col("country"), col("iso3")).text()

    out = {
        "incident_id": col("event_id_cnty"),
        "event_date": dates,
        "time_precision": col("time_precision"),
        "event_type": event_types,
        "weapon": weapons,
        "actor1": col("actor1"),
        "actor2": col("actor2"),
        "location": col("location"),
        "site_id": constant("", index),
        "country": countries,
        "admin1": col("admin1"),
        "latitude": col("latitude"),
        "longitude": col("longitude"),
        "geo_precision": col("geo_precision"),
        "geo_source": choose(has_point(col), "source", "", index),
        "killed": col("fatalities"),
        "wounded": constant("", index),  # ACLED reports fatalities only: never 0
        "source": col("source"),
        "source_url": constant("", index),  # ACLED gives publication names, no links
        "notes": col("notes"),
        "dataset": constant(NAME, index),
    }
    for name, values in cells.items():
        if name in ("inter1", "inter2"):
            values = Distinct(inter_label, values).text()
        out[f"{NAME}_{name}"] = values
    return pd.DataFrame(out, index=index), problems
