"""Article text -> candidate incidents (canonical schema + evidence + confidence).

The extractor reads the body sentence by sentence, in order, keeping a little state:
- the *anchor*: the day of the last time expression read ("the following day" counts from it);
- a *pending* event: a dated report with no specific place ("US bombers struck targets in Iraq
  and Syria on Friday") that the next sentence may place ("The strikes hit sites near Al Qaim
  ..."; "The targets were Ain Al Asad, ..."; an undated clause of the same kind, "B-1 bombers
  struck depots near Al-Qaim and Abu Kamal": one incident per place). A clause after "in
  retaliation for" names the earlier cause and does not replace the pending event;
- the incidents made so far, so that follow-up sentences add their casualty figures
  ("There were no casualties.", "... were killed in the Al Qaim area") and claims fill the
  initiator ("The Islamic Resistance in Iraq claimed the attack").
A clause becomes an incident when it reports an event (trigger word), names a specific place
(a site or town, not only a country) and has a date. An undated clause counts only in the lead
paragraphs, in the present perfect ("have prevented several attacks"): it is dated by the
statement that reported it (or the publication date) with time_precision 3. Undated clauses
with history or summary cues ("since", "more than 160 times", "the war") never count, nor
do clauses dated only to a week or month that summarise a campaign ("has carried out several
rounds of strikes since October, including raids last month near X").
An earlier event the article treats as known ("last week's strike in X", "the earlier
strike on X", "..., already reported, ...") is background: places after the reference are that
event's, its casualty figures join nothing, and the clause counts only with a day of its own
("on Monday"; never with "already reported"). An undated event with a place ("Rockets were fired
overnight at X") is dated by the next sentence when that one goes on reporting it ("The barrage
struck early Thursday") and names no place of its own.
A province ("Hasakah province", "the province of Anbar") only locates a more specific place
named in the same clause. Casualty figures with no place of their own join the last incident
in the same paragraph, or in the next one when no other place was named in between.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from dashboard.errors import AtlasError
from dashboard.ingest import rules
from dashboard.ingest.article import Article, Sentence, html_to_text, looks_like_html, read_article
from dashboard.ingest.dates import (
    ABSOLUTE,
    PUBLICATION_DAY,
    WEEKDAY,
    Resolved,
    TimeRef,
    best,
    find_time_refs,
    resolve,
)
from dashboard.ingest.numbers import Casualties, casualties
from dashboard.ingest.places import PlaceMention, anaphoric_place, find_places
from dashboard.schema import COLUMNS, parse_incidents

EXTRA_COLUMNS = ("evidence", "confidence")
_US_SIDE = frozenset(
    {"United States Armed Forces", "US-led coalition", "Iraqi Security Forces",
     "Kurdistan Region Security Forces", "Syrian Democratic Forces", "Jordanian Armed Forces"}
)  # fmt: skip
_REPORT_DATE = re.compile(
    r"\b(?:said|told|announced|stated|added|reported)\b[^.“”\"]{0,90}?"
    r"\b(?:on\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b)"
)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$|\bcame\s+under\s*$", re.I
)
_AGENT_BEFORE = re.compile(
    r"(?<!used )(?<!operated )(?<!run )(?<!held )(?<!controlled )"
    r"(?<!backed )(?<!supported )(?<!owned )\bby\s+(?:the\s+)?$",
    re.I,
)
_WHEN = re.compile(r"\bwhen\b", re.I)
_IN_BEFORE = re.compile(r"(?:\bin|\bof|,)\s+(?:the\s+)?$", re.I)


# A clause after "in retaliation for" names the earlier event that caused the one before it.
_CAUSE = re.compile(r"\b(?:response|retaliation|reply)\s+(?:to|for)\s+$", re.I)
_STRIKES = frozenset({"attack", "airstrike"})


def _same_event(pending: _Event, event: _Event) -> bool:
    """An undated clause that goes on reporting the pending event ("B-1 bombers struck ... near
    Al-Qaim" after "US forces carried out air strikes late on Friday ... in Iraq and Syria")."""
    if event.day is not None or event.event_type is None:
        return False
    kinds = {pending.event_type, event.event_type}
    return len(kinds) == 1 or kinds <= _STRIKES


_REGION_WORD = re.compile(r"\b(?:province|governorate)$", re.I)
_REGION_BEFORE = re.compile(r"\b(?:province|governorate)\s+of\s+(?:the\s+)?$", re.I)


def _is_region(text: str, place: PlaceMention) -> bool:
    """ "Hasakah province", "Anbar governorate", "the province of Anbar": a region, not a site."""
    if place.site_id:
        return False
    return bool(
        _REGION_WORD.search(place.text)
        or _REGION_BEFORE.search(text[max(0, place.start - 30) : place.start])
    )


class NoPublicationDate(AtlasError, ValueError):
    """The article has no date to resolve 'on Monday' against; the message says what to do."""


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
    dated_by: str = "text"  # text | inherited | report
    fanned_out: bool = False
    sentence: int = 0
    paragraph: int = 0

    def key(self) -> tuple:
        return (self.event_date, self.place.key, self.event_type)


@dataclass
class _Event:
    """An event read from one clause, before it is tied to its place(s)."""

    day: Resolved | None
    dated_by: str
    event_type: str
    weapon: str | None
    actor1: str | None
    actor2: str | None
    casualties: Casualties
    evidence: list[tuple[int, int]]
    notes: list[str]
    sentence: Sentence


def _roles(
    text: str, actors: list[rules.ActorMention], triggers: list[rules.Trigger], etype: str | None
) -> tuple[str | None, str | None, list[str]]:
    """(actor1, actor2, notes) of a clause: initiator and target."""
    if not actors:
        return None, None, []
    main = next((t for t in triggers if t.event_type == etype), triggers[0] if triggers else None)
    pivot = main.start if main else len(text)
    passive = bool(main) and bool(_PASSIVE_BEFORE.search(text[:pivot]))
    initiators: list[rules.ActorMention] = []
    targets: list[rules.ActorMention] = []
    others: list[rules.ActorMention] = []
    for mention in actors:
        before = text[max(0, mention.start - 25) : mention.start]
        if _AGENT_BEFORE.search(before):
            initiators.append(mention)
        elif mention.start < pivot and _WHEN.search(text[mention.end : pivot]):
            targets.append(mention)  # "two US soldiers were hurt when drones struck the base"
        elif mention.start < pivot:
            (targets if passive else initiators).append(mention)
        else:
            targets.append(mention)
    notes = []
    if etype == "interception":
        # Those who intercept are the target's side; the attacker is named by "by" or a claim.
        by = [m for m in actors if _AGENT_BEFORE.search(text[max(0, m.start - 25) : m.start])]
        targets = [m for m in initiators + targets if m not in by]
        initiators = by
    elif etype == "foiled_attack":
        preventers = [m for m in initiators if m.start < pivot]
        initiators = [m for m in initiators if m.start >= pivot]
        if preventers:
            notes.append(f"prevented by {preventers[0].name}")
    elif etype == "clash":
        ordered = [m for m in actors]
        initiators, targets = ordered[:1], ordered[1:]

    def pick(mentions: list[rules.ActorMention], exclude: str | None) -> str | None:
        names = [m.name for m in mentions if m.name != exclude]
        specific = [n for n in names if n not in rules.GENERIC_ACTORS]
        return (specific or names or [None])[0]

    actor1 = pick(initiators, None)
    actor2 = pick(targets + others, actor1)
    return actor1, actor2, notes


class _Extractor:
    def __init__(self, article: Article):
        self.article = article
        self.published = article.published
        self.masked = rules.mask_quotes(article.text)
        self.anchor: Resolved | None = None
        self.pending: _Event | None = None
        self.candidates: list[Candidate] = []
        self.last_group: list[Candidate] = []
        self.places_seen: list[PlaceMention] = []
        self.last_group_actor: str | None = None
        self._report_day: Resolved | None = None
        self._last_place_sentence = -1  # the last sentence that named a place
        # An event with a place but no date, that the next sentence may date ("Rockets were
        # fired overnight at X ..." then "The barrage struck early Thursday ...").
        self.undated: tuple[_Event, list[PlaceMention]] | None = None

    # -- dates ----------------------------------------------------------------------------
    def report_day(self) -> Resolved:
        """The day of the first dated statement ("told ... in an interview on Saturday")."""
        if self._report_day is None:
            for sentence in self.article.sentences:
                text = self.masked[sentence.start : sentence.end]
                match = _REPORT_DATE.search(text)
                if not match:
                    continue
                ref = best(find_time_refs(match.group(0)))
                day = resolve(ref, self.published, None) if ref else None
                if day:
                    self._report_day = Resolved(
                        day.day,
                        3,
                        f"not given: the day it was reported ({ref.text}), within a month",
                    )
                    break
            else:
                self._report_day = Resolved(
                    self.published, 3, "not given: the publication date, within a month"
                )
        return self._report_day

    def _date_clause(self, refs: list[TimeRef]) -> Resolved | None:
        """Resolve a clause's expressions in order; the clause's day is the most precise one."""
        resolved: dict[TimeRef, Resolved] = {}
        anchor = self.anchor
        for ref in refs:
            day = resolve(ref, self.published, anchor)
            if day:
                resolved[ref] = day
                anchor = day
        if not resolved:
            return None
        chosen = resolved[best(list(resolved))]
        self.anchor = chosen
        return chosen

    # -- main loop --------------------------------------------------------------------------
    def run(self) -> list[Candidate]:
        for sentence in self.article.sentences:
            self._sentence(sentence)
        return self._deduplicated()

    def _sentence(self, sentence: Sentence) -> None:
        pending, self.pending = self.pending, None
        undated, self.undated = self.undated, None
        quoted_out = self.masked[sentence.start : sentence.end]
        text = rules.mask_attribution(quoted_out)
        refs = find_time_refs(text)
        actors = rules.find_actors(text)
        places = find_places(text, blocked=[(a.start, a.end) for a in actors])
        if rules.claim(quoted_out):
            self._claim(quoted_out, rules.find_actors(quoted_out), refs, sentence)
            self._date_clause(refs)
            return
        created_here: list[Candidate] = []
        previous_clause: tuple[_Event, list[Candidate]] | None = None
        continuation = bool(rules.CONTINUATION.match(text))
        for start, end in rules.clause_spans(text):
            clause = text[start:end]
            c_refs = [r for r in refs if start <= r.start < end]
            c_actors = [a for a in actors if start <= a.start < end]
            c_places = [p for p in places if start <= p.start < end and p.role == "event"]
            c_places = self._drop_context_towns(text, c_places)
            stale = rules.EARLIER_EVENT.search(clause)
            if stale:  # places after "last week's strike ..." locate the earlier event
                c_places = [p for p in c_places if p.start < start + stale.start()]
            triggers = rules.find_triggers(clause)
            day = self._date_clause(c_refs)
            dated_by = "text" if day else None
            if day is None and previous_clause and previous_clause[0].day is not None:
                day, dated_by = previous_clause[0].day, "inherited"
            event = self._event(sentence, clause, start, c_actors, triggers, day, dated_by)
            event.casualties = casualties(quoted_out[start:end])
            made: list[Candidate] = []
            background = (bool(rules.BACKGROUND.search(clause)) and dated_by != "text") or (
                day is not None and day.precision >= 2 and bool(rules.SUMMARY.search(clause))
            )
            known = bool(rules.ALREADY_REPORTED.search(clause)) or bool(
                stale and (dated_by != "text" or day.precision >= 2)
            )  # an earlier event the article treats as known: its figures are not news either
            background = background or known
            huge = any((n or 0) >= 500 for n in (event.casualties.killed, event.casualties.wounded))
            lead_undated = (
                day is None
                and sentence.paragraph <= 1
                and bool(rules.PRESENT_PERFECT.search(clause))
                and not background
            )
            if event.event_type and not background and not huge and (day or lead_undated):
                if day is None:
                    event.day, event.dated_by = self.report_day(), "report"
                anaphoric = None if c_places else anaphoric_place(clause, self.places_seen)
                if c_places:
                    made = self._make(event, c_places)
                elif anaphoric is not None and day is not None:
                    made = self._make(event, [anaphoric])
                elif undated and continuation and not places and dated_by == "text":
                    made = self._dated_later(undated, event, sentence)
                elif previous_clause and len(previous_clause[1]) == 1 and not continuation:
                    made = self._make(event, [previous_clause[1][0].place], inferred=True)
                elif event.day is not None and not (self.pending and _CAUSE.search(text[:start])):
                    self.pending = event
            elif (
                pending
                and c_places
                and (continuation or not triggers or _same_event(pending, event))
                and not huge
            ):
                made = self._from_pending(pending, event, c_places, sentence)
            if not made and not known and (event.casualties.found or event.casualties.zero_stated):
                self._merge_casualties(event, c_places, clause, sentence)
            if (
                not made
                and event.event_type
                and day is None
                and c_places
                and not background
                and not huge
            ):
                self.undated = (event, c_places)
            created_here += made
            previous_clause = (event, made)
            self.places_seen += [p for p in c_places if p.site_level or p.resolved]
        if places:
            self._last_place_sentence = sentence.index
        if created_here:
            self.last_group = created_here
        for mention in actors:
            if mention.name not in _US_SIDE and not mention.generic:
                self.last_group_actor = mention.name

    # -- pieces ---------------------------------------------------------------------------
    @staticmethod
    def _drop_context_towns(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
        """A town after "in"/"of" a site named earlier in the clause only locates that site;
        a province ("Hasakah province", "the province of Anbar") only locates the more
        specific place named in the same clause."""
        regions = [p for p in places if _is_region(text, p)]
        if regions and len(regions) < len(places):
            places = [p for p in places if p not in regions]
        out: list[PlaceMention] = []
        for place in places:
            is_town = place.resolved and not place.site_id
            after_site = any(p.site_level and p.end <= place.start for p in out)
            if (
                is_town
                and after_site
                and _IN_BEFORE.search(text[max(0, place.start - 12) : place.start])
            ):
                continue
            out.append(place)
        return out

    def _event(self, sentence, clause, offset, actors, triggers, day, dated_by) -> _Event:
        relative = [replace(a, start=a.start - offset, end=a.end - offset) for a in actors]
        preliminary = rules.event_type(triggers, clause, None)
        actor1, actor2, notes = _roles(clause, relative, triggers, preliminary)
        group = self.last_group_actor
        if actor2 is None and group and group != actor1 and rules.group_anaphora(clause):
            actor2 = group
            notes.append(f"'the group' read as {actor2}")
        etype = rules.event_type(triggers, clause, actor1)
        if etype != preliminary:
            actor1, actor2_again, notes_again = _roles(clause, relative, triggers, etype)
            actor2 = actor2_again or actor2
            notes = notes_again + [n for n in notes if n.startswith("'the group'")]
        return _Event(
            day=day,
            dated_by=dated_by or "",
            event_type=etype,
            weapon=rules.weapon(clause, etype),
            actor1=actor1,
            actor2=actor2,
            casualties=casualties(clause),
            evidence=[(sentence.start, sentence.end)],
            notes=notes,
            sentence=sentence,
        )

    def _make(self, event: _Event, places: list[PlaceMention], *, inferred=False,
              extra_evidence=()) -> list[Candidate]:  # fmt: skip
        unique: list[PlaceMention] = []
        for place in places:
            if place.key not in {p.key for p in unique}:
                unique.append(place)
        fanned = len(unique) > 1
        out = []
        for place in unique:
            notes = list(event.notes)
            killed, wounded = event.casualties.killed, event.casualties.wounded
            if fanned and event.casualties.found and not event.casualties.zero_stated:
                notes.append(
                    f"casualties reported for {len(unique)} places together "
                    f"(killed {killed if killed is not None else '?'}, wounded "
                    f"{wounded if wounded is not None else '?'}); not split"
                )
                killed = wounded = None
            if inferred:
                place = replace(
                    place,
                    text=place.text
                    if place.text.lower().startswith("near")
                    else f"near {place.text}",
                    geo_precision=max(place.geo_precision or 2, 2) if place.resolved else None,
                )
                notes.append("place not stated: taken from the event it answered")
            if fanned:
                notes.append(f"one of {len(unique)} places named for the same report")
            candidate = Candidate(
                event_date=event.day.day,
                time_precision=event.day.precision,
                date_how=event.day.how,
                event_type=event.event_type,
                weapon=event.weapon,
                actor1=event.actor1,
                actor2=event.actor2,
                place=place,
                killed=killed,
                wounded=wounded,
                evidence=list(event.evidence) + list(extra_evidence),
                notes=notes,
                place_inferred=inferred,
                dated_by=event.dated_by,
                fanned_out=fanned,
                sentence=event.sentence.index,
                paragraph=event.sentence.paragraph,
            )
            out.append(candidate)
            self.candidates.append(candidate)
        return out

    def _from_pending(self, pending: _Event, event: _Event, places, sentence) -> list[Candidate]:
        merged = replace(
            pending,
            actor1=pending.actor1 or event.actor1,
            actor2=pending.actor2 or event.actor2,
            weapon=pending.weapon or event.weapon,
            casualties=pending.casualties if pending.casualties.found else event.casualties,
        )
        return self._make(merged, places, extra_evidence=[(sentence.start, sentence.end)])

    def _dated_later(self, undated, event: _Event, sentence: Sentence) -> list[Candidate]:
        """The undated event of the sentence before, dated by this continuation."""
        first, places = undated
        merged = replace(
            first,
            day=event.day,
            dated_by=event.dated_by,
            actor1=first.actor1 or event.actor1,
            actor2=first.actor2 or event.actor2,
            weapon=first.weapon or event.weapon,
            casualties=event.casualties if event.casualties.found else first.casualties,
            notes=first.notes + ["date from the next sentence, which goes on reporting it"],
        )
        return self._make(merged, places, extra_evidence=[(sentence.start, sentence.end)])

    def _merge_casualties(self, event: _Event, places, clause: str, sentence: Sentence) -> None:
        targets: list[Candidate] = []
        if places:
            keys = {p.key for p in places}
            targets = [c for c in self.candidates if c.place.key in keys]
            if len(targets) > 1:
                targets = [c for c in targets if c.paragraph == sentence.paragraph][-1:]
        else:
            anaphoric = anaphoric_place(clause, self.places_seen)
            if anaphoric is not None:
                targets = [c for c in self.candidates if c.place.key == anaphoric.key][-1:]
            elif len(self.last_group) == 1:
                last = self.last_group[0]
                next_paragraph = (
                    last.paragraph == sentence.paragraph - 1
                    and self._last_place_sentence <= last.sentence
                )
                if (
                    last.paragraph == sentence.paragraph
                    or rules.CONTINUATION.match(clause)
                    or next_paragraph
                ):
                    targets = [last]
        if len(targets) != 1:
            return
        target = targets[0]
        changed = False
        for name in ("killed", "wounded"):
            value = getattr(event.casualties, name)
            if value is not None and getattr(target, name) is None:
                setattr(target, name, value)
                changed = True
        victim = event.actor2 if event.event_type else event.actor1
        if victim and target.actor2 is None and victim != target.actor1:
            target.actor2 = victim
            changed = True
        if changed and (sentence.start, sentence.end) not in target.evidence:
            target.evidence.append((sentence.start, sentence.end))

    def _claim(self, text: str, actors, refs, sentence: Sentence) -> None:
        match = rules.claim(text)
        claimant = next((a.name for a in actors if a.start < match.start()), None) or next(
            (a.name for a in actors), None
        )
        if claimant is None:
            return
        kinds = {"attack", "interception", "foiled_attack"}
        eligible = [
            c for c in self.candidates
            if c.event_type in kinds and (c.actor1 is None or c.actor1 in rules.GENERIC_ACTORS)
        ]  # fmt: skip
        what = match.group("what")
        day_refs = [r for r in refs if r.kind in (WEEKDAY, ABSOLUTE, PUBLICATION_DAY)]
        if day_refs:
            day = resolve(day_refs[0], self.published, self.anchor)
            eligible = [c for c in eligible if day and c.event_date == day.day]
        elif not match.group("noun").lower().endswith("s"):
            eligible = eligible[-1:]
        for candidate in eligible:
            if candidate.actor2 == claimant:
                continue
            candidate.actor1 = claimant
            candidate.notes.append(f"initiator from the claim: '{what.strip()}'")
            if (sentence.start, sentence.end) not in candidate.evidence:
                candidate.evidence.append((sentence.start, sentence.end))

    def _deduplicated(self) -> list[Candidate]:
        out: list[Candidate] = []
        for candidate in self.candidates:
            same = next((c for c in out if c.key() == candidate.key()), None)
            if same is None:
                out.append(candidate)
                continue
            for name in ("killed", "wounded", "actor1", "actor2", "weapon"):
                if getattr(same, name) is None:
                    setattr(same, name, getattr(candidate, name))
            same.evidence += [e for e in candidate.evidence if e not in same.evidence]
        return out


def _confidence(c: Candidate) -> float:
    score = 0.45
    precision = c.place.geo_precision
    if c.place.site_id and precision == 1:
        score += 0.2
    elif c.place.resolved:
        score += 0.12
    else:
        score -= 0.1
    if c.dated_by == "text" and c.time_precision == 1:
        score += 0.15
    elif c.dated_by == "inherited":
        score += 0.08
    elif c.dated_by == "report":
        score -= 0.1
    if c.actor1 or c.actor2:
        score += 0.07
    if c.killed is not None or c.wounded is not None:
        score += 0.05
    if c.place_inferred:
        score -= 0.2
    if c.fanned_out:
        score -= 0.05
    return round(min(max(score, 0.05), 0.95), 2)


def _cell(value) -> str:
    return "" if value is None else str(value)


def candidates_frame(
    candidates: list[Candidate],
    article: Article,
    *,
    dataset: str,
    source: str,
    source_url: str | None,
) -> pd.DataFrame:
    rows = []
    for c in candidates:
        evidence = " … ".join(article.text[a:b] for a, b in c.evidence)
        place = c.place
        notes = [f"date {c.event_date.isoformat()}: {c.date_how}"] + c.notes
        if not place.resolved:
            notes.append("place not in the gazetteer: no coordinates (set them in review)")
        notes.append("extracted from the article by rules; check before import")
        key = f"{dataset}|{c.event_date}|{place.key}|{c.event_type}|{c.evidence[0][0]}"
        rows.append(
            {
                "incident_id": "art-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12],
                "event_date": c.event_date.isoformat(),
                "time_precision": _cell(c.time_precision),
                "event_type": _cell(c.event_type),
                "weapon": _cell(c.weapon),
                "actor1": _cell(c.actor1),
                "actor2": _cell(c.actor2),
                "location": place.text,
                "site_id": _cell(place.site_id),
                "country": _cell(place.country),
                "admin1": _cell(place.admin1),
                "latitude": _cell(place.latitude),
                "longitude": _cell(place.longitude),
                "geo_precision": _cell(place.geo_precision),
                "geo_source": _cell(place.geo_source),
                "killed": _cell(c.killed),
                "wounded": _cell(c.wounded),
                "source": source,
                "source_url": _cell(source_url),
                "notes": "; ".join(notes),
                "dataset": dataset,
                "evidence": evidence,
            }
        )
    cells = pd.DataFrame(rows, columns=list(COLUMNS) + ["evidence"], dtype="string")
    cells.index = range(2, len(cells) + 2)
    typed, _problems = parse_incidents(cells, dataset=dataset)
    typed = typed.reset_index(drop=True)
    typed["evidence"] = typed["evidence"].astype("string")
    typed["confidence"] = pd.Series([_confidence(c) for c in candidates], dtype="float64")
    return typed


def extract_incidents(
    text: str,
    *,
    published: date | None = None,
    source: str | None = None,
    source_url: str | None = None,
    name: str = "article",
) -> pd.DataFrame:
    """Candidate incidents of an article, typed as `parse_incidents` gives, plus evidence and
    confidence (0-1). Raises NoPublicationDate when no date is given or found in the text."""
    if looks_like_html(text):
        text = html_to_text(text)
    article = read_article(text, published)
    if article.published is None:
        raise NoPublicationDate(f"{name}: no publication date found; pass --published YYYY-MM-DD")
    candidates = _Extractor(article).run()
    dataset = f"article:{name}"
    return candidates_frame(
        candidates,
        article,
        dataset=dataset,
        source=source or dataset,
        source_url=source_url,
    )
