"""Playback frames: every step of the period, windows of N days or cumulative, the last frame
ending on the last day; and the link's `play`, `window`, `speed`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard.playback import Playback, parse_playback

FIRST, LAST = date(2023, 10, 17), date(2024, 2, 7)


@pytest.mark.parametrize("step", ["day", "week"])
@pytest.mark.parametrize("window", [1, 7, 30, None])
def test_frames_step_through_the_whole_period(step, window):
    frames = Playback(step=step, window=window).frames(FIRST, LAST)
    stride = 1 if step == "day" else 7
    assert frames[-1].end == LAST
    assert [f.index for f in frames] == list(range(len(frames)))
    gaps = {(b.end - a.end).days for a, b in zip(frames, frames[1:], strict=False)}
    assert gaps <= {stride} | ({(LAST - frames[-2].end).days} if len(frames) > 1 else set())
    for frame in frames:
        assert FIRST <= frame.start <= frame.end <= LAST
        if window is None:
            assert frame.start == FIRST
        else:
            assert frame.days == min(window, (frame.end - FIRST).days + 1)
    days = (LAST - FIRST).days + 1
    assert len(frames) == -(-days // stride)


def test_one_day_of_data_is_one_frame():
    (only,) = Playback(step="week").frames(FIRST, FIRST)
    assert (only.start, only.end) == (FIRST, FIRST) and only.label() == "17 Oct 2023"
    assert Playback().frames(FIRST, FIRST - timedelta(days=1)) == []


def test_the_link_asks_for_playback():
    assert parse_playback({}) == (None, [])
    playback, problems = parse_playback({"play": "week", "window": "30", "speed": "0.5"})
    assert playback == Playback(step="week", window=30, seconds=0.5) and problems == []
    assert parse_playback({"play": "day", "window": "all"})[0].window is None
    assert Playback(step="week", window=None, seconds=2).to_query() == {
        "play": "week", "window": "all", "speed": "2"}  # fmt: skip


@pytest.mark.parametrize(("params", "key"), [
    ({"play": "month"}, "play"), ({"play": "week", "window": "0"}, "window"),
    ({"play": "week", "window": "soon"}, "window"), ({"play": "day", "speed": "0"}, "speed"),
    ({"play": "day", "speed": "fast"}, "speed"),
])  # fmt: skip
def test_bad_values_are_reported_and_playback_still_works(params, key):
    playback, problems = parse_playback(params)
    assert isinstance(playback, Playback)
    assert [p.key for p in problems] == [key]
    assert problems[0].message


def test_settings_are_checked():
    for bad in ({"step": "month"}, {"window": 0}, {"seconds": 0.1}):
        with pytest.raises(ValueError):
            Playback(**bad)
