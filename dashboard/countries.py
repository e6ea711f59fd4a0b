"""Country knowledge in one place, from pycountry (ISO 3166-1): codes, names, look-ups.

Readers, the validator, the filters and the views all ask here, so "IQ", "IRQ", "368", "Iraq"
and "Republic of Iraq" mean the same country everywhere and every page prints "Iraq", never a
code. Names are the short ones people use ("Syria", "Iran", "Turkey"), not the formal ones.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry

# Short names people use where ISO's name is a formal one; pycountry's common_name covers most
# ("Syria", "Iran"); these are the ones it writes formally and that our region needs.
_SHORT_NAMES = {
    "PS": "Palestine",
    "TR": "Turkey",
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "MD": "Moldova",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
}
# Spellings in news and exports that ISO does not list.
_EXTRA_SPELLINGS = {
    "turkey": "TR",
    "turkiye": "TR",
    "palestinian territories": "PS",
    "occupied palestinian territory": "PS",
    "gaza": "PS",
    "west bank": "PS",
    "uk": "GB",
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "kurdistan region": "IQ",
}


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for value in (
            code,
            country.alpha_3,
            country.numeric,
            str(int(country.numeric)),
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ):
            if value:
                index.setdefault(_key(value), code)
    for spelling, code in _EXTRA_SPELLINGS.items():
        index[_key(spelling)] = code
    for code, name in _SHORT_NAMES.items():
        index[_key(name)] = code
    return index


@lru_cache(maxsize=4096)
def code_of(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a code (alpha-2, alpha-3, numeric) or a name; None if unknown."""
    if text is None:
        return None
    key = _key(text)
    return _index().get(key) if key else None


@lru_cache(maxsize=1024)
def name_of(code: str) -> str:
    """The short English name of an ISO alpha-2 code ("IQ" -> "Iraq"); unknown codes as given."""
    upper = str(code).strip().upper()
    if upper in _SHORT_NAMES:
        return _SHORT_NAMES[upper]
    country = pycountry.countries.get(alpha_2=upper)
    if country is None:
        return upper
    return getattr(country, "common_name", None) or country.name


def is_code(code: str) -> bool:
    """True when `code` is an assigned ISO 3166-1 alpha-2 code."""
    return pycountry.countries.get(alpha_2=str(code).upper()) is not None
