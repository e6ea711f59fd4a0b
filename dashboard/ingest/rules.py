"""The word rules: actors, event triggers and types, weapons, what to ignore.

Every rule is a regular expression over one sentence; nothing here knows about dates or places.
- Actors: every name and alias of data/actors.csv (short all-capital aliases like "KH", "IS"
  only in capitals), plus common descriptions ("US soldiers", "Iraqi army", "Iran-backed
  militants", "Peshmerga") mapped to the canonical names.
- Triggers: words that report an event, each with an event type; the type of a clause is the
  highest in TYPE_PRIORITY among its triggers (a prevented attack is a foiled_attack, not an
  attack). Strikes by states with air forces are airstrikes.
- Masks: attributions ("..., a US official said", "according to ...") are blanked before
  reading a sentence: the officials who speak are not the actors. Quoted speech is read like
  the rest (a place or a figure in a quote counts; tense and modal rules keep what it promises
  or fears out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dashboard.actors import load_actors
from dashboard.ingest.numbers import joins_counted_groups

GENERIC_ACTORS = frozenset({"Iran-backed militias", "US-led coalition"})
STATE_AIR_POWERS = frozenset(
    {"United States Armed Forces", "US-led coalition", "Jordanian Armed Forces",
     "Iraqi Security Forces", "Islamic Revolutionary Guard Corps"}
)  # fmt: skip

# Descriptions that name an actor without using a name from actors.csv.
_US = r"(?:US|U\.S\.|American|United\s+States)"
EXTRA_ACTOR_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "United States Armed Forces",
        rf"\b{_US}[\s-]+(?:military\s+)?(?:forces|troops|soldiers?|service\s*members?|"
        rf"servicemembers|servicemen|personnel|military|army|air\s+force|navy|marines|aircraft|"
        rf"bombers?|jets?|warplanes?|fighter\s+jets?|F-\d+\w*|AC-130\w*|MQ-9\w*|drones?|"
        rf"helicopters?|base|bases|outpost|garrison|defen[cs]e\s+officials?)\b"
        rf"|\b(?:the\s+)?(?:US|U\.S\.|United\s+States)(?=\s+(?:struck|launched|carried|"
        rf"conducted|hit|bombed|responded|retaliated|had|has|have)\b)"
        rf"|\bAmerican\s+(?:service\s*members|soldiers|troops|forces)\b",
    ),
    (
        "Iraqi Security Forces",
        r"\bIraqi\s+(?:security\s+forces|forces|army|soldiers?|troops|military|police(?:m[ae]n)?|"
        r"policem[ae]n|F-16\w*|jets|warplanes|air\s+force|counter-?terrorism\s+(?:service|forces)|"
        r"army\s+patrol|border\s+guards?)\b",
    ),
    (
        "Kurdistan Region Security Forces",
        r"\b(?:Kurdish|Kurdistan\s+Region(?:['’]s)?)\s+(?:security\s+forces|forces|"
        r"counter-?terrorism\s+(?:service|forces|officials)|fighters)\b",
    ),
    (
        "Iran-backed militias",
        r"\bIran(?:ian)?[\s-](?:backed|aligned|linked|allied)\s+(?:Shiite\s+|Shia\s+)?"
        r"(?:militias?|militants?|fighters|groups?|factions?|armed\s+groups?|paramilitar(?:y|ies))"
        r"\b|\b(?:the\s+)?militias\b|\bmilitia\s+groups\b",
    ),
    ("Islamic Revolutionary Guard Corps", r"\bIran['’]s\s+Revolutionary\s+Guards?\b"),
    ("US-led coalition", r"\bcoalition\s+(?:forces|troops|air\s+defen[cs]es|aircraft)\b"),
)
# A clause after "in retaliation for" names the earlier event that caused the one before it.
CAUSE_BEFORE = re.compile(r"\b(?:response|retaliation|reply)\s+(?:to|for)\s+$", re.I)
_GROUP_ANAPHORA = re.compile(r"\b(?:the\s+same\s+group|the\s+group|the\s+militia)\b", re.I)

TYPE_PRIORITY = (
    "foiled_attack", "seizure", "interception", "clash", "protest", "airstrike", "attack",
    "other",
)  # fmt: skip
_TRIGGERS: dict[str, re.Pattern] = {
    "foiled_attack": re.compile(
        r"\b(?:prevent(?:ed|s)?|foil(?:ed|s)?|thwart(?:ed|s)?|avert(?:ed|s)?|defus(?:ed|es))\b",
        re.I,
    ),
    "seizure": re.compile(
        r"\b(?:seiz(?:ed|es)|confiscat(?:ed|es)|(?:found|discovered|dismantled)(?=[^.;]{0,60}"
        r"\b(?:launchers?|launch\s+pads?|explosives|weapons|caches?|ammunition|rockets)\b))",
        re.I,
    ),
    "interception": re.compile(
        r"\b(?:intercept(?:ed|s)?|shot\s+down|shoots\s+down|took\s+down|downed|repell?ed|"
        r"destroyed\s+(?:\w+\s+){0,2}drones?)\b",
        re.I,
    ),
    "clash": re.compile(
        r"\b(?:clash(?:ed|es)?|firefights?|gun\s*battles?|exchanged\s+fire|fought)\b", re.I
    ),
    "protest": re.compile(
        r"\b(?:protest(?:ed|ers)|demonstrat(?:ed|ors)|rallied|stormed|sit-in)\b", re.I
    ),
    "airstrike": re.compile(
        r"\b(?:air\s*strikes?|airstrikes?|air\s+raids?|drone\s+strikes?|bombed|bombers?|"
        r"warplanes?)\b",
        re.I,
    ),
    "attack": re.compile(
        r"\b(?:attack(?:ed|s|ing)?|target(?:ed|ing)|(?<=to\s)target|fired|launched|shelled|"
        r"conducted|carried\s+out|"
        r"struck|strikes?|"
        r"striking|hit|landed|fell|exploded|detonated|crashed|ambush(?:ed)?|opened\s+fire|"
        r"came\s+under|assault(?:ed|s)?|raids?|killed|killing|responded(?=\s+with\b)|retaliated|"
        r"slammed|shot\s+dead|shot\s+and\s+(?:killed|wounded|injured)|gunned\s+down|gunfire|"
        r"shootings?|"
        r"explosions?|blasts?)\b",
        re.I,
    ),
    "other": re.compile(r"\b(?:raided|detained|arrested|kidnapped|abducted)\b", re.I),
}
# Noun triggers alone ("the attacks", "strikes") are not events in themselves; a clause needs
# one of these finite or participle forms, or a dated noun ("a drone attack targeted ...").
_STATE_STRIKE = re.compile(
    r"\b(?:struck|strikes?|striking|hit|bombed|responded|retaliated)\b", re.I
)
_AIRCRAFT = re.compile(
    r"\b(?:air\s*strikes?|airstrikes?|air\s+raids?|aircraft|warplanes?|jets?|bombers?|AC-130\w*|"
    r"F-1[56]\w*|F-35\w*|helicopters?|planes?|MQ-9\w*|drone\s+strikes?)\b",
    re.I,
)

_WEAPONS: tuple[tuple[str, re.Pattern], ...] = (
    ("ballistic_missile", re.compile(r"\bballistic\s+missiles?\b", re.I)),
    ("drone", re.compile(r"\b(?:drones?|UAVs?|unmanned\s+aerial|one-way\s+attack)\b", re.I)),
    ("rocket", re.compile(r"\b(?:rockets?|Katyushas?)\b", re.I)),
    ("missile", re.compile(r"\b(?:cruise\s+)?missiles?\b", re.I)),
    (
        "ied",
        re.compile(
            r"\b(?:roadside\s+bombs?|IEDs?|improvised\s+explosive|explosive\s+devices?|"
            r"car\s+bombs?|sticky\s+bombs?|bombing)\b",
            re.I,
        ),
    ),
    ("artillery", re.compile(r"\b(?:mortars?|artillery|shell(?:s|ing|ed))\b", re.I)),
    (
        "small_arms",
        re.compile(
            r"\b(?:gunmen|gunfire|small\s+arms|opened\s+fire|shot\s+dead|rifles?|"
            r"machine\s*guns?|snipers?)\b",
            re.I,
        ),
    ),
    ("aircraft", _AIRCRAFT),
)

_CLAIM = re.compile(
    r"\b(?:claimed(?:\s+responsibility\s+for)?|took\s+responsibility\s+for|"
    r"said\s+(?:[^.]{0,60}?\s)?(?:it|they)\s+(?:had\s+)?(?:carried\s+out|launched|conducted))\s+"
    r"(?P<what>(?:the|a|an|Saturday['’]s|Sunday['’]s|Monday['’]s|Tuesday['’]s|Wednesday['’]s|"
    r"Thursday['’]s|Friday['’]s|both|these|those|all)?\s*(?:[\w\-]+\s+){0,2}"
    r"(?P<noun>attacks?|bombings?|strikes?|operations?|assaults?))",
    re.I,
)
# Undated clauses with these are history or summaries, not incidents.
BACKGROUND = re.compile(
    r"\b(?:has|have)\b[^.;]{0,80}\bsince\b|\bmore\s+than\s+\d[\d,]*\s+(?:attacks|times|incidents|strikes)\b"
    r"|\b[1-9]\d[\d,]*\s+(?:[\w\-]+\s+)?(?:strikes|attacks|airstrikes|raids)\b"  # a tally
    r"|\b\d[\d,]*\s+times\b|\bin\s+total\b|\bso\s+far\b|\balmost\s+daily\b"
    # a death toll, unless it is one event's ("the death toll of the strike on X")
    r"|\bdeath\s+toll\b(?!\s+(?:of|from)\s+(?:the|this|that|a|an|[A-Z]\w+['’]s)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:strike|airstrike|attack|bombing|raid|explosion|blast|shelling|ambush)\b)"
    r"|\bevery\s+(?:day|week)\b|\broutinely\b|\bregularly\b|\ba\s+lull\b|\bfor\s+the\s+first\s+time\b"
    r"|\bhave\s+faced\b|\bthe\s+war\b|\bwar\s+began\b|\btook\s+office\b|\blast\s+year\b"
    r"|\bin\s+(?:19|20)\d\d\b|\bhad\s+been\b|\bstill\b|\bremains?\b|\bwould\b|\bwill\b|\bcould\b"
    r"|\b(?:may|might|must)\s+have\b|\bfrequently\b|\boften\b|\boverall\b"
    r"|\boccasionally\b|\bsometimes\b|\busually\b|\bin\s+recent\s+(?:years|months)\b"
    r"|\b(?:most|many|all|some|several|dozens|hundreds|majority)\s+of\s+(?:the|these|those|its|"
    r"their)\s+(?:\w+\s+)?(?:attacks|strikes|incidents|raids)\b"
    r"|\bthe\s+most\s+(?:common|frequent|frequently\s+\w+)\s+targets?\b",
    re.I,
)
# Summaries of a campaign: a clause with one of these that is dated only to a week or a month
# ("has carried out several rounds of strikes since October, including raids last month near
# X") restates earlier events; it is background, not a new incident.
SUMMARY = re.compile(
    r"\b(?:has|have)\b[^.;]{0,80}\bsince\b|\bmore\s+than\s+\d[\d,]*\s+(?:attacks|times|incidents|strikes)\b"
    r"|\b[1-9]\d[\d,]*\s+(?:[\w\-]+\s+)?(?:strikes|attacks|airstrikes|raids)\b"  # a tally
    r"|\b\d[\d,]*\s+times\b|\b(?:several|multiple|many|numerous)\s+(?:rounds|waves)\b"
    r"|\b(?:rounds|series|string|wave)\s+of\b|\brepeatedly\b|\balmost\s+daily\b"
    r"|\bso\s+far\b|\bin\s+total\b",
    re.I,
)
# An earlier event the article treats as already known: background, not a new incident.
# "last week's US strike in Baghdad", "the earlier strike on X": the places after it are that
# event's; the clause is background unless it has a day of its own ("on Monday").
EARLIER_EVENT = re.compile(
    r"\b(?:last|past|previous)\s+(?:week|weekend|month|year)['’]s\b"
    r"|\b(?:the|an?)\s+(?:earlier|previous)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:attacks?|strikes?|airstrikes?|raids?|bombings?)\b",
    re.I,
)
# "The attacks follow similar strikes over the past few days", "it comes days after an attack
# on X": what follows the verb happened before; without a day of its own it is background.
FOLLOWS = re.compile(
    r"\b(?:follows?|followed|(?:comes?|came|occur(?:s|red)?|happen(?:s|ed)?)\s+(?:\w+\s+){0,3}?"
    r"after)\s+(?!(?:by|midnight|dawn|noon|sunset|sunrise|dark|nightfall|the\s+(?:call|order)s?)\b)"
    r"(?=\S)",
    re.I,
)
# "has previously attacked", "Israel acknowledged a strike": an event recalled or owned up to,
# reported before (with a month only, it is background: dashboard.ingest.clauses).
RECALLED = re.compile(r"\b(?:previously|acknowledged|admitted|owned\s+up\s+to)\b", re.I)
# "the attack, already reported ...": the whole clause restates a known event.
ALREADY_REPORTED = re.compile(
    r"\b(?:already|previously)\s+(?:been\s+)?reported\b|\breported\s+earlier\b", re.I
)
PRESENT_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?:been\s+)?(?:\w+ly\s+)?(?:\w+(?:ed|en|wn|ught|ht)|struck|hit|shot|"
    r"fought|led|made|won|held|met|sent|built|lost|left|kept|set|put|fled|fired)\b",
    re.I,
)
# A sentence about an earlier year ("in 2020", "In January 2020"): history, not news.
# "a 2020 coalition strike", "the 2019 raid": an event named by its year.
HISTORY_YEAR = re.compile(
    r"\b(?:(?i:in|since|during|of|by)\s+(?:(?i:early|late|mid)[\s-]+)?(?:[A-Z][a-z]+\s+)?"
    r"|(?i:a|an|the)\s+(?=(?:19|20)\d\d\s+(?:[\w\-]+\s+){0,2}?(?i:strikes?|airstrikes?|"
    r"attacks?|raids?|bombings?|offensive|operation|ambush|assault)\b))"
    r"(?P<year>(?:19|20)\d\d)\b"
)
# "at the end of April 2023": a month and a year.
MONTH_YEAR = re.compile(
    r"\b(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?,?\s+(?P<year>(?:19|20)\d\d)\b"
)
# "Days later ...": goes on about the time of the sentence before.
VAGUE_LATER = re.compile(
    r"^\W*(?:days|weeks|months|years)\s+(?:later|earlier|after|before)\b", re.I
)
# "During that attack, ...", "That strike killed ...": goes on about the event just named.
THAT_EVENT = re.compile(
    r"^\W*(?:(?:during|in|after|with)\s+)?that\s+(?:[\w\-]+\s+){0,2}?(?:attacks?|strikes?|"
    r"airstrikes?|raids?|bombings?|assaults?|barrages?|operations?|offensives?)\b",
    re.I,
)
# "The strikes ...", "The August 20 raid ...": a sentence that goes on about the event told
CONTINUATION = re.compile(
    r"^\s*(?:(?:[Tt]he|[Tt]hese|[Tt]hose|Both|All)\s+(?:\w+\s+|[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?"
    r"(?:targets?|strikes?|attacks?|raids?|"
    r"sites?|bombings?|drones?|rockets?|missiles?|operations?|barrages?|salvos?|volleys?)\b|(?:They|It)\s|"
    r"(?:Targets|Among\s+the\s+targets)\b)",
)
_ATTRIBUTION = re.compile(
    r",\s*(?:[^,;“”\"]{0,90}?\s)?(?:said|says|told\s+[^,.;“”\"]{1,60}|added|announced|"
    r"stated|confirmed)(?:\s+(?:in\s+a\s+statement|on\s+\w+|in\s+an\s+interview(?:\s+on\s+\w+)?|"
    r"late\s+on\s+\w+))?(?=\s*[,.;]|\s*$)"
    r"|,?\s*according\s+to\s+[^,.;]*(?:,\s*(?:and\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3})*"
    r"(?=,?\s*(?:[.;]|$))"  # "according to Le Monde, Al Jazeera, and TRT."
    r"|,?\s*according\s+to\s+[^,.;]*"
    r"|^(?:[A-Z][^,;]{0,80}?\s)?(?<!was\s)(?<!were\s)(?<!been\s)(?<!is\s)(?<!are\s)"
    r"(?:said|says|told\s+(?:the\s+)?(?:[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}|\w+)|reported|"
    r"added|announced)\s+(?:that\s+)?"
    r"(?=[A-Za-z0-9])"
    r"|\bsaid\s+in\s+a\s+statement\b"
    # after a quote: "...,” Ali recalled from his home in X": where the speaker is, no event's
    r"|(?<=[”\"])\s*[^“”\"().;,]{0,60}?\b(?:said|says|recalled|recounted|remembered|explained)"
    r"\s+from\s+(?:his|her|their)\s+[^,.;“”\"]{0,60}",
)


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    name: str

    @property
    def generic(self) -> bool:
        return self.name in GENERIC_ACTORS


def _alias_regex(alias: str) -> str:
    tokens = [re.escape(t).replace("'", "['’]?").replace("’", "['’]?") for t in alias.split()]
    return r"[\s\-]+".join(tokens)


@lru_cache(maxsize=1)
def _actor_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    patterns: list[tuple[re.Pattern, str]] = []
    aliases: list[tuple[str, str]] = []
    for row in load_actors().itertuples():
        for alias in [row.name, *str(row.aliases).split("|")]:
            alias = re.sub(r"\s*\(.*?\)\s*", " ", alias).strip()
            if alias:
                aliases.append((alias, row.name))
    for alias, name in sorted(aliases, key=lambda a: len(a[0]), reverse=True):
        if re.fullmatch(r"[A-Z]{2,5}", alias):
            patterns.append((re.compile(rf"(?<![\w\-]){alias}(?![\w\-])"), name))
        else:
            flags = re.IGNORECASE if len(alias) > 5 else 0
            patterns.append(
                (re.compile(rf"(?<![\w\-]){_alias_regex(alias)}(?![\w\-])", flags), name)
            )
    for name, pattern in EXTRA_ACTOR_PATTERNS:
        patterns.append((re.compile(pattern), name))
    return tuple(patterns)


def find_actors(text: str) -> list[ActorMention]:
    """Actor mentions in text, longest first where they overlap, in text order."""
    found: list[ActorMention] = []
    for pattern, name in _actor_patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < m.end and m.start < end for m in found):
                continue
            found.append(ActorMention(start, end, name))
    return sorted(found, key=lambda m: m.start)


def group_anaphora(text: str) -> re.Match | None:
    return _GROUP_ANAPHORA.search(text)


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    event_type: str
    word: str


# "The launcher aimed at the airport was discovered ...": a seizure told in the passive.
_PASSIVE_SEIZURE = re.compile(
    r"\b(?:launchers?|launch\s+pads?|explosives|weapons|caches?|ammunition|rockets)\b"
    r"[^.;]{0,60}?\b(?:was|were|had\s+been|have\s+been)\s+"
    r"(?P<verb>found|discovered|dismantled|seized|confiscated)\b",
    re.I,
)


def find_triggers(text: str) -> list[Trigger]:
    found: list[Trigger] = []
    for match in _PASSIVE_SEIZURE.finditer(text):
        start, end = match.span("verb")
        found.append(Trigger(start, end, "seizure", match.group("verb").lower()))
    for event_type, pattern in _TRIGGERS.items():
        for match in pattern.finditer(text):
            if any(match.start() < t.end and t.start < match.end() for t in found):
                continue
            found.append(Trigger(match.start(), match.end(), event_type, match.group(0).lower()))
    return sorted(found, key=lambda t: t.start)


def event_type(triggers: list[Trigger], text: str, actor1: str | None) -> str | None:
    if not triggers:
        return None
    kinds = {t.event_type for t in triggers}
    chosen = next(k for k in TYPE_PRIORITY if k in kinds)
    if chosen == "attack" and (
        _AIRCRAFT.search(text) or (actor1 in STATE_AIR_POWERS and _STATE_STRIKE.search(text))
    ):
        return "airstrike"
    return chosen


def _weapons_named(text: str) -> list[str]:
    """Weapons in text order; at the same word the more specific first ("drone strike")."""
    hits = sorted(
        (match.start(), order, name)
        for order, (name, pattern) in enumerate(_WEAPONS)
        if (match := pattern.search(text))
    )
    names = [n for _, _, n in hits]
    if "ballistic_missile" in names and "missile" in names:
        names.remove("missile")
    return names


def weapon(text: str, event: str | None) -> str | None:
    """The weapon a clause names first; airstrikes default to aircraft."""
    if event == "protest":
        return None
    names = _weapons_named(text)
    if event == "interception":
        names = [n for n in names if n != "aircraft"] or names
    if event == "airstrike":
        preferred = [n for n in names if n in ("drone", "missile", "aircraft")]
        return preferred[0] if preferred else "aircraft"
    return names[0] if names else None


def claim(text: str) -> re.Match | None:
    return _CLAIM.search(text)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def mask_attribution(sentence: str) -> str:
    """Attribution phrases of one sentence blanked ("..., US officials said.")."""
    return _blank(sentence, [m.span() for m in _ATTRIBUTION.finditer(sentence)])


_COUNT_WORD = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
_CLAUSE_BREAK = re.compile(
    r"(?P<hard>;\s+|,\s+(?:while|whereas)\s+"
    r"|(?:,\s*|\b(?:occurred|came|comes|happened|took\s+place)\s+)"
    rf"(?=(?:just\s+|only\s+|barely\s+)?{_COUNT_WORD}\s+days?\s+after\s+(?!(?:that|this|it)\b)))"
    r"|,?\s+and\s+(?=(?:a|an|the|US|U\.S\.|[A-Z][a-z]+\s+(?:forces|troops))\b)"
    r"|(?<!\bday)(?<!\bdays),?\s+(?:before|after|following|then)\s+(?=(?:a|an|the|[A-Z])\b)"
    r"|\s+(?:in\s+)?(?:response|retaliation|reply)\s+(?:to|for)\s+",
)
_NOUN_TRIGGERS = ("strikes", "strike", "attacks", "attack")


def _has_event(piece: str) -> bool:
    return any(t.event_type != "attack" or t.word not in _NOUN_TRIGGERS
               for t in find_triggers(piece))  # fmt: skip


_OPENING_CAUSE = re.compile(r"^\W*(?:In\s+)?(?:response|retaliation|reply)\s+(?:to|for)\s", re.I)


def _after_opening_cause(text: str) -> list[tuple[int, bool]]:
    """ "In response to an attack by X on Y, forces launched ...": the answered event ends at
    the first comma; the sentence's own clause starts after it."""
    opening = _OPENING_CAUSE.match(text)
    comma = text.find(", ", opening.end()) if opening else -1
    return [(comma + 2, True)] if comma > 0 else []


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clause boundaries of a sentence; a clause with no trigger joins the one before it,
    except after a semicolon or ", while" (a clause of its own whatever it says)."""
    cuts = [(0, True)]
    for match in _CLAUSE_BREAK.finditer(text):
        if joins_counted_groups(text[: match.end()], text[match.end() :]):
            continue  # "two soldiers and a medic were killed": one subject
        cuts.append((match.end(), bool(match.group("hard"))))
    cuts += _after_opening_cause(text)
    cuts = sorted(set(cuts))
    cuts.append((len(text), True))
    merged: list[tuple[int, int]] = []
    for (start, hard), (end, _) in zip(cuts, cuts[1:], strict=False):
        if end <= start:
            continue
        if merged and not hard and not _has_event(text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
