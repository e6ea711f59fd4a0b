"""Text search that spells place names the way the geocoder does.

Incidents are searched in a normalised text column (`SEARCH_TEXT_SQL`, computed by the query
engine): lower case, no diacritics or ayn/hamza marks, punctuation as spaces, Arabic articles
("al-", "el-", "ash-") dropped. A query goes through the geocoder's `clean` and its table of
spelling variants, so "Ain al Asad" finds "Ayn al-Asad" and "AIN AL-ASAD"; a query that names a
gazetteer site also finds every incident placed at that site, however its text spells it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from dashboard.geocoding.normalise import (
    _ARABIC_LETTERS,
    ARTICLES,
    TOKEN_VARIANTS,
    clean,
    parse_name,
)

_MARKS = "’‘'`´ʿʾʼʻʽ′"
# The geocoder's Arabic letter folding (alef forms, taa marbuta ...), as DuckDB's translate().
_FOLD = {chr(k): v for k, v in _ARABIC_LETTERS.items()}
_ARABIC_FROM = "".join(k for k, v in _FOLD.items() if v) + "".join(
    k for k, v in _FOLD.items() if not v
)
_ARABIC_TO = "".join(v for v in _FOLD.values() if v)
_ARTICLE_WORDS = "|".join(sorted(ARTICLES, key=len, reverse=True))


def search_text_sql(expression: str) -> str:
    """DuckDB SQL normalising `expression` the way `search_key` normalises Python text."""
    folded = f"translate(strip_accents(lower({expression})), '{_ARABIC_FROM}', '{_ARABIC_TO}')"
    marks = _MARKS.replace("'", "''")
    unmarked = f"regexp_replace({folded}, '[{marks}]', '', 'g')"
    spaced = f"regexp_replace({unmarked}, '[^\\p{{L}}\\p{{N}}]+', ' ', 'g')"
    joined = f"regexp_replace({spaced}, '\\b([a-z]) ([0-9]+)\\b', '\\1\\2', 'g')"
    padded = f"' ' || trim({joined}) || ' '"
    return f"regexp_replace({padded}, ' (?:(?:{_ARTICLE_WORDS}) )+', ' ', 'g')"


def search_key(text: str) -> str:
    """Python twin of `search_text_sql`, for tests and small frames."""
    tokens = [t for t in clean(text).split() if t not in ARTICLES]
    return f" {' '.join(tokens)} " if tokens else " "


@lru_cache(maxsize=1)
def _spellings() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for spelling, canonical in TOKEN_VARIANTS.items():
        groups[canonical].append(spelling)
    return {
        spelling: tuple(sorted(set(groups[canonical]) | {canonical}))
        for spelling, canonical in TOKEN_VARIANTS.items()
    }


@lru_cache(maxsize=1024)
def pattern(query: str) -> str | None:
    """A regular expression (RE2 and Python) for the query over normalised text, or None when
    the query has no searchable word. Words must appear in order; the last may be a prefix."""
    tokens = [t for t in clean(query).split() if t not in ARTICLES]
    if not tokens:
        return None
    parts = []
    for token in tokens:
        spellings = _spellings().get(token, (token,))
        parts.append("(?:" + "|".join(re.escape(s) for s in spellings) + ")")
    return " " + " ".join(parts)


@lru_cache(maxsize=1)
def _site_cores() -> dict[str, str]:
    from dashboard.geocoding.gazetteer import load_sites

    cores: dict[str, str] = {}
    for site in load_sites().sites:
        for name in (site.id.replace("-", " "), *site.names):
            core = parse_name(name).core
            if core:
                cores.setdefault(core, site.id)
    return cores


def site_named(text: str, site_ids: Iterable[str] = ()) -> str | None:
    """The gazetteer site a text names exactly (any alias or transliteration), else None."""
    known = set(site_ids)
    if text in known:
        return text
    core = parse_name(text).core
    return _site_cores().get(core) if core else None
