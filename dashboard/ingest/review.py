"""What the article review page needs from the data layer (no streamlit here).

- `highlight_html`: the article as safe HTML with each candidate's evidence in <mark>; every
  piece of article text is escaped with html.escape before any tag is added.
- `EDITABLE`, `review_table`: the candidates as the editor shows them (accept column first).
- `accepted_incidents`: the edited table back to typed canonical incidents, validated with
  `parse_incidents`; a changed place is geocoded again (or loses its coordinates).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from dashboard.problems import Problem
from dashboard.schema import COLUMNS, parse_incidents

EDITABLE = (
    "event_date", "location", "actor1", "actor2", "event_type", "weapon", "killed", "wounded",
)  # fmt: skip
SHOWN = ("accept", "n", *EDITABLE, "time_precision", "confidence", "site_id", "evidence")
_PLACE_COLUMNS = ("site_id", "country", "admin1", "latitude", "longitude", "geo_precision",
                  "geo_source")  # fmt: skip


def evidence_spans(text: str, evidence: pd.Series) -> list[tuple[int, int, int]]:
    """(start, end, candidate number from 1) of each evidence passage found in text."""
    spans: list[tuple[int, int, int]] = []
    for number, passage in enumerate(evidence.fillna(""), start=1):
        for part in str(passage).split(" … "):
            part = part.strip()
            if not part:
                continue
            start = text.find(part)
            if start >= 0:
                spans.append((start, start + len(part), number))
    return sorted(spans)


def highlight_html(text: str, evidence: pd.Series) -> str:
    """The article as HTML: escaped text, evidence passages wrapped in numbered <mark>s."""
    out: list[str] = []
    position = 0
    for start, end, number in evidence_spans(text, evidence):
        if start < position:  # the same sentence as an earlier candidate: add its number
            out.append(f"<sup>[{number}]</sup>")
            continue
        out.append(html.escape(text[position:start]))
        out.append(
            f'<mark title="candidate {number}">{html.escape(text[start:end])}</mark>'
            f"<sup>[{number}]</sup>"
        )
        position = end
    out.append(html.escape(text[position:]))
    return (
        '<div class="atlas-article" style="white-space: pre-wrap; line-height: 1.5;">'
        + "".join(out)
        + "</div>"
    )


def review_table(candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidates with an accept column (True) and a number matching the highlights."""
    table = candidates.copy()
    table.insert(0, "n", range(1, len(table) + 1))
    table.insert(0, "accept", True)
    table["event_date"] = table["event_date"].dt.date
    return table


def _geocode(location: str) -> dict | None:
    from dashboard.ingest.places import geocoder

    found = geocoder().geocode(location)
    return None if found is None else found.raw


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def accepted_incidents(
    original: pd.DataFrame, edited: pd.DataFrame, *, dataset: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """The accepted rows of the edited table as typed incidents, and every problem found.

    `original` is the review table before editing (same index): a location that changed is
    geocoded again; when the gazetteer does not know it, its coordinates are cleared.
    """
    accepted = edited[edited["accept"].fillna(False).astype(bool)]
    rows = []
    for index, row in accepted.iterrows():
        cells = {c: _text(row.get(c)) for c in COLUMNS}
        before = _text(original.at[index, "location"]) if index in original.index else None
        if cells["location"] and cells["location"] != before:
            raw = _geocode(cells["location"])
            for column in _PLACE_COLUMNS:
                cells[column] = _text(raw.get(column)) if raw else ""
            note = "place changed in review" + ("" if raw else ": not in the gazetteer")
            cells["notes"] = "; ".join(p for p in (cells["notes"], note) if p)
        rows.append(cells)
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype="string")
    frame.index = range(2, len(frame) + 2)
    typed, problems = parse_incidents(frame, dataset=dataset)
    return typed.reset_index(drop=True), problems


def slug(text: str) -> str:
    """A short name for a dataset: 'The National' -> 'the-national'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "article"
