"""Text from the data on a page: the one way to write it, so it always shows as text.

Incident fields, batch and file names, article text, problem messages quoting cells, URL
values and setting values all come from other hands. Streamlit renders almost every string it
is given as Markdown (st.markdown, st.error/warning/info/success, st.caption, st.title, widget
and metric labels and values, help texts, progress text, toasts, select_slider and radio
options), and HTML we build goes through st.html or st.markdown(unsafe_allow_html=True), where
Markdown is parsed around the HTML. So a value is escaped for where it goes:

- `markdown(template, **values)`: our Markdown (bold, lists) with every value escaped by
  `markdown_text`: each ASCII punctuation mark backslash-escaped (CommonMark allows it for all
  of them), which also stops Streamlit's own extensions (`:red[...]`, `:material/...:`,
  `$math$`, emoji `:name:`) and GFM autolinks; line breaks and runs of spaces become one space,
  so data cannot start a paragraph, heading, list or code block.
- `html(template, **values)`: our HTML with every value escaped by `html_text` (MarkupSafe's
  escaping, plus line breaks and the other ASCII punctuation as character references, so the
  value is inert even where Markdown is parsed around the HTML: a blank line in data cannot end
  the HTML block). A value that is already `Markup` (built by `html`) is kept as it is.
- Both first make invisible controls visible (`\\u202e`): the C0 and C1 control characters and
  the bidirectional embeddings and overrides, which could make a message read other than it
  says; an isolate the value opens and does not close is closed at its end.

Values are formatted first (`{count:,}` works), then escaped. Templates are our own text and
are never escaped: never pass data as a template. Selectbox and multiselect options and
dataframe cells are plain text in Streamlit (no Markdown); Vega tooltips are escaped by
vega-tooltip; the map's popups and legend are Jinja2 templates with autoescape
(`dashboard.views.map.templates`). This module does not import Streamlit: the wall's HTML and
its tests use it too.
"""

from __future__ import annotations

import re
import string
from typing import Any

import pandas as pd
from markupsafe import Markup

__all__ = ["Markup", "html", "html_text", "markdown", "markdown_text", "visible"]

# What `dashboard.cell_parsers.CONTROL_CHARACTERS` refuses on import (C0 but tab, line feed and
# carriage return; DEL; the bidirectional embeddings and overrides U+202A-U+202E), and the C1
# controls; data written before that check, or through the store's API, may still hold them.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")
_ISOLATE_OPENERS = "\u2066\u2067\u2068"  # LRI, RLI, FSI
_ISOLATE_CLOSER = "\u2069"  # PDI
_WHITESPACE = re.compile(r"\s+")
# Streamlit's Markdown (remark-gfm) turns URLs and e-mail addresses into links by searching the
# text *after* escapes are read, so escaping cannot stop it. An invisible word joiner where the
# searches need two characters side by side does: between `:` and `//`, `www` and `.`, and
# before `@`. The text reads the same; a copy of it holds the joiners.
WORD_JOINER = "\u2060"
_AUTOLINK_SEAMS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_HTML_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
_HTML_TABLE = str.maketrans(
    {
        **{chr(c): f"&#{c};" for c in range(0x21, 0x7F) if not chr(c).isalnum()},
        **_HTML_NAMED,
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array: not one missing value
        return False


def visible(value: Any) -> str:
    """A value as text ('' when missing) with control characters and bidirectional overrides
    written out (`\\u202e`) and any isolate it leaves open closed."""
    text = "" if _is_missing(value) else str(value)
    text = _INVISIBLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)
    open_isolates = 0
    for character in text:
        if character in _ISOLATE_OPENERS:
            open_isolates += 1
        elif character == _ISOLATE_CLOSER and open_isolates:
            open_isolates -= 1
    return text + _ISOLATE_CLOSER * open_isolates


def markdown_text(value: Any) -> str:
    """A value that Streamlit's Markdown shows literally, on one line (spaces around it
    trimmed: `**{name}**` stays bold)."""
    text = _WHITESPACE.sub(" ", visible(value)).strip()
    text = _AUTOLINK_SEAMS.sub(WORD_JOINER, text)
    return _ASCII_PUNCTUATION.sub(r"\\\g<0>", text)


def html_text(value: Any) -> Markup:
    """A value as HTML text, inert in an attribute, in text, and inside Markdown."""
    if isinstance(value, Markup):
        return value
    return Markup(visible(value).translate(_HTML_TABLE))


class _Escaping(string.Formatter):
    """str.format, with each field formatted by its spec and then escaped."""

    def __init__(self, escape):
        self.escape = escape

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Markup) and self.escape is html_text and not format_spec:
            return value
        shown = "" if _is_missing(value) else format(value, format_spec)
        return self.escape(shown)


_MARKDOWN = _Escaping(markdown_text)
_HTML = _Escaping(html_text)


def markdown(template: str, /, *args: Any, **values: Any) -> str:
    """`template` (our Markdown) with its `{fields}` filled by escaped values."""
    return _MARKDOWN.vformat(template, args, values)


def html(template: str, /, *args: Any, **values: Any) -> Markup:
    """`template` (our HTML) with its `{fields}` filled by escaped values; `Markup` values
    (HTML built by this function) are kept."""
    return Markup(_HTML.vformat(template, args, values))
