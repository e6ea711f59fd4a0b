"""An article as the extractor reads it: body sentences with offsets, and its publication date.

What is not body text is left out: the headline and standfirst (blocks that do not end like a
sentence), photo captions (ending with a photo credit), "Updated: ..." lines, boilerplate and
the "TEST ARTICLE" marker. A wire dateline ("BAGHDAD, Jan 29 (Reuters) - ") is cut from the
start of its paragraph so that the city it names is not read as the place of an incident;
headline lines directly above a datelined paragraph (no blank line between) are not body.

The publication date comes from, in order: the caller; a "Published:" / "Posted:" / "Date:"
line; a dateline that gives the year; a yearless dateline's month and day in the year of the
"Updated:" line (on or before the update); an "Updated:" line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser

from dateutil import parser as date_parser


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DATE_LINE = re.compile(
    r"^[ \t]*(?P<label>published|first published|posted|date|updated|last updated|modified)"
    r"(?:[ \t]+on)?[ \t]*:?[ \t]*(?P<value>[^\n]{6,80})$",
    re.IGNORECASE | re.MULTILINE,
)
_DATELINE_DATE = rf"{MONTH}\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
# "BAGHDAD, Jan 29 (Reuters) - ", "ERBIL, Iraq, Feb. 3, 2024 (AP) — ", "WASHINGTON — ".
DATELINE = re.compile(
    rf"^(?P<city>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+)*)"
    rf"(?:,\s*(?!{MONTH}\b)[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)*)?"
    rf"(?:,\s*(?P<date>{_DATELINE_DATE}))?"
    rf"\s*(?:\([A-Za-z .&]+\))?\s*[—–-]{{1,2}}\s+"
)
_MARKER = re.compile(r"^\s*TEST ARTICLE\b", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^\s*(?:powered by automated translation|advertisement|read more|share this article|"
    r"sign up for|subscribe)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"(?:\s|\.)(?:AP|AFP|Reuters|EPA|Getty Images|Photo|Photograph|Bloomberg|Anadolu)\s*$"
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_ABBREVIATIONS = _words(
    "mr mrs ms dr gen lt col maj capt sgt st jan feb mar apr jun jul aug sep sept oct nov dec "
    "no vs etc inc corp jr sr rep sen gov adm cmdr brig u.s a.m p.m e.g i.e"
)


@dataclass(frozen=True)
class Sentence:
    """One body sentence: its text is article.text[start:end]."""

    text: str
    start: int
    end: int
    paragraph: int  # body paragraph number, from 0
    index: int  # sentence number in the body, from 0


@dataclass
class Article:
    text: str
    published: date | None
    published_from: str | None  # what the date was read from, for notes and messages
    sentences: list[Sentence] = field(default_factory=list)


class _TextExtractor(HTMLParser):
    _BLOCKS = _words(
        "p div br li h1 h2 h3 h4 h5 h6 tr article section header footer figcaption blockquote time"
    )
    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one blank line between blocks (stdlib html.parser)."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(?:html|body|p|div|article|h1|br)\b", text[:5000], re.IGNORECASE))


def _parse_date(value: str) -> date | None:
    """A date written out in full ("November 26, 2023, 1:09 PM", "2023-11-26"), else None."""
    if not _YEAR.search(value):
        return None
    try:
        parsed = date_parser.parse(value, fuzzy=True, default=datetime(2000, 1, 1), ignoretz=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date()


def find_publication_date(text: str) -> tuple[date | None, str | None]:
    """The date the article was published and what it was read from, or (None, None)."""
    lines = {"published": [], "updated": []}
    for match in _DATE_LINE.finditer(text):
        label = match.group("label").lower()
        kind = "updated" if label in ("updated", "last updated", "modified") else "published"
        found = _parse_date(match.group("value"))
        if found:
            lines[kind].append((found, match.group(0).strip()))
    if lines["published"]:
        found, line = lines["published"][0]
        return found, f"'{line}'"
    for block in _blocks(text):
        match = DATELINE.match(text[block[0] : block[1]])
        if match and match.group("date"):
            found = _parse_date(match.group("date"))
            if found:
                return found, f"the dateline '{match.group(0).strip(' —–-')}'"
    if lines["updated"]:
        found, line = lines["updated"][0]
        hinted = _dateline_day(text, found)
        if hinted:
            return hinted, f"the dateline '{hinted:%b} {hinted.day}', the year from '{line}'"
        return found, f"'{line}'"
    return None, None


def _dateline_day(text: str, updated: date) -> date | None:
    """The month and day of a yearless dateline ("BAGHDAD, Nov 14 (Reuters) - ") in the year of
    the "Updated:" line: the day on or before the update (an article is updated after it is
    published, so the dateline is the better publication date)."""
    for block in _blocks(text):
        lines = [(m.start() + block[0], m.end() + block[0])
                 for m in re.finditer(r"[^\n]+", text[block[0] : block[1]])]  # fmt: skip
        index = _dateline_line(text, lines) if len(lines) > 1 else 0
        match = DATELINE.match(text[lines[index][0] : lines[index][1]]) if lines else None
        if not (match and match.group("date")):
            continue
        try:
            day = date_parser.parse(
                match.group("date"), default=datetime(updated.year, 1, 1), ignoretz=True
            ).date()
        except (ValueError, OverflowError):
            return None
        if day > updated:
            try:
                day = day.replace(year=day.year - 1)
            except ValueError:
                return None
        return day
    return None


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of text between blank lines."""
    out = []
    for match in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text):
        start, end = match.span()
        chunk = match.group(0)
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        if end > start:
            out.append((start, end))
    return out


def _is_body(block: str) -> bool:
    if _MARKER.match(block) or _BOILERPLATE.match(block) or _DATE_LINE.fullmatch(block.strip()):
        return False
    if _CREDIT.search(block) and not _SENTENCE_END.search(block):
        return False
    return bool(_SENTENCE_END.search(block))


def _dateline_line(text: str, lines: list[tuple[int, int]]) -> int:
    """Index of the first line that opens with a wire dateline when every line above it is a
    headline (does not end a sentence); 0 when there is none."""
    for i, (a, b) in enumerate(lines):
        if i and DATELINE.match(text[a:b]):
            return i
        if _SENTENCE_END.search(text[a:b].rstrip()):
            return 0
    return 0


def _is_body_line(line: str) -> bool:
    return not (_MARKER.match(line) or _BOILERPLATE.match(line) or _DATE_LINE.fullmatch(line))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Body paragraphs as (start, end); a block whose lines each end a sentence is split."""
    out = []
    for start, end in _blocks(text):
        block = text[start:end]
        lines = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]+", block)]
        # Marker, boilerplate and date lines above a headline are not part of it.
        while len(lines) > 1 and not _is_body_line(text[lines[0][0] : lines[0][1]]):
            lines = lines[1:]
        start = lines[0][0]
        dateline_at = _dateline_line(text, lines)
        if len(lines) > 1 and all(_SENTENCE_END.search(text[a:b].rstrip()) for a, b in lines):
            candidates = lines
        elif dateline_at:
            # Headline (and kicker) lines directly above a datelined first paragraph.
            candidates = lines[:dateline_at] + [(lines[dateline_at][0], end)]
        elif len(lines) > 1 and not _SENTENCE_END.search(text[lines[0][0] : lines[0][1]]):
            # A headline line directly above the first paragraph.
            candidates = [lines[0], (lines[1][0], end)]
        else:
            candidates = [(start, end)]
        for a, b in candidates:
            if _is_body(text[a:b]):
                match = DATELINE.match(text[a:b])
                out.append((a + (match.end() if match else 0), b))
    return out


_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as offsets; abbreviations and initials don't end one."""
    out = []
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        before = text[begin : match.start() + 1]
        word = re.search(r"([A-Za-z.]+)\.$", before)
        if word:
            token = word.group(1).lower().rstrip(".")
            if (
                token in _ABBREVIATIONS
                or len(token) == 1
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)
            ):
                continue
        out.append((begin, match.end()))
        begin = match.end()
    if begin < end:
        out.append((begin, end))
    return [(a, b - (len(text[a:b]) - len(text[a:b].rstrip()))) for a, b in out]


def read_article(text: str, published: date | None = None) -> Article:
    """Body sentences and the publication date of an article's plain text."""
    if published is not None:
        found, source = published, "the date given"
    else:
        found, source = find_publication_date(text)
    article = Article(text=text, published=found, published_from=source)
    index = 0
    for number, (start, end) in enumerate(_paragraphs(text)):
        for a, b in split_sentences(text, start, end):
            article.sentences.append(Sentence(text[a:b], a, b, number, index))
            index += 1
    return article
