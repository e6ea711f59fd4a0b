"""Time playback over the filtered period: frames that step by a day or a week, each showing a
moving window of the last N days or everything so far (cumulative), Kepler.gl's two habits.

A link can ask for playback (`play=week&window=30&speed=1`); the wall view plays it and loops.
Pure: the views draw the frames, the benchmark times them, tests check them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.filters import FilterProblem, day_text

STEPS = {"day": 1, "week": 7}
CUMULATIVE = ("all", "cumulative")
DEFAULT_WINDOW = 30
MAX_WINDOW = 3660
SPEEDS = (0.5, 1.0, 2.0, 4.0)  # seconds a frame
MIN_SECONDS, MAX_SECONDS = 0.5, 60.0
URL_KEYS = ("play", "window", "speed")


@dataclass(frozen=True)
class Frame:
    """One step of playback: incidents from `start` to `end` (the cursor), both included."""

    index: int
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        if self.start == self.end:
            return day_text(self.end)
        return f"{day_text(self.start)} \u2013 {day_text(self.end)}"


@dataclass(frozen=True)
class Playback:
    """step: "day" or "week"; window: days in each frame, None for cumulative; seconds a frame."""

    step: str = "week"
    window: int | None = DEFAULT_WINDOW
    seconds: float = 1.0

    def __post_init__(self):
        if self.step not in STEPS:
            raise ValueError(f"step must be one of {tuple(STEPS)}")
        if self.window is not None and not 1 <= self.window <= MAX_WINDOW:
            raise ValueError(f"window must be 1..{MAX_WINDOW} days or None (cumulative)")
        if not MIN_SECONDS <= self.seconds <= MAX_SECONDS:
            raise ValueError(f"seconds must be {MIN_SECONDS:g}..{MAX_SECONDS:g}")

    def frames(self, first: date, last: date) -> list[Frame]:
        """Frames whose cursors step from the end of the first step to `last` (always the
        final cursor), each window clipped to start no earlier than `first`."""
        if last < first:
            return []
        step = timedelta(days=STEPS[self.step])
        cursors, cursor = [], first + step - timedelta(days=1)
        while cursor < last:
            cursors.append(cursor)
            cursor += step
        cursors.append(last)
        return [Frame(i, self._start(first, end), end) for i, end in enumerate(cursors)]

    def _start(self, first: date, end: date) -> date:
        if self.window is None:
            return first
        return max(first, end - timedelta(days=self.window - 1))

    def describe(self) -> str:
        window = "cumulative" if self.window is None else f"a moving {self.window}-day window"
        return f"by {self.step}, {window}"

    def to_query(self) -> dict[str, str]:
        query = {"play": self.step, "window": "all" if self.window is None else str(self.window)}
        if self.seconds != 1.0:
            query["speed"] = f"{self.seconds:g}"
        return query


def _one(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    raw = params.get(key)
    if raw is None:
        return None
    value = raw if isinstance(raw, str) else (list(raw)[-1] if len(raw) else "")
    return str(value).strip() or None


def _window(text: str | None) -> tuple[int | None, FilterProblem | None]:
    if text is None:
        return DEFAULT_WINDOW, None
    if text.lower() in CUMULATIVE:
        return None, None
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_WINDOW:
        message = f"write a number of days (1..{MAX_WINDOW}) or 'all' for cumulative"
        return DEFAULT_WINDOW, FilterProblem("window", text, message)
    return days, None


def _seconds(text: str | None) -> tuple[float, FilterProblem | None]:
    if text is None:
        return 1.0, None
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        message = f"write seconds a frame, {MIN_SECONDS:g} to {MAX_SECONDS:g}"
        return 1.0, FilterProblem("speed", text, message)
    return seconds, None


def parse_playback(params: Mapping[str, str | Sequence[str]]):
    """(Playback or None when the link asks for none, problems with its values)."""
    step = _one(params, "play")
    if step is None:
        return None, []
    problems = []
    if step.lower() not in STEPS:
        problems.append(FilterProblem("play", step, f"use {' or '.join(STEPS)}"))
        step = "week"
    window, problem = _window(_one(params, "window"))
    seconds, speed_problem = _seconds(_one(params, "speed"))
    problems += [p for p in (problem, speed_problem) if p]
    return Playback(step=step.lower(), window=window, seconds=seconds), problems
