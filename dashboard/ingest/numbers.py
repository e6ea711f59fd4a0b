"""Casualty figures in a clause: killed and wounded, numbers in words included.

Number words become digits with text2num's `alpha2digit` ("eight" -> 8, "twenty-five" -> 25,
"one" -> 1). A figure counts only next to a casualty word ("killing eight militants",
"three soldiers were killed", "two others wounded", "leaving four fighters dead",
"two soldiers suffered minor injuries"); "a dozen" is 12.
"at least five" / "more than 30" give the stated figure (the lowest the source allows).
Explicit zeros ("no one was hurt", "causing no casualties", "with no injuries reported")
give 0; "no word on casualties" / "no immediate reports of casualties" stay unknown (NA).
Vague amounts ("dozens", "several", "hundreds") stay unknown. Unknown is None, never 0.
Nominal figures count too: "claimed the lives of seven", "the deaths of seven ... and the injuries
of eighteen others", "the martyrdom of six". "U.S." is read as "US" and quote marks are ignored,
so "Three U.S. service members were injured" and "sustained “minor injuries”" give figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit

_QUALIFIER = (
    r"(?:(?:at\s+least|more\s+than|over|about|around|some|nearly|almost|roughly|up\s+to)\s+)?"
)
# a figure's thousands separators, never a comma after it ("exceeds 21, with others ...")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"
_NUMBER = rf"{_QUALIFIER}(?P<n>{_DIGITS}|a\s+dozen|dozen|an?|another(?!\s+\d))"
_PERSON = (
    r"(?:people|persons?|civilians?|soldiers?|troops?|militants?|fighters?|members?|personnel|"
    r"service\s*members?|service(?:wo)?m[ae]n|servicemembers|contractors?|policem[ae]n|police\s+officers?|"
    r"officers?|guards?|child(?:ren)?|wom[ae]n|m[ae]n|others?|commanders?|aides?|officials?|workers?|"
    r"gunmen|attackers?|insurgents?|jihadists?|americans?|iraqis?|syrians?|kurds?|"
    r"Americans?|Iraqis?|Syrians?|recruits?|staff|employees?|individuals?|victims?|"
    r"paramilitaries|paramilitary\s+fighters|operatives?|leaders?|residents?|passengers?|"
    r"nurses?|doctors?|medics?|journalists?|guards?|commandos?|girls?|boys?|daughters?|sons?|"
    r"relatives?|family\s+members|advis[eo]rs?|experts?|engineers?|interpreters?|translators?|"
    r"drivers?|medics?|paramedics?|nationals?|citizens?|forces)\b"
)
# words between a figure and the people it counts ("three Iraqi army soldiers"); never what
# befell others ("four people were killed and others wounded": the four are not wounded)
_WORDS = r"(?:(?!(?:were|was|and|killed|dead|wounded|injured)\b)[\w’'\-]+\s+){0,4}?"
_KILL_VERB = r"(?:killing|killed|kills|kill|martyring|martyred|claiming\s+the\s+lives\s+of)"
_WOUND_VERB = r"(?:wounding|wounded|wounds|injuring|injured|injures|hurting|hurt)"
_KILL_STATE = (
    r"(?:killed|dead|died|slain|perished|martyred|shot\s+dead|gunned\s+down|shot\s+to\s+death)"
)
_WOUND_STATE = r"(?:wounded|injured|hurt)"

# "killed one and wounded another 18", "injuring a further three": a figure added to others
_MORE = r"(?:(?:another|a\s+further|an\s+additional)\s+)?"
_AFTER_VERB = {
    "killed": re.compile(rf"\b{_KILL_VERB}\s+{_MORE}{_NUMBER}\b(?:\s+{_WORDS}{_PERSON})?", re.I),
    "wounded": re.compile(rf"\b{_WOUND_VERB}\s+{_MORE}{_NUMBER}\b(?:\s+{_WORDS}{_PERSON})?", re.I),
}
# Between the people and what befell them: an apposition closed by a comma ("Three men from
# X, part of Y, were killed") or a short phrase ("An Iraqi member in the Z group was killed",
# "six people, including a member of the army were killed": six, not the one included).
_BETWEEN = (
    r"(?:[^.;]{0,160}?,\s*"
    r"|(?:(?!(?:killed|wounded|injured)\b)\w+(?:ing|ed)\s+)?"  # "posted at the gate"
    r"(?:in|from|of|with|at|including)\s+(?:(?!\b(?:were|was|and)\b)[^,.;]){0,60}?\s+)?"
)
_BEFORE_STATE = {
    "killed": re.compile(
        rf"(?<![\w-])(?<!\bno\s)(?<!\bNo\s){_NUMBER}\s+(?:{_WORDS}{_PERSON}[\s,]+{_BETWEEN})?"
        rf"(?:(?:were|was|have\s+been|had\s+been|are|got)\s+)?(?:reported\s+)?{_KILL_STATE}\b",
        re.I,
    ),
    "wounded": re.compile(
        rf"(?<![\w-])(?<!\bno\s)(?<!\bNo\s){_NUMBER}\s+(?:{_WORDS}{_PERSON}[\s,]+{_BETWEEN})?"
        rf"(?:(?:were|was|have\s+been|had\s+been|are|got)\s+)?(?:reported\s+|\w+ly\s+)?"
        rf"{_WOUND_STATE}\b",
        re.I,
    ),
}
_LEAVING = {
    "killed": re.compile(
        rf"\b(?:leaving|left)\s+{_NUMBER}\s+{_WORDS}{_PERSON}\s+(?:dead|killed)\b", re.I
    ),
    "wounded": re.compile(
        rf"\b(?:leaving|left)\s+{_NUMBER}\s+{_WORDS}{_PERSON}\s+(?:wounded|injured)\b", re.I
    ),
}
# "claimed the lives of seven fighters", "the deaths of seven SDF commandos and the injuries of
# eighteen others", "the martyrdom of six of our fighters".
_NOMINAL = {
    "killed": re.compile(
        rf"\b(?:claimed\s+the\s+lives\s+of|(?:the\s+)?deaths?\s+of|martyrdom\s+of|"
        rf"killing\s+of)\s+{_NUMBER}\b(?!\s*(?:percent|%|years?|days?))"
        rf"(?:\s+{_WORDS.removesuffix('?')}{_PERSON})?",  # the whole title: "an army commander"
        re.I,
    ),
    "wounded": re.compile(
        rf"\b(?:(?:the\s+)?injur(?:y|ies)\s+(?:of|to)|wounding\s+of)\s+{_NUMBER}\b", re.I
    ),
}
# "the number of the injured people has also increased to 43"
_WOUNDED_RISEN = re.compile(
    rf"\bnumber\s+of\s+(?:the\s+)?(?:injured|wounded)(?:\s+people)?\s+(?:has\s+)?(?:also\s+)?"
    rf"(?:risen|rose|increased|climbed|reached)\s+to\s+{_NUMBER}\b",
    re.I,
)
# "the death toll of the strike has risen to 16", "bringing the death toll to 10": a toll
# brought up to date; "one fatality", "three deaths": the dead counted by a noun
_TOLL_RISEN = re.compile(
    rf"\b(?:death\s+toll|toll\s+of\s+(?:the\s+)?dead)\b[^.;:]{{0,120}}?\b(?:has\s+|had\s+)?"
    rf"(?:also\s+)?(?:risen|rose|rises|increased|climbed|reached|jumped|gone\s+up|went\s+up)\s+"
    rf"to\s+{_NUMBER}\b",
    re.I,
)
_TOLL_BROUGHT = re.compile(
    rf"\b(?:bringing|raising|taking|pushing)\s+the\s+(?:overall\s+|total\s+)?(?:death\s+)?"
    rf"toll\s+(?:\w+\s+){{0,3}}?to\s+{_NUMBER}\b",
    re.I,
)
_FATALITIES = re.compile(
    rf"(?<![\w-])(?<!\bno\s)(?<!\bNo\s){_NUMBER}\s+(?:[\w\-]+\s+)?(?:fatalit(?:y|ies)|deaths)\b"
    rf"(?!\s+(?:a|per|each|every)\s)",
    re.I,
)
# "two US service members suffered minor injuries"
_SUFFERED = re.compile(
    rf"(?<![\w-])(?<!\bno\s)(?<!\bNo\s){_NUMBER}\s+{_WORDS}{_PERSON}\s+(?:\w+\s+)?"
    rf"(?:suffered|sustained|suffering|sustaining|received|"
    rf"(?:(?:are|were|was|is)\s+)?(?:being\s+)?treated\s+for|"
    rf"(?:(?:are|were|was|is)\s+)?(?:receiving|received|getting)\s+treatment\s+for)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?(?:injuries|wounds)\b",
    re.I,
)
# A group joined to a count may be one person named by a definite article: "killing four
# soldiers and the unit commander" (a singular noun only: "and the attackers" is no count).
_CONJUNCT = rf"{_QUALIFIER}(?P<n>{_DIGITS}|a\s+dozen|dozen|an?|the|another(?!\s+\d))"
# A further figure joined to the first: "wounding four US personnel and an Iraqi soldier".
_AND_MORE = re.compile(rf"^(?:\s*,\s*(?:and\s+)?|\s+and\s+){_CONJUNCT}\s+{_WORDS}{_PERSON}\b", re.I)
# A group coordinated before the one a state verb counts: "An officer and [four soldiers were
# killed]", "Two soldiers, [a medic] and ..." (searched in the text before the counted group).
_GROUP_BEFORE = re.compile(
    rf"(?<![\w-]){_CONJUNCT}\s+{_WORDS}{_PERSON}(?:\s*,\s*(?:and\s+)?|\s+and\s+)$", re.I
)
# Those killed beside the subject: "was killed along with his three sons".
_ALONG_WITH = re.compile(
    rf"^,?\s+(?:along|together)\s+with\s+(?:(?:his|her|their)\s+)?{_NUMBER}\s+{_WORDS}{_PERSON}",
    re.I,
)
_ONE_KILLED_ALONG = re.compile(
    rf"\b(?:was|has\s+been|had\s+been)\s+(?:{_KILL_STATE})(?=,?\s+(?:along|together)\s+with\b)",
    re.I,
)

_NO_CASUALTIES = re.compile(
    r"\b(?:no\s+(?:one|body)|nobody|none)\s+(?:was|were|had\s+been|has\s+been)\s+"
    r"(?:hurt|injured|wounded|killed|harmed)"
    r"|\b(?:causing|caused|with|there\s+were|without(?:\s+causing)?|resulted\s+in)\s+no\s+"
    r"(?:(?:immediate\s+)?(?:casualties|injuries|deaths|fatalities))(?!\s+(?:figures|details))"
    r"|\bwithout\s+(?:causing\s+)?(?:any\s+)?(?:casualties|injuries)"
    r"|\bno\s+(?:casualties|injuries)\s+(?:were\s+|was\s+)?(?:reported|occurred|caused)"
    r"|^\s*no\s+(?:casualties|injuries)\b"
    r"|\bthere\s+were\s+no\s+(?:casualties|injuries)"
    r"|\bbut\s+no\s+(?:casualties|injuries)\b"
    r"|\b(?:did|does)\s+not\s+(?:inflict|cause|result\s+in)\s+any\s+(?:casualties|injuries)",
    re.I,
)
_UNKNOWN = re.compile(
    r"\bno\s+(?:word|details|information|immediate\s+(?:word|reports?|information))\s+"
    r"(?:on|of|about)\s+(?:casualties|injuries)",
    re.I,
)


@dataclass(frozen=True)
class Casualties:
    killed: int | None = None
    wounded: int | None = None
    zero_stated: bool = False

    @property
    def found(self) -> bool:
        return self.killed is not None or self.wounded is not None


def digits(text: str) -> str:
    """Number words as digits ("eight militants" -> "8 militants"); same text otherwise."""
    try:
        converted = alpha2digit(text, "en", threshold=0)
    except Exception:  # pragma: no cover - text2num refuses odd input; keep the words
        return text
    return converted


_NOT_ONE = re.compile(
    r"^\s+(?:(?:unspecified|unknown|undisclosed|large|small|growing|significant)\s+)?"
    r"(?:number|few|handful|series|total|lot|host|range)\b",
    re.I,
)
# "killing a man and his wife, their two daughters ...": the first of a list, not a count.
_PERSON_AFTER = re.compile(rf"^\s+{_WORDS}{_PERSON}", re.I)
_LIST_FOLLOWS = re.compile(r"^\s+\w+\s+and\s+(?:his|her|their)\b", re.I)
_AND_END = re.compile(r"\band\s+$", re.I)
_STATE_AFTER = re.compile(r"^\s+(?:(?:was|is)\s+)?(?:wounded|injured|hurt|killed|dead)\b", re.I)


def _one_named(match: re.Match) -> int | None:
    """A conjunct: "and the unit commander" is one, "and the attackers" none, nor ", the Iraqi
    military said" (no "and")."""
    person = _PERSON_AFTER.match(match.string[match.end("n") :])
    singular = person and not re.search(
        r"(?:s|men|children|staff|personnel)$", person.group(0), re.I
    )
    joined = _AND_END.search(match.string[: match.start("n")]) or _AND_END.search(match[0])
    return 1 if singular and joined else None


def _value(match: re.Match) -> int | None:
    raw = match.group("n").lower().replace(",", "")
    if raw in ("a", "an"):  # "killing a US contractor"; "a number of militants" is no figure
        rest = match.string[match.end("n") :]
        person = _PERSON_AFTER.match(rest)
        if not person or re.search(r"\d", person.group(0)):
            return None  # "wished the wounded a quick recovery", "a toll that 5 people"
        return None if _NOT_ONE.match(rest) or _LIST_FOLLOWS.match(rest) else 1
    if raw == "the":
        return _one_named(match)
    if raw == "another":  # "two were killed and another wounded": one more, its own figure
        rest = match.string[match.end("n") :]
        return 1 if _PERSON_AFTER.match(rest) or _STATE_AFTER.match(rest) else None
    if "dozen" in raw:
        return 12
    return int(raw) if raw.isdigit() else None


def _first_figure(pattern: re.Pattern, text: str) -> tuple[re.Match | None, int | None]:
    """The first match of `pattern` that gives a figure, and the figure: a match that gives
    none ("a toll that five people killed") is passed over for the next one."""
    position = 0
    while match := pattern.search(text, position):
        total = _value(match)
        if total is not None:
            return match, total
        position = match.start("n") + 1
    return None, None


def _coordinated(text: str, match: re.Match) -> int:
    """Figures of the groups coordinated before a counted subject, and of those counted beside
    it ("along with his three sons"): "An officer and four soldiers were killed" adds 1."""
    extra = 0
    before = text[: match.start()]
    while group := _GROUP_BEFORE.search(before):
        value = _value(group)
        if value is None:
            break
        extra += value
        before = before[: group.start()]
    along = _ALONG_WITH.match(text[match.end() :])
    if along and (value := _value(along)) is not None:
        extra += value
    return extra


def joins_counted_groups(before: str, after: str) -> bool:
    """Whether an "and" between `before` and `after` joins groups one state verb counts
    ("two soldiers and | a medic were killed"): one subject, not two clauses."""
    if not _GROUP_BEFORE.search(digits(_plain(before[-80:]))):
        return False
    after = digits(_plain(after))
    return any(_BEFORE_STATE[kind].match(after) for kind in ("killed", "wounded"))


def _one_killed_along(text: str) -> int | None:
    """ "The commander was killed along with his three sons": one and the three."""
    match = _ONE_KILLED_ALONG.search(text)
    if not match:
        return None
    along = _ALONG_WITH.match(text[match.end() :])
    value = _value(along) if along else None
    return None if value is None else 1 + value


def _figure(kind: str, text: str) -> int | None:
    patterns = [_AFTER_VERB[kind], _LEAVING[kind], _BEFORE_STATE[kind], _NOMINAL[kind]]
    if kind == "wounded":
        patterns += [_SUFFERED, _WOUNDED_RISEN]
    else:
        patterns += [_FATALITIES, _TOLL_RISEN, _TOLL_BROUGHT]
    for pattern in patterns:
        match, total = _first_figure(pattern, text)
        if match is None:
            continue
        if pattern is _BEFORE_STATE[kind]:
            total += _coordinated(text, match)
        if pattern is _BEFORE_STATE["wounded"]:
            # "one soldier was seriously wounded and two others suffered minor injuries"
            more = (
                _SUFFERED.match(text, match.end() + 5)
                if text[match.end() :].startswith(" and ")
                else None
            )
            if more and (extra := _value(more)) is not None:
                total += extra
        if pattern in (_AFTER_VERB[kind], _NOMINAL[kind]):
            rest = text[match.end() :]
            while more := _AND_MORE.match(rest):
                extra = _value(more)
                if extra is None:
                    break
                total += extra
                rest = rest[more.end() :]
        return total
    return _one_killed_along(text) if kind == "killed" else None


def _plain(text: str) -> str:
    """ "U.S." as "US" (its full stops are not word breaks); quote marks dropped."""
    text = re.sub(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?", lambda m: "".join(m.groups("")), text)
    text = re.sub(
        r"\b(?:hundreds|thousands|millions|dozens|scores|tens)\b", "many", text, flags=re.I
    )
    return re.sub(r"[“”\"‘]", "", text)


def casualties(text: str) -> Casualties:
    """Killed and wounded stated in a clause (None where it says nothing or is unclear)."""
    if _UNKNOWN.search(text):
        return Casualties()
    numeric = digits(_plain(text))
    killed = _figure("killed", numeric)
    wounded = _figure("wounded", numeric)
    if killed is None and wounded is None and _NO_CASUALTIES.search(text):
        return Casualties(0, 0, zero_stated=True)
    return Casualties(killed, wounded)
