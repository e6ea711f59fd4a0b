"""The extractor on articles written blind: by someone who never saw its rules or test articles.

tests/fixtures/articles/blind/ holds six articles and an analyst's answer key (expected.csv),
written from a brief alone. An expected incident is found when an extracted row has its date
and its place: the same gazetteer site, or a point within 10 km of the named town.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from geopy.distance import geodesic

from dashboard.geocoding import GazetteerGeocoder
from dashboard.ingest import extract_incidents

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def _found(row: pd.Series, expected: pd.Series, geocoder: GazetteerGeocoder) -> bool:
    if row["event_date"] != pd.Timestamp(expected["event_date"]):
        return False
    place = geocoder.geocode(expected["place"])
    assert place is not None, (
        f"the answer key's place {expected['place']!r} is not in the gazetteer"
    )
    site = place.raw.get("site_id")
    if site:
        return not pd.isna(row["site_id"]) and row["site_id"] == site
    if pd.isna(row["latitude"]):
        return False
    return geodesic((place.latitude, place.longitude), (row["latitude"], row["longitude"])).km <= 10


def blind_scores(folder: Path) -> tuple[float, float, list[str]]:
    key = pd.read_csv(folder / "expected.csv", dtype=str, keep_default_na=False)
    geocoder = GazetteerGeocoder()
    found = extracted = 0
    notes = []
    for article in sorted(folder.glob("*.txt")):
        frame = extract_incidents(article.read_text(encoding="utf-8"), name=article.stem)
        extracted += len(frame)
        used: set = set()
        for _, expected in key[key["article"] == article.name].iterrows():
            hits = [
                i
                for i, row in frame.iterrows()
                if i not in used and _found(row, expected, geocoder)
            ]
            if hits:
                used.add(hits[0])
                found += 1
            else:
                notes.append(f"{article.name}: missed {expected['event_date']} {expected['place']}")
        for i, row in frame.iterrows():
            if i not in used:
                notes.append(
                    f"{article.name}: extra {row['event_date']:%Y-%m-%d} {row['location']}"
                )
    recall = found / len(key)
    precision = found / extracted if extracted else 1.0
    return recall, precision, notes


def test_blind_recall_and_precision():
    """First run on this set, before any rule saw it: recall 0.57, precision 0.57 (8 of 14);
    that is the figure for unseen text. General rules written from its misses then found all 14
    with no extra (1.00 / 1.00), so from here on this set guards against regressions."""
    recall, precision, notes = blind_scores(ARTICLES / "blind")
    print(f"blind set: recall {recall:.2f}, precision {precision:.2f}")
    print("\n".join(notes))
    assert recall >= 0.9 and precision >= 0.9, notes


def test_second_blind_set_recall_and_precision():
    """A second set written blind after the first round of rules: first run recall 0.81,
    precision 0.81 (13 of 16). General rules written from its misses then found all 16 with no
    extra, so it too now guards against regressions."""
    recall, precision, notes = blind_scores(ARTICLES / "blind2")
    print(f"second blind set: recall {recall:.2f}, precision {precision:.2f}")
    print("\n".join(notes))
    assert recall >= 0.9 and precision >= 0.9, notes


def test_third_blind_set_never_tuned_on():
    """Written blind while the second round of rules was written, and run once afterwards, with
    no rule changed for it: recall 0.94 (15 of 16), precision 1.00 (15 of 15). This is the
    figure for unseen text; keep it unseen (do not write rules from its misses). After the
    issue 9 rewrite (rules written from real articles, not from this set): 0.94 / 0.94."""
    recall, precision, notes = blind_scores(ARTICLES / "blind3")
    print(f"third blind set: recall {recall:.2f}, precision {precision:.2f}")
    print("\n".join(notes))
    assert recall >= 0.9 and precision >= 0.9, notes
