"""The ordered attachment steps the extractor runs on every clause.

Each step reads one classified clause and the report's state, may change both, and returns
True when the clause needs nothing more. In order:
1. `attach_claim` - a claim names the initiator of incidents already found ("The Islamic
   Resistance in Iraq claimed the attack") and dates an undated one ("saying it launched the
   attack on Feb. 4").
2. `resolve_day` - the clause's own day from its time expressions (not those of statements).
3. `classify_clause` - what the clause is (dashboard.ingest.clauses.classify).
4. `skip_background` - history, summaries, known events: nothing more; a clause that dates
   an attack it only refers to ("The latest attack took place on Wednesday.") gives the
   report its day.
5. `read_event` - type, roles, weapon and figures of an event clause.
6. `choose_places` - the clause's event places: a province or a containing district only
   locates a more specific place; a town after "in"/"of" a site only locates it; "the base",
   "the same base" stand for the latest place of that kind.
7. `make_incidents` - an event with a day and a place becomes incidents; with no day it joins
   the report's pending event, takes the report's day carried forward, or waits for a later
   sentence to date it; with a day and no place it waits (pending) for a place.
8. `place_pending` - a clause that only names places ("The targets were ...") places the
   pending event, unless it is about another time or is a photo caption of another block.
9. `refine_place` - "The attack took place near the town of X" places an event made just
   before at a province or a relative place more precisely.
10. `date_undated` - a continuation with a day and no place ("The strikes took place late
   Sunday night") dates the waiting event.
11. `attach_casualties` - figures with no incident of their own join the incident they follow,
    or the report's only incident when they name no day and no other event.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from dashboard.ingest import rules
from dashboard.ingest.article import Sentence
from dashboard.ingest.clauses import (
    BACKGROUND,
    EVENT,
    PLACES,
    Clause,
    classify,
    perfect_tense,
    refers_back,
    tells_known_event,
)
from dashboard.ingest.dates import (
    ABSOLUTE,
    PUBLICATION_DAY,
    WEEKDAY,
    Resolved,
    best,
    days_before,
    resolve,
)
from dashboard.ingest.numbers import Casualties
from dashboard.ingest.places import (
    PlaceMention,
    anaphoric_place,
    countries_in,
    located_by,
    named_again,
    people_named,
)
from dashboard.ingest.report import Candidate, Event, Report, merge_events, merge_figures
from dashboard.ingest.roles import roles

_US_SIDE = frozenset(
    {"United States Armed Forces", "US-led coalition", "Iraqi Security Forces",
     "Kurdistan Region Security Forces", "Syrian Democratic Forces", "Jordanian Armed Forces"}
)  # fmt: skip
_STRIKES = frozenset({"attack", "airstrike"})
# Kinds of event one report's day carries between: strikes, attacks and interceptions of them.
_FIGHTING = frozenset({"attack", "airstrike", "interception"})
_DAY_KINDS = (WEEKDAY, ABSOLUTE, PUBLICATION_DAY)
_HISTORY_DAYS = 92  # a month and year older than this is history, not news


# -- 1. claims -------------------------------------------------------------------------------
def attach_claim(clause: Clause, report: Report) -> bool:
    if not clause.claim:
        return False
    match = clause.claim
    actors = rules.find_actors(clause.raw)  # the claimant may stand in the attribution
    claimant = next((a.name for a in actors if a.start < match.start()), None) or next(
        (a.name for a in actors), None
    )
    day = _claim_day(clause, report)
    if claimant:
        _claim_initiator(clause, report, claimant, day)
    if clause.event_places:
        return False  # "X claimed a drone attack on Y on Sunday": the attack itself, too
    if day:
        _claim_dates_undated(clause, report, day, claimant)
    return True


def _claim_day(clause: Clause, report: Report) -> Resolved | None:
    refs = [r for r in clause.refs if r.kind in _DAY_KINDS]
    return resolve(refs[0], report.published, report.anchor) if refs else None


def _claim_initiator(clause: Clause, report: Report, claimant: str, day) -> None:
    kinds = {"attack", "interception", "foiled_attack"}
    eligible = [
        c for c in report.candidates
        if c.event_type in kinds and (c.actor1 is None or c.actor1 in rules.GENERIC_ACTORS)
    ]  # fmt: skip
    if day:
        eligible = [c for c in eligible if c.event_date == day.day]
    elif not clause.claim.group("noun").lower().endswith("s"):
        eligible = eligible[-1:]
    what = clause.claim.group("what").strip()
    for candidate in eligible:
        if candidate.actor2 == claimant:
            continue
        candidate.actor1 = claimant
        candidate.notes.append(f"initiator from the claim: '{what}'")
        _add_evidence(candidate, clause)


def _claim_dates_undated(clause: Clause, report: Report, day: Resolved, claimant) -> None:
    """ "... claimed the attack on Al-Omar, saying it launched it on Feb. 4": the waiting
    event is dated (and placed by the claim when it names the place)."""
    if not report.undated:
        return
    event, places = report.undated.pop()
    dated = replace(event, day=day, dated_by="claim", actor1=event.actor1 or claimant,
                    notes=event.notes + ["date from the claim"])  # fmt: skip
    report.make(dated, places, extra_evidence=[_span(clause)])


# -- 2-4. day, kind, background --------------------------------------------------------------
def resolve_day(clause: Clause, report: Report) -> bool:
    """The most precise of the clause's own time expressions, resolved in order."""
    resolved = {}
    anchor = report.anchor
    for ref in clause.refs:
        day = resolve(ref, report.published, anchor)
        if day:
            resolved[ref] = anchor = day
    if resolved:
        clause.day = resolved[best(list(resolved))]
        clause.dated_by = "text"
    elif clause.days_after:
        _count_back(clause, report)
    elif _opening_day(clause.previous):
        clause.day, clause.dated_by = clause.previous.day, "text"
    return False


def _opening_day(previous: Clause | None) -> bool:
    """ "On March 16, in the hours after dusk, shells struck X": a clause that only gives a
    time (no event, no figures, no statement) opens the sentence for the clause after it."""
    return (
        previous is not None
        and previous.number == 0
        and previous.day is not None
        and not previous.triggers
        and not previous.statement_refs
        and not previous.places
        and not previous.casualties.found
    )


def _count_back(clause: Clause, report: Report) -> None:
    """ "..., a day after 10 people were killed in a strike on the capital": the day of the
    clause before (or the report's day, when it only refers to the event) minus the days."""
    previous = clause.previous.day if clause.previous else None
    base = previous or report.current_day
    if base is not None:
        clause.day = days_before(clause.days_after, base)
        clause.dated_by = "text"


def classify_clause(clause: Clause, report: Report) -> bool:
    clause.kind = classify(clause, _event_type(clause, report))
    if clause.kind != BACKGROUND and clause.day is None and _history(clause, report):
        clause.kind = BACKGROUND
    return False


def _history(clause: Clause, report: Report) -> bool:
    """A clause with no day in a sentence about an earlier year, or one that goes on about it
    ("Days later ...")."""
    sentence = clause.sentence
    years = [int(m.group("year")) for m in rules.HISTORY_YEAR.finditer(sentence.text)]
    old_year = any(year < report.published.year - (report.published.month <= 2) for year in years)
    if old_year or _old_month(sentence.text, report.published):
        report.history_sentence = sentence.index
        return True
    goes_on = rules.VAGUE_LATER.match(sentence.text) or rules.THAT_EVENT.match(sentence.text)
    return bool(goes_on and report.history_sentence == sentence.index - 1)


def _old_month(text: str, published) -> bool:
    """ "at the end of April 2023" in an article of January 2024: a month and year more than
    a quarter before publication."""
    for match in rules.MONTH_YEAR.finditer(text):
        month = datetime.strptime(match.group("month")[:3].title(), "%b").month
        if (published - date(int(match.group("year")), month, 15)).days > _HISTORY_DAYS:
            return True
    return False


def skip_background(clause: Clause, report: Report) -> bool:
    """Background stops here; any other clause's day becomes the anchor for "the next day";
    a clause that dates an event it only refers to ("The latest attack took place on
    Wednesday.") gives the report its day, carried to the places named next."""
    if clause.kind == BACKGROUND:
        return True
    if clause.day is not None:
        report.anchor = clause.day
        if _dates_a_reference(clause):
            report.current_day = clause.day
    return False


def _dates_a_reference(clause: Clause) -> bool:
    return (
        clause.kind != EVENT
        and clause.day.precision == 1
        and bool(clause.triggers)
        and not clause.subordinate
        and not clause.statement_refs
    )


# -- 5. the event ----------------------------------------------------------------------------
def _event_type(clause: Clause, report: Report) -> str | None:
    relative = _relative_actors(clause)
    preliminary = rules.event_type(clause.triggers, clause.text, None)
    actor1, _, _ = roles(clause.text, relative, clause.triggers, preliminary)
    return rules.event_type(clause.triggers, clause.text, actor1)


def _relative_actors(clause: Clause) -> list[rules.ActorMention]:
    return [replace(a, start=a.start - clause.start, end=a.end - clause.start)
            for a in clause.actors]  # fmt: skip


def read_event(clause: Clause, report: Report) -> bool:
    if clause.kind != EVENT:
        return False
    actors = _relative_actors(clause)
    etype = _event_type(clause, report)
    actor1, actor2, notes = roles(clause.text, actors, clause.triggers, etype)
    group = report.group_actor
    if actor2 is None and group and group != actor1 and rules.group_anaphora(clause.text):
        actor2 = group
        notes.append(f"'the group' read as {actor2}")
    clause.event = Event(
        day=clause.day, dated_by=clause.dated_by, event_type=etype,
        weapon=rules.weapon(clause.text, etype), actor1=actor1, actor2=actor2,
        casualties=clause.casualties, evidence=[_span(clause)], notes=notes,
        sentence=clause.sentence,
    )  # fmt: skip
    return False


# -- 6. places -------------------------------------------------------------------------------
def choose_places(clause: Clause, report: Report) -> bool:
    places = clause.event_places
    if clause.stale:  # places after "last week's strike ..." locate the earlier event
        places = [p for p in places if p.start < clause.start + clause.stale.start()]
    report.people |= people_named(clause.sentence.text)
    places = [p for p in places if p.text not in report.people]  # "Omar (a pseudonym)"
    if not places:
        places = _named_again(clause, report)
    clause.chosen = drop_context_places(clause.sentence.text, places)
    if not clause.chosen and clause.kind == EVENT:
        found = anaphoric_place(clause.text, report.places_seen)
        found = found or _pronoun_place(clause, report)
        clause.anaphoric = found or _named_together(clause, report)
    return False


# "both neighbourhoods", "the two villages": the places the text just named together
_BOTH_PLACES = re.compile(
    r"\b(?:both|the\s+two|the\s+three)\s+(?:neighbou?rhoods|districts|villages|towns)\b", re.I
)


def _named_together(clause: Clause, report: Report) -> PlaceMention | None:
    """ "On Monday, both neighbourhoods came under fire": the first of the places a clause
    before named together (towns or their parts, no sites, provinces or relative places)."""
    match = _BOTH_PLACES.search(clause.text)
    if match is None or len(report.listed) < 2:
        return None
    return replace(report.listed[0], start=match.start(), end=match.end(), role="event")


# "It was attacked on ...", "a drone attacked it": the place the sentence before was about
_HIT_VERBS = r"(?:attacked|hit|struck|targeted|shelled|bombed|stormed|raided)"
_IT_HIT = re.compile(
    rf"\b(?:[Ii]t\s+(?:was|had\s+been|has\s+been)\s+(?:\w+ly\s+)?(?:also\s+)?{_HIT_VERBS}"
    rf"|{_HIT_VERBS}\s+it)\b"
)


def _pronoun_place(clause: Clause, report: Report) -> PlaceMention | None:
    """ "Tower 22 is a US base in Jordan. It was attacked on January 28th": an attack verb with
    "it" as what was hit stands for the place that opened the sentence just before."""
    topic = report.topic
    match = _IT_HIT.search(clause.text)
    if match is None or topic is None or topic[0] != clause.sentence.index - 1:
        return None
    return replace(topic[1], start=match.start(), end=match.end(), role="event")


_OPENS_WITH = re.compile(r"^\W*(?:the\s+)?$", re.IGNORECASE)


def _opening_place(clause: Clause) -> PlaceMention | None:
    """The place a sentence opens with ("Tower 22 is ...", "The base was hit ..."): its topic."""
    place = clause.chosen[0] if clause.chosen else clause.anaphoric
    if place is None or not (place.site_level or place.resolved):
        return None
    return place if _OPENS_WITH.match(clause.sentence.text[: place.start]) else None


def _named_again(clause: Clause, report: Report) -> list[PlaceMention]:
    """An event clause that names no place but one the article called a place before."""
    if clause.kind != EVENT:
        return []
    found = named_again(clause.sentence.text, report.unknown_places, clause.places)
    return [p for p in found if clause.start <= p.start < clause.end]


_NEXT_EVENT = re.compile(r"\b(?:when|while|followed|then|another|second|third)\b", re.I)


def drop_context_places(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """A province or containing district ("Anbar province", "the Green Zone") only locates a
    more specific place named with it; a town after "in"/"of" a site only locates the site."""
    regions = [p for p in places if p.region]
    if regions and len(regions) < len(places):
        places = [p for p in places if not p.region]
    out: list[PlaceMention] = []
    for place in places:
        if not _locates_a_site(text, place, out):
            out.append(place)
    return out


def _locates_a_site(text: str, place: PlaceMention, earlier: list[PlaceMention]) -> bool:
    """ "the X base in Erbil": a town after "in"/"of" a site only locates it, and so does any
    known place "near" which a site is said to be ("the X base of the army near Erbil
    airport"), unless another event comes between ("..., followed by an attack on a
    checkpoint in Kalar")."""
    near = bool(_NEAR_TOWN.match(place.text)) and place.resolved
    if not near and (not place.resolved or place.site_id):
        return False
    before = text[max(0, place.start - 12) : place.start].lower()
    if not near and not before.rstrip().endswith((" in", " of", ",", "in the")):
        return False
    return any(
        p.end <= place.start
        and (p.site_level or _FACILITY_NEAR.match(text[p.end : place.start]))
        and _only_locates(text[p.end : place.start], near)
        for p in earlier
    )


# "the X gas factory near the city of Y", "the X mill outside Y": a name the text calls a
# facility, and the known town it stands near (even when a town elsewhere shares its name).
_FACILITY_NEAR = re.compile(
    r"^\s+(?:gas\s+|oil\s+|power\s+|cement\s+|grain\s+)?(?:factory|plant|station|mill|"
    r"silos?|refinery|depot|warehouses?)\b[^.;]{0,70}?\b(?:near|outside)\s+(?:the\s+(?:city|"
    r"town|village)\s+of\s+)?$",
    re.I,
)


def _only_locates(between: str, near: bool) -> bool:
    """No other event between a site and a place after it; and, for "near", no other place
    joined to it ("in the X area and near Y": two places)."""
    if _NEXT_EVENT.search(between):
        return False
    return not (near and re.search(r"\band\b|,", between))


# -- 7. incidents ----------------------------------------------------------------------------
def _same_event(pending: Event, event: Event) -> bool:
    """Two clauses that may report one event: same type, or strikes with no other weapon;
    never two initiators ("forces launched an operation" and "ISIS launched an attack")."""
    kinds = {pending.event_type, event.event_type}
    weapons = {pending.weapon, event.weapon} - {None}
    if pending.actor1 and event.actor1 and pending.actor1 != event.actor1:
        return False
    return len(kinds) == 1 or (kinds <= _STRIKES and len(weapons - {"aircraft"}) <= 1)


def make_incidents(clause: Clause, report: Report) -> bool:
    event = clause.event
    if event is None:
        return False
    if event.day is not None:
        clause.made = _dated(clause, report, event)
        clause.made += _on_listed_days(clause, report, event)
    else:
        clause.made = _undated(clause, report, event)
    separate, known = bool(_OTHER_EVENT.search(clause.text)), refers_back(clause)
    for candidate in clause.made:
        candidate.separate, candidate.refers_back = separate, known and not separate
    first = clause.made[0] if clause.made else None
    if first and first.dated_by == "text" and not clause.subordinate:
        report.current_day = Resolved(first.event_date, first.time_precision, first.date_how)
    return bool(clause.made)


def _on_listed_days(clause: Clause, report: Report, event: Event) -> list[Candidate]:
    """ "On November 9 and 11, the base was attacked": the same places on each listed day."""
    places = list({c.place.key: c.place for c in clause.made}.values())
    days = [resolve(ref, report.published, report.anchor) for ref in clause.listed]
    made = []
    for day in days:
        if places and day is not None and day.day != event.day.day:
            made += report.make(replace(event, day=day), places)
    return made


def _dated(clause: Clause, report: Report, event: Event) -> list[Candidate]:
    if clause.chosen:
        made = report.make(_with_leads_figures(clause, report, event), clause.chosen)
        _absorb_undated(report, made)
        return made
    if clause.anaphoric is not None:
        return report.make(event, [clause.anaphoric])
    previous = clause.previous
    if previous and len(previous.made) == 1 and not clause.continuation:
        return report.make(event, [previous.made[0].place], inferred=True)
    if event.casualties.found and event.day.precision == 1:
        report.dated_figures.append((event.day.day, event.casualties, _span(clause)))
    if clause.subordinate or (report.pending and clause.cause):
        return []
    if clause.continuation and report.undated:
        return []  # it dates the event waiting for a day (date_undated)
    report.pending = [event]
    if clause.sentence.paragraph <= 1 and event.day.precision == 1:
        report.current_day = event.day  # the lead's event gives the report its day
    return []


def _with_leads_figures(clause: Clause, report: Report, event: Event) -> Event:
    """ "A drone strike has killed two fighters, officials said." then "They were killed on
    Saturday near X": a continuation that dates and places the event the lead gave no day of
    its own (only the report's) carries the lead's figures and roles."""
    pending = _pending(clause, report)
    if not clause.continuation or pending is None or pending.dated_by != "report":
        return event
    report.pending.remove(pending)
    return merge_events(event, pending)


def _absorb_undated(report: Report, made: list[Candidate]) -> None:
    """An event waiting for a day, at a place now dated by a later sentence: the same event;
    its figures and evidence join the dated incident."""
    keys = {c.place.key: c for c in made}
    for item in list(report.undated):
        event, places = item
        target = next((keys[p.key] for p in places if p.key in keys), None)
        target = target or next((c for c in made for p in places if _locates(p, c.place)), None)
        if target is None:
            continue
        report.undated.remove(item)
        _fill(target, event.casualties, None)
        target.evidence += [e for e in event.evidence if e not in target.evidence]


def _locates(town: PlaceMention, place: PlaceMention) -> bool:
    """ "strikes on a suburb of Damascus", then "in the Damascus suburb of Kiswah": the town
    named first locates the place named for the dated event."""
    return bool(town.name and not town.site_id and place.name != town.name
                and re.search(rf"\b{re.escape(town.name)}\b", place.text))  # fmt: skip


def _carried(clause: Clause, report: Report, event: Event, places) -> list[Candidate]:
    """The report's day for an event with none of its own, unless it details the day's one
    strike."""
    if _detail_of_the_day(clause, report, event, places):
        return []
    carried = replace(event, day=report.current_day, dated_by="carried",
                      notes=event.notes + ["day carried forward from the report"])  # fmt: skip
    return report.make(carried, places)


def _detail_of_the_day(clause: Clause, report: Report, event: Event, places) -> bool:
    """ "Strikes hit X province on Friday." then "an airstrike targeted the Y base": a clause
    with no day of its own, at places no table has, while the report's day has one strike at
    one coarse place (a province, "south of X"), tells more of that strike: the named spot
    refines the place; its figures fill what the strike lacks. (Not after "another", "also",
    "separate": _MORE_EVENTS.)"""
    day = report.current_day.day
    on_day = [c for c in report.candidates if c.event_date == day]
    if len({c.place.key for c in on_day}) != 1 or on_day[0].separate:
        return False
    target = on_day[0]
    if not _coarse(target.place) or not {target.event_type, event.event_type} <= _STRIKES:
        return False
    unknown = [p for p in places if p.key != target.place.key]
    if not unknown or any(p.resolved or p.region for p in unknown):
        return False
    target.place = located_by(unknown[0], target.place)
    _fill(target, event.casualties, None)
    target.evidence.append(_span(clause))
    return True


def _undated(clause: Clause, report: Report, event: Event) -> list[Candidate]:
    places = clause.chosen
    pending = _pending(clause, report)
    if places and pending and _continues(clause, pending, event):
        merged = merge_events(pending, event, casualties=_figures(pending, event),
                              sentence=clause.sentence)  # fmt: skip
        return report.make(merged, places, extra_evidence=[_span(clause)])
    if places and _carries_day(clause, report):
        return _carried(clause, report, event, places)
    if not places and _lead_perfect(clause):
        return _lead_undated(clause, report, event)
    if clause.statement_refs and _dated_by_statement(clause, report, places):
        return _stated(clause, report, event, places)
    if not places and _loose_figures(clause, report):
        report.loose_figures.append((clause.casualties, _span(clause)))
    if _waits_for_day(clause, places):
        if clause.statement_refs:
            event.stated = _statement_day(clause, report)
        report.undated.append((_with_placeless_lead(clause, report, event), places))
    return []


def _with_placeless_lead(clause: Clause, report: Report, event: Event) -> Event:
    """ "The army announced it killed three militants in an airstrike." then "The strike hit
    hideouts in X.": a continuation that places the event told just before with neither day
    nor place is that event; its figures and roles join it, and it waits for a day."""
    if not (clause.continuation and clause.chosen and report.undated):
        return event
    lead, places = report.undated[-1]
    if places or clause.sentence.index - lead.sentence.index != 1:
        return event
    if not same_block(lead.sentence, clause.sentence) or not _same_event(lead, event):
        return event
    report.undated.pop()
    return merge_events(event, lead)


def _waits_for_day(clause: Clause, places: list[PlaceMention]) -> bool:
    """An event with places and no day waits for a later sentence to date it (not a summary
    in the present perfect); so does the lead's event told with neither ("At least five
    people were killed in a missile strike in central Syria."): the sentences after it may
    date it ("The attack happened on Sunday.") and then place it."""
    if places:
        return not perfect_tense(clause) or _lead_news(clause)
    lead = clause.sentence.paragraph <= 1 and not clause.subordinate
    return lead and clause.event.event_type in _FIGHTING and not perfect_tense(clause)


# "four advisers have been killed in an air strike on Damascus": the lead's news, in the
# present perfect, waiting for its day (not "claimed to have fired": a claim).
_PERFECT_PASSIVE = re.compile(
    r"(?<!\bto\s)\b(?:has|have)\s+been\s+(?:\w+ly\s+)?(?:killed|wounded|injured|hurt|hit|"
    r"struck|targeted|attacked|damaged|destroyed)\b",
    re.I,
)


def _lead_news(clause: Clause) -> bool:
    return clause.sentence.paragraph <= 1 and bool(_PERFECT_PASSIVE.search(clause.text))


# "in two more attacks on the base": a count of other events, none of them the one told
_MORE_EVENTS = re.compile(
    r"\b(?:two|three|four|five|six|\d+)\s+(?:more|other|separate)\s+(?:attacks|strikes)\b", re.I
)


def _continues(clause: Clause, pending: Event, event: Event) -> bool:
    """A clause that goes on about the pending event: a continuation, or the same kind of
    event when the pending one has a precise day; not a count of other events ("in two more
    attacks on the base")."""
    if _MORE_EVENTS.search(clause.text):
        return False
    if clause.continuation:
        return True
    stated = pending.dated_by == "report"  # "..., officials said Monday" waiting for its place
    return (pending.day.precision == 1 or stated) and _same_event(pending, event)


_MANY_TARGETS = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|several|multiple|dozens\s+of)\s+"
    r"(?:\w+\s+)?(?:sites|targets|facilities|locations|bases|positions|fields)\b",
    re.I,
)


def _figures(pending: Event, event: Event):
    """The clause's own figures; the pending event's only when they are not a total over
    several places ("killed 24 in strikes on three sites")."""
    own = event.casualties
    if own.zero_stated or _MANY_TARGETS.search(pending.sentence.text):
        return own
    return merge_figures(own, pending.casualties)


def _pending(clause: Clause, report: Report) -> Event | None:
    """The event still waiting for a place: named in this paragraph or the two before."""
    if not report.pending:
        return None
    pending = report.pending[-1]
    if not same_block(pending.sentence, clause.sentence):
        return None
    return pending if clause.sentence.paragraph - pending.sentence.paragraph <= 2 else None


def same_block(a: Sentence, b: Sentence) -> bool:
    """A photo caption and the body do not complete each other's events: a caption's
    sentences go together only with sentences of the same caption."""
    if a.caption or b.caption:
        return a.caption and b.caption and a.paragraph == b.paragraph
    return True


def _carries_day(clause: Clause, report: Report) -> bool:
    return (
        report.current_day is not None
        and clause.event.event_type in _FIGHTING
        and not rules.SUMMARY.search(clause.text)
        and not _MORE_EVENTS.search(clause.text)
        and not clause.cause
        and not clause.subordinate
        and not perfect_tense(clause)
    )


def _statement_day(clause: Clause, report: Report) -> Resolved | None:
    return resolve(clause.statement_refs[0], report.published, report.anchor)


def _dated_by_statement(clause: Clause, report: Report, places: list[PlaceMention]) -> bool:
    """An event with no day of its own whose statement is dated: in the lead with no place
    yet; when the report has no event day at all ("IRNA on December 25 reported that he was
    killed ... hours ago in X"); or when the statement is older than the report's event ("On
    July 3, authorities said a drone was downed near the airport": an earlier event)."""
    if not places and clause.sentence.paragraph <= 1:
        return True
    if report.current_day is None or rules.SUMMARY.search(clause.text):
        return False
    day = _statement_day(clause, report)
    return day is not None and day.day < report.current_day.day


def _stated(clause: Clause, report: Report, event: Event, places=()) -> list[Candidate]:
    """ "Several US personnel were injured in a rocket attack at a base in Iraq, officials said
    Monday": no day of its own, so the statement's day, within a week; it waits for a place,
    unless it names one or stands for one already named ("On November 17, X reported that a
    drone hit it")."""
    ref = clause.statement_refs[0]
    day = _statement_day(clause, report)
    if day is None:
        return []
    event.day = Resolved(day.day, 2, f"not given: the day of the statement ('{ref.text}')")
    event.dated_by = "report"
    named = list(places) or ([clause.anaphoric] if clause.anaphoric is not None else [])
    if named:  # its own report's day, not one of an event told again
        return report.make(replace(event, dated_by="statement"), named)
    report.pending = [event]
    return []


def _lead_perfect(clause: Clause) -> bool:
    return clause.sentence.paragraph <= 1 and bool(rules.PRESENT_PERFECT.search(clause.text))


def _lead_undated(clause: Clause, report: Report, event: Event) -> list[Candidate]:
    """ "Security forces have prevented several attacks" (lead, present perfect, no day):
    dated by the statement that reported it, within a month; the next clause places it."""
    event.day, event.dated_by = report.report_day(), "report"
    report.pending.append(event)
    return []


# -- 8-9. pending and undated events ---------------------------------------------------------
def place_pending(clause: Clause, report: Report) -> bool:
    pending = _pending(clause, report)
    if clause.kind != PLACES or not clause.chosen or pending is None:
        return False
    refers = clause.continuation or bool(clause.triggers) or _same_day(clause, pending)
    if not refers and pending.sentence.index < clause.sentence.index - 2:
        return False  # places named later only continue an event named just before
    dated = _on_clause_day(clause, pending)
    if dated is None:
        return False  # "... in April 2023, when an IED went off in Kirkuk": another time
    if dated is not pending:  # the report's day, now the day the text gives: for all of it
        report.pending = [dated if e is pending else e for e in report.pending]
        report.current_day = clause.day
        redate_reported(clause, report)
    pending = dated
    empty = Event(None, "", pending.event_type, None, None, None, clause.casualties, [], [],
                  clause.sentence)  # fmt: skip
    merged = merge_events(pending, empty, sentence=clause.sentence)
    clause.made = report.make(merged, clause.chosen, extra_evidence=[_span(clause)])
    return True


def _same_day(clause: Clause, pending: Event) -> bool:
    """ "Thursday's operation began east of X": a place told with the waiting event's own day
    (and "the site of the attack": with a trigger) goes on about it, however far below."""
    day, own = clause.day, pending.day
    return bool(day and own and day.precision == 1 and own.precision == 1 and day.day == own.day)


def _on_clause_day(clause: Clause, pending: Event) -> Event | None:
    """The pending event as a clause that places it dates it: on its own day, or, when the
    text gave it none (only the statement's, "the Pentagon said Thursday"), on the day of a
    continuation that tells it ("The attack happened Tuesday near X"); None when the clause
    is about another day."""
    if clause.day is None or pending.day is None or clause.day.day == pending.day.day:
        return pending
    told = clause.continuation and pending.dated_by == "report" and clause.day.precision == 1
    if not told or clause.day.day > pending.day.day:
        return None
    notes = pending.notes + ["date from a later sentence that goes on reporting it"]
    return replace(pending, day=clause.day, dated_by="text", notes=notes)


_TOOK_PLACE = re.compile(r"\b(?:took\s+place|occurred|happened|was\s+carried\s+out)\b", re.I)


def refine_place(clause: Clause, report: Report) -> bool:
    """ "The attack took place near the town of al-Shoula": a clause that only places an event
    made just before at a province or a relative place places it more precisely (the merge
    keeps the more specific place; one the gazetteer lacks takes the province's point)."""
    last = _refined(clause, report)
    if last is None:
        return False
    day = Resolved(last.event_date, last.time_precision, last.date_how)
    event = Event(day, last.dated_by, last.event_type, last.weapon, last.actor1, last.actor2,
                  _higher(Casualties(last.killed, last.wounded), clause.casualties),
                  list(last.evidence),
                  last.notes + ["place from a later sentence about the same event"],
                  clause.sentence)  # fmt: skip
    places = [p if p.resolved or p.relative else located_by(p, last.place) for p in clause.chosen]
    clause.made = report.make(event, places, extra_evidence=[_span(clause)])
    return True


def _higher(told: Casualties, update: Casualties) -> Casualties:
    """Of two tolls for one event, the higher of each ("killed nine", then "the toll of the
    strike has risen to 12"), as when two readings of one event merge."""

    def pick(a, b):
        return b if a is None else a if b is None else max(a, b)

    return Casualties(pick(told.killed, update.killed), pick(told.wounded, update.wounded))


def _refined(clause: Clause, report: Report) -> Candidate | None:
    """The event a "took place" clause places: the one just before, at a coarse place."""
    if clause.kind != PLACES or not clause.chosen or clause.made or not refers_back(clause):
        return None
    if not (_TOOK_PLACE.search(clause.text) or _NOUN_AT_PLACE.search(clause.text)):
        return None  # "this is the first such strike in the capital": a comparison
    last = _single_event(report.last_group)
    if last is None or not _coarse(last.place) or clause.sentence.index - last.sentence > 2:
        return None
    if clause.day is not None and clause.day.day != last.event_date:
        return None
    same = same_block(report.article.sentences[last.sentence], clause.sentence)
    return last if same else None


def _coarse(place: PlaceMention) -> bool:
    """A province, a relative place, or a place given by a town it is near ("near Aleppo")."""
    near = _NEAR_TOWN.match(place.text) and not place.site_id
    return place.region or bool(place.relative) or place.geo_precision == 3 or bool(near)


_NEAR_TOWN = re.compile(r"(?:near|outside|close\s+to|on\s+the\s+outskirts\s+of)\s", re.I)
# "The death toll of the strike on a factory in X", "during the raid in the village of X": the
# event just reported, named by a definite noun, at a place (not "the first such strike in
# X": a comparison)
_NOUN_AT_PLACE = re.compile(
    r"\b(?:the|this|that)\s+(?:(?!(?:first|such|only|latest|last|deadliest|biggest|"
    r"largest|most)\b)[\w\-]+\s+){0,2}?(?:strike|airstrike|attack|raid|bombing|"
    r"explosion|blast|shelling)s?\s+(?:on|in|at|against|targeting)\s",
    re.I,
)


def date_undated(clause: Clause, report: Report) -> bool:
    """A continuation that gives a day dates the event waiting for one ("The strikes took
    place late Sunday night"; "the latest airstrikes occurred on Thursday in Arman", whose
    places, more specific, replace the waiting event's)."""
    if not _dates_the_waiting(clause, report):
        return False
    first, places = report.undated.pop()
    report.pending = [e for e in report.pending if e is not clause.event]
    later = clause.event or Event(None, "", first.event_type, None, None, None,
                                  clause.casualties, [], [], clause.sentence)  # fmt: skip
    dated = merge_events(first, later, day=clause.day, dated_by=clause.dated_by,
                         notes=first.notes + ["date from a later sentence that goes on "
                                              "reporting it"])  # fmt: skip
    if later.casualties.found:
        dated = replace(dated, casualties=later.casualties)
    places = _within(clause.chosen, places) or places
    if not places:  # "The attack happened on Sunday.": now it waits for its place
        dated.evidence.append(_span(clause))
        report.pending = [dated]
        return True
    clause.made = report.make(dated, places, extra_evidence=[_span(clause)])
    return True


def _within(parts: list[PlaceMention], towns: list[PlaceMention]) -> list[PlaceMention]:
    """ "the attack took place in the Mazzeh neighbourhood" after a strike "in Damascus": a part
    the gazetteer does not know, placed at the one town the waiting event named."""
    resolved = {t.key: t for t in towns if t.resolved and not t.site_id and not t.region}
    if len(resolved) != 1:
        return parts
    (town,) = resolved.values()
    return [located_by(p, town) if p.subplace and not p.resolved else p for p in parts]


def redate_reported(clause: Clause, report: Report) -> bool:
    """ "The strikes occurred late yesterday": a continuation that gives a precise day and no
    event of its own dates the incidents just made with the report's day (the lead gave
    none); later places carry it."""
    if not _redates(clause):
        return False
    day, index = clause.day, clause.sentence.index
    targets = [c for c in report.last_group
               if c.dated_by == "report" and 0 < index - c.sentence <= 2]  # fmt: skip
    for candidate in targets:
        candidate.event_date, candidate.time_precision = day.day, day.precision
        candidate.date_how, candidate.dated_by = day.how, "text"
        candidate.notes.append("date from a later sentence that goes on reporting it")
        _add_evidence(candidate, clause)
    if targets:
        report.current_day = day
        report.pending = [replace(e, day=day, dated_by="text") if e.dated_by == "report" else e
                          for e in report.pending]  # fmt: skip
    return False


def _redates(clause: Clause) -> bool:
    """A clause with a precise day that goes on about the event just told: a continuation
    ("The strikes occurred late yesterday") or a clause that tells it again ("The United
    States carried out the strikes on Friday")."""
    day = clause.day
    if day is None or day.precision != 1 or clause.made or clause.subordinate:
        return False
    if clause.event is not None and not refers_back(clause):
        return _retells_placeless(clause)
    return clause.continuation or tells_known_event(clause)


def _dates_the_waiting(clause: Clause, report: Report) -> bool:
    """Whether a clause with a day goes on about the latest event waiting for one."""
    if not report.undated or clause.day is None or clause.made:
        return False
    refers = clause.continuation or (clause.kind == PLACES and bool(clause.triggers))
    refers = refers or _retells_waiting(clause, report)
    if not refers or rules.SUMMARY.search(clause.text):
        return False
    first = report.undated[-1][0]
    if clause.event is not None and not _same_event(first, clause.event):
        return False
    return bool(same_block(first.sentence, clause.sentence))


def _retells_waiting(clause: Clause, report: Report) -> bool:
    """A placeless retelling (below) in the sentence right after the placed event waiting for
    a day."""
    if clause.event is None or not _retells_placeless(clause):
        return False
    first, places = report.undated[-1]
    return bool(places) and clause.sentence.index - first.sentence.index == 1


def _retells_placeless(clause: Clause) -> bool:
    """ "In a statement, the army said jets carried out an airstrike on hideouts early
    yesterday": an event of the kind just told, with a day and no place of its own, and no
    word of another event, tells that event's day (its place was the sentence before)."""
    if clause.chosen or clause.anaphoric is not None or clause.event_places:
        return False
    text = clause.text
    return clause.event.event_type in _FIGHTING and not (
        _OTHER_EVENT.search(text)
        or _MORE_EVENTS.search(text)
        or rules.SUMMARY.search(text)
        or _MANY_TARGETS.search(text)
    )


# -- 10. casualties --------------------------------------------------------------------------
def attach_casualties(clause: Clause, report: Report) -> bool:
    figures = clause.casualties
    if clause.made or not (figures.found or figures.zero_stated):
        return False
    if clause.stale:
        return True
    target = _casualty_target(clause, report)
    if target is None and clause.day is None:
        _fill_waiting(clause, report)
        return True
    if target is None or (clause.day is not None and clause.day.day != target.event_date):
        return True  # figures of an event on another day are not this incident's
    if not same_block(report.article.sentences[target.sentence], clause.sentence):
        return True
    victim = clause.event.actor2 if clause.event else _first_actor(clause)
    if _fill(target, figures, victim, higher=_goes_on(clause, target)):
        _add_evidence(target, clause)
    return True


def _goes_on(clause: Clause, target: Candidate) -> bool:
    """A clause right after the incident's (within two sentences) that goes on telling it,
    not a summary ("these attacks have killed 101 since ...")."""
    close = 0 < clause.sentence.index - target.sentence <= 2
    own_place = bool(clause.places) or bool(countries_in(clause.text))  # "... in Syria"
    return close and not own_place and not perfect_tense(clause)


def _fill_waiting(clause: Clause, report: Report) -> None:
    """ "19 others were injured in this incident.": figures right after an event still waiting
    for its day and place (no incident yet) are that event's; "the strikes in X wounded 13":
    figures told of the one place of events still waiting for their day are theirs."""
    keys = {p.key for p in clause.chosen}
    at_place = [e for e, places in report.undated if {p.key for p in places} == keys]
    if keys and at_place and refers_back(clause):  # one place: its readings merge later
        _add_waiting_figures(at_place[0], clause)
        return
    if not report.undated or report.candidates:
        return
    event, places = report.undated[-1]
    if places or clause.sentence.index - event.sentence.index > 1:
        return
    _add_waiting_figures(event, clause)


def _add_waiting_figures(event: Event, clause: Clause) -> None:
    own, more = event.casualties, clause.casualties
    killed = own.killed if own.killed is not None else more.killed
    wounded = own.wounded if own.wounded is not None else more.wounded
    event.casualties = Casualties(killed, wounded)
    event.evidence.append(_span(clause))


def _first_actor(clause: Clause) -> str | None:
    """The people a figure counts ("One Iraqi soldier was wounded"): the clause's actor."""
    return clause.actors[0].name if clause.actors else None


def _casualty_target(clause: Clause, report: Report) -> Candidate | None:
    if clause.chosen:
        keys = {p.key for p in clause.chosen}
        targets = [c for c in report.candidates if c.place.key in keys]
        if len(targets) > 1:
            targets = [c for c in targets if c.paragraph == clause.sentence.paragraph][-1:]
        return targets[0] if len(targets) == 1 else None
    anaphoric = anaphoric_place(clause.text, report.places_seen)
    if anaphoric is not None:
        targets = [c for c in report.candidates if c.place.key == anaphoric.key][-1:]
        return targets[0] if targets else None
    return _last_incident(clause, report)


def _last_incident(clause: Clause, report: Report) -> Candidate | None:
    """The single incident of the sentence group just before, in this paragraph or the one
    before when no other place was named since; or, further on, the report's only incident
    when the figures name no day and no other event ("At least one Iraqi soldier was
    wounded" three paragraphs after the one attack the report is about)."""
    last = _single_event(report.last_group)
    if last is None:
        return None
    paragraph = clause.sentence.paragraph
    next_paragraph = last.paragraph == paragraph - 1 and report.last_place_sentence <= last.sentence
    if last.paragraph == paragraph or clause.continuation or next_paragraph:
        return last
    only = {c.key() for c in report.candidates} == {c.key() for c in report.last_group}
    if only and not clause.refs and not _OTHER_EVENT.search(clause.text):
        return last
    return None


def _single_event(group: list[Candidate]) -> Candidate | None:
    """The one event a sentence group reports: its only incident, or a part of a town the
    gazetteer does not know read with that town ("the al-Mashtal neighbourhood of east
    Baghdad"), one event the merge joins later."""
    if len(group) <= 1:
        return group[0] if group else None
    first = group[0]
    same = all(
        (c.event_date, c.event_type, c.sentence)
        == (first.event_date, first.event_type, first.sentence)
        for c in group
    )
    parts = [c for c in group if c.place.subplace and not c.place.resolved]
    towns = [c for c in group if c.place.resolved and not c.place.site_id]
    one_town = len(towns) == 1 and len(parts) + 1 == len(group)
    return parts[0] if same and one_town else None


# "In a separate attack ...", "an earlier strike ...": figures of another event.
_OTHER_EVENT = re.compile(
    r"\b(?:separate|another|other|earlier|previous|prior|second|similar)\s+(?:\w+\s+)?"
    r"(?:attacks?|strikes?|incidents?|raids?|bombings?)\b",
    re.I,
)


def _fill(target: Candidate, figures, victim: str | None, higher: bool = False) -> bool:
    """What the incident lacks; with `higher`, a higher figure too: of two tolls told for one
    event ("more than a dozen wounded", then "another 15 were wounded"; "killed a commander",
    then "he was killed along with his two sons"), the higher, as when readings merge."""
    changed = False
    for name in ("killed", "wounded"):
        value, own = getattr(figures, name), getattr(target, name)
        if value is not None and (own is None or (higher and value > own)):
            setattr(target, name, value)
            changed = True
    if victim and target.actor2 is None and victim != target.actor1:
        target.actor2 = victim
        changed = True
    return changed


# -- helpers ---------------------------------------------------------------------------------
def _span(clause: Clause) -> tuple[int, int]:
    return (clause.sentence.start, clause.sentence.end)


def _add_evidence(candidate: Candidate, clause: Clause) -> None:
    if _span(clause) not in candidate.evidence:
        candidate.evidence.append(_span(clause))


def note_sentence(clauses: list[Clause], report: Report) -> None:
    """After a sentence: the places it named, its incidents, the last group named."""
    made = [c for clause in clauses for c in clause.made]
    for clause in clauses:
        _note_clause(clause, report)
    if any(clause.places for clause in clauses):
        report.last_place_sentence = clauses[0].sentence.index
    opening = _opening_place(clauses[0]) if clauses else None
    if opening is not None:
        report.topic = (clauses[0].sentence.index, opening)
    if made:
        report.last_group = made


def _note_clause(clause: Clause, report: Report) -> None:
    """The places a clause chose (known, and unknown by name) and the last group named."""
    report.places_seen += [p for p in clause.chosen if p.site_level or p.resolved]
    together = [p for p in clause.chosen if not (p.site_id or p.region or p.relative)]
    if len(together) >= 2:
        report.listed = together
    report.unknown_places += [p for p in clause.chosen if _bare_unknown(p)]
    for mention in clause.actors:
        if mention.name not in _US_SIDE and not mention.generic:
            report.group_actor = mention.name


def _bare_unknown(place: PlaceMention) -> bool:
    """An unknown place named by its name alone ("al-Dahla"), long enough to find again."""
    name = place.text
    return not place.resolved and not place.relative and len(name) >= 4 and name[:1].isalpha()


def finish(report: Report) -> None:
    """Events never dated: those of the lead, or any when the report gives no event day at
    all, take the day of the statement or of publication, within a week."""
    no_day = report.current_day is None and not report.candidates
    detailed = _detailed_summaries(report.undated)
    stated = next((e for e, _ in report.undated if e.stated is not None), None)
    for number, (event, places) in enumerate(report.undated):
        if event.event_type not in _FIGHTING or not (no_day or event.sentence.paragraph <= 1):
            continue
        if number in detailed:
            continue
        day = _own_statement(event) or _own_statement(stated) or report.report_day()
        dated = replace(event, day=Resolved(day.day, 2, "not given: " + day.how.split(": ")[-1]),
                        dated_by="report")  # fmt: skip
        report.make(dated, places)
    report.undated.clear()
    _fill_only_incident(report)


def _loose_figures(clause: Clause, report: Report) -> bool:
    """ "Four people were killed in the Iranian strikes.": figures of the event the report
    is about, named by a definite noun, with no day, place or other event of their own (nor
    right after a tally)."""
    return (
        clause.casualties.found
        and not _after_summary(clause, report)
        and refers_back(clause)
        and not clause.subordinate
        and not clause.stale
        and not _OTHER_EVENT.search(clause.text)
        and not countries_in(clause.text)  # "... in the strikes in Syria": another count
    )


def _after_summary(clause: Clause, report: Report) -> bool:
    """ "So far this year the group has carried out 50 attacks. These attacks have killed 101":
    figures right after a tally are the tally's, not the report's one incident's."""
    index = clause.sentence.index
    return index > 0 and bool(rules.SUMMARY.search(report.article.sentences[index - 1].text))


def _fill_only_incident(report: Report) -> None:
    """Loose figures fill what the report's one incident (one day, one place) lacks (and
    raise a lower toll); figures told with a day and no place ("following the May 6 ambush
    in which three were killed"), what the one incident of that day lacks."""
    events = {(c.event_date, c.place.key) for c in report.candidates}
    if len(events) == 1:
        for figures, span in report.loose_figures:
            _fill_all(report.candidates, figures, span, higher=True)
    for day, figures, span in report.dated_figures:
        on_day = [c for c in report.candidates if c.event_date == day and c.time_precision == 1]
        if len({c.place.key for c in on_day}) == 1:
            _fill_all(on_day, figures, span, higher=False)


def _fill_all(candidates: list[Candidate], figures, span, *, higher: bool) -> None:
    for candidate in candidates:
        if _fill(candidate, figures, None, higher=higher) and span not in candidate.evidence:
            candidate.evidence.append(span)


def _own_statement(event: Event | None) -> Resolved | None:
    """ "IRNA on December 25 reported that he was killed in X hours ago": the day its own
    sentence's statement gives, the nearest bound the report has for it (and for the events
    of a report whose only day is that statement's)."""
    if event is None or event.stated is None:
        return None
    return Resolved(event.stated.day, 2, "not given: the day of its statement")


def _detailed_summaries(undated: list[tuple[Event, list[PlaceMention]]]) -> set[int]:
    """ "Drones attacked three oil fields in the Zakho area", then a sentence for each field:
    the count's area only sums up the places the next sentences name (indexes of such)."""
    out = set()
    for number, (event, _) in enumerate(undated):
        if not _MANY_TARGETS.search(event.sentence.text):
            continue
        later = [e for e, places in undated[number + 1 :] if places and _same_event(event, e)]
        if any(0 < e.sentence.index - event.sentence.index <= 2 for e in later):
            out.add(number)
    return out


STEPS = (
    attach_claim, resolve_day, classify_clause, skip_background, read_event,
    choose_places, make_incidents, place_pending, refine_place, date_undated,
    redate_reported, attach_casualties,
)  # fmt: skip
