"""The day an article was published, as the page prints it, read with dateparser.

News pages print their date in many ways: "Nov 22, 2023", "Thursday, 04 January 2024 09:40 AM
EST", "AFP, AP, Wednesday 22 Nov 2023", "16:45 UTC+8, 2023-12-08", "Published: 26th December
2023", "05-01-2024" (day first), a wire dateline "ERBIL, Iraq, Feb. 3, 2024 (AP) —", or a
yearless one "BAGHDAD, Jan 24 (Reuters) -" (or "Damascus, Nov 27 (Agency)" with no dash). They
are found, in order of trust, in:
1. a line, or a "|"-separated part of one, labelled "Published" / "Posted" / "Created" /
   "Date" / "First published" (anywhere);
2. a short line above the article's first full paragraph (the page's date line), not a photo
   caption, and not a weekday and date alone above the headline with no time of day: that is
   the site's date bar, the day the page was viewed ("Tuesday, June 25, 2024" on a story of
   2023);
3. a dateline that gives the year;
4. a yearless dateline, with the year of a date found in (1), (2), an "Updated" line or a
   copyright line (the dateline day on or before that date);
5. an "Updated" / "Last update" / "Modified" line.
A full date (day, month and year) is required: dateparser runs with its network features off,
languages=["en"] and REQUIRE_PARTS day/month/year (a date line that is nothing but a date may
be in the site's own language: "26 okt. 2024"). Numeric dates with hyphens or dots are read
day first (the habit of the region's outlets: Rudaw's "05-01-2024" is 5 January); with slashes,
month first, unless only the other reading agrees with the body's dateline ("10/05/2025" under
"Amman, May 10 (Agency)" is 10 May). After a label a two-digit year is this century's
("Updated 4/1/24"). A body paragraph may open with its date ("26-10-2024 (ANKARA) ..."): a
dateline too. Nothing found is (None, None): the caller asks for --published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import pycountry
from dateparser import parse as dateparser_parse
from dateparser.search import search_dates

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_BASE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
}
_LABEL = re.compile(
    r"^[ \t]*(?P<label>first[ \t]+published|published|posted|created|date|last[ \t]+updated?|"
    r"updated|modified|last[ \t]+update)(?:[ \t]+on)?[ \t]*:?[ \t]*(?P<value>[^\n]{6,90})$",
    re.IGNORECASE | re.MULTILINE,
)
_UPDATED = ("updated", "modified", "update")
_WEEKDAY = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun", re.IGNORECASE
)
_DATE_WORD = re.compile(
    rf"{MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun|"
    r"\d{1,2}(?:st|nd|rd|th)",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?(?P<year>(?:19|20)\d\d)", re.I
)
# "BAGHDAD, Jan 24 (Reuters) - ", "ERBIL, Iraq, Feb. 3, 2024 (AP) — ", "Baghdad (Reuters) – ",
# "BAGHDAD: ", "Colombia /America, 29th January 2024: ", "WASHINGTON — ".
# "(MENAFN- Nam News Network) DAMASCUS, Aug 14 (NNN-SANA) – ": an aggregator's tag first;
# "WASHINGTON/BAGHDAD/ TEHRAN - ": several cities.
DATELINE = re.compile(
    r"^(?:\([A-Za-z][^()\n]{1,40}\)[ \t]*)?"
    r"(?P<city>[A-Z][A-Za-z.'’\-]*(?:(?:[ \t]+/?|[ \t]*/)[ \t]*[A-Z][A-Za-z.'’\-]*){0,3})"
    r"(?P<rest>(?:,[ \t]*[^,:()\n—–]{2,40}?){0,3})"
    r"(?:[ \t]*(?:\((?P<agency>[A-Za-z0-9 .&/\-]{2,30})\))?"
    r"[ \t]*(?P<sep>[—–]|-{1,2}|:)[ \t]+(?=\S)"
    # "Damascus, (APP - Some News - 27th Jun, 2024) Two people ...": a tag with its own date
    r"|,[ \t]*\((?P<tag>[A-Za-z][A-Za-z0-9 .&/\-]{1,60}[-–][^()\n]{4,30})\)[ \t]+(?=[A-Z])"
    # "Damascus, Nov 27 (Agency) The rebels ...": a dated dateline whose agency ends it
    r"|[ \t]*\((?P<bare>[A-Za-z][A-Za-z0-9 .&/\-]{1,30})\)[ \t]+(?=[A-Z]))"
)
_CAPTION_END = re.compile(
    r"(?:\((?:[^()]*(?:AP|AFP|Reuters|Getty|EPA|Photo|Army|File|via)[^()]*)\)|"
    r"(?:Photo|Photograph)\s*:[^.]{1,60}|[./]\s*(?:AP|AFP|Reuters|EPA|Getty Images)|"
    # a photo credited to a social account after its sentence: "... Dec. 9, 2024. X/ @name"
    r"[./]\s*(?:[A-Z]\w{0,10}\s*/\s*)?@\w+)\s*$"
)


@dataclass(frozen=True)
class Dateline:
    """A wire dateline at the start of a paragraph: text[start:end] is cut from the body."""

    end: int  # length of the dateline in the paragraph
    city: str
    day: date | None
    yearless: tuple[int, int] | None  # (month, day) when the dateline gives no year
    text: str


def _clean(value: str) -> str:
    """Separators and glued words dateparser trips on: "2023Middle East", "Dec. 25", "|"."""
    value = value.replace("|", " , ")
    value = re.sub(r"(\d)([A-Za-z]{3,})", r"\1 \2", value)
    value = re.sub(rf"\b({MONTH})\.", r"\1", value)
    return re.sub(r"\b([ap])\.m\.", r"\1m", value, flags=re.I)


def _settings(value: str) -> dict:
    order = "DMY" if re.search(r"\b\d{1,2}[-.]\d{1,2}[-.]\d{4}\b", value) else "MDY"
    return {**_BASE_SETTINGS, "DATE_ORDER": order}


@lru_cache(maxsize=4096)
def full_date(value: str) -> date | None:
    """The first full date (day, month and year) in a short text, else None."""
    cleaned = _clean(value)
    if not re.search(r"(?:19|20)\d\d", cleaned):
        return None
    found = search_dates(cleaned, languages=["en"], settings=_settings(cleaned))
    return found[0][1].date() if found else None


# A site may print its date line in its own language ("26 okt. 2024"): the whole line must
# then be a date in one of these.
_OTHER_LANGUAGES = ["nl", "de", "fr", "es", "it", "pt", "tr"]


@lru_cache(maxsize=1024)
def foreign_date(line: str) -> date | None:
    """A line that is nothing but a full date in another language, else None."""
    if not re.search(r"(?:19|20)\d\d", line) or len(line.split()) > 5:
        return None
    parsed = dateparser_parse(line.strip(), languages=_OTHER_LANGUAGES, settings=_BASE_SETTINGS)
    return parsed.date() if parsed else None


def month_day(value: str) -> tuple[int, int] | None:
    """(month, day) of a yearless date such as "Jan 24" or "Feb. 7"."""
    cleaned = _clean(value).strip()
    if not re.fullmatch(rf"{MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH}", cleaned, re.I):
        return None
    settings = {"RETURN_AS_TIMEZONE_AWARE": False, "RELATIVE_BASE": datetime(2000, 1, 1)}
    parsed = dateparser_parse(cleaned, languages=["en"], settings=settings)
    return (parsed.month, parsed.day) if parsed else None


def _capitals(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 0.8 * sum(c.isalpha() for c in word) >= 3


_REGIONS = frozenset({"kurdistan region", "kurdistan", "turkey", "türkiye", "turkiye"})


@lru_cache(maxsize=256)
def _country(name: str) -> bool:
    """A country's name (pycountry), or a region a dateline names like one."""
    if name.lower() in _REGIONS:
        return True
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def _is_dateline(city: str, agency, sep: str, parts: list[str], dated: bool) -> bool:
    short_colon = sep == ":" and len(city.split()) <= 2 and not parts
    # "Damascus, SANA –": an agency's initials after the city, unbracketed
    initials = bool(parts) and " " not in parts[-1] and _capitals(parts[-1])
    # "Baghdad, Iraq –": a city and its country before a dash
    country = bool(parts) and sep != ":" and _country(parts[-1])
    return bool(_capitals(city) or agency or dated or short_colon or initials or country)


# "26-10-2024 (ANKARA) ...", "October 5, 2024 – ...": a dateline that gives its date first;
# what comes before the bracketed city or the dash must be a date and nothing else.
_DATE_FIRST = re.compile(
    r"^(?P<date>[\w,. /\-]{6,30}?)[ \t]*"
    r"(?:\((?P<city>[A-Za-z][A-Za-z .'’\-]{1,30})\)[ \t]*|(?:[—–]|-{1,2}|:)[ \t]+)(?=\S)"
)


def _only_date_words(value: str) -> bool:
    words = re.sub(r"[^\w\s]", " ", value).split()
    return bool(words) and all(w.isdigit() or _DATE_WORD.fullmatch(w) for w in words)


def _date_first(paragraph: str) -> Dateline | None:
    """A paragraph opening with a full date and then a bracketed city or a dash."""
    match = _DATE_FIRST.match(paragraph)
    if not match or not _only_date_words(match.group("date")):
        return None
    day = full_date(match.group("date"))
    if day is None:
        return None
    city = (match.group("city") or "").strip()
    return Dateline(match.end(), city, day, None, match.group(0).strip(" —–-:"))


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a paragraph, or None. A dateline names its city in capitals,
    names an agency "(Reuters)", gives a date, or ends with a colon after one or two words;
    or it gives a full date first ("26-10-2024 (ANKARA)")."""
    match = DATELINE.match(paragraph)
    if not match:
        return _date_first(paragraph)
    city, rest, agency, sep = match.group("city", "rest", "agency", "sep")
    agency = agency or match.group("tag") or match.group("bare")
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    day = full_date(rest) if parts else None
    yearless = None if day else next((md for p in parts if (md := month_day(p))), None)
    if match.group("bare") and not (day or yearless):
        return None  # "Islamic State (IS) Fighters ...": a name and its initials
    found = Dateline(match.end(), city.strip(), day, yearless, match.group(0).strip(" —–-:"))
    found = _date_after(paragraph, found)
    if not _is_dateline(city, agency, sep, parts, bool(found.day or found.yearless)):
        return None
    return found


def _date_after(paragraph: str, dateline: Dateline) -> Dateline:
    """ "Washington, DC – December 14, 2025 : ...": a full date right after the dateline's
    dash, closed by a colon or a dash, is the dateline's date."""
    if dateline.day or dateline.yearless:
        return dateline
    match = _DATE_FIRST.match(paragraph[dateline.end :])
    if not match or match.group("city") or not _only_date_words(match.group("date")):
        return dateline
    day = full_date(match.group("date"))
    if day is None:
        return dateline
    end = dateline.end + match.end()
    return Dateline(end, dateline.city, day, None, paragraph[:end].strip(" —–-:"))


_TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(?:[ap]\.?m\b\.?)", re.IGNORECASE)
_DATE_ONLY_WORDS = 8


def date_bar(line: str) -> bool:
    """A line that is a weekday and a date and nothing more ("Tuesday, June 25, 2024",
    "| 4 December 2023, Monday |"): no label, no time of day, no source. Above a page's
    headline it is the site's date bar, today's date as the page was viewed, not the day the
    article was published (a post's own date above its title rarely names the weekday)."""
    if _LABEL.match(line) or _TIME_OF_DAY.search(line) or len(line.split()) > _DATE_ONLY_WORDS:
        return False
    words = re.sub(r"[^\w\s]", " ", line).split()
    undated = [w for w in words if not (w.isdigit() or _DATE_WORD.fullmatch(w))]
    weekday = any(_WEEKDAY.fullmatch(w) for w in words)
    return weekday and not undated and full_date(line) is not None


def _year_for(month_and_day: tuple[int, int], reference: date) -> date | None:
    month, day = month_and_day
    for year in (reference.year, reference.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def _four_digit_year(value: str) -> str:
    """A labelled numeric date with a two-digit year ("Updated 4/1/24 at 6:00 pm") with the
    century written out: after a label it can only be a date of this century."""
    return re.sub(r"\b(\d{1,2}([/.-])\d{1,2}\2)(\d\d)\b(?![/.-]\d)", r"\g<1>20\3", value)


_NUMERIC_DATE = re.compile(r"\b(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?:19|20)?\d\d\b")


def _swapped(day: date, source: str) -> date | None:
    """The other reading of a numeric date whose day and month could change places
    ("10/05/2025": 5 October or 10 May), else None."""
    match = _NUMERIC_DATE.search(source)
    if not match or {int(match["a"]), int(match["b"])} != {day.day, day.month}:
        return None
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


def _dateline_agrees(day: date, datelines: list[Dateline]) -> bool:
    """The page's stamp falls on its dateline's day or up to two days after it."""
    for line in datelines:
        month_day = line.yearless or (line.day and (line.day.month, line.day.day))
        if not month_day:
            continue
        for year in (day.year, day.year - 1):
            try:
                if 0 <= (day - date(year, *month_day)).days <= 2:
                    return True
            except ValueError:
                continue
    return False


def _in_dateline_order(found: tuple[date, str], datelines: list[Dateline]) -> tuple[date, str]:
    """A numeric date read month first ("10/05/2025") is read day first when only that
    reading agrees with the body's dateline ("Amman, May 10 (Agency)"), and the other way."""
    day, source = found
    other = _swapped(day, source)
    if other and _dateline_agrees(other, datelines) and not _dateline_agrees(day, datelines):
        return other, f"{source}, day and month as the dateline has them"
    return found


def _labelled(text: str) -> tuple[list, list]:
    """Dates after a label, on a line of their own or in a "|"-separated line of page facts
    ("News Desk | Baghdad | Updated: 24-11-2025 03:28 IST | Created: 24-11-2025 03:28 IST")."""
    published, updated = [], []
    segments = "\n".join(part for line in text.splitlines() for part in line.split("|"))
    for match in _LABEL.finditer(segments):
        found = full_date(_four_digit_year(match.group("value")))
        if found:
            label = " ".join(match.group("label").lower().split())
            kind = updated if label.endswith(_UPDATED) or "update" in label else published
            kind.append((found, f"'{match.group(0).strip()}'"))
    return published, updated


def _header_dates(lines: list[str]) -> list[tuple[date, str]]:
    out = []
    for line in lines:
        if len(line.split()) > 14 or _CAPTION_END.search(line) or _LABEL.match(line):
            continue
        if line.lstrip().startswith(("—", "-")) or "(@" in line:  # an embedded post's date
            continue
        found = full_date(line) or foreign_date(line)
        if found:
            out.append((found, f"the page's date line '{line.strip()}'"))
    return out


def find_publication_date(
    text: str, header: list[str] | None = None, datelines: list[Dateline] | None = None
) -> tuple[date | None, str | None]:
    """The date the article was published and what it was read from, or (None, None).

    `header` is the page's lines above the first full paragraph and `datelines` the datelines
    of its body paragraphs (read_article passes both); without them they are worked out here.
    """
    if header is None or datelines is None:
        from dashboard.ingest.article import page_layout

        header, datelines = page_layout(text)
    published, updated = _labelled(text)
    if published:
        return _in_dateline_order(published[0], datelines)
    dated = _header_dates(header)
    if dated:
        return _in_dateline_order(dated[0], datelines)
    for line in datelines:
        if line.day:
            return line.day, f"the dateline '{line.text}'"
    references = [d for d, _ in updated]
    references += [date(int(m.group("year")), 12, 31) for m in _COPYRIGHT.finditer(text)]
    for line in datelines:
        if line.yearless and references:
            day = _year_for(line.yearless, references[0])
            if day:
                return day, f"the dateline '{line.text}', the year from the page"
    if updated:
        return _in_dateline_order(updated[0], datelines)
    return None, None
