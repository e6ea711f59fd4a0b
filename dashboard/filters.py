"""Filters over incidents: applied with pandas, and able to describe themselves in words.

The same `Filters` drives the sidebar, the URL query string, the CLI's `export` and the
briefing view, so a shared link, a wall display and an export all mean the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import pandas as pd

from dashboard import actors

# Filter name -> URL query parameter. Lists are comma-separated in the URL.
LIST_FILTERS = ("actor", "side", "type", "weapon", "country", "site")


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    actor: tuple[str, ...] = ()
    side: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    weapon: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    site: tuple[str, ...] = ()
    min_casualties: int | None = None
    text: str = ""

    # -- URL round trip -----------------------------------------------------------------
    @classmethod
    def from_query(cls, params: dict[str, str | list[str]]) -> Filters:
        """Read filters from URL query parameters; unreadable values are ignored, not fatal."""

        def one(key: str) -> str | None:
            value = params.get(key)
            if isinstance(value, list):
                value = value[-1] if value else None
            return value.strip() if isinstance(value, str) and value.strip() else None

        def many(key: str) -> tuple[str, ...]:
            value = params.get(key)
            items = value if isinstance(value, list) else [value] if value else []
            return tuple(v.strip() for item in items for v in item.split(",") if v.strip())

        return cls(
            start=_parse_day(one("start")),
            end=_parse_day(one("end")),
            min_casualties=_parse_int(one("min_casualties")),
            text=one("q") or "",
            **{name: many(name) for name in LIST_FILTERS},
        )

    def to_query(self) -> dict[str, str]:
        query: dict[str, str] = {}
        if self.start:
            query["start"] = self.start.isoformat()
        if self.end:
            query["end"] = self.end.isoformat()
        for name in LIST_FILTERS:
            if getattr(self, name):
                query[name] = ",".join(getattr(self, name))
        if self.min_casualties is not None:
            query["min_casualties"] = str(self.min_casualties)
        if self.text:
            query["q"] = self.text
        return query

    def is_empty(self) -> bool:
        return self == Filters()

    def cleared(self, name: str) -> Filters:
        default = {f.name: f.default for f in fields(self)}
        value = () if name in LIST_FILTERS else default[name]
        return replace(self, **{name: value})

    # -- applying -----------------------------------------------------------------------
    def mask(self, incidents: pd.DataFrame) -> pd.Series:
        keep = pd.Series(True, index=incidents.index)
        dates = incidents["event_date"]
        if self.start:
            keep &= dates >= pd.Timestamp(self.start)
        if self.end:
            keep &= dates <= pd.Timestamp(self.end)
        if self.actor:
            names = set(self.actor)
            members = _members_of(names)
            keep &= incidents["actor1"].isin(members) | incidents["actor2"].isin(members)
        if self.side:
            sides = actors.with_sides(incidents[["actor1", "actor2"]])
            keep &= sides["side1"].isin(self.side) | sides["side2"].isin(self.side)
        if self.type:
            keep &= incidents["event_type"].isin(self.type)
        if self.weapon:
            keep &= incidents["weapon"].isin(self.weapon)
        if self.country:
            keep &= incidents["country"].isin([c.upper() for c in self.country])
        if self.site:
            keep &= incidents["site_id"].isin(self.site)
        if self.min_casualties is not None:
            casualties = incidents["killed"].fillna(0) + incidents["wounded"].fillna(0)
            known = incidents["killed"].notna() | incidents["wounded"].notna()
            keep &= known & (casualties >= self.min_casualties)
        if self.text:
            haystack = (
                incidents["notes"].fillna("") + " " + incidents["location"].fillna("")
            ).str.casefold()
            keep &= haystack.str.contains(self.text.casefold(), regex=False)
        return keep.fillna(False).astype(bool)

    def apply(self, incidents: pd.DataFrame) -> pd.DataFrame:
        return incidents[self.mask(incidents)]

    # -- words --------------------------------------------------------------------------
    def describe(self, incidents: pd.DataFrame | None = None) -> str:
        """One line a person can read: '34 incidents, 12 Oct 2023 - 4 Feb 2024, actor KH, IQ'."""
        parts = []
        if incidents is not None:
            count = len(incidents)
            parts.append(f"{count:,} incident{'s' if count != 1 else ''}")
            span_start = self.start or (incidents["event_date"].min() if count else None)
            span_end = self.end or (incidents["event_date"].max() if count else None)
        else:
            span_start, span_end = self.start, self.end
        if span_start is not None and span_end is not None and not pd.isna(span_start):
            parts.append(f"{_day(span_start)} - {_day(span_end)}")
        elif self.start:
            parts.append(f"from {_day(self.start)}")
        elif self.end:
            parts.append(f"until {_day(self.end)}")
        labels = {
            "actor": "actor",
            "side": "side",
            "type": "type",
            "weapon": "weapon",
            "site": "site",
        }
        for name, label in labels.items():
            values = getattr(self, name)
            if values:
                plural = "s" if len(values) > 1 else ""
                parts.append(f"{label}{plural} {', '.join(v.replace('_', ' ') for v in values)}")
        if self.country:
            parts.append(", ".join(_country_name(c) for c in self.country))
        if self.min_casualties is not None:
            parts.append(f"at least {self.min_casualties} killed or wounded")
        if self.text:
            parts.append(f"mentioning “{self.text}”")
        return ", ".join(parts) if parts else "all incidents"


def _members_of(names: set[str]) -> set[str]:
    """The named actors and every actor whose umbrella group is one of them."""
    table = actors.load_actors()
    members = set(names)
    for row in table.itertuples():
        if any(u in names for u in actors.umbrellas_of(row.name)):
            members.add(row.name)
    return members


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parse_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _day(value) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


_COUNTRY_NAMES = {
    "IQ": "Iraq",
    "SY": "Syria",
    "JO": "Jordan",
    "IR": "Iran",
    "LB": "Lebanon",
    "KW": "Kuwait",
    "TR": "Turkey",
    "SA": "Saudi Arabia",
    "IL": "Israel",
    "PS": "Palestine",
    "YE": "Yemen",
}


def _country_name(code: str) -> str:
    return _COUNTRY_NAMES.get(code.upper(), code.upper())
