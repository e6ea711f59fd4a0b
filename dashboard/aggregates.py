"""Aggregates the views draw: headline numbers, timeline series, latest incidents.

Pure pandas; unknown casualty figures are counted as unknown, never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pandas as pd

from dashboard import actors
from dashboard.filters import Filters

DAILY_UP_TO_DAYS = 120


@dataclass(frozen=True)
class Headline:
    incidents: int
    killed: int
    killed_unknown: int
    wounded: int
    wounded_unknown: int
    sites_hit: int
    period_days: int
    # Same filters, the period of equal length just before; None when the data does not cover it.
    previous_incidents: int | None

    @property
    def change(self) -> int | None:
        if self.previous_incidents is None:
            return None
        return self.incidents - self.previous_incidents


def period_bounds(selected: pd.DataFrame, filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(filters.start) if filters.start else selected["event_date"].min()
    end = pd.Timestamp(filters.end) if filters.end else selected["event_date"].max()
    return start, end


def headline(incidents: pd.DataFrame, filters: Filters) -> Headline:
    """Headline numbers for the filtered set, and the count for the previous equal period."""
    selected = filters.apply(incidents)
    previous, length = None, 0
    if len(selected):
        start, end = period_bounds(selected, filters)
        length = (end - start).days + 1
        before_start = start - timedelta(days=length)
        # Compare only with a period the data covers: before the data begins, "0 incidents"
        # would mean "no data", not "no attacks".
        if before_start >= incidents["event_date"].min():
            before = replace(
                filters, start=before_start.date(), end=(start - timedelta(days=1)).date()
            )
            previous = int(before.mask(incidents).sum())
    return Headline(
        incidents=len(selected),
        killed=int(selected["killed"].sum()),
        killed_unknown=int(selected["killed"].isna().sum()),
        wounded=int(selected["wounded"].sum()),
        wounded_unknown=int(selected["wounded"].isna().sum()),
        sites_hit=int(selected["site_id"].nunique()),
        period_days=length,
        previous_incidents=previous,
    )


def timeline_frequency(incidents: pd.DataFrame) -> str:
    """'day' for spans up to DAILY_UP_TO_DAYS days, else 'week' (weeks starting Monday)."""
    if incidents.empty:
        return "day"
    span = (incidents["event_date"].max() - incidents["event_date"].min()).days
    return "day" if span <= DAILY_UP_TO_DAYS else "week"


def timeline(incidents: pd.DataFrame, by: str = "side") -> pd.DataFrame:
    """Incidents and casualties per period, one row per (period, group)."""
    frequency = timeline_frequency(incidents)
    frame = actors.with_sides(incidents) if by == "side" else incidents
    group_column = "side1" if by == "side" else "event_type"
    dates = frame["event_date"]
    period = dates.dt.to_period("D" if frequency == "day" else "W-SUN").dt.start_time
    grouped = pd.DataFrame(
        {
            "period": period,
            "group": frame[group_column].astype("string").fillna("unknown"),
            "casualties": frame["killed"].fillna(0) + frame["wounded"].fillna(0),
        }
    ).groupby(["period", "group"], as_index=False)
    counts = grouped.agg(incidents=("casualties", "size"), casualties=("casualties", "sum"))
    counts["casualties"] = counts["casualties"].astype("int64")
    return counts.sort_values(["period", "group"]).reset_index(drop=True)


def latest(incidents: pd.DataFrame, count: int = 10) -> pd.DataFrame:
    return incidents.sort_values(["event_date", "incident_id"], ascending=False).head(count)


def incidents_per_site(incidents: pd.DataFrame) -> pd.Series:
    return incidents.dropna(subset=["site_id"]).groupby("site_id").size()
