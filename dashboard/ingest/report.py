"""What the extractor knows about a report while reading it, and the incidents it makes.

`Event`: one clause's event before it has a place (type, day, roles, figures, evidence).
`Candidate`: an incident found, with its place. `Report`: the state carried from clause to
clause: the *anchor* (the day of the last time expression, for "the following day"), the
report's *current day* (the day of the last event reported, carried forward to later clauses
that name a place and no day), events still waiting for a place (*pending*) or for a day
(*undated*), the places named so far (for "the base", "the same base"), and the incidents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from dashboard.ingest.article import Article, Sentence
from dashboard.ingest.dates import Resolved, best, find_time_refs, resolve
from dashboard.ingest.numbers import Casualties
from dashboard.ingest.places import PlaceMention

_REPORT_DATE = re.compile(
    r"\b(?:said|told|announced|stated|added|reported)\b[^.“”\"]{0,90}?"
    r"\b(?:on\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b)"
)


@dataclass
class Event:
    """An event read from one clause, before it is tied to its place(s)."""

    day: Resolved | None
    dated_by: str  # text | carried | report | statement | later | claim
    event_type: str
    weapon: str | None
    actor1: str | None
    actor2: str | None
    casualties: Casualties
    evidence: list[tuple[int, int]]
    notes: list[str]
    sentence: Sentence
    stated: Resolved | None = None  # the day of its own statement ("X on May 8 reported ...")


@dataclass
class Candidate:
    event_date: date
    time_precision: int
    date_how: str
    event_type: str
    weapon: str | None
    actor1: str | None
    actor2: str | None
    place: PlaceMention
    killed: int | None
    wounded: int | None
    evidence: list[tuple[int, int]]
    notes: list[str] = field(default_factory=list)
    place_inferred: bool = False
    dated_by: str = "text"
    fanned_out: bool = False
    sentence: int = 0
    paragraph: int = 0
    separate: bool = False  # "In a separate incident, ...": never another report of an event
    refers_back: bool = False  # "the explosion targeted ...": more about a known event

    def key(self) -> tuple:
        return (self.event_date, self.place.key, self.event_type)


@dataclass
class Report:
    article: Article
    anchor: Resolved | None = None
    current_day: Resolved | None = None
    pending: list[Event] = field(default_factory=list)
    undated: list[tuple[Event, list[PlaceMention]]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    last_group: list[Candidate] = field(default_factory=list)
    places_seen: list[PlaceMention] = field(default_factory=list)
    listed: list[PlaceMention] = field(default_factory=list)  # the last places named together
    group_actor: str | None = None
    last_place_sentence: int = -1
    history_sentence: int = -10  # the last sentence about an earlier year
    topic: tuple[int, PlaceMention] | None = None  # (sentence, the place it opened with)
    # figures told of "the strikes" with no day or place of their own: the only event's;
    # figures told with a day and no place: the only event of that day's
    loose_figures: list[tuple[Casualties, tuple[int, int]]] = field(default_factory=list)
    dated_figures: list[tuple[date, Casualties, tuple[int, int]]] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # names introduced as a person's
    unknown_places: list[PlaceMention] = field(default_factory=list)  # "X, a village in Y"
    _report_day: Resolved | None = None

    @property
    def published(self) -> date:
        return self.article.published

    def report_day(self) -> Resolved:
        """The day of the first dated statement ("told ... in an interview on Saturday")."""
        if self._report_day is None:
            self._report_day = Resolved(
                self.published, 3, "not given: the publication date, within a month"
            )
            for sentence in self.article.sentences:
                match = _REPORT_DATE.search(sentence.text)
                ref = best(find_time_refs(match.group(0))) if match else None
                day = resolve(ref, self.published, None) if ref else None
                if day:
                    how = f"not given: the day it was reported ({ref.text}), within a month"
                    self._report_day = Resolved(day.day, 3, how)
                    break
        return self._report_day

    def make(self, event: Event, places: list[PlaceMention], *, inferred=False,
             extra_evidence=()) -> list[Candidate]:  # fmt: skip
        """One incident per distinct place named for the event."""
        unique: list[PlaceMention] = []
        for place in places:
            if place.key not in {p.key for p in unique}:
                unique.append(place)
        out = [self._candidate(event, p, len(unique), inferred, extra_evidence) for p in unique]
        self.candidates += out
        return out

    def _candidate(self, event, place, count, inferred, extra_evidence) -> Candidate:
        notes = list(event.notes)
        killed, wounded = event.casualties.killed, event.casualties.wounded
        if count > 1 and event.casualties.found and not event.casualties.zero_stated:
            shown = ["?" if v is None else v for v in (killed, wounded)]
            notes.append(
                f"casualties reported for {count} places together (killed {shown[0]}, "
                f"wounded {shown[1]}); not split"
            )
            killed = wounded = None
        if inferred:
            place = _near(place)
            notes.append("place not stated: taken from the event it answered")
        if count > 1:
            notes.append(f"one of {count} places named for the same report")
        return Candidate(
            event_date=event.day.day, time_precision=event.day.precision, date_how=event.day.how,
            event_type=event.event_type, weapon=event.weapon, actor1=event.actor1,
            actor2=event.actor2, place=place, killed=killed, wounded=wounded,
            evidence=list(event.evidence) + list(extra_evidence), notes=notes,
            place_inferred=inferred, dated_by=event.dated_by, fanned_out=count > 1,
            sentence=event.sentence.index, paragraph=event.sentence.paragraph,
        )  # fmt: skip


def _near(place: PlaceMention) -> PlaceMention:
    text = place.text if place.text.lower().startswith("near") else f"near {place.text}"
    precision = max(place.geo_precision or 2, 2) if place.resolved else None
    return replace(place, text=text, geo_precision=precision)


def merge_events(first: Event, then: Event, **changes) -> Event:
    """The first event, completed by what a later clause says of it."""
    merged = {
        "actor1": first.actor1 or then.actor1,
        "actor2": first.actor2 or then.actor2,
        "weapon": first.weapon or then.weapon,
        "casualties": merge_figures(first.casualties, then.casualties),
    }
    return replace(first, **{**merged, **changes})


def merge_figures(first: Casualties, then: Casualties) -> Casualties:
    """Figures of one event told in two clauses, field by field: "two soldiers were killed"
    then "three others were wounded in X" is 2 killed and 3 wounded; the first's where both
    give one."""
    if not first.found:
        return then
    if not then.found:
        return first
    killed = first.killed if first.killed is not None else then.killed
    wounded = first.wounded if first.wounded is not None else then.wounded
    return Casualties(killed, wounded)
