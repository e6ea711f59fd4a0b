"""Round 6 failure classes (fresh5 studied), each on a short article written for the test.

Every text here is our own wording of a shape that defeated the extractor on a real page; no
article text is copied. Each test names the class it guards.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.ingest import extract_incidents

PUBLISHED = date(2024, 5, 10)  # a Friday


def rows(text: str, published: date | None = PUBLISHED) -> pd.DataFrame:
    return extract_incidents(text, published=published, name="test")


def places_on(frame: pd.DataFrame, day: str) -> list[str]:
    return list(frame[frame["event_date"] == pd.Timestamp(day)]["location"])


def test_a_quote_opened_after_told_is_not_blanked_with_the_attribution():
    # "told AFP "a drone hit ..."": the attribution ends where the quote begins
    frame = rows(
        "A drone struck the Taji base north of Baghdad on Thursday, officials said.\n\n"
        'Hours later, an officer told AFP "a drone struck... the hangar at the Imam Ali airbase"'
        " in Dhi Qar province."
    )
    assert "ali-air-base" in set(frame["site_id"].dropna())
