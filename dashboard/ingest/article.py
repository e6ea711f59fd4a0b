"""An article as the extractor reads it: body sentences with offsets, and its publication date.

Pages are read line by line: on news pages every paragraph, headline, byline, date line and
caption is a line of its own (a line that goes on in lower case is the same paragraph, wrapped).
- A *body* paragraph ends like a sentence, or is prose of forty words or more with a sentence
  break inside whatever closes it ("... ( 7 fighters were slain )"); after the last body
  paragraph, a full paragraph cut short (twelve words or more, not in title case) is body too:
  a lead copied without its end.
  Above the body, such lines are headlines and standfirsts.
- A *caption* ends with a photo credit ("(Planet Labs PBC via AP)", "Photo: Rudaw", ". AP"): the
  credit is cut and the caption is read like the body, but a sentence that describes the photo
  ("is seen", "shows", "pictured", "file photo", "FILE -") is not: its dates are the picture's;
  nor is a caption dated more than a month before publication (an archive picture). A sentence
  that calls itself a file photo ("... in this file photo.") is not read wherever it stands.
- A social-media post embedded in the page, closed by its signature ("— Name (@handle)
  October 23, 2024", on its line or the next), is read like a caption: apart from the body,
  its events dated by the signature's date when it gives none of its own.
- Wire markers and credit lines are not body: "Enditem" closing a paragraph, "(Reporting by
  ...)", "Source: Xinhua", "SOURCE:AFP", "Reuters" alone, copyright and share lines, the
  "TEST ARTICLE" marker, "Updated: ..." and other date lines.
- A wire dateline ("BAGHDAD, Jan 29 (Reuters) - ", "Baghdad: ", "ERBIL, Kurdistan Region - ")
  is cut from the start of its paragraph, so that its city is not read as an incident's place.
Sentences are split at full stops except after abbreviations ("U.S.", "U.K.", "Gen.", "Jan.")
and initials. The publication date is read by dashboard.ingest.published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser

from dashboard.ingest.published import (
    _CAPTION_END,
    MONTH,
    Dateline,
    date_bar,
    find_dateline,
    find_publication_date,
    full_date,
)

__all__ = [
    "MONTH", "Article", "Sentence", "find_publication_date", "html_to_text", "looks_like_html",
    "page_layout", "read_article", "split_sentences",
]  # fmt: skip


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MARKER = re.compile(r"^\s*TEST ARTICLE\b", re.IGNORECASE)
_NOT_BODY_LINE = re.compile(
    r"^\s*(?:powered by automated translation|advertisement|read more|share this article|"
    r"sign up for|subscribe|follow us|live updates?:|also read|related|text size|"
    r"\((?:reporting|writing|editing|additional reporting) by\b|source\s*:|the-cnn-wire|"
    r"™|©|copyright\b|all rights reserved|disclaimer\s*:|editor\s*:|"
    r"(?:reuters|ap|afp|xinhua|enditem)\s*$|"
    r"(?:published|posted|updated|last updated?|first published|date|modified)\b[^.]*$)",
    re.IGNORECASE,
)
_WIRE_TAIL = re.compile(r"\s*(?:Enditem|\(END\))\s*$")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)\s*$")
_SENTENCE_END = re.compile(r"[.!?](?:\s*[\"”’')\]])*$")
_PHOTO_SENTENCE = re.compile(
    r"\b(?:is|are|was|were)\s+seen\b|\bshows?\b|\bpictured\b|\bfile\s+photo\b|^\s*FILE\b|"
    r"\bphoto(?:graph)?\b|\bsatellite\s+(?:image|photo)\b|\bin\s+this\s+(?:image|picture)\b",
    re.IGNORECASE,
)
# A sentence that says it describes a file picture, wherever the page put it.
_FILE_PHOTO = re.compile(
    r"\bin\s+this\s+(?:file\s+)?(?:photo|picture|image)\b|\bfile\s+(?:photo|picture|image)\b"
    r"|\(\s*file\s*\)|\barchive\s+(?:photo|picture|image)\b",
    re.IGNORECASE,
)
# The signature that closes a social-media post embedded in a page: "— Name (@handle) October
# 23, 2024", after the post's text and its picture link, on the same line or the next.
_POST_SIGNATURE = re.compile(
    rf"(?:^|\S\s*)[—–]\s*[^\n()—–]{{1,80}}\(@\w+\)\s+{MONTH}\.?\s+\d{{1,2}},\s+\d{{4}}\s*$"
)
_ARCHIVE_DAYS = 31
_ABBREVIATIONS = _words(
    "mr mrs ms dr gen lt col maj capt sgt st jan feb mar apr jun jul aug sep sept oct nov dec "
    "no vs etc inc corp jr sr rep sen gov adm cmdr brig u.s u.k u.n a.m p.m e.g i.e mt ft"
)
_LONG_PARAGRAPH = 40  # words: no headline or standfirst is this long
# a sentence ends at a full stop and a space before a capital, or where a page lost the space
# ("... the statement.The army said"): a word's full stop glued to a capitalised word
_BOUNDARY = re.compile(
    r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[a-z]{2})[.!?](?=[A-Z][a-z]{2})"
)


@dataclass(frozen=True)
class Sentence:
    """One body sentence: its text is article.text[start:end]."""

    text: str
    start: int
    end: int
    paragraph: int  # body paragraph number, from 0
    index: int  # sentence number in the body, from 0
    caption: bool = False


@dataclass
class Article:
    text: str
    published: date | None
    published_from: str | None  # what the date was read from, for notes and messages
    sentences: list[Sentence] = field(default_factory=list)
    datelines: list[Dateline] = field(default_factory=list)


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int
    kind: str  # body | caption | other


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


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, without surrounding blanks; a line that goes on
    in lower case joins the one before (a wrapped paragraph)."""
    out: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        line = match.group(0)
        start += len(line) - len(line.lstrip())
        end -= len(line) - len(line.rstrip())
        if end <= start:
            continue
        previous = out[-1] if out else None
        wrapped = (
            previous
            and text[start].islower()
            and not _SENTENCE_END.search(text[previous[0] : previous[1]])
        ) or (previous and _POST_SIGNATURE.match(line.strip()))
        if wrapped and previous[1] >= start - 2:
            out[-1] = (previous[0], end)
        else:
            out.append((start, end))
    return out


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _kind(line: str) -> str:
    if _MARKER.match(line) or _NOT_BODY_LINE.match(line):
        return "other"
    if _POST_SIGNATURE.search(line) and len(line.split()) >= 12:
        return "caption"  # an embedded post, read apart from the body, dated by its signature
    if _CAPTION_END.search(line) and len(line.split()) >= 6:
        return "caption"
    if _SENTENCE_END.search(line):
        return "body"
    words = len(line.split())
    if words >= _LONG_PARAGRAPH and _BOUNDARY.search(line):
        return "body"  # prose with sentences in it, whatever decoration closes it
    if words >= 12 and not _title_case(line):
        return "cut"  # body if nothing of the body follows: a lead copied without its end
    return "other"


def _paragraphs(text: str) -> list[_Paragraph]:
    out = []
    for start, end in _lines(text):
        tail = _WIRE_TAIL.search(text[start:end])
        end = start + (tail.start() if tail else end - start)  # "... said. Enditem"
        line = text[start:end]
        kind = _kind(line)
        credit = _CAPTION_END.search(line) if kind == "caption" else None
        if credit:
            end = start + credit.start()
        while end > start and text[end - 1] in " \t/":
            end -= 1
        out.append(_Paragraph(start, end, kind))
    return _settle_cut(out, text)


def _settle_cut(out: list[_Paragraph], text: str) -> list[_Paragraph]:
    """A cut paragraph is body if nothing of the body follows it (a lead copied without its
    end), unless it is one of two or more lines cut off with an ellipsis below the story:
    teasers of other stories."""
    last_body = max((i for i, p in enumerate(out) if p.kind == "body"), default=-1)
    teasers = [i for i, p in enumerate(out) if i > last_body and p.kind == "cut"
               and _ELLIPSIS_END.search(text[p.start : p.end])]  # fmt: skip
    teasers = teasers if len(teasers) >= 2 else []
    return [
        replace(p, kind="body" if i > last_body and i not in teasers else "other")
        if p.kind == "cut"
        else p
        for i, p in enumerate(out)
    ]


def _body_start(paragraphs: list[_Paragraph], text: str) -> int:
    """Index of the first full paragraph (twelve words or more) of the body."""
    bodies = [i for i, p in enumerate(paragraphs) if p.kind == "body"]
    full = [i for i in bodies if len(text[paragraphs[i].start : paragraphs[i].end].split()) >= 12]
    return (full or bodies or [len(paragraphs)])[0]


def _date_lines(paragraphs: list[_Paragraph], text: str) -> list[str]:
    """Lines that are not body, where a page prints its date: first those between the
    headline and the first full paragraph (the byline's), then those above the headline, then
    those below the body. A weekday and a date alone above the headline, with no time of day,
    is the site's date bar (the day the page was viewed, "Tuesday, June 25, 2024"): not among
    them; nor is a line inside the story, with three body paragraphs above it and one below
    (a related story's teaser, "Feb. 5, 2024"; a site's banner may be two)."""
    first = _body_start(paragraphs, text)
    above = [text[p.start : p.end] for p in paragraphs[:first] if p.kind == "other"]
    below = [
        text[p.start : p.end]
        for i, p in enumerate(paragraphs[first:], first)
        if p.kind == "other" and not _inside_story(paragraphs, i)
    ]
    headline = next((i for i, line in enumerate(above) if _title_line(line)), len(above))
    # the lines between the headline and the body (byline, date) before those above it
    near = above[headline + 1 :]
    top = [line for line in above[: headline + 1] if not date_bar(line)]
    return near + top + below


def _inside_story(paragraphs: list[_Paragraph], index: int) -> bool:
    before = sum(p.kind == "body" for p in paragraphs[:index])
    return before >= 3 and any(p.kind == "body" for p in paragraphs[index + 1 :])


def _title_line(line: str) -> bool:
    """A headline: four words or more, no date in it."""
    return len(line.split()) >= 4 and not re.search(r"\d", line)


def page_layout(text: str) -> tuple[list[str], list[Dateline]]:
    """The page's lines that may print its date, and the datelines of its body."""
    paragraphs = _paragraphs(text)
    first = _body_start(paragraphs, text)
    header = _date_lines(paragraphs, text)
    datelines = []
    for p in paragraphs[first : first + 3]:
        if p.kind == "body":
            found = find_dateline(text[p.start : p.end])
            if found:
                datelines.append(found)
    return header, datelines


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


def _dateline_cut(text: str, paragraph: _Paragraph, number: int) -> tuple[int, Dateline | None]:
    """Where the body of a paragraph starts once its dateline (first paragraphs only) is cut."""
    if number > 5 or paragraph.kind != "body":
        return paragraph.start, None
    found = find_dateline(text[paragraph.start : paragraph.end])
    return (paragraph.start + found.end, found) if found else (paragraph.start, None)


def _archive_picture(sentence: str, published: date | None) -> bool:
    """A caption dated more than a month before publication describes an archive picture."""
    if published is None or not re.search(r"\b(?:19|20)\d\d\b", sentence):
        return False
    day = full_date(sentence)
    return day is not None and (published - day).days > _ARCHIVE_DAYS


def _body_paragraphs(text: str, paragraphs: list[_Paragraph]):
    """(paragraph, number, where its body starts, its dateline) of each paragraph read."""
    number = 0
    for paragraph in paragraphs:
        if paragraph.kind == "other":
            continue
        start, dateline = _dateline_cut(text, paragraph, number)
        yield paragraph, number, start, dateline
        number += paragraph.kind != "caption"  # a caption shares the next paragraph's number


def read_article(text: str, published: date | None = None) -> Article:
    """Body sentences and the publication date of an article's plain text."""
    paragraphs = _paragraphs(text)
    article = Article(text=text, published=None, published_from=None)
    read = list(_body_paragraphs(text, paragraphs))
    article.datelines = [dateline for *_, dateline in read if dateline]
    if published is not None:
        article.published, article.published_from = published, "the date given"
    else:
        found, source = find_publication_date(
            text, _date_lines(paragraphs, text), article.datelines
        )
        article.published, article.published_from = found, source
    index = 0
    for paragraph, number, start, _ in read:
        caption = paragraph.kind == "caption"
        for a, b in split_sentences(text, start, paragraph.end):
            sentence = text[a:b]
            if _FILE_PHOTO.search(sentence) or (
                caption
                and (
                    _PHOTO_SENTENCE.search(sentence)
                    or _archive_picture(sentence, article.published)
                )
            ):
                continue
            article.sentences.append(Sentence(sentence, a, b, number, index, caption))
            index += 1
    return article
