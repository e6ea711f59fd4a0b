"""Place-name normalisation that knows how Arabic names are written in Latin and Arabic script.

`parse_name` turns a place name as a report writes it into a `ParsedName`: the *core* name
(articles, transliteration marks, diacritics and kind words removed, common spelling variants
unified) plus the *kinds* the text asked for ("air base" -> air, "garrison" -> base, ...).
`split_context` splits "Harir Airport in the northern city of Erbil" into the place and its
context. `fuzzy_key` folds the remaining transliteration differences for fuzzy matching.
Every function is pure and cached: the same name is normalised once per process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

AIR, BASE, FIELD, CROSSING, TOWN = "air", "base", "field", "crossing", "town"

# Site kinds (sites.csv `kind`) each kind word is compatible with.
KIND_COMPATIBLE: dict[str, frozenset[str]] = {
    AIR: frozenset({"airport", "air_base"}),
    BASE: frozenset({"air_base", "garrison", "outpost", "airport", "oil_gas_field", "town"}),
    FIELD: frozenset({"oil_gas_field"}),
    CROSSING: frozenset({"border_crossing"}),
    TOWN: frozenset({"town"}),
}

# Multi-word kind phrases first (longest match wins), as token tuples after normalisation.
_KIND_PHRASES: dict[tuple[str, ...], str] = {}
for _kind, _phrases in {
    AIR: (
        "international airport",
        "military airport",
        "military airfield",
        "army air field",
        "air base",
        "airbase",
        "air field",
        "airfield",
        "airport",
        "airstrip",
        "air strip",
        "landing zone",
        "lz",
        "air station",
        "aerodrome",
        "international",
        "air",
        "مطار",
        "جويه",
        "دولي",
        "عسكري",
    ),
    BASE: (
        "forward operating base",
        "contingency operating base",
        "contingency operating location",
        "mission support site",
        "military base",
        "army base",
        "patrol base",
        "military complex",
        "military camp",
        "base",
        "garrison",
        "camp",
        "outpost",
        "fob",
        "cob",
        "mss",
        "complex",
        "barracks",
        "headquarters",
        "hq",
        "military",
        "army",
        "قاعده",
        "معسكر",
    ),
    FIELD: (
        "oil field",
        "oilfield",
        "oil fields",
        "oilfields",
        "gas field",
        "gasfield",
        "gas plant",
        "oil and gas field",
        "field",
        "fields",
        "plant",
        "حقل",
        "معمل",
        "نفطي",
        "للغاز",
        "غاز",
    ),
    CROSSING: (
        "border crossing point",
        "border crossing",
        "crossing point",
        "border point",
        "border post",
        "crossing",
        "checkpoint",
        "منفذ",
        "حدودي",
    ),
    TOWN: (
        "town",
        "countryside",
        "outskirts",
        "province",
        "governorate",
        "subdistrict",
        "district",
        "area",
        "vicinity",
        "region",
    ),
}.items():
    for _phrase in _phrases:
        _KIND_PHRASES[tuple(_phrase.split())] = _kind
_MAX_PHRASE = max(len(p) for p in _KIND_PHRASES)

# Standalone Arabic articles as Latin transliterations write them (al-, el-, sun letters ...).
ARTICLES = frozenset(
    ("al", "el", "il", "ul", "ar", "as", "ad", "ash", "at", "an", "az", "adh", "ath", "ed", "es",
     "er", "en", "et", "ez", "esh", "ech")
)  # fmt: skip
# Words that say who holds or reports a place, not which place it is.
FILLERS = frozenset(
    ("a", "the", "of", "in", "us", "u", "s", "usa", "american", "coalition", "iraqi", "syrian",
     "jordanian", "kurdish", "israeli", "united", "states", "america", "northern", "southern",
     "eastern", "western", "northeastern", "northwestern", "southeastern", "southwestern")
)  # fmt: skip
# Spelling variants of common name elements -> one form.
TOKEN_VARIANTS = {
    **dict.fromkeys(("ain", "ayn", "ein", "ayin", "aine", "ayun"), "ain"),
    **dict.fromkeys(("tall", "tell", "tel", "tal", "til"), "tal"),
    **dict.fromkeys(("jabal", "jebel", "jabel", "jbel", "djebel", "jibal"), "jabal"),
    **dict.fromkeys(("abu", "abou", "abo"), "abu"),
    **dict.fromkeys(("umm", "um", "oum", "umm"), "umm"),
    **dict.fromkeys(("deir", "dayr", "dair", "deyr", "der"), "deir"),
    **dict.fromkeys(("kafr", "kfar", "kafar", "kfr", "kefr"), "kafr"),
    **dict.fromkeys(("bir", "beer"), "bir"),
    **dict.fromkeys(("intl", "int"), "international"),
}
_PREFIX_CONTEXT = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:(?:northern|southern|eastern|western|central|north-?eastern|"
    r"north-?western|south-?eastern|south-?western|northeastern|northwestern|southeastern|"
    r"southwestern)\s+)?(?:city|town|village|province|governorate|district|area|region|"
    r"outskirts|vicinity|countryside)\s+of\s+",
    re.IGNORECASE,
)
_SPECIAL_LETTERS = str.maketrans(
    {"ı": "i", "ß": "ss", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ə": "a",
     "æ": "ae", "œ": "oe", "þ": "th", "ŧ": "t"}
)  # fmt: skip
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": "",
     "ی": "ي", "ک": "ك"}
)  # fmt: skip
_MARKS = re.compile(r"[’‘'`´ʿʾʼʻʽ′]")
_NOT_WORD = re.compile(r"[^\w]+|_")
_LETTER_DIGIT = re.compile(r"\b([a-z]) (\d+)\b")


@dataclass(frozen=True)
class ParsedName:
    """A place name reduced to what identifies it."""

    core: str
    kinds: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.core


@lru_cache(maxsize=200_000)
def clean(text: str) -> str:
    """Lower case, no diacritics, no ayn/hamza marks, no punctuation; single spaces."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_SPECIAL_LETTERS)
    text = _MARKS.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = text.translate(_ARABIC_LETTERS)
    text = _NOT_WORD.sub(" ", text)
    text = _LETTER_DIGIT.sub(r"\1\2", " ".join(text.split()))
    return text


def _is_arabic(token: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in token)


def _strip_arabic_article(token: str) -> str:
    if len(token) > 3 and token.startswith("ال"):
        return token[2:]
    if len(token) > 4 and token.startswith(("وال", "بال")):
        return token[3:]
    return token


@lru_cache(maxsize=200_000)
def parse_name(text: str) -> ParsedName:
    """The core of a place name and the kinds of place it names (see module docstring)."""
    text = _PREFIX_CONTEXT.sub("", str(text).strip())
    tokens = [
        _strip_arabic_article(t) if _is_arabic(t) else TOKEN_VARIANTS.get(t, t)
        for t in clean(text).split()
    ]
    kinds: set[str] = set()
    core: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
            kind = _KIND_PHRASES.get(tuple(tokens[i : i + size]))
            if kind is not None:
                kinds.add(kind)
                i += size
                break
        else:
            token = tokens[i]
            i += 1
            if token in ARTICLES or token in FILLERS:
                continue
            core.append(token)
    return ParsedName(" ".join(core), frozenset(kinds))


_FOLDS = (
    ("ch", "sh"), ("ph", "f"), ("dh", "d"), ("dj", "j"), ("ou", "u"), ("oo", "u"),
    ("ee", "i"), ("q", "k"), ("c", "k"), ("w", "u"), ("y", "i"),
)  # fmt: skip
_DOUBLE = re.compile(r"(\w)\1+")
_FINAL_VOWEL_H = re.compile(r"(?:ah|eh|a|e)\b")


@lru_cache(maxsize=200_000)
def fuzzy_key(core: str) -> str:
    """Fold transliteration variants (q/k, ou/u, ee/i, doubled letters, final -ah/-eh)."""
    key = core
    for old, new in _FOLDS:
        key = key.replace(old, new)
    key = _DOUBLE.sub(r"\1", key)
    return _FINAL_VOWEL_H.sub("a", key)


# Context separators: "X near Y", "X in the city of Y", "X, Y", "X west of Y", "X (Y)".
_DIRECTION = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_SEPARATOR = re.compile(
    rf"\s*,\s*|\s*;\s*|\s+-\s+|\s+(?:near|outside|close\s+to|next\s+to|inside|in|on|"
    rf"(?:about\s+|some\s+)?(?:\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles|mi)\s+)?"
    rf"{_DIRECTION}\s+of)\s+",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_LEADING_RELATION = re.compile(
    rf"^(?:near|outside|around|close\s+to|next\s+to|on\s+the\s+outskirts\s+of|"
    rf"(?:about\s+|some\s+)?(?:\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles|mi)\s+)?"
    rf"{_DIRECTION}\s+of)\s+",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
HEAD, ALTERNATIVE, CONTEXT = "head", "alternative", "context"


@lru_cache(maxsize=100_000)
def split_context(text: str) -> tuple[tuple[str, str], ...]:
    """Pieces of a location string, in the order to try them, each with its role.

    The head names the place, an alternative names it again (in brackets), context pieces name
    places it is near or in. "Jurf Al Sakhar (Jurf al-Nasr)" -> head + alternative;
    "a military base near Baghdad International Airport" -> head + context.
    """
    text = str(text).strip()
    alternatives = [a or b for a, b in _PARENS.findall(text)]
    outside = _PARENS.sub(" ", text).strip()
    leading = _LEADING_RELATION.match(outside)
    if leading:  # "near Abu Kamal": the only place named is context
        outside = outside[leading.end() :]
    pieces = [p.strip() for p in _SEPARATOR.split(outside) if p and p.strip()]
    out = _first_piece(pieces[0], near=bool(leading)) if pieces else []
    out += [(a.strip(), ALTERNATIVE) for a in alternatives]
    out += [(_LEADING_RELATION.sub("", p).strip(), CONTEXT) for p in pieces[1:]]
    return tuple((piece, role) for piece, role in out if piece)


def _first_piece(piece: str, *, near: bool) -> list[tuple[str, str]]:
    """The places the first piece names: "US Embassy Baghdad and Union III" names two, each the
    place (or, after "near ...", each context)."""
    first, *others = _AND.split(piece)
    out = [(first.strip(), CONTEXT if near else HEAD)]
    return out + [(o.strip(), CONTEXT if near else ALTERNATIVE) for o in others]
