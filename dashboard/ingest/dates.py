"""Time expressions in news text and the day each one means.

Rules (documented for analysts; tests pin each one):
- A weekday ("on Monday", "late Tuesday", "Saturday's attack", "last Sunday") is the most
  recent such day ON OR BEFORE the publication date: wire copy names the day of publication
  by its weekday too ("BAGHDAD, Jan 29 (Reuters) - ... on Monday" is 29 January). Weekdays
  after "next" or "this coming" are future and ignored.
- A month and day without a year ("Aug. 30", "28 December") takes the publication year, or the
  year before when that would put it after the publication date.
- "the following day", "a day later", "two days earlier", "the previous day" count from the
  anchor: the day of the last time expression read before it in the article.
  "hours later", "a few hours later", "later that day", "within hours", "that same day" keep
  the anchor's day.
- "yesterday" / "today" / "this morning" count from the publication date.
- "last week" is the same weekday a week before publication, time_precision 2;
  "earlier this week" / "this week" / "in recent days" the Monday of the publication week
  (or the publication date), precision 2; "over the weekend" the last Saturday, precision 2.
- "last month" is the 15th of the previous month, precision 3; "earlier this month" the 1st of
  the publication month, precision 3; "in January" / "in late January" the 15th of the most
  recent January on or before publication, precision 3.
- A holiday ("Christmas Day", "Christmas Eve", "New Year's Day", "New Year's Eve") is the most
  recent such date ON OR BEFORE the publication date, time_precision 1.
- A time after "since" starts a period and dates nothing, also deeper in the phrase "since"
  opens ("since last year's October 7 attack", "since the war began on October 7"); a bare year
  ("in 2017") dates nothing either (the schema's coarsest precision is a month).
Dates are parsed with python-dateutil; weekday arithmetic uses dateutil.relativedelta.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from dashboard.ingest.article import MONTH

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The weekday names as a regular-expression alternation, as reports capitalise them.
WEEKDAY_NAMES = "|".join(day.capitalize() for day in WEEKDAYS)
_RELATIVEDELTA_DAYS = (MO, TU, WE, TH, FR, SA, SU)
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
_COUNTS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|dawn))?"

# Kinds, most precise first: used to pick one expression when a clause has several.
ABSOLUTE, WEEKDAY, RELATIVE_DAY, SAME_DAY, PUBLICATION_DAY, WEEK, MONTH_KIND = (
    "absolute", "weekday", "relative_day", "same_day", "publication_day", "week", "month",
)  # fmt: skip
_RANK = {ABSOLUTE: 0, WEEKDAY: 1, PUBLICATION_DAY: 2, RELATIVE_DAY: 3, SAME_DAY: 4, WEEK: 5,
         MONTH_KIND: 6}  # fmt: skip

_HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
             "new year's eve": (12, 31)}  # fmt: skip
_HOLIDAY = re.compile(r"\b(?:Christmas\s+(?:Day|Eve)|New\s+Year['’]?s\s+(?:Day|Eve))\b", re.I)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (ABSOLUTE, _HOLIDAY),
    (
        ABSOLUTE,
        re.compile(
            rf"\b(?P<md>{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?)\b"
            # "January3, 2020": a full date printed without its space
            rf"|\b(?P<glued>{MONTH}\d{{1,2}},?\s+(?:19|20)\d\d)\b"
            rf"|\b(?P<dm>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\.?(?:,?\s+(?:19|20)\d\d)?)\b"
            # "Friday (1/11/2024)": a weekday with a numeric date (read by the weekday)
            rf"|\b(?P<wnum>(?:{WEEKDAY_NAMES})\s*[(,]\s*\d{{1,2}}[/.]\d{{1,2}}[/.](?:19|20)\d\d)\b"
        ),
    ),
    (
        WEEK,
        re.compile(
            r"\b(?:last|past|previous)\s+week(?:end)?\b|\b(?:earlier|later)\s+this\s+week\b"
            r"|\bthis\s+week\b|\bin\s+recent\s+days\b|\bover\s+the\s+(?:past\s+)?weekend\b"
            r"|\bthe\s+past\s+few\s+days\b",
            re.IGNORECASE,
        ),
    ),
    (
        WEEKDAY,
        re.compile(
            r"\b(?P<prefix>next\s+|this\s+coming\s+|last\s+)?"
            rf"(?P<day>{WEEKDAY_NAMES})(?:['’]s)?" + _PART_OF_DAY + r"\b"
        ),
    ),
    (
        RELATIVE_DAY,
        re.compile(
            rf"\b(?:the\s+(?:following|next)\s+day|the\s+day\s+after|the\s+next\s+morning"
            rf"|the\s+(?:previous|preceding)\s+day|the\s+day\s+before"
            rf"|{_COUNT}\s+days?\s+(?:later|earlier|before|after(?:wards)?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        SAME_DAY,
        re.compile(
            r"\b(?:(?:a\s+few\s+|several\s+|some\s+|a\s+couple\s+of\s+|\w+\s+)?hours?"
            r"\s+(?:later|earlier|after(?:wards)?|before)"
            r"|within\s+(?:hours|minutes|the\s+hour)|minutes\s+(?:later|earlier|after)"
            r"|shortly\s+(?:after(?:wards)?|before)|later\s+(?:that|the\s+same)\s+(?:day|night)"
            r"|earlier\s+that\s+day|(?:the|that)\s+same\s+(?:day|night|evening|morning))\b",
            re.IGNORECASE,
        ),
    ),
    (
        PUBLICATION_DAY,
        re.compile(
            r"\b(?:yesterday|today|tonight|this\s+morning|this\s+afternoon|this\s+evening)\b",
            re.IGNORECASE,
        ),
    ),
    (
        MONTH_KIND,
        re.compile(
            rf"(?i:\b(?:last|this|earlier\s+this|previous)\s+month\b)"
            rf"|\b(?i:in|during|last|since|from)\s+(?:(?:early|mid|late|mid-)\s*)?"
            rf"(?P<month>{MONTH})(?!\.?\s+\d)(?:\s+(?P<year>(?:19|20)\d\d))?\b"
            rf"|\bmid-(?P<month2>{MONTH})\b",
        ),
    ),
]
# "since October 17", "the attacks began on Oct. 17": the start of a period dates no event.
_SINCE = re.compile(
    r"\b(?:since|from|until|till|by|as\s+of|(?:began|begun|started|starting)(?:\s+(?:on|in))?)\s+"
    r"(?:(?:early|mid|late)[\s-]*)?$",
    re.I,
)
# "since last year's October 7 attack", "since the war broke out in Gaza on October 7": a
# time inside a phrase opened by "since" (no comma between) starts a period too.
_SINCE_PHRASE = re.compile(r"\b(?:ever\s+)?since\s+(?=\S)[^,;.:()“”\"]{0,60}$", re.I)
_MONTH_NUMBERS = {
    m: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for m in names
}  # fmt: skip


@dataclass(frozen=True)
class TimeRef:
    """A time expression found in text: offsets into the text it was found in."""

    start: int
    end: int
    text: str
    kind: str

    @property
    def rank(self) -> int:
        return _RANK[self.kind]


@dataclass(frozen=True)
class Resolved:
    day: date
    precision: int  # 1 day, 2 week, 3 month
    how: str  # a short explanation for the incident's notes


def find_time_refs(text: str) -> list[TimeRef]:
    """Every time expression in text, in text order; overlapping matches keep the first kind."""
    found: list[TimeRef] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            phrase = match.group(0)
            if (
                kind == WEEKDAY
                and match.group("prefix")
                and not match.group("prefix").lower().startswith("last")
            ):
                continue  # next Monday: the future
            if kind == MONTH_KIND and phrase.lower().startswith(("since", "from")):
                continue
            if _SINCE.search(text[max(0, start - 20) : start]) or _SINCE_PHRASE.search(
                text[max(0, start - 70) : start]
            ):
                continue  # "since October 17": the start of a period, not an event's day
            taken.append((start, end))
            found.append(TimeRef(start, end, phrase, kind))
    return sorted(found, key=lambda r: r.start)


_MONTH_FIRST = re.compile(r"^(?P<month>[A-Za-z]+\.?)\s+\d{1,2}(?:st|nd|rd|th)?$")
_DAY_FIRST = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+\.?)$")
_AND_DAY_AFTER = re.compile(
    r"^\s*(?:,\s*)?and\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?=\s*[,;.]|\s*$|\s+(?:the|in|at|near|when|respectively)\b)"
)
_DAY_AND_BEFORE = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?:,\s*)?and\s+$")


def listed_days(text: str, refs: list[TimeRef]) -> list[TimeRef]:
    """The other days of a list that names its month once ("On November 9 and 11", "on 9 and
    11 November"): each as a day of its own ("November 11", "9 November")."""
    out = []
    for ref in refs:
        if ref.kind != ABSOLUTE:
            continue
        if (month := _MONTH_FIRST.match(ref.text)) and (
            more := _AND_DAY_AFTER.match(text[ref.end :])
        ):
            phrase = f"{month.group('month')} {more.group('day')}"
            out.append(TimeRef(ref.end + more.start("day"), ref.end + more.end(), phrase, ABSOLUTE))
        elif (month := _DAY_FIRST.match(ref.text)) and (
            more := _DAY_AND_BEFORE.search(text[: ref.start])
        ):
            phrase = f"{more.group('day')} {month.group('month')}"
            out.append(TimeRef(more.start("day"), more.end("day"), phrase, ABSOLUTE))
    return out


def best(refs: list[TimeRef]) -> TimeRef | None:
    """The most precise expression (first in text among equals)."""
    return min(refs, key=lambda r: (r.rank, r.start)) if refs else None


def _weekday_on_or_before(published: date, weekday: int) -> date:
    return published + relativedelta(weekday=_RELATIVEDELTA_DAYS[weekday](-1))


def _absolute(text: str, published: date) -> date | None:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(" of ", " "))
    has_year = re.search(r"\b(?:19|20)\d\d\b", cleaned) is not None
    try:
        parsed = date_parser.parse(
            cleaned, default=datetime(published.year, 1, 1), ignoretz=True
        ).date()
    except (ValueError, OverflowError):
        return None
    if not has_year and parsed > published:
        try:
            parsed = parsed.replace(year=parsed.year - 1)
        except ValueError:  # 29 February
            return None
    return parsed


def _holiday(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    month, day_of_month = _HOLIDAYS[phrase.replace("’", "'").replace("years", "year's")]
    day = date(published.year, month, day_of_month)
    if day > published:
        day = day.replace(year=published.year - 1)
    return Resolved(day, 1, f"'{ref.text}' = the last such day on or before publication")


def _absolute_ref(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    if _HOLIDAY.fullmatch(ref.text):
        return _holiday(ref, phrase, published, anchor)
    day = _numeric_on_weekday(ref.text) if _NUMERIC.search(ref.text) else None
    day = day or _absolute(ref.text, published)
    return Resolved(day, 1, f"'{ref.text}'") if day else None


_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>(?:19|20)\d\d)")


def _numeric_on_weekday(text: str) -> date | None:
    """ "Friday (1/11/2024)": of day/month and month/day, the reading on the weekday named."""
    numbers = _NUMERIC.search(text)
    a, b, year = (int(numbers.group(g)) for g in ("a", "b", "year"))
    weekday = next(i for i, d in enumerate(WEEKDAYS) if d in text.lower())
    for day_of_month, month in ((a, b), (b, a)):
        try:
            day = date(year, month, day_of_month)
        except ValueError:
            continue
        if day.weekday() == weekday:
            return day
    return None


def _weekday_ref(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    name = next(d for d in WEEKDAYS if d in phrase)
    day = _weekday_on_or_before(published, WEEKDAYS.index(name))
    return Resolved(day, 1, f"'{ref.text}' = the {name.title()} on or before publication")


def _publication_ref(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    day = published - timedelta(days=1) if phrase == "yesterday" else published
    return Resolved(day, 1, f"'{ref.text}' from the publication date")


def _relative_ref(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    if anchor is None:
        return None
    offset = 0
    if ref.kind == RELATIVE_DAY:
        count = re.match(rf"({_COUNT})\s+days?", phrase)
        size = _COUNTS.get(count.group(1)) if count else 1
        size = int(count.group(1)) if size is None else size
        backwards = any(w in phrase for w in ("previous", "preceding", "before", "earlier"))
        offset = -size if backwards else size
    day = anchor.day + timedelta(days=offset)
    return Resolved(day, anchor.precision, f"'{ref.text}' after {anchor.day.isoformat()}")


def _week_ref(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    if "weekend" in phrase and "last" not in phrase and "previous" not in phrase:
        day = _weekday_on_or_before(published, 5)
    elif phrase.startswith(("last", "past", "previous", "the past")):
        day = published - timedelta(days=7)
    elif phrase == "in recent days" or phrase.startswith("the past"):
        day = published
    else:  # earlier this week, this week
        day = max(published - timedelta(days=published.weekday()), published - timedelta(6))
    return Resolved(day, 2, f"'{ref.text}' (within a week)")


def _month_ref(ref: TimeRef, phrase: str, published: date, anchor) -> Resolved | None:
    first = published.replace(day=1)
    if phrase.endswith("month"):
        last = phrase.startswith(("last", "previous"))
        day = (first - timedelta(days=1)).replace(day=15) if last else first
        return Resolved(day, 3, f"'{ref.text}' (within a month)")
    name = re.search(MONTH, ref.text).group(0).lower().rstrip(".")
    month = _MONTH_NUMBERS[name]
    year_match = re.search(r"(?:19|20)\d\d", ref.text)
    year = int(year_match.group(0)) if year_match else published.year
    day = date(year, month, 15)
    if not year_match and (
        day.replace(day=1) > first or (phrase.startswith("last") and day.replace(day=1) == first)
    ):
        day = day.replace(year=year - 1)
    return Resolved(day, 3, f"'{ref.text}' (within a month)")


_RESOLVERS = {
    ABSOLUTE: _absolute_ref, WEEKDAY: _weekday_ref, PUBLICATION_DAY: _publication_ref,
    RELATIVE_DAY: _relative_ref, SAME_DAY: _relative_ref, WEEK: _week_ref, MONTH_KIND: _month_ref,
}  # fmt: skip


# "..., a day after 10 people were killed in X", "occurred two days after drones hit Y" (matched
# where a clause starts): what follows "after" happened that many days before the day of the
# clause it is attached to.
DAYS_AFTER_EVENT = re.compile(
    rf"\s*(?:just\s+|only\s+|barely\s+)?(?P<count>{_COUNT})\s+days?\s+after\s+"
    r"(?!(?:that|this|it|which)\b)",
    re.IGNORECASE,
)


def days_before(match: re.Match, day: Resolved) -> Resolved:
    """The day of the event a DAYS_AFTER_EVENT phrase introduces, `day` being its clause's."""
    word = match.group("count").lower()
    size = _COUNTS.get(word) or int(word)
    phrase = " ".join(match.group(0).split())
    return Resolved(
        day.day - timedelta(days=size), day.precision, f"'{phrase}' {day.day.isoformat()}"
    )


def resolve(ref: TimeRef, published: date, anchor: Resolved | None) -> Resolved | None:
    """The day a time expression means, given the publication date and the current anchor."""
    phrase = " ".join(ref.text.lower().split())
    return _RESOLVERS[ref.kind](ref, phrase, published, anchor)
