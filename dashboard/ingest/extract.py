"""Article text -> candidate incidents (canonical schema + evidence + confidence).

The article is read sentence by sentence (dashboard.ingest.article), each sentence cut into
clauses that are read and classified once (dashboard.ingest.clauses), and every clause goes
through the ordered attachment steps of dashboard.ingest.steps, which keep the report's state
(dashboard.ingest.report): the day carried forward, events waiting for a place or a day, the
places named so far, the incidents made. At the end, events never dated take the statement's
or the publication's day when the report gives none, and incidents that are one event read
twice are merged: the same day and kind of event at the same place (or points within 3 km;
a town and a site within 10 km of it), the more specific place kept; a relative place
("south of Baghdad"), a province ("in Suwayda province") or a town ("eastern Baghdad") when
the same report names a more specific place for the same event ("a town in Suwayda province",
"the al-Mashtal neighbourhood", which then takes the town's point); and a day the report does
not give (the publication's, within a week or a month) when the text dates a fight at the same
place within that window.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pandas as pd
from geopy.distance import geodesic

from dashboard.errors import AtlasError
from dashboard.ingest.article import Article, html_to_text, looks_like_html, read_article
from dashboard.ingest.clauses import read_sentence
from dashboard.ingest.places import located_by
from dashboard.ingest.report import Candidate, Report
from dashboard.ingest.steps import STEPS, finish, note_sentence
from dashboard.schema import COLUMNS, parse_incidents

EXTRA_COLUMNS = ("evidence", "confidence")
_SAME_EVENT_KM = 3.0
_TOWN_OF_SITE_KM = 10.0
_NAMED_SITE_KM = 25.0  # a site named after its town ("Baghdad International Airport")
_REPORT_SENTENCES = 1000  # a town and a site in it on one day: one event anywhere in a report
# A neighbourhood the gazetteer does not know and the town a report names for the same day's
# event: one event when read within this many sentences of each other.
_PART_OF_TOWN_SENTENCES = 5
# Days a date the report does not give may be off (by its time_precision: 2 a week, 3 a month).
_WINDOW_DAYS = {2: 7, 3: 31}


class NoPublicationDate(AtlasError, ValueError):
    """The article has no date to resolve 'on Monday' against; the message says what to do."""


def read_report(article: Article) -> list[Candidate]:
    """The candidate incidents of an article, in the order they were found."""
    report = Report(article)
    for sentence in article.sentences:
        clauses = read_sentence(sentence, sentence.text)
        for clause in clauses:
            for step in STEPS:
                if step(clause, report):
                    break
        note_sentence(clauses, report)
    finish(report)
    latest = article.published + timedelta(days=1)  # a day's leeway for time zones
    # an event dated after publication is another story's ("related" captions, teasers)
    return [c for c in deduplicated(report.candidates) if c.event_date <= latest]


def _merge_into(kept: Candidate, other: Candidate) -> None:
    """One event read twice: what the kept reading lacks from the other; of two tolls, the
    higher ("more than 40", then "at least 42": the later count)."""
    for name in ("actor1", "actor2", "weapon"):
        if getattr(kept, name) is None:
            setattr(kept, name, getattr(other, name))
    for name in ("killed", "wounded"):
        figures = [v for v in (getattr(kept, name), getattr(other, name)) if v is not None]
        setattr(kept, name, max(figures) if figures else None)
    kept.evidence += [e for e in other.evidence if e not in kept.evidence]


def _specificity(c: Candidate) -> tuple:
    place = c.place
    return (
        place.resolved,
        not place.region,
        bool(place.site_id),
        not _approximate(place),
        -(place.geo_precision or 9),
        c.time_precision < 2,
    )


_FIGHTS = frozenset({"attack", "airstrike", "interception"})
_NEAR = re.compile(r"\b(?:near|outside|close\s+to|on\s+the\s+outskirts\s+of)\b", re.IGNORECASE)


def _same_kind(a: Candidate, b: Candidate) -> bool:
    """The same type, or two kinds of fighting (attack, airstrike, interception) read from
    two sentences of one report (neither place inferred, no two different initiators)."""
    if a.event_type == b.event_type:
        return True
    strikes = {a.event_type, b.event_type} <= _FIGHTS
    actors = a.actor1 is None or b.actor1 is None or a.actor1 == b.actor1
    return strikes and actors and not (a.place_inferred or b.place_inferred)


def _one_report_of(a: Candidate, b: Candidate, within: int = 2) -> bool:
    """A relative place and a specific one read for the same event: near in the text (within
    `within` sentences), the same weapon and initiator where both are known, the same country."""
    same = [(a.weapon, b.weapon), (a.actor1, b.actor1), (a.place.country, b.place.country)]
    compatible = all(x is None or y is None or x == y for x, y in same)
    return compatible and abs(a.sentence - b.sentence) <= within


def _part_of_town(part: Candidate, town: Candidate) -> bool:
    """ "the al-Mashtal neighbourhood" (unknown) and "eastern Baghdad" read for one event."""
    place, other = part.place, town.place
    is_town = other.resolved and not other.site_id and not other.relative and not other.region
    return (
        place.subplace
        and not place.resolved
        and is_town
        and _one_report_of(part, town, within=_PART_OF_TOWN_SENTENCES)
    )


def _detail_of(detail: Candidate, town: Candidate) -> bool:
    """ "A bomb struck an army vehicle in Tarmiyah district" and, next, "the explosion targeted
    a patrol near al-Mashahda village" (a place the gazetteer does not know): one event; the
    detail is placed at the town."""
    place, other = detail.place, town.place
    return (
        detail.refers_back
        and not place.resolved
        and not place.relative
        and other.name is not None  # a town the gazetteer names, not a place it located
        and not (other.site_id or other.relative or other.region)
        and 0 < detail.sentence - town.sentence <= 2
        and _one_report_of(detail, town)
    )


def _inside_province(inside: Candidate, province: Candidate) -> bool:
    """ "killed in a strike in Suwayda province" and "houses destroyed in Arman, a town in
    Suwayda province" read for one event: the province only locates the place."""
    region, place = province.place, inside.place
    return (
        region.region
        and region.geo_precision == 3
        and not place.region
        and bool(place.admin1)
        and (place.country, place.admin1) == (region.country, region.admin1)
        and _one_report_of(inside, province, within=_PART_OF_TOWN_SENTENCES)
    )


def _approximate(place) -> bool:
    """ "near Kirkuk", "a checkpoint outside Hit": a place given by a town it is near."""
    head = place.text[: max(0, place.core[0] - place.start)]
    return bool(_NEAR.search(head))


def _near_town(near: Candidate, inside: Candidate) -> bool:
    """ "a checkpoint near Kirkuk" and, in a later sentence, "the village of X, part of the
    Dibis district" (a place the gazetteer does not know, located by a town of the same
    province) read for one event: the place near a town only approximates it."""
    place, other = near.place, inside.place
    located = other.resolved and other.name is None
    return (
        _approximate(place)
        and located
        and near.sentence != inside.sentence
        and not place.site_id
        and not other.region
        and not _approximate(other)
        and bool(other.admin1)
        and (place.country, place.admin1) == (other.country, other.admin1)
        and _one_report_of(near, inside, within=_PART_OF_TOWN_SENTENCES)
    )


def _report_day_of(a: Candidate, b: Candidate) -> bool:
    """One event dated twice: a day the report does not give ("not given: the publication
    date, within a week") and a precise day of the text within that window."""
    coarse, precise = sorted((a, b), key=lambda c: -c.time_precision)
    if coarse.dated_by != "report" or precise.time_precision != 1:
        return False
    window = _WINDOW_DAYS.get(coarse.time_precision, 0)
    return abs((coarse.event_date - precise.event_date).days) <= window


def _retold(a: Candidate, b: Candidate) -> bool:
    """A headline, caption or summary that tells an event again with no day of its own ("Three
    fighters killed in a drone strike in Sulaimani") and a dated report of it: the same toll,
    fighting both, in the same province, within the window of the day not given."""
    told = [c for c in (a, b) if c.dated_by == "report"]
    if len(told) != 1 or not ({a.event_type, b.event_type} <= _FIGHTS | {"clash"}):
        return False
    toll = (a.killed, a.wounded)
    if not any(toll) or toll != (b.killed, b.wounded):
        return False
    area = (a.place.country, a.place.admin1)
    if area != (b.place.country, b.place.admin1) or a.place.admin1 is None:
        return False
    window = _WINDOW_DAYS.get(told[0].time_precision, 0)
    return abs((a.event_date - b.event_date).days) <= window


def _same_event(a: Candidate, b: Candidate) -> bool:
    if _retold(a, b):
        return True
    if a.event_date != b.event_date:
        # the initiator of a report-dated row is often misread ("killed in US strikes that
        # answered attacks by militias"): the place and the kind of fight are enough
        fights = {a.event_type, b.event_type} <= _FIGHTS | {"clash"}
        return fights and a.place.key == b.place.key and _report_day_of(a, b)
    return _same_kind(a, b) and _same_place(a, b)


def _same_place(a: Candidate, b: Candidate) -> bool:
    """Two places of one day's candidates that report one event (module docstring)."""
    if a.place.key == b.place.key:
        return True
    if a.place.relative or b.place.relative:
        return _one_report_of(a, b) and not (a.separate or b.separate)
    checks = (_part_of_town, _inside_province, _near_town, _detail_of)
    if any(f(x, y) for f in checks for x, y in ((a, b), (b, a))) or _same_name(a, b):
        return True
    if not (a.place.resolved and b.place.resolved):
        return False
    return _near_points(a, b)


# what a name's kind and context add ("the X oil field in Y province" is X)
_KIND_OR_CONTEXT = re.compile(
    r"\s+(?:in|near|outside|of)\s.*$|,.*$|\b(?:the|oil|gas|field|air|base|airbase|camp|dam|"
    r"village|town|city|area|district)\b",
    re.IGNORECASE,
)


_LEADING_RELATION = re.compile(
    r"^(?:(?:near|outside|close\s+to|on\s+the\s+outskirts\s+of|at|in)\s+)?(?:the\s+)?"
    r"(?:(?:town|village|city|area)\s+of\s+)?",
    re.IGNORECASE,
)


def _name_of(place) -> str:
    """The name itself: "near the town of X, in Y province" is X."""
    name = _LEADING_RELATION.sub("", place.text)
    return " ".join(_KIND_OR_CONTEXT.sub(" ", name).lower().split())


def _same_name(a: Candidate, b: Candidate) -> bool:
    """ "the Sarsang oil field in Duhok province" (placed by its province) and, later, "the
    Sarsang field" (no table knows it), or "near X" and "near the town of X": one place named
    twice on the same day."""
    unknown = [c for c in (a, b) if not c.place.resolved and not c.place.relative]
    if not unknown or any(c.place.relative for c in (a, b)):
        return False
    name = _name_of(a.place)
    return bool(name) and name == _name_of(b.place) and _one_report_of(a, b, _REPORT_SENTENCES)


def _near_points(a: Candidate, b: Candidate) -> bool:
    distance = geodesic(
        (a.place.latitude, a.place.longitude), (b.place.latitude, b.place.longitude)
    ).km
    if distance <= _SAME_EVENT_KM:
        return True
    # "Erbil" and "Erbil air base" on one day, anywhere in one report ("... following today's
    # attacks at Erbil" paragraphs later): the town only places the site roughly, unless the
    # text tells a separate attack
    town_and_site = bool(a.place.site_id) != bool(b.place.site_id)
    separate = a.separate or b.separate
    within = _REPORT_SENTENCES if not separate else 2
    close = distance <= _TOWN_OF_SITE_KM or (
        distance <= _NAMED_SITE_KM and _site_named_after_town(a.place, b.place)
    )
    return town_and_site and close and _one_report_of(a, b, within)


def _site_named_after_town(a, b) -> bool:
    """ "Baghdad" and "Baghdad International Airport" (17 km from the city's point): a site
    that bears the town's name is that town's, farther out than other sites."""
    site, town = (a, b) if a.site_id else (b, a)
    if not (town.name and site.name) or town.region or town.relative:
        return False
    return bool(re.search(rf"\b{re.escape(town.name)}\b", site.name, re.IGNORECASE))


def deduplicated(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per event read: same day, type and place (see the module docstring)."""
    out: list[Candidate] = []
    for candidate in candidates:
        same = next((c for c in out if _same_event(c, candidate)), None)
        if same is None:
            out.append(candidate)
            continue
        kept, other = _kept(same, candidate)
        out[out.index(same)] = kept
        _merge_into(kept, other)
    return out


def _kept(same: Candidate, candidate: Candidate) -> tuple[Candidate, Candidate]:
    """(kept, merged into it) of two candidates read for one event."""
    if _retold(same, candidate):  # the report that gives the day wins
        return (candidate, same) if same.dated_by == "report" else (same, candidate)
    if same.event_date != candidate.event_date:  # the day the text gives wins
        return (same, candidate) if same.time_precision < candidate.time_precision else (
            candidate, same)  # fmt: skip
    for part, town in ((candidate, same), (same, candidate)):
        if _part_of_town(part, town) or _detail_of(part, town):
            part.place = located_by(part.place, town.place)  # the part, at the town's point
            part.notes.append(f"'{part.place.text}' is a part of '{town.place.text}': its point")
            first = min(part, town, key=lambda c: c.sentence)
            for name in ("killed", "wounded"):  # the first report's toll: usually the lead's
                if getattr(first, name) is not None:
                    setattr(part, name, getattr(first, name))
            return part, town
    if _specificity(candidate) > _specificity(same):
        return candidate, same
    return same, candidate


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
        if place.relative:
            notes.append(
                f"relative place '{place.relative}': no point of its own (the place it is "
                "relative to is not the incident's); set it in review"
            )
        elif not place.resolved:
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
    candidates = read_report(article)
    dataset = f"article:{name}"
    return candidates_frame(
        candidates,
        article,
        dataset=dataset,
        source=source or dataset,
        source_url=source_url,
    )
