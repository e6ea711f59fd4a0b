"""What the article review page needs from the data layer (no streamlit here).

- `evidence_spans`: where each candidate's evidence is in the article (the page marks them,
  `dashboard.views.highlight`).
- `EDITABLE`, `review_table`: the candidates as the editor shows them (accept column first).
- `accepted_incidents`: the edited table back to typed canonical incidents, validated with
  `parse_incidents`; a changed place is geocoded again (or loses its coordinates).
- `with_matches`: each candidate's best match among the stored incidents (dashboard.dedupe),
  shown as "already recorded"; its `record` choice defaults to adding the article as a source
  of that incident, and the reviewer can choose a new incident instead.
- `accepted_batch`: the accepted rows split into new incidents and sources of stored ones.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.problems import Problem
from dashboard.schema import COLUMNS, parse_incidents

EDITABLE = (
    "event_date", "location", "actor1", "actor2", "event_type", "weapon", "killed", "wounded",
)  # fmt: skip
SHOWN = (
    "accept", "n", "record", "recorded", *EDITABLE, "time_precision", "confidence", "site_id",
    "evidence",
)  # fmt: skip
RECORD_NEW = "new incident"
RECORD_SOURCE = "add as source"
RECORD_CHOICES = (RECORD_SOURCE, RECORD_NEW)
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


def review_table(candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidates with an accept column (True) and a number matching the highlights;
    `record` says a new incident until `with_matches` finds one already recorded."""
    table = candidates.copy()
    table.insert(0, "n", range(1, len(table) + 1))
    table.insert(0, "accept", True)
    table.insert(2, "record", RECORD_NEW)
    table.insert(3, "recorded", pd.Series("", index=table.index, dtype="string"))
    table["recorded_as"] = pd.Series(pd.NA, index=table.index, dtype="string")
    table["event_date"] = table["event_date"].dt.date
    return table


# Outlets date a strike in the night by either night ("late on Sunday", "on Monday"): a
# stored incident this many days from a candidate that matches nothing is offered, not chosen.
POSSIBLE_DAYS = 1
POSSIBLY = "possibly recorded"


def with_matches(table: pd.DataFrame, engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The review table with each candidate's best stored match (`recorded_as`, `recorded`,
    `record` = add as source), and the matched stored incidents (engine.recorded).

    A candidate that matches nothing but would a day apart gets that incident too, as
    "possibly recorded" with `record` left at new incident: the reviewer decides."""
    from dashboard.dedupe import best_matches

    best = best_matches(engine.matches(table))
    unmatched = np.setdiff1d(np.arange(len(table)), best["candidate"].to_numpy())
    near = best_matches(engine.matches(table.iloc[unmatched], slack_days=POSSIBLE_DAYS))
    near["candidate"] = unmatched[near["candidate"].to_numpy(dtype=int)]
    recorded = engine.recorded([*best["incident_id"], *near["incident_id"]])
    out = table.copy()
    _mark(out, best, recorded, lambda row: "already recorded", RECORD_SOURCE)
    _mark(out, near, recorded, _possibly, RECORD_NEW)
    return out, recorded


def _possibly(match) -> str:
    days = int(match["days_apart"])
    return f"{POSSIBLY}, {days} day{'s' if days != 1 else ''} apart"


def _mark(out: pd.DataFrame, matches: pd.DataFrame, recorded: pd.DataFrame, words, record: str):
    from dashboard.dedupe import describe_recorded

    if matches.empty:
        return
    lines = {r["incident_id"]: describe_recorded(r) for _, r in recorded.iterrows()}
    rows = out.index[matches["candidate"].to_numpy(dtype=int)]
    out.loc[rows, "recorded_as"] = matches["incident_id"].to_numpy()
    out.loc[rows, "recorded"] = [
        f"{words(m)}: {lines[m['incident_id']]}" for _, m in matches.iterrows()
    ]
    out.loc[rows, "record"] = record


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


def accepted_batch(
    original: pd.DataFrame, edited: pd.DataFrame, *, dataset: str, published=None
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """(new incidents, sources of stored incidents, problems) from the edited table: accepted
    rows marked "add as source" that match a stored incident become sources of it (evidence,
    publication and day of the article); the other accepted rows become new incidents."""
    from dashboard.sources import attached_sources

    incidents, problems = accepted_incidents(original, edited, dataset=dataset)
    accepted = edited[edited["accept"].fillna(False).astype(bool)].reset_index(drop=True)
    incidents["evidence"] = accepted["evidence"].astype("string").to_numpy()
    recorded_as = accepted.get("recorded_as", pd.Series(pd.NA, index=accepted.index))
    as_source = (accepted.get("record", RECORD_NEW) == RECORD_SOURCE) & recorded_as.notna()
    as_source = as_source.fillna(False).to_numpy(dtype=bool)
    attach = attached_sources(
        incidents[as_source], recorded_as[as_source].astype("string"), published=published
    )
    new = incidents[~as_source].reset_index(drop=True)
    return new, attach, problems


def publication_day(text: str, published=None):
    """The day the article was published: as given, else as the page prints it (or None)."""
    from dashboard.ingest.article import html_to_text, looks_like_html, read_article

    if published is not None:
        return published
    if looks_like_html(text):
        text = html_to_text(text)
    return read_article(text).published
