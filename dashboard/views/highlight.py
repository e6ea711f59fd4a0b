"""The article on the review page: its text as HTML, each candidate's evidence in a numbered
<mark>. Every piece of the article is escaped by `safe.html` before a tag is added, so the
article's own markup, Markdown and blank lines stay text (its paragraphs keep their breaks:
the text is shown with `white-space: pre-wrap`)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest.review import evidence_spans
from dashboard.views.safe import Markup, html, html_text

ARTICLE = '<div class="atlas-article" style="white-space: pre-wrap; line-height: 1.5;">{body}</div>'
MARK = '<mark title="candidate {number}">{passage}</mark><sup>[{number}]</sup>'
SAME_PASSAGE = "<sup>[{number}]</sup>"


def highlight_html(text: str, evidence: pd.Series) -> Markup:
    """The article as HTML: escaped text, evidence passages wrapped in numbered <mark>s."""
    out: list[Markup] = []
    position = 0
    for start, end, number in evidence_spans(text, evidence):
        if start < position:  # the same sentence as an earlier candidate: add its number
            out.append(html(SAME_PASSAGE, number=number))
            continue
        out.append(html_text(text[position:start]))
        out.append(html(MARK, number=number, passage=text[start:end]))
        position = end
    out.append(html_text(text[position:]))
    return html(ARTICLE, body=Markup("").join(out))
