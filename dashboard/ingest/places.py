"""Place mentions in a sentence, resolved through the offline gazetteer geocoder.

Candidates come from two scans: every name and alias of data/sites.csv (so "al-Tanf",
"Victory base", "Mission Support Site Green Village" are found whatever their case), and
capitalised phrases ("Jurf Al Sakhar", "Abu Kamal", "Tower 22") that are not actors, countries,
people's titles, weekdays or organisations. Each candidate grows to the place as the article
names it: kind words ("Ain Al Asad airbase"), a context that locates it ("... west of Baghdad",
"... in the northern city of Erbil", "a military base near Baghdad International Airport"),
a direction ("south-west of Kirkuk", "near Hawija"). The grown text goes to
`GazetteerGeocoder.geocode`; a place "near"/"outside"/"x of" another is geo_precision 2 at best.

A phrase shaped like a site ("Tower 22", "Union III", "Camp X", "X Air Base") that the
gazetteer does not know is kept without coordinates (never a guess) so a reviewer can place it.
Country names are returned separately: they give a country, never an incident's place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from dashboard.geocoding import GazetteerGeocoder
from dashboard.geocoding.gazetteer import load_sites
from dashboard.ingest.dates import WEEKDAY_NAMES


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COUNTRIES = {
    "iraq": "IQ", "syria": "SY", "jordan": "JO", "iran": "IR", "lebanon": "LB",
    "israel": "IL", "kuwait": "KW", "turkey": "TR", "turkiye": "TR", "yemen": "YE",
    "saudi arabia": "SA", "gaza": "PS", "gaza strip": "PS", "west bank": "PS",
    "kurdistan": "IQ", "kurdistan region": "IQ", "united states": "US", "qatar": "QA",
    "bahrain": "BH", "egypt": "EG", "red sea": None, "middle east": None,
}  # fmt: skip
_COUNTRY_RE = re.compile(
    r"\b(?:the\s+)?("
    + "|".join(sorted((re.escape(k) for k in COUNTRIES), key=len, reverse=True))
    + r")\b(?!['’]s\s+(?:parliament|government|army))",
    re.IGNORECASE,
)
# Words that make a capitalised phrase something other than a place.
_NOT_PLACE_WORDS = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec president prime minister ministry minister mr mrs ms dr gen lt col general
    interior defence defense foreign pentagon police command central forces force observatory
    council parliament telegram reuters ap afp wire brigades brigade resistance guard guards
    corps army coalition framework mobilisation mobilization hezbollah hizballah hamas state
    islamic democratic department agency news channel tv al-arabiya arabiya hadath ministry
    office government officials official spokesman spokesperson house white congress senate
    united nations un iraqi syrian american us u.s. kurdish iranian israeli jordanian turkish
    russian british french lebanese palestinian arab shiite sunni iran-backed iran-aligned
    f-15 f-16 f-35 ac-130 mq-9 reaper katyusha human rights watch amnesty secretary operation
    analysis updated published photo
    """
)
_LEADING_STOP = _words(
    """
    the a an on in at early late last hours hours separately but and two three then also
    when while after before since during near outside by from of for to with as it its this
    that these those there meanwhile later earlier elsewhere previously today yesterday
    """
)
# "Wadi Al-Ghadaf", "Jabal Bishri": a valley or a mountain by its Arabic generic word.
_TERRAIN_SHAPED = re.compile(r"^(?:Wadi|Jabal|Jebel|Jabel|Khirbet|Khirbat)\s+[A-Z]")
_SITE_SHAPED = re.compile(
    r"^(?:(?:Tower|Camp|Base|Outpost|Union|FOB|COP|Forward\s+Operating\s+Base|Patrol\s+Base|"
    r"Combat\s+Outpost|(?:Mission|Military)\s+Support\s+Site|MSS|Firebase|Checkpoint)\s+"
    r"[A-Z0-9][\w\-]*"
    r"|[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?\s+(?:Air\s+Base|Airbase|Base|Airfield|Air\s+Field|"
    r"Garrison|Outpost|Camp|Dam))$"
)
_KIND_WORDS = (
    r"(?:international\s+airport|military\s+airport|air\s*base|air\s+field|airfield|airport|"
    r"airstrip|military\s+base|base|garrison|outpost|gas\s+field|oil\s*field|gas\s+plant|field|"
    r"landing\s+zone|camp|complex|area|region|province|governorate|district|countryside|outskirts)"
)
_KIND_AFTER = re.compile(rf"^(?:\s+{_KIND_WORDS}\b)+", re.IGNORECASE)
_DIRECTION = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
_DISTANCE = (
    r"(?:(?:about|some|roughly|around|nearly)\s+)?\d+(?:\.\d+)?\s*"
    r"(?:km|kilometres|kilometers|miles)\s+"
)
_CONTEXT_AFTER = re.compile(
    rf"^(?:,?\s+(?:(?:located|situated|lying)\s+)?(?:{_DISTANCE})?{_DIRECTION}\s+of\s+"
    rf"(?:the\s+(?:(?:\w+ern|central)\s+)?"
    rf"(?:city|town|village)\s+of\s+)?"
    rf"|\s+in\s+the\s+(?:(?:\w+ern|central|eastern|western|northern|southern)\s+)?"
    rf"(?:city|town|village|province|region|district|governorate|countryside)\s+of\s+"
    rf"|,?\s+(?:(?:located|situated|lying)\s+)?(?:near|outside|close\s+to|not\s+far\s+from)"
    rf"\s+(?:the\s+)?"
    rf"|,?\s+(?:located|situated|lying)\s+in\s+(?:the\s+)?"
    rf"|\s+(?:in|on)\s+the\s+(?:suburbs|outskirts|vicinity|environs)\s+of\s+(?:the\s+)?"
    rf"|\s+(?:sub-?district|district|neighbou?rhood|area|countryside|outskirts)\s+of\s+"
    rf"|,\s+an?\s+(?:small\s+)?(?:town|village|city)\s+(?:in|near)\s+(?:the\s+)?"
    rf"|,\s+(?:a\s+)?part\s+of\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
# "south of Baghdad", "20 km west of Kirkuk": a relative place; the named city is not the place.
_DIRECTION_BEFORE = re.compile(
    rf"(?:{_DISTANCE})?{_DIRECTION}\s+of\s+(?:the\s+)?"
    rf"(?:(?:[\w\-]+\s+)?(?:city|town|village|capital)\s+of\s+)?$",
    re.I,
)
_NEAR_BEFORE = re.compile(
    rf"(?:(?:{_DISTANCE})?{_DIRECTION}\s+of(?:\s+the\s+(?:[\w\-]+\s+)?(?:city|town|village)"
    rf"\s+of)?|(?:just\s+)?(?:near|outside|close\s+to|"
    rf"on\s+the\s+outskirts\s+of|around))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DIRECTION_ADJECTIVE = re.compile(
    r"(?:northern|southern|eastern|western|central|north-?eastern|north-?western|"
    r"south-?eastern|south-?western)\s+$",
    re.IGNORECASE,
)
_GENERIC_HEAD = re.compile(
    r"(?:a|an|the)\s+(?:[\w\-]+\s+){0,2}?(?:base|outpost|camp|facility|position|post|"
    r"checkpoint|site|installation|compound)\s+(?:near|outside|close\s+to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FACILITY_BEFORE = re.compile(
    r"(?:the\s+)?(?:US|U\.S\.|American|British|French|Turkish|coalition)\s+"
    r"(?:embassy|consulate)\s+(?:in|at)\s+$",
    re.IGNORECASE,
)
# "fired from the Syrian side of the border at X": a launch site; a place after a locative
# word further on ("drones carrying drugs from Syria near the town of X") is the event's.
_LAUNCH_BEFORE = re.compile(
    r"\b(?:from|launched\s+from|fired\s+from)\s+(?:near\s+)?(?:the\s+)?"
    r"(?:(?!(?:near|in|at|outside|inside|around)\b)[\w\-]+\s+){0,8}?$",
    re.IGNORECASE,
)
_CHUNK = re.compile(
    r"(?:\b(?:al|el|ad|as|ash|at|an|ar|az|ez)-)?[A-Z][\w’'\-]*"
    r"(?:(?:\s+(?:al|el|ad|as|ash|at|an|ar|az|ez|bin|abu|of|de)[\s\-]+|[ \t]+|-)"
    r"(?:[A-Z][\w’'\-]*|\d+[A-Za-z]?\b))*"
)


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a sentence: text[start:end] is the place as the article names it."""

    start: int
    end: int
    text: str
    site_id: str | None = None
    name: str | None = None  # the gazetteer's name for it
    kind: str | None = None
    country: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geo_source: str | None = None
    role: str = "event"  # event | context | launch
    core: tuple[int, int] = (0, 0)  # span of the name itself, without context words
    region: bool = False  # a province or a district that contains places: it only locates them
    relative: str | None = None  # "south of Baghdad": the expression; no point of its own
    subplace: bool = False  # a neighbourhood, district or suburb of a town ("the X district")

    @property
    def resolved(self) -> bool:
        return self.latitude is not None

    @property
    def key(self) -> str:
        """What identifies the place when comparing incidents."""
        if self.site_id:
            return f"site:{self.site_id}"
        if self.resolved:
            return f"point:{self.latitude:.3f},{self.longitude:.3f}"
        return "text:" + " ".join(re.sub(r"[^\w]+", " ", self.text.lower()).split())

    @property
    def site_level(self) -> bool:
        return bool(self.site_id) or not self.resolved


@lru_cache(maxsize=1)
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


def _alias_pattern(alias: str) -> str:
    tokens = [t for t in re.split(r"[\s\-]+", alias) if t]
    parts = [re.escape(t).replace("'", "['’]?").replace("’", "['’]?") for t in tokens]
    return r"[\s\-]+".join(parts)


@lru_cache(maxsize=1)
def _site_alias_regexes() -> tuple[re.Pattern, re.Pattern | None]:
    """(case-insensitive names, case-sensitive codes) of every site in the gazetteer."""
    names: set[str] = set()
    codes: set[str] = set()
    for site in load_sites().sites:
        for alias in site.names:
            if not re.fullmatch(r"[A-Za-z0-9 '’\-.]+", alias):
                continue  # Arabic script: not in English reports
            if re.fullmatch(r"[A-Z0-9\-]{2,5}", alias):
                if len(alias) >= 4 or any(c.isdigit() for c in alias):
                    codes.add(alias)
                continue
            if len(alias) >= 4:
                names.add(alias)
    ordered = sorted(names, key=len, reverse=True)
    name_re = re.compile(
        r"(?<![\w\-])(?:" + "|".join(_alias_pattern(a) for a in ordered) + r")(?![\w\-])",
        re.IGNORECASE,
    )
    codes_alternation = "|".join(map(re.escape, sorted(codes, key=len, reverse=True)))
    code_re = re.compile(rf"(?<![\w\-])(?:{codes_alternation})(?![\w\-])") if codes else None
    return name_re, code_re


def _geocode(text: str, *, fuzzy_ok: bool) -> dict | None:
    location = geocoder().geocode(text)
    if location is None:
        return None
    raw = location.raw
    score = float(raw.get("score") or 0)
    if score < 100 and not fuzzy_ok and score < 95:
        return None
    return raw


def _clean_chunk(text: str, start: int) -> tuple[str, int] | None:
    """Drop leading stop words and a trailing possessive; None when nothing place-like is left."""
    words = list(re.finditer(r"\S+", text))
    while words and words[0].group(0).lower().strip(",") in _LEADING_STOP:
        words.pop(0)
    if not words:
        return None
    while len(words) > 1 and (
        words[-1].group(0).lower() in _FACILITY_WORDS or len(words[-1].group(0)) == 1
    ):  # "Qaim General Hospital", "Al-Shadadi U" (of "U.S. base")
        words.pop()  # "Qaim General Hospital": the place inside the facility's name
    first = words[0].start()
    chunk = text[first : words[-1].end()]
    possessive = re.search(r"['’]s\b|(?<=s)['’]$", chunk)  # "Kirkuk's", "Homs’"
    if possessive:
        chunk = chunk[: possessive.start()]
    chunk = chunk.rstrip(" -")
    if not chunk:
        return None
    lowered = [w.lower() for w in re.split(r"[\s]+", chunk)]
    if any(w in _NOT_PLACE_WORDS for w in lowered):
        return None
    if chunk.lower() in COUNTRIES or len(chunk) < 3:
        return None
    return chunk, start + first


def countries_in(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, ISO2) of each country or region name, demonyms not included."""
    return [
        (m.start(1), m.end(1), COUNTRIES[m.group(1).lower()]) for m in _COUNTRY_RE.finditer(text)
    ]


def _owner_and_owned(chunk: str) -> list[tuple[str, int]]:
    """ "Diyala's Muqdadiyah" -> the owner and what it owns, each a candidate of its own."""
    possessive = re.search(r"['’]s\s+(?=[A-Z])", chunk)
    if not possessive:
        return [(chunk, 0)]
    return [(chunk[: possessive.start()], 0), (chunk[possessive.end() :], possessive.end())]


_ROAD_AFTER = re.compile(r"\s+(?:road|highway|motorway|expressway|route)\b", re.IGNORECASE)
_TOWN_JOIN = re.compile(r"(?<=[a-z])(?<!\b[AaEe]l)-(?=[A-Z])")  # not "Wadi Al-Uyun"


def _pieces(text: str, match: re.Match) -> list[tuple[str, int]]:
    """The candidate names of a chunk: an owner and what it owns; and the first town a road
    joins ("the Kirkuk-Baghdad road": Kirkuk), where the road's event is placed (the other
    end would be a second place of one event)."""
    chunk = match.group(0)
    join = _TOWN_JOIN.search(chunk)
    if not _ROAD_AFTER.match(text, match.end()) or not join:
        return _owner_and_owned(chunk)
    return [(chunk[: join.start()], 0)]


def _raw_candidates(text: str, blocked: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, from_gazetteer_scan) of name candidates, longest first where they overlap."""
    found: list[tuple[int, int, bool]] = []
    name_re, code_re = _site_alias_regexes()
    for pattern in (name_re, code_re):
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), True))
    for match in _CHUNK.finditer(text):
        for piece, offset in _pieces(text, match):
            cleaned = _clean_chunk(piece, match.start() + offset)
            if cleaned:
                chunk, start = cleaned
                found.append((start, start + len(chunk), False))
    found.sort(key=lambda c: (c[0], -(c[1] - c[0]), not c[2]))
    chosen: list[tuple[int, int, bool]] = []
    for cand in found:
        if any(cand[0] < b and a < cand[1] for a, b, _ in chosen):
            continue
        if any(cand[0] < b and a < cand[1] for a, b in blocked):
            continue
        chosen.append(cand)
    return chosen


_TIME_ZONE_AFTER = re.compile(r"^\s+(?:local\s+)?time\b", re.IGNORECASE)
# "Khor Mor gas field", "Tawke oil field": an unknown name that its kind word makes a site.
_FACILITY_KIND_AFTER = re.compile(
    r"^\s+(?:gas\s*field|oil\s*field|oilfield|gasfield|air\s*base|airbase|military\s+base|"
    r"airport|airfield|refinery|dam|(?:border\s+)?crossing(?:\s+point)?|gas\s+plant|"
    r"power\s+(?:plant|station))\b",
    re.IGNORECASE,
)
# "the Kalsu base", "the Sarang field": a name the text calls a base or a field (after "the";
# "a Hashd base" is whose base)
_BASE_AFTER = re.compile(r"^\s+(?:base|field)\b", re.IGNORECASE)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
# "the oil field of 'DNO' company in Peshkhabur", "a military base in Kharab": an unknown name
# that a facility is said to be in is the facility's place.
_FACILITY_IN_BEFORE = re.compile(
    r"\b(?:gas\s*field|oil\s*field|oilfield|field|refinery|air\s*base|airbase|base|airport|"
    r"airfield|crossing|camp|dam|plant|station)\s+(?:of\s+(?:the\s+)?['‘’\"]?[\w\-]+['’\"]?"
    r"(?:\s+(?:company|group|corporation))?\s+)?in\s+$",
    re.IGNORECASE,
)
# "a Sulaimani licence plate", "a Baghdad-based group", "a Mosul native": the name describes
# something else; it places nothing.
# "Daraa provincial authorities", "the Assad regime", "the Baghdad government": the name stands
# for who governs there, the subject of what is said or done, not the event's place.
# "the Nineveh Operations Command", "the A and B operation commands": military commands named
# after the provinces they cover, who act, not where; "Damascus forces", "two Baghdad soldiers":
# troops named for the government they serve.
_ATTRIBUTE_AFTER = re.compile(
    r"^(?:\s+and\s+[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,2}?)?"
    r"(?:\s+(?:licen[cs]e|number)\s+plates?\b|-based\b|\s+natives?\b|-born\b"
    r"|\s+(?:provincial\s+|local\s+|municipal\s+)?(?:authorities|regime|government|"
    r"administration|council)\b|\s+(?:joint\s+)?operations?\s+commands?\b)"
    r"|^\s+(?:forces|troops|soldiers)\b",
    re.IGNORECASE,
)
# "told Al Mayadeen", "an Al Mayadeen correspondent", "Sham FM radio", "Al Jazeera's senior
# political analyst": outlets named after places.
_OUTLET_BEFORE = re.compile(
    r"\b(?:(?:told|telling|to\s+tell|said|says|according\s+to)\s+(?:the\s+)?"
    r"|(?:channel|broadcaster|newspaper|news\s+agency|outlet|network)\s+)$",
    re.IGNORECASE,
)  # "said Al Jazeera's Resul Serdar", "according to Damascus", "the TV channel X": who speaks
_OUTLET_AFTER = re.compile(
    r"^['’]?s?\s+(?:correspondents?|reporters?|TV|television|channel|radio|news\s+(?:agency|"
    r"channel|website|site)|broadcaster|newspaper"
    r"|(?:[\w\-]+\s+){0,2}?(?:analyst|editor|anchor|presenter|columnist|commentator))\b",
    re.IGNORECASE,
)
# "(Beirut) – An attack struck ...": a rights group's dateline, wherever the page's layout
# left it (after a photo credit, in the middle of a run-on line): where the story was filed.
_PAREN_DATELINE_BEFORE = re.compile(r"\(\s*$")
_PAREN_DATELINE_AFTER = re.compile(r"^\s*\)\s*[–—-]")
# People whose names a fuzzy match takes for a place: "overthrew al-Assad" is no Al-Asad base.
_PERSON_NAME = re.compile(r"(?:(?:Bashar|Hafez|Maher)\s+)?(?:al[\s\-])?Assad", re.IGNORECASE)
# "Jerusalem revealed that ...", "Damascus says", "Baghdad on Monday denied", "with Damascus
# denouncing the raid": a capital named for its government, the subject of a statement or a
# reaction in any form of its verb; it issues, it is not where anything happened.
_STATEMENT_STEMS = (
    r"say|said|reveal|announc|confirm|den|stat|claim|warn|condemn|denounc|accus|blam|insist|"
    r"acknowledg|admit|respond|vow|report|describ|call|term|dub|critici[sz]|reject|welcom|"
    r"urg|demand|hail|threaten|decri|decry|protest"
)
_ISSUER_AFTER = re.compile(
    rf"^\s+(?:(?:on\s+|late\s+|early\s+)?(?:{WEEKDAY_NAMES})\s+|also\s+|(?:has|had|have)\s+"
    r"(?:\w+ly\s+)?)?"
    rf"(?:{_STATEMENT_STEMS})(?:e|es|s|ed|d|ing|ied|ies|ying|ted|ting|bed|bing)?\b"
)
# "a statement issued by the US Embassy in Baghdad", "according to officials in Erbil": the
# place of whoever speaks, not of the event.
_ISSUER_BEFORE = re.compile(
    r"\b(?:statement|communiqu[eé]|press\s+release|announcement|notice)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:issued\s+|released\s+|published\s+)?by\s+(?:the\s+)?(?:[\w.\-]+\s+){0,5}?(?:in|at)\s+$"
    r"|\baccording\s+to\s+(?:the\s+)?(?:[\w.\-]+\s+){0,4}?(?:in|at)\s+$",
    re.IGNORECASE,
)
# A person's alias or pseudonym: "Salah N., known as Ali", "Omar (a pseudonym) said".
_PSEUDONYM = r"\((?:a\s+)?(?:pseudonym|not\s+(?:his|her|their)\s+real\s+name|name\s+changed)"
_ALIAS_WORDS = r"(?:known|nicknamed)\s+as"
_ALIAS_BEFORE = re.compile(
    rf",\s+(?:also\s+)?(?:{_ALIAS_WORDS}|named\s+as)\s+$|\b(?:nicknamed|alias|aka|"
    r"nom\s+de\s+guerre)\s+$",
    re.IGNORECASE,
)
_ALIAS_AFTER = re.compile(rf"^\s*{_PSEUDONYM}", re.IGNORECASE)
# The same, for the whole article: the name is a person's wherever it stands after.
_INTRODUCED_NAME = r"[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?"
_PERSON_INTRODUCED = re.compile(
    rf"\b(?P<name>{_INTRODUCED_NAME})\s*{_PSEUDONYM}|\b{_ALIAS_WORDS}\s+(?P<alias>{_INTRODUCED_NAME})"
)


def named_again(text: str, known: list[PlaceMention], found: list[PlaceMention]):
    """ "al-Dahla, a village in X", then "in al-Dahla": an unknown name the article has
    already called a place is a place wherever it stands after in/at/near (mentions)."""
    out = []
    for place in known:
        pattern = rf"\b(?:in|at|near|outside)\s+(?:the\s+)?({re.escape(place.text)})\b"
        for match in re.finditer(pattern, text):
            start, end = match.span(1)
            if not any(start < p.end and p.start < end for p in found + out):
                out.append(replace(place, start=start, end=end, core=(start, end), role="event"))
    return out


def people_named(text: str) -> set[str]:
    """Names a sentence introduces as a person's (a pseudonym, an alias): never places later."""
    return {m.group("name") or m.group("alias") for m in _PERSON_INTRODUCED.finditer(text)}


# "two brothers who lived in the Ranya area": where people live, not where the event was.
_HOME_BEFORE = re.compile(
    r"\b(?:lived|lives|living|resided|resides|residing)\s+(?:in|at)\s+(?:the\s+)?$", re.I
)
# "the district chief of Chamchamal", "Kirkuk's governor" (before: "governor of"): an office.
_TITLE_BEFORE = re.compile(
    r"\b(?:governor|mayor|chief|head|director|commander|spokes(?:man|woman|person)|qaimaqam)\s+"
    r"of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "the federal government in Baghdad", "authorities in Damascus": the seat of a government.
_SEAT_BEFORE = re.compile(
    r"\b(?:government|authorities|officials|leadership|parliament|ministry|rulers)\s+in\s+$",
    re.IGNORECASE,
)
# "the Iraqi capital", "Syria's capital": capitals of the countries the atlas covers (GeoNames
# names of the towns tier).
_CAPITALS = {"IQ": "Baghdad", "SY": "Damascus", "JO": "Amman", "LB": "Beirut", "KW": "Kuwait City"}
_DEMONYMS = {"iraqi": "IQ", "syrian": "SY", "jordanian": "JO", "lebanese": "LB", "kuwaiti": "KW"}
_CAPITAL_PHRASE = re.compile(
    r"\bthe\s+(?P<demonym>Iraqi|Syrian|Jordanian|Lebanese|Kuwaiti)\s+capital\b"
    r"|\b(?P<country>Iraq|Syria|Jordan|Lebanon|Kuwait)['’]s\s+capital\b(?!\s+(?:of|city\s+of)\b)"
)
# Unknown names that the text itself calls places: "the village of Urman", "the Khalakan
# sub-district", "the Zarzi valley", "the Qarawan Mountains", "Arman, a town in Suweida
# province", "in the Arman residential area".
_PLACE_NOUN = (
    r"(?:village|town|city|sub-?district|district|neighbou?rhood|suburb|area|residential\s+area|"
    r"camp|hamlet|valley|mountains?|hills)"
)
# "the victim hailed from a village in X", "a native of X": where someone comes from.
_ORIGIN_BEFORE = re.compile(
    r"\b(?i:hail(?:s|ed|ing)\s+from|natives?\s+of|originally\s+from)\s+"
    rf"(?:(?:[A-Z][\w’'\-]*|the|an?|small|{_PLACE_NOUN}|in|of)\s+){{0,7}}$"
)
_NOUN_BEFORE = re.compile(rf"\b(?:the\s+)?{_PLACE_NOUN}\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_NOUN_AFTER = re.compile(
    rf"^(?:\s+{_PLACE_NOUN}\b|,\s+an?\s+(?:small\s+)?(?:town|village|city)\b)", re.IGNORECASE
)
# "the towns of Arman and Malh", "between the villages of X, Y and Z": each name of a list
# after a plural place noun (the name's own text before it: the list so far).
_LISTED_NAME = r"(?:al-|el-)?[A-Z][\w’'\-]*(?:[\s\-]+(?:al-|el-)?[A-Z][\w’'\-]*){0,2}"
_PLURAL_NOUN_BEFORE = re.compile(
    r"\b(?i:villages|towns|cities|hamlets|neighbou?rhoods|suburbs|districts|sub-?districts|"
    r"areas|camps|fields|oil\s*fields|gas\s+fields)\s+of\s+(?:the\s+)?"
    rf"(?:{_LISTED_NAME}(?:,\s+(?:and\s+)?|\s+and\s+))*$"
)
# "fields in Zakho and Baadre": a name joined by "and" to a town named after in/at/near
_COORDINATED_BEFORE = re.compile(rf"\b(?:in|at|near)\s+(?P<first>{_LISTED_NAME})\s+and\s+$")


def _joined_to_a_town(text: str, start: int) -> bool:
    joined = _COORDINATED_BEFORE.search(text[max(0, start - 60) : start])
    return joined is not None and _geocode(joined.group("first"), fuzzy_ok=False) is not None


# "the Iranian cities of X and Y": a list the text puts outside the atlas's countries
_FOREIGN_BEFORE = re.compile(
    r"\b(?:Iranian|Lebanese|Israeli|Turkish|Saudi|Yemeni|Egyptian|Palestinian|Pakistani|"
    r"Afghan|Russian|Ukrainian)\s+(?:[\w\-]+\s+)?$"
)


def _listed_after_plural_noun(text: str, start: int) -> bool:
    found = _PLURAL_NOUN_BEFORE.search(text[max(0, start - 90) : start])
    if found is None:
        return False
    opening = max(0, start - 90) + found.start()
    return not _FOREIGN_BEFORE.search(text[max(0, opening - 30) : opening])


_PART_NOUN = r"(?:suburbs?|district|neighbou?rhood|quarter|area)"
_PART_OF = re.compile(
    rf"(?:['’]s)?\s+(?:[\w\-]+\s+)?{_PART_NOUN}\s+of\s+(?:the\s+)?", re.IGNORECASE
)
_PART_BEFORE = re.compile(rf"\b{_PART_NOUN}\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_PART_AFTER = re.compile(rf"^\s+{_PART_NOUN}\b", re.IGNORECASE)
_REGION_WORD = re.compile(r"\b(?:province|governorate|countryside)$", re.IGNORECASE)
# "the Hama countryside": the rural part of the city's province, province-level.
_COUNTRYSIDE = re.compile(r"\bcountryside$", re.IGNORECASE)
# "Homs' southern countryside", "Zakho's autonomous region": the town names an area around it
# that only locates the places named with it.
_POSSESSIVE_REGION_AFTER = re.compile(
    r"^['’]s?\s+(?:[\w\-]+\s+){0,2}?(?i:countryside|region|desert|environs|hinterland|"
    r"province|governorate)\b"
    r"|^['’]s\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?\s+(?i:district|sub-?district|town|village|city)\b"
)  # and "Diyala's Muqdadiyah district": the owner only locates what it owns
_REGION_BEFORE = re.compile(r"\b(?:province|governorate)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_FACILITY_WORDS = _words(
    "general hospital school university bridge mosque market stadium hotel station square "
    "street road highway checkpoint headquarters company plant factory valley mountain mountains "
    "hills"
)


# "In Qamishili, northeast Syria", "at Qaiem": a one-word name the text uses as a place may
# be matched fuzzily (a misspelling), when it is one of the atlas's countries.
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around)\s+$", re.IGNORECASE)
_COUNTRY_APPOSITION = re.compile(
    r"^,\s+(?:(?:north|south|east|west|central)[\w\-]*\s+)?(?:Syria|Iraq|Jordan)\b"
)
_ATLAS_COUNTRIES = frozenset({"IQ", "SY", "JO"})


def _misspelt_place(text: str, start: int, end: int) -> dict | None:
    """A one-word name in a place's position, matched fuzzily in Iraq, Syria or Jordan."""
    located = _LOCATIVE_BEFORE.search(text[max(0, start - 10) : start]) or (
        _COUNTRY_APPOSITION.match(text[end : end + 40])
    )
    if not located:
        return None
    raw = _geocode(text[start:end], fuzzy_ok=True)
    return raw if raw is not None and raw.get("country") in _ATLAS_COUNTRIES else None


def _resolve_chunk(text: str, start: int, end: int, scanned: bool) -> tuple[int, dict | None]:
    """(end of the place's core, geocoder answer) for a candidate name at text[start:end]."""
    name = text[start:end]
    grown = _KIND_AFTER.match(text[end:])
    core_end = end + (grown.end() if grown else 0)
    raw = _geocode(text[start:core_end], fuzzy_ok=scanned or bool(grown) or " " in name.strip())
    if raw is None and not grown and " " not in name.strip():
        raw = _misspelt_place(text, start, end)
    if raw is None and core_end != end:
        raw = _geocode(name, fuzzy_ok=scanned)
        core_end = end if raw is not None else core_end
    if raw is None:
        raw, shorter = _leading_name(name)
        if raw is not None:
            return start + shorter, raw
    return core_end, raw


def _leading_name(name: str) -> tuple[dict | None, int]:
    """ "Qaim General Hospital": the place inside a longer name, exact matches only."""
    words = list(re.finditer(r"\S+", name))
    for cut in range(len(words) - 1, 0, -1):
        if not all(w.group(0).lower() in _FACILITY_WORDS for w in words[cut:]):
            continue
        shorter = words[cut - 1].end()
        raw = _geocode(name[:shorter], fuzzy_ok=False)
        if raw is not None and float(raw.get("score") or 0) >= 100:
            return raw, shorter
    return None, 0


# "near Uram al-Jawz in Idlib province": a name the text locates in a province or countryside.
_IN_REGION_AFTER = re.compile(
    r"^\s+in\s+(?:the\s+)?(?:(?:\w+ern|central)\s+)?[A-Z][\w’'\-]*(?:[\s\-]+[A-Z][\w’'\-]*){0,3}"
    r"\s+(?:province|governorate|countryside)\b"
)


# "The strike was near Sayyida Zeinab": a name something is near is a place
_NEAR_NAME_BEFORE = re.compile(r"\b(?:near|outside|close\s+to|not\s+far\s+from)\s+$")


def _named_as_place(text: str, start: int, end: int) -> bool:
    in_region = _LOCATIVE_BEFORE.search(text[max(0, start - 10) : start]) and (
        _IN_REGION_AFTER.match(text[end : end + 60])
    )
    return bool(
        in_region
        or _NEAR_NAME_BEFORE.search(text[max(0, start - 20) : start])
        or _SITE_SHAPED.match(text[start:end])
        or _TERRAIN_SHAPED.match(text[start:end])
        or _FACILITY_KIND_AFTER.match(text[end : end + 30])
        or (_BASE_AFTER.match(text[end : end + 10]) and _THE_BEFORE.search(text[:start][-10:]))
        or _FACILITY_IN_BEFORE.search(text[max(0, start - 60) : start])
        or _NOUN_BEFORE.search(text[max(0, start - 40) : start])
        or _listed_after_plural_noun(text, start)
        or _joined_to_a_town(text, start)
        or _noun_names_it(text, start, end)
    )


# "the predominantly Druze city of Sweida", "the mostly Christian town of X": a word between
# "the <adverb>" and "<noun> of" describes the place named after the noun, not a place itself.
_DESCRIBER_BEFORE = re.compile(r"\bthe\s+\w+ly\s+$", re.IGNORECASE)
_NOUN_OF_AFTER = re.compile(rf"^\s+{_PLACE_NOUN}\s+of\b", re.IGNORECASE)


def _noun_names_it(text: str, start: int, end: int) -> bool:
    """ "X village", "X, a small town": a place noun after the name names it."""
    if not _NOUN_AFTER.match(text[end : end + 40]):
        return False
    describes = _DESCRIBER_BEFORE.search(text[max(0, start - 30) : start])
    return not (describes and _NOUN_OF_AFTER.match(text[end : end + 40]))


def _names_a_part(text: str, start: int, end: int) -> bool:
    """ "the neighbourhood of X", "the X district": a part of a town, not a town."""
    return bool(
        _PART_BEFORE.search(text[max(0, start - 40) : start])
        or _PART_AFTER.match(text[end : end + 30])
    )


def _mention(text: str, start: int, core_end: int, raw: dict | None) -> PlaceMention:
    core = text[start:core_end]
    mention = PlaceMention(start, core_end, core, core=(start, core_end))
    if raw is not None:
        mention = replace(
            mention,
            site_id=raw.get("site_id"), name=raw.get("name"), kind=raw.get("kind"),
            country=raw.get("country"), admin1=raw.get("admin1"),
            latitude=raw.get("latitude"), longitude=raw.get("longitude"),
            geo_precision=raw.get("geo_precision"), geo_source=raw.get("geo_source"),
        )  # fmt: skip
    region = mention.kind in ("province", "district") or bool(
        _REGION_WORD.search(core) or _REGION_BEFORE.search(text[max(0, start - 30) : start])
    )
    around = bool(_POSSESSIVE_REGION_AFTER.match(text[core_end : core_end + 40]))
    around = around or _holds_a_village(text, start, core)
    region = region and not mention.site_id or mention.kind == "district" or around
    if region and mention.resolved and _COUNTRYSIDE.search(core):
        mention = replace(mention, geo_precision=3)
    return replace(mention, region=region)


# "X village of the Y district", "X village in Y sub-district": the district only locates the
# village named before it.
_VILLAGE_BEFORE = re.compile(r"\b(?:village|hamlet)\s+(?:of|in)\s+(?:the\s+)?$", re.IGNORECASE)
_DISTRICT_CORE = re.compile(r"\b(?:sub-?)?district$", re.IGNORECASE)


def _holds_a_village(text: str, start: int, core: str) -> bool:
    """ "X village of Y district": Y holds the village, it is no place of its own."""
    before = text[max(0, start - 20) : start]
    return bool(_DISTRICT_CORE.search(core) and _VILLAGE_BEFORE.search(before))


def _not_a_place_here(text: str, start: int, end: int) -> bool:
    """A clock ("Baghdad time"), an attribute ("a Kirkuk licence plate"), a news outlet named
    after a place ("told Al Mayadeen", "an Al Mayadeen correspondent"), the seat of a
    government ("the federal government in Baghdad") or whoever issues a statement ("Jerusalem
    revealed", "a statement issued by the US Embassy in Baghdad"): the name places no event."""
    after, before = text[end : end + 60], text[max(0, start - 80) : start]
    return bool(
        (_PERSON_NAME.fullmatch(text[start:end]) and not _KIND_AFTER.match(after))
        or any(pattern.match(after) for pattern in _NOT_PLACE_AFTER)
        or any(pattern.search(before[-width:]) for pattern, width in _NOT_PLACE_BEFORE)
        or (_PAREN_DATELINE_BEFORE.search(before) and _PAREN_DATELINE_AFTER.match(after))
    )


# What follows a name, or precedes it (in so many characters), that makes it no event place
_NOT_PLACE_AFTER = (_TIME_ZONE_AFTER, _ATTRIBUTE_AFTER, _OUTLET_AFTER, _ISSUER_AFTER, _ALIAS_AFTER)
_NOT_PLACE_BEFORE = (
    (_ALIAS_BEFORE, 40), (_OUTLET_BEFORE, 80), (_SEAT_BEFORE, 40), (_HOME_BEFORE, 30),
    (_TITLE_BEFORE, 40), (_ISSUER_BEFORE, 80), (_ORIGIN_BEFORE, 90),
)  # fmt: skip


def _capitals(text: str, blocked: list[tuple[int, int]]) -> list[PlaceMention]:
    """ "the Iraqi capital", "Syria's capital": the capital city, as a town mention."""
    out = []
    for match in _CAPITAL_PHRASE.finditer(text):
        if any(match.start() < b and a < match.end() for a, b in blocked):
            continue
        name = match.group("demonym") or match.group("country")
        raw = _geocode(_CAPITALS[COUNTRIES.get(name.lower()) or _DEMONYMS[name.lower()]],
                       fuzzy_ok=False)  # fmt: skip
        if raw is not None:
            out.append(_mention(text, match.start(), match.end(), raw))
    return out


def find_places(text: str, blocked: list[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Place mentions in text (attributions blanked), in order.

    `blocked` spans (actor names, countries) are never places; "Baghdad time" is a clock.
    """
    mentions = _capitals(text, list(blocked))
    blocked = (
        list(blocked)
        + [(m.start, m.end) for m in mentions]
        + [(a, b) for a, b, _ in countries_in(text)]
    )
    for start, end, scanned in _raw_candidates(text, blocked):
        if _not_a_place_here(text, start, end):
            continue
        core_end, raw = _resolve_chunk(text, start, end, scanned)
        if raw is None and not _named_as_place(text, start, end):
            continue
        mention = _mention(text, start, core_end, raw)
        if raw is None and _names_a_part(text, start, end):
            mention = replace(mention, subplace=True)
        mentions.append(mention)
    return _grow(text, sorted(mentions, key=lambda m: m.start))


def located_by(mention: PlaceMention, following: PlaceMention) -> PlaceMention:
    """An unknown place located by a known one ("the Zalan sub-district of Chwarta"): near it
    (geo_precision 2), or in its province (3)."""
    if mention.resolved or not following.resolved:
        return replace(mention, country=mention.country or following.country)
    return replace(
        mention,
        country=following.country, admin1=following.admin1, latitude=following.latitude,
        longitude=following.longitude, geo_source=following.geo_source,
        geo_precision=max(following.geo_precision or 2, 2),
    )  # fmt: skip


def _relative(mention: PlaceMention, expression: str) -> PlaceMention:
    """ "south of Baghdad": no point (the city is not the place), region-level precision."""
    return replace(
        mention, site_id=None, latitude=None, longitude=None, geo_source=None, geo_precision=3,
        relative=f"{expression}{mention.text}".strip(),
    )  # fmt: skip


def _widen_facility(text: str, mention: PlaceMention, facility: re.Match) -> PlaceMention:
    start = mention.start - len(facility.group(0))
    raw = _geocode(text[start : mention.end].strip(), fuzzy_ok=True)
    if raw is None or not raw.get("site_id"):
        return mention
    return replace(
        mention, start=start,
        site_id=raw.get("site_id"), name=raw.get("name"), kind=raw.get("kind"),
        country=raw.get("country"), admin1=raw.get("admin1"),
        latitude=raw.get("latitude"), longitude=raw.get("longitude"),
        geo_source=raw.get("geo_source"), geo_precision=raw.get("geo_precision"),
    )  # fmt: skip


def _widen(text: str, mention: PlaceMention) -> PlaceMention:
    """The phrase before the name: "a base near X", "US embassy in X", "south of X", "near X"."""
    start = mention.start
    before = text[max(0, start - 80) : start]
    facility = _FACILITY_BEFORE.search(before)
    if facility:
        return _widen_facility(text, mention, facility)
    found = _GENERIC_HEAD.search(before) or _NEAR_BEFORE.search(before)
    if found:
        widened = replace(mention, start=start - len(found.group(0)))
        direction = _DIRECTION_BEFORE.search(found.group(0))
        if direction and mention.resolved and not mention.region:
            return _relative(widened, "")
        precision = max(mention.geo_precision or 2, 2) if mention.resolved else None
        return replace(widened, geo_precision=precision)
    adjective = _DIRECTION_ADJECTIVE.search(before)
    if adjective and not mention.site_id:
        return replace(mention, start=start - len(adjective.group(0)))
    return mention


def _part_of(text: str, town: PlaceMention, part: PlaceMention) -> PlaceMention | None:
    """ "the Damascus suburb of Sayeda Zeinab", "the Iraqi capital's eastern neighbourhood of
    Al Mashtal": a part of a known town the gazetteer does not know, placed near the town; one
    it knows ("the Damascus suburb of Kiswah") keeps its own point, the town only locates it."""
    between = text[town.end : part.start]
    if not town.resolved or town.site_id or not _PART_OF.fullmatch(between):
        return None
    if part.resolved:
        return replace(part, start=town.start)
    located = located_by(part, town)
    return replace(located, start=town.start, end=part.end, core=part.core, subplace=True)


def _absorb_context(
    text: str, mention: PlaceMention, following: list[PlaceMention], index: int, consumed: set
) -> tuple[PlaceMention, int]:
    """ "... west of Baghdad", "... in the northern city of Erbil", "... near X": the places
    right after a mention that only locate it (the nearest one gives an unknown place its
    point), "in the town of Al-Qahtaniyah, near Al-Qamishli" included."""
    end = mention.end
    for offset, place in enumerate(following):
        between = text[end : place.start]
        if not _context_between(mention, place, between, offset) or place.start - end > 60:
            break
        end = place.end
        consumed.add(index + offset)
        if offset == 0:
            mention = _located(mention, place, between)
    return mention, end


def _context_between(mention: PlaceMention, place: PlaceMention, between: str, offset: int):
    """Whether `place`, after `between`, only locates `mention`: a context phrase ("west of",
    "near"), "in" after an unknown place or before a province or countryside ("the Masyaf
    region in the Hama countryside"), "of" after a part of a town ("the X area of Y"). The
    terrain noun that named the place ("the X Mountains, north of Y") is part of it."""
    between = _LEADING_PLACE_NOUN.sub("", between, count=1)
    inside = re.fullmatch(r"\s+in\s+(?:the\s+)?", between)
    part_of = mention.subplace and offset == 0 and re.fullmatch(r"\s+of\s+(?:the\s+)?", between)
    # "the Dinarta subdistrict of Duhok's Akre district": what a context owns, context too
    owned = offset > 0 and re.fullmatch(r"['’]s\s+", between)
    located = inside and (not mention.resolved or (place.region and not mention.region))
    # "the village of X, Y district, Z province": the divisions after an unknown place
    apposed = re.fullmatch(r",\s+(?:the\s+)?", between) and (offset > 0 or not mention.resolved)
    divisions = apposed and bool(_DIVISION_END.search(place.text))
    return bool(_CONTEXT_AFTER.match(between) or located or owned or part_of or divisions)


_LEADING_PLACE_NOUN = re.compile(r"^\s+(?:valley|mountains?|hills)\b", re.IGNORECASE)
_DIVISION_END = re.compile(r"\b(?:province|governorate|district|sub-?district)$", re.IGNORECASE)


_DIRECTION_BETWEEN = re.compile(rf"(?:{_DISTANCE})?{_DIRECTION}\s+of\s", re.IGNORECASE)


def _located(mention: PlaceMention, following: PlaceMention, between: str) -> PlaceMention:
    """An unknown place "near"/"in" a known one takes its point; one "east of" it (or "20 km
    south of" it) is not there: it takes its country and province only, no point."""
    if mention.resolved or not _DIRECTION_BETWEEN.search(between):
        located = located_by(mention, following)
        if located.resolved and re.search(r"\bcountryside\b", between, re.IGNORECASE):
            return replace(located, geo_precision=3)  # "in the countryside of X": X's province
        return located
    return replace(mention, country=following.country, admin1=following.admin1)


def _grow(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Attach context mentions to the place they locate and widen each to its full phrase."""
    out: list[PlaceMention] = []
    consumed: set[int] = set()
    for i, mention in enumerate(mentions):
        if i in consumed:
            continue
        part = _part_of(text, mention, mentions[i + 1]) if i + 1 < len(mentions) else None
        if part is not None:
            consumed.add(i + 1)
            phrase = text[part.start : part.end].strip()
            out.append(replace(part, text=phrase))
            continue
        mention, end = _absorb_context(text, mention, mentions[i + 1 :], i + 1, consumed)
        mention = _widen(text, mention)
        start = mention.start
        role = "launch" if _LAUNCH_BEFORE.search(text[max(0, start - 40) : start]) else "event"
        phrase = text[start:end].strip()
        relative = phrase if mention.relative else None
        out.append(replace(mention, end=end, text=phrase, role=role, relative=relative))
    return out


_ANAPHORA = re.compile(
    r"\b(?:the|that)\s+(?:same\s+)?(?P<noun>embassy|compound|air\s*base|airbase|base|airport|garrison|"
    r"outpost|oil\s+field|gas\s+field|field|facility|camp|capital)\b(?!\s+(?:of|in|at|near)\b)",
    re.IGNORECASE,
)
_ANAPHORA_KINDS = {
    "embassy": {"embassy"},
    "airport": {"airport", "air_base"},
    "airbase": {"air_base", "airport"},
    "air base": {"air_base", "airport"},
    "field": {"oil_gas_field", "air_base"},
    "oil field": {"oil_gas_field"},
    "gas field": {"oil_gas_field"},
}


def _fits(noun: str, place: PlaceMention) -> bool:
    if noun == "capital":  # "the capital": the capital city the report named last
        return place.name in _CAPITALS.values() and not place.relative
    kinds = _ANAPHORA_KINDS.get(noun)
    return place.site_level and (kinds is None or place.kind in kinds)


def anaphoric_place(text: str, earlier: list[PlaceMention]) -> PlaceMention | None:
    """ "the embassy", "the compound", "the base": the latest earlier place of a fitting kind;
    "the capital": the latest capital city named."""
    match = _ANAPHORA.search(text)
    if not match or not earlier:
        return None
    noun = " ".join(match.group("noun").lower().split())
    for place in reversed(earlier):
        if _fits(noun, place):
            return replace(place, start=match.start(), end=match.end(), role="event")
    return None
