"""Colours: categorical (side, event type) for incidents, sequential for hexagon values.

Categories keep the same colour on the map and the timeline. The sequential scale is ColorBrewer
YlOrRd on light maps and a magma-like ramp on dark ones (dark, low values recede; hot spots are
bright), in classes with round, roughly geometric breaks: counts are heavy-tailed, and equal
steps would paint every hexagon but the hottest in the lowest class.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

COLOR_BY = ("side", "event_type")
UNKNOWN = "Unknown"
OTHER = "Other"
SIDE_COLORS = {
    "Iran-aligned militia": "#d62728",
    "Iran": "#8c1d18",
    "US and coalition": "#1f77b4",
    "US-aligned partner force": "#17becf",
    "Iraqi government": "#2ca02c",
    "Kurdistan Regional Government": "#bcbd22",
    "Syrian government": "#9467bd",
    "Jordanian government": "#8c564b",
    "Jihadist group": "#ff7f0e",
    "Palestinian armed group": "#e377c2",
}
TYPE_COLORS = {
    "attack": "#d62728",
    "airstrike": "#1f77b4",
    "foiled_attack": "#ff7f0e",
    "interception": "#9467bd",
    "clash": "#8c564b",
    "seizure": "#17becf",
    "protest": "#bcbd22",
    "other": "#7f7f7f",
}
EXTRA_COLORS = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")
UNKNOWN_COLOR = "#7f7f7f"
OTHER_COLOR = "#b5b5b5"
MAX_LEGEND_CATEGORIES = 10  # beyond: "Other"

SEQUENTIAL = {
    # ColorBrewer YlOrRd, without its palest step (it vanishes on the light land colour).
    "light": ("#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026",
              "#800026"),
    "dark": ("#2c115f", "#51127c", "#721f81", "#932b80", "#b73779", "#d8456c", "#f1605d",
             "#fe9f6d", "#fecf92", "#fcfdbf"),
}  # fmt: skip
NO_FIGURE_COLOR = "#9e9e9e"
MAX_CLASSES = 8


@dataclass(frozen=True)
class Category:
    label: str
    color: str
    count: int


def categorise(values: pd.Series, color_by: str) -> tuple[pd.Series, list[Category]]:
    """Per-row legend label (the most frequent categories, then Other and Unknown) and the
    legend's rows, most frequent first."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}, not {color_by!r}")
    palette = SIDE_COLORS if color_by == "side" else TYPE_COLORS
    labels = values.astype("string").str.strip().replace("", pd.NA).fillna(UNKNOWN)
    counts = labels.value_counts(sort=True)
    named = [c for c in counts.index if c != UNKNOWN][:MAX_LEGEND_CATEGORIES]
    extra = iter(EXTRA_COLORS)
    colors: dict[str, str] = {}
    for name in named:
        color = palette.get(name) or next(extra, None)
        if color is None:
            break
        colors[name] = color
    labels = labels.where(labels.isin([*colors, UNKNOWN]), OTHER)
    rows = [Category(name, color, int(counts[name])) for name, color in colors.items()]
    other = int(counts.drop([*colors, UNKNOWN], errors="ignore").sum())
    if other:
        rows.append(Category(OTHER, OTHER_COLOR, other))
    if UNKNOWN in counts.index:
        rows.append(Category(UNKNOWN, UNKNOWN_COLOR, int(counts[UNKNOWN])))
    return labels.astype("object"), rows


def category_color(label: str, rows: Sequence[Category]) -> str:
    for row in rows:
        if row.label == label:
            return row.color
    return UNKNOWN_COLOR if label == UNKNOWN else OTHER_COLOR


# ----------------------------------------------------------------------------- sequential


@dataclass(frozen=True)
class Bin:
    low: int
    high: int | None  # None: and above
    color: str

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{self.low:,} or more" if self.low else "0 or more"
        if self.high == self.low:
            return f"{self.low:,}"
        return f"{self.low:,}\u2013{self.high:,}"


@dataclass(frozen=True)
class SequentialScale:
    """Classes of whole numbers: bin i covers low_i..high_i; the last is open-ended."""

    bins: tuple[Bin, ...]

    def color(self, value: float) -> str:
        for current in reversed(self.bins):
            if value >= current.low:
                return current.color
        return self.bins[0].color


ROUND_STEPS = ((1, 2, 5), (1, 3), (1,))  # per decade, finest first


def _round_numbers(start: int, high: int, steps: tuple[int, ...]) -> list[int]:
    """Round numbers (steps per decade) from `start` up to, not including, `high`."""
    numbers, power = [], 1
    while power <= high:
        numbers += [m * power for m in steps if start <= m * power < high]
        power *= 10
    return numbers


def class_breaks(low: int, high: int, classes: int = MAX_CLASSES) -> list[int]:
    """Lower bounds of at most `classes` classes covering low..high (whole numbers): every
    value when few, else round numbers, 1-2-5 per decade or coarser when that is too many."""
    if high - low + 1 <= classes:
        return list(range(low, high + 1))
    for steps in ROUND_STEPS:
        breaks = sorted({low, *_round_numbers(low + 1, high, steps)})
        if len(breaks) <= classes:
            return breaks
    return breaks[:classes]


def sequential_scale(values: pd.Series, theme: str = "light") -> SequentialScale:
    """Classes for the (whole, non-negative) values present, coloured light to dark."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    low, high = (int(known.min()), int(math.ceil(known.max()))) if len(known) else (0, 0)
    breaks = class_breaks(low, high)
    ramp = SEQUENTIAL[theme]
    if len(breaks) == 1:
        picks = [len(ramp) // 2]
    else:
        picks = [round(i * (len(ramp) - 1) / (len(breaks) - 1)) for i in range(len(breaks))]
    bins = []
    for i, start in enumerate(breaks):
        end = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        if end is None and start == high:
            end = high  # the top class holds exactly the largest value
        bins.append(Bin(start, end, ramp[picks[i]]))
    return SequentialScale(tuple(bins))
