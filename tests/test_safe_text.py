"""Text from the data shows as text: what a CommonMark parser (markdown-it, with GFM's tables,
strikethrough and autolinks, and dollar math as Streamlit has) and an HTML parser make of it
once escaped by dashboard.views.safe."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from dashboard.views.highlight import highlight_html
from dashboard.views.safe import (
    WORD_JOINER,
    Markup,
    html,
    html_text,
    markdown,
    markdown_text,
    visible,
)

GFM = MarkdownIt("gfm-like", {"html": True}).use(dollarmath_plugin)
COMMONMARK_HTML = MarkdownIt("commonmark", {"html": True})
HOSTILE = [
    "<b>x</b><script>alert(1)</script>",
    '<img src="http://127.0.0.2/beacon.png" onerror="alert(1)">',
    "**bold** _em_ `code` ~~del~~",
    "[link](http://example.org) <http://example.org> www.example.org a@example.org",
    "![img](http://127.0.0.2/beacon.png)",
    "first\n\n# heading\n\n- item\n1. one\n> quote\n\n    indented\n\ntitle\n===",
    "| a | b |\n|---|---|\n| c | d |",
    ":red[red] :material/warning: $x^2$ $$y$$ :smile: -> &amp; &#60;b&#62;",
    "javascript:alert(1) data:text/html,<script>alert(1)</script>",
    "\u202eevil\u202c \u2067open isolate",
    "tab\tand\x00nul\x1bescape\x85next",
    "back\\slash\\*star \\",
    "Ünïcödé 中文 العربية 🙂",
]


def shown(value) -> str:
    """What a reader should see: the value with controls written out, on one line (a word
    joiner is invisible, whether the value holds it or the escaping added it)."""
    return " ".join(visible(value).split()).replace(WORD_JOINER, "")


def rendered_text(markdown_source: str) -> str:
    """The text of a Markdown source that must render as one paragraph of text, no element."""
    rendered = GFM.render(markdown_source)
    if not markdown_source:
        assert rendered == ""
        return ""
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    inner = rendered[len("<p>") : -len("</p>\n")]
    assert "<" not in inner, rendered
    return unescape(inner)


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text += data


def parts(markup: str) -> _Parts:
    parser = _Parts()
    # A plain str: slices of a Markup are Markup, and str + Markup would escape the text again.
    parser.feed(str.__str__(markup))
    parser.close()
    return parser


# What Streamlit's Markdown (remark-gfm: mdast-util-gfm-autolink-literal) makes links of, searched
# in the text once escapes are read; markdown-it's linkify above does not search there.
REMARK_URL = re.compile(r"(?i)(https?://|www(?=\.))[-.\w]+")
REMARK_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+")


def read(markdown_source: str) -> str:
    """The text remark's autolink search sees: escapes read, the word joiners kept."""
    return re.sub(r"\\(.)", r"\1", markdown_source)


def as_read(markdown_source: str) -> str:
    """What a reader sees (the word joiners are invisible)."""
    return rendered_text(markdown_source).replace(WORD_JOINER, "")


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_renders_as_the_text_it_holds(value):
    assert as_read(markdown_text(value)) == shown(value)


@settings(max_examples=400, deadline=None)
@given(st.text())
@example("\u2060")  # a word joiner in the data itself (found by a CI-like run)
def test_any_text_renders_as_itself_in_markdown(value):
    assert as_read(markdown_text(value)) == shown(value)


@pytest.mark.parametrize("value", [*HOSTILE, "HTTPS://a.b", "see WWW.example.org", "a+b@c.d.e"])
def test_no_url_or_address_in_data_becomes_a_link(value):
    text = read(markdown_text(value))
    assert REMARK_URL.search(text) is None and REMARK_EMAIL.search(text) is None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("htpswW.:/@-+ab1 ")))
def test_no_link_pattern_survives_escaping(value):
    text = read(markdown_text(value))
    assert REMARK_URL.search(text) is None and REMARK_EMAIL.search(text) is None


@pytest.mark.parametrize("value", HOSTILE)
def test_every_markdown_mark_is_escaped(value):
    """Streamlit's own extensions (:red[...], :material/...:, emoji, math) work on unescaped
    colons, slashes and dollars: none is left."""
    escaped = markdown_text(value)
    assert re.search(r"(?<!\\)(?:\\\\)*[:/$\[\]*_`<]", escaped) is None


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_is_text_in_html_and_inside_markdown(value):
    markup = f'<div title="{html_text(value)}">{html_text(value)}</div>'
    found = parts(markup)
    assert found.tags == ["div"] and found.text == visible(value)
    assert found.attributes == [("title", visible(value))]
    # Where Markdown is parsed around HTML (st.markdown with unsafe_allow_html), the value
    # cannot end the HTML block: the whole is passed through untouched.
    assert COMMONMARK_HTML.render(markup).rstrip("\n") == markup  # 4.x drops the newline


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_is_text_in_html(value):
    markup = f"<div>{html_text(value)}</div>"
    assert parts(markup).text == visible(value)
    assert COMMONMARK_HTML.render(markup).rstrip("\n") == markup  # 4.x drops the newline


def test_templates_keep_our_markup_and_escape_the_values():
    line = markdown("**{name}** has {count:,} incidents", name="*x*", count=1234)
    assert GFM.render(line) == "<p><strong>*x*</strong> has 1,234 incidents</p>\n"
    inner = html("<b>{name}</b>", name="<i>x</i>")
    outer = html('<div class="{cls}">{body}</div>', cls='a" onclick="x', body=inner)
    found = parts(outer)
    assert found.tags == ["div", "b"] and found.text == "<i>x</i>"
    assert found.attributes == [("class", 'a" onclick="x')]
    assert isinstance(outer, Markup)


@pytest.mark.parametrize("missing", [None, pd.NA, float("nan"), pd.NaT])
def test_missing_values_are_empty(missing):
    assert markdown_text(missing) == "" and html_text(missing) == ""
    assert markdown("a{x}b", x=missing) == "ab"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a\u202eb", "a\\u202eb"),  # an override is shown, not obeyed
        ("a\x00b\x1b", "a\\x00b\\x1b"),
        ("\u2067open", "\u2067open\u2069"),  # an isolate left open is closed at the end
        ("\u2067closed\u2069", "\u2067closed\u2069"),
        ("مرحبا\u200f", "مرحبا\u200f"),  # marks stay: mixed Arabic and English needs them
    ],
)
def test_visible_writes_out_controls_and_overrides(value, expected):
    assert visible(value) == expected


def test_the_article_is_text_with_its_evidence_marked():
    text = (
        "Intro <i>x</i> **bold**\n\n![img](http://127.0.0.2/beacon.png)\n\n"
        'Rockets hit "the base" & more.\n'
    )
    article = highlight_html(text, pd.Series(['Rockets hit "the base" & more.']))
    found = parts(article)
    assert found.tags == ["div", "mark", "sup"]
    assert found.text == text.replace("more.", "more.[1]")
    assert ("title", "candidate 1") in found.attributes
    assert COMMONMARK_HTML.render(article).rstrip("\n") == article
