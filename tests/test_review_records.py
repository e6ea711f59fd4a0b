"""The review table's data layer: candidates already recorded, and what accepting them does."""

from __future__ import annotations

import pandas as pd

from dashboard.engine import Engine
from dashboard.formats import read_incidents
from dashboard.ingest import extract_incidents
from dashboard.ingest.review import (
    RECORD_NEW,
    RECORD_SOURCE,
    accepted_batch,
    review_table,
    with_matches,
)
from dashboard.paths import DATA_DIR
from tests.test_extract_articles import SEED_TEXT

ENGINE = Engine(
    read_incidents(DATA_DIR / "incidents.csv", dataset="curated", curated=True),
    search_in_background=False,
)


def _seed_table() -> pd.DataFrame:
    candidates = extract_incidents(SEED_TEXT, name="seed", source="The National",
                                   source_url="https://example.org/seed")  # fmt: skip
    table, recorded = with_matches(review_table(candidates), ENGINE)
    assert set(recorded["incident_id"]) == set(table["recorded_as"].dropna())
    return table


def test_matched_candidates_default_to_a_source_of_the_recorded_incident():
    table = _seed_table()
    matched = table["recorded"].str.startswith("already recorded: ")
    assert matched.sum() == 4
    assert (table.loc[matched, "record"] == RECORD_SOURCE).all()
    assert (table.loc[~matched, "record"] == RECORD_NEW).all()
    new, attach, problems = accepted_batch(table, table, dataset="article:seed",
                                           published=pd.Timestamp("2023-11-26").date())  # fmt: skip
    assert problems == []
    assert len(new) == 2 and len(attach) == 4
    assert attach["incident_id"].tolist() == table.loc[matched, "recorded_as"].tolist()
    assert attach["publication"].eq("The National").all()
    assert attach["url"].eq("https://example.org/seed").all()
    assert attach["evidence"].tolist() == table.loc[matched, "evidence"].tolist()
    assert attach["published"].dt.strftime("%Y-%m-%d").eq("2023-11-26").all()
    assert new["evidence"].notna().all()  # the new incidents' own source keeps its sentence


def test_the_same_place_a_day_apart_is_offered_but_not_chosen():
    """The seed article dates the strikes on Jurf al-Sakhar by the night of 21 November, the
    curated set by the 22nd: shown as possibly recorded, kept new unless the reviewer says."""
    table = _seed_table()
    possibly = table[table["recorded"].str.startswith("possibly recorded, 1 day apart: ")]
    assert possibly["location"].str.contains("Jurf Al Sakhar").tolist() == [True]
    assert possibly["recorded"].str.contains("2023-11-22 · airstrike · Jurf").all()
    assert (possibly["record"] == RECORD_NEW).all()
    new, attach, _ = accepted_batch(table, table, dataset="article:seed")
    assert possibly["recorded_as"].iloc[0] not in set(attach["incident_id"])
    edited = table.copy()
    edited.loc[possibly.index, "record"] = RECORD_SOURCE
    new_after, attach_after, _ = accepted_batch(table, edited, dataset="article:seed")
    assert len(new_after) == len(new) - 1
    assert attach_after["incident_id"].tolist()[-1] == possibly["recorded_as"].iloc[0]


def test_the_reviewer_can_still_choose_a_new_incident_or_leave_a_row_out():
    table = _seed_table()
    edited = table.copy()
    edited["record"] = RECORD_NEW  # every row its own incident
    edited.loc[edited.index[-1], "accept"] = False
    new, attach, _ = accepted_batch(table, edited, dataset="article:seed")
    assert len(new) == 5 and attach.empty
    edited["record"] = RECORD_SOURCE  # a row with no match cannot be a source: stays new
    new, attach, _ = accepted_batch(table, edited, dataset="article:seed")
    assert len(new) == 1 and len(attach) == 4
