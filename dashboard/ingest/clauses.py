"""Clauses of a sentence and what each one is: the classifier of the extractor.

A sentence is cut into clauses (rules.clause_spans). Each clause is read once: its time
expressions, actors, places, event triggers and casualty figures, and then classified:
- CLAIM: a group claims an attack ("X claimed the attack", "X said it carried out ...");
- BACKGROUND: history, summaries, hypotheticals, an earlier event the article treats as
  known ("last week's strike", "the attacks follow similar strikes ..." with no precise day of
  its own), a past-perfect event with no day of its own, an implausible toll (>= 500);
- EVENT: it reports an event (a trigger word gives its type);
- PLACES: it names places and no event ("The targets were Ain Al Asad, ...");
- CASUALTIES: figures with no event ("There were no casualties.");
- OTHER: nothing the extractor uses.
Time expressions next to a reporting or reacting verb ("officials said Monday", "On Monday,
CENTCOM confirmed that ...", "X on Monday claimed ...", "the government on Thursday condemned")
date the statement, not the event: they are kept apart as `statement_refs`. Quoted speech is
read like the rest of the sentence (a place or a figure in a quote counts); the attribution
("..., a US official said") is blanked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.ingest import rules
from dashboard.ingest.article import Sentence
from dashboard.ingest.dates import (
    ABSOLUTE,
    DAYS_AFTER_EVENT,
    PUBLICATION_DAY,
    RELATIVE_DAY,
    WEEKDAY,
    Resolved,
    TimeRef,
    find_time_refs,
    listed_days,
)
from dashboard.ingest.numbers import Casualties, casualties
from dashboard.ingest.places import PlaceMention, find_places

CLAIM, BACKGROUND, EVENT, PLACES, CASUALTIES, OTHER = (
    "claim", "background", "event", "places", "casualties", "other",
)  # fmt: skip

# Verbs of statements and of reactions to an event ("the government on Thursday condemned the
# strike"): a time next to them dates what was said, not what happened.
_REPORTING = (
    r"(?:said|says|told|announced|confirmed|claimed|stated|reported|added|acknowledged|"
    r"revealed|denied|insisted|condemned|denounced|critici[sz]ed|blamed|accused|warned|vowed|"
    r"urged|pledged|rejected|welcomed|decried)"
)
# "said Monday", "said on Monday", "told reporters on Monday", "confirmed late Sunday",
# "accused the United States on Monday (of ...)".
_VERB_BEFORE = re.compile(
    rf"\b{_REPORTING}\b(?:\s+(?:reporters|journalists|(?:the\s+)?[A-Z][\w.]*"
    r"(?:\s+[A-Z][\w.]*){0,3}))?(?:\s+in\s+a\s+statement)?\s+(?:on\s+|late\s+|early\s+)?$"
)
# A reporting noun: "according to reports on Thursday", "in a statement on Monday", "a
# briefing late Sunday" (not "Monday's": that day is the event's).
_NOUN_BEFORE = re.compile(
    r"\b(?:reports?|statements?|announcements?|briefings?|press\s+conferences?|communiqu[eé]s?|"
    r"bulletins?)\s+(?:issued\s+|released\s+|published\s+)?(?:on\s+|late\s+|early\s+)?$",
    re.I,
)
# "Thursday (21 November)", "Monday, Jan. 8": a date in apposition to the day before it.
_APPOSITION = re.compile(r"^\s*[(,]\s*$")
# "issued a statement", "released a brief communique": what a reporting verb says
_ISSUED = (
    r"(?:issued|released|published|put\s+out)\s+(?:a|an|its)\s+(?:\w+\s+)?"
    r"(?:statement|communiqu[eé]|announcement)"
)
# "On Monday, the U.S. Central Command confirmed that ...", "On Monday, US officials said",
# "On Monday, the ministry issued a statement saying ...".
_OPENS_STATEMENT = re.compile(
    rf"^\s*,\s*(?:the\s+)?(?:[A-Z][\w.’'\-]*\s+){{0,6}}(?:[a-z]+\s+)?(?:{_REPORTING}|{_ISSUED})\b"
)
# "X on Monday claimed responsibility", "officials Monday said", "X on Monday issued a
# statement".
_VERB_NEXT = re.compile(rf"^\s+(?:{_REPORTING}|{_ISSUED})\b")
_SENTENCE_OPENING = re.compile(
    r"^\W*(?:[A-Z][\w ]{0,30}/\s*)?(?:(?:on|late|early|by)\s+)?$", re.I
)  # "Shafaq News/ On Monday, ..."
# A clause that opens with "after", "following", "since": the time of another event.
_SUBORDINATE = re.compile(r"^\W*(?:after|following|since|before|amid|as)\b", re.I)
_SUBORDINATE_BEFORE = re.compile(r"\b(?:after|following|since|before)\s+$", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|its|their)\s+(?:[\w\-]+\s+){0,2}$", re.I)
_NOUNS = frozenset({"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes",
                    "air strike", "air strikes", "drone strike", "drone strikes", "bombing",
                    "raid", "raids", "assault", "assaults", "explosion", "explosions",
                    "blast", "blasts"})  # fmt: skip
_PLUPERFECT = re.compile(r"\bhad\s+(?:been\s+)?(?:\w+ly\s+)?\w+(?:ed|en|wn|ck|ght|t)\b", re.I)


@dataclass
class Clause:
    """One clause of a sentence; offsets are into the sentence's text."""

    sentence: Sentence
    number: int  # clause number in its sentence
    start: int
    end: int
    text: str  # the clause, attribution blanked
    raw: str  # the clause as printed
    refs: list[TimeRef]  # the event's own time expressions
    statement_refs: list[TimeRef]  # times of statements ("said Monday")
    actors: list[rules.ActorMention]
    places: list[PlaceMention]
    triggers: list[rules.Trigger]
    casualties: Casualties
    claim: re.Match | None = None
    stale: re.Match | None = None  # "last week's strike in X": places after it are old news
    cause: bool = False  # the clause after "in retaliation for"
    subordinate: bool = False  # "after the attack on X on Monday": another event's time
    continuation: bool = False  # the sentence goes on about an event already named
    days_after: re.Match | None = None  # "a day after 10 people were killed ...": days before
    listed: list[TimeRef] = field(default_factory=list)  # "November 9 and 11": the other days
    kind: str = OTHER
    day: Resolved | None = None
    dated_by: str = ""
    previous: Clause | None = None  # the clause before it in the sentence
    event: object | None = None  # report.Event, once read
    chosen: list[PlaceMention] = field(default_factory=list)  # the event's places
    anaphoric: PlaceMention | None = None  # "the base", "the same base"
    made: list = field(default_factory=list)  # report.Candidate made from it

    @property
    def event_places(self) -> list[PlaceMention]:
        return [p for p in self.places if p.role == "event"]


def _statement_ref(text: str, ref: TimeRef) -> bool:
    before = text[max(0, ref.start - 60) : ref.start]
    after = text[ref.end : ref.end + 100]
    if re.match(r"['’]s?\b", after) or re.search(r"['’]s?$", ref.text):
        return False  # "said Thursday's raid began ...": the day of what it owns
    if _VERB_BEFORE.search(before) or _VERB_NEXT.match(after):
        return True
    if _NOUN_BEFORE.search(before) and not re.match(r"['’]s?\b", after):
        return True
    return bool(_SENTENCE_OPENING.match(text[: ref.start]) and _OPENS_STATEMENT.match(after))


def split_refs(text: str, refs: list[TimeRef]) -> tuple[list[TimeRef], list[TimeRef]]:
    """(event refs, statement refs) of a sentence's time expressions; a date in apposition to
    a statement's day ("reports on Thursday (21 November)") is the statement's too."""
    own, statement = [], []
    for ref in refs:
        previous = statement[-1] if statement else None
        apposition = previous is not None and _APPOSITION.match(text[previous.end : ref.start])
        (statement if apposition or _statement_ref(text, ref) else own).append(ref)
    return own, statement


def classify(clause: Clause, event_type: str | None) -> str:
    """What a clause is (see the module docstring); the order of the tests is the rule."""
    if clause.claim and not clause.event_places:
        return CLAIM
    if clause.sentence.text.rstrip(" \"”’'|").endswith("?") or "?" in clause.text:
        return OTHER  # a question reports nothing
    figures = clause.casualties.found or clause.casualties.zero_stated
    if not event_type and not figures and clause.event_places:
        return PLACES
    if _background(clause):
        return BACKGROUND
    if event_type and not _only_references(clause):
        return EVENT
    if clause.event_places:
        return PLACES
    if clause.casualties.found or clause.casualties.zero_stated:
        return CASUALTIES
    return OTHER


def _reference(clause: Clause, trigger) -> bool:
    noun = " ".join(trigger.word.split()) in _NOUNS
    return noun and bool(_DEFINITE.search(clause.text[: trigger.start]))


def _only_references(clause: Clause) -> bool:
    """ "After the attack, ...", "the strikes": nouns naming an event already reported."""
    return bool(clause.triggers) and all(_reference(clause, t) for t in clause.triggers)


def refers_back(clause: Clause) -> bool:
    """ "the explosion targeted a patrol near X": the clause goes on about a known event."""
    return any(_reference(clause, t) for t in clause.triggers)


# "carried out the strikes": verbs that only say an event named by its noun happened
_LIGHT_VERBS = frozenset({"carried out", "conducted", "launched", "staged", "executed"})


def tells_known_event(clause: Clause) -> bool:
    """ "The United States carried out the strikes on Friday": the clause only tells again an
    event already named (a definite event noun, and no trigger but light verbs besides)."""
    known = [t for t in clause.triggers if _reference(clause, t)]
    others = [t for t in clause.triggers if not _reference(clause, t)]
    return bool(known) and all(" ".join(t.word.lower().split()) in _LIGHT_VERBS for t in others)


def perfect_tense(clause: Clause) -> bool:
    """ "have targeted", "has faced": a summary of events, not one dated by the report."""
    return bool(rules.PRESENT_PERFECT.search(clause.text))


def _background(clause: Clause) -> bool:
    """History, summaries and known events (see the module docstring)."""
    text = clause.text
    figures = (clause.casualties.killed, clause.casualties.wounded)
    if any((n or 0) >= 500 for n in figures) or rules.ALREADY_REPORTED.search(text):
        return True
    if not clause.refs and (rules.BACKGROUND.search(text) or _PLUPERFECT.search(text)):
        return True
    return _earlier_or_summary(clause)


def _earlier_or_summary(clause: Clause) -> bool:
    """An earlier event ("last week's strike", "follows similar strikes") or a campaign summary
    with no precise day of its own."""
    vague = not clause.refs or (clause.day is not None and clause.day.precision >= 2)
    if rules.FOLLOWS.search(clause.text) and (vague or not _own_day_named(clause)):
        return True  # "it comes one day after ...": the gap, not a day of its own
    if not vague:
        return False
    if clause.stale or _referred_last_month(clause) or (clause.cause and clause.day):
        return True  # "(a response to) the killing last week of ...": answered, not reported
    return clause.day is not None and bool(rules.SUMMARY.search(clause.text))


def _referred_last_month(clause: Clause) -> bool:
    """ "The army has previously struck Latakia ... last month", "Israel acknowledged a strike
    near the crossing earlier this month": an earlier event dated only to a month, recalled or
    acknowledged, not reported."""
    month_only = clause.day is not None and clause.day.precision >= 3
    return month_only and bool(perfect_tense(clause) or rules.RECALLED.search(clause.text))


def _own_day_named(clause: Clause) -> bool:
    """A day the clause names itself (a date, a weekday, "today"), not one counted from
    another ("a day after")."""
    return any(ref.kind in (ABSOLUTE, WEEKDAY, PUBLICATION_DAY) for ref in clause.refs)


def _without_times(text: str, refs: list[TimeRef], start: int, end: int) -> str:
    """The clause with its time expressions blanked: "August 23, two journalists" is 2."""
    chars = list(text[start:end])
    for ref in refs:
        for i in range(max(ref.start, start), min(ref.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def _days_after(masked: str, spans: list[tuple[int, int]], refs: list[TimeRef]):
    """ "..., a day after 10 people were killed": per clause, the phrase that opens it (counted
    back from the clause before, not forward); the other time refs; those phrases as times,
    blanked so that they give no figure."""
    found = [DAYS_AFTER_EVENT.match(masked, start) if number else None
             for number, (start, _) in enumerate(spans)]  # fmt: skip
    blanked = [TimeRef(m.start(), m.end(), m.group(0), RELATIVE_DAY) for m in found if m]
    kept = [r for r in refs if not any(b.start <= r.start < b.end for b in blanked)]
    return found, kept, blanked


# "In response to an attack by X on Monday, forces launched ...", "deployed on Sunday in
# response to alleged attacks": the event answered, up to the next comma; not the clause's own
_CAUSE_PHRASE = re.compile(
    r"\b(?:in\s+)?(?:response|retaliation|reply)\s+(?:to|for)\s+[^,;]*", re.IGNORECASE
)


def _own_triggers(clause_text: str, before: str) -> list:
    """The clause's event triggers, not those of an event it only answers ("in response to
    attacks"); a clause that is all cause (after "in retaliation for") keeps its own."""
    triggers = rules.find_triggers(clause_text)
    if rules.CAUSE_BEFORE.search(before):
        return triggers
    causes = [m.span() for m in _CAUSE_PHRASE.finditer(clause_text)]
    own = [t for t in triggers if not any(a <= t.start < b for a, b in causes)]
    return own


# "Sweida province, which saw deadly clashes last month", "a town that witnessed fighting in
# March": a relative clause that tells a place's past; its time is not the sentence's event's.
_PLACE_HISTORY = re.compile(
    r"\b(?:that|which|where)\s+(?:had\s+)?(?:also\s+)?(?:saw|witnessed|experienced|"
    r"was\s+the\s+scene\s+of|has\s+seen|had\s+seen)\b[^,;“”\"]*$",
    re.I,
)


def _sentence_refs(text: str) -> tuple[list[TimeRef], list[TimeRef]]:
    """(the events' own time refs, the statements'); a place's past is neither."""
    own, statement = split_refs(text, find_time_refs(text))
    own = [r for r in own if not _PLACE_HISTORY.search(text[max(0, r.start - 120) : r.start])]
    return own, statement


def read_sentence(sentence: Sentence, text: str) -> list[Clause]:
    """The clauses of one sentence (text: the sentence as printed), read and classified."""
    masked = rules.mask_attribution(text)
    own_refs, statement_refs = _sentence_refs(text)
    actors = rules.find_actors(masked)
    places = find_places(masked, blocked=[(a.start, a.end) for a in actors])
    continuation = bool(rules.CONTINUATION.match(masked))
    out = []
    spans = rules.clause_spans(masked)
    days_after, own_refs, blanked = _days_after(masked, spans, own_refs)
    listed = listed_days(text, own_refs)
    for number, (start, end) in enumerate(spans):
        clause_text = masked[start:end]
        clause = Clause(
            sentence=sentence,
            number=number,
            start=start,
            end=end,
            text=clause_text,
            raw=text[start:end],
            refs=[r for r in own_refs if start <= r.start < end],
            statement_refs=[r for r in statement_refs if start <= r.start < end],
            actors=[a for a in actors if start <= a.start < end],
            places=[p for p in places if start <= p.start < end],
            triggers=_own_triggers(clause_text, masked[:start]),
            casualties=casualties(
                _without_times(text, own_refs + statement_refs + blanked, start, end)
            ),
            claim=rules.claim(text[start:end]),
            stale=rules.EARLIER_EVENT.search(clause_text),
            cause=bool(rules.CAUSE_BEFORE.search(masked[:start])),
            subordinate=bool(
                _SUBORDINATE.match(clause_text) or _SUBORDINATE_BEFORE.search(masked[:start])
            ),
            continuation=continuation,
            days_after=days_after[number],
            listed=[r for r in listed if start <= r.start < end],
        )
        clause.previous = out[-1] if out else None
        out.append(clause)
    return out
