"""The wall's pure parts: the map's scale from the screen, text from data escaped, unknown
figures said as unknown, how fresh the data is said in words, and the map's legend."""

from __future__ import annotations

from datetime import date
from html import unescape

import pandas as pd
import pytest

from dashboard.engine import Headline
from dashboard.views.map.legend import LegendFacts
from dashboard.views.map.palette import Category, sequential_scale
from dashboard.views.screen import ASSUMED, Screen
from dashboard.views.wall import (
    every,
    header_html,
    latest_html,
    map_legend_html,
    map_scale,
    wall_css,
)

XSS = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("size", "scale"),
    [
        (Screen(1920, 1080, 1), 3.66),  # 1080p at 100%
        (Screen(1920, 1080, 2), 3.66),  # 4K at 200%: the same CSS viewport
        (Screen(3840, 2160, 1), 7.31),  # 4K at 100%: twice the CSS pixels
        (Screen(1280, 720, 1), 2.44),
        (Screen(1440, 1080, 1), 3.66),  # 4:3: the height still decides
        (Screen(390, 844, 3), 1.65),  # a phone, portrait: the width decides
        (ASSUMED, 3.66),  # before the browser has said
    ],
)
def test_the_maps_scale_matches_the_walls_text(size, scale):
    assert map_scale(size) == scale


def numbers(killed=None, wounded=None, last=date(2024, 2, 7)) -> Headline:
    return Headline(
        incidents=3, killed=killed, killed_unknown=3, wounded=wounded, wounded_unknown=3,
        sites_hit=1, countries=1, first_day=date(2024, 2, 1), last_day=last, period_days=7,
        previous_incidents=None,
    )  # fmt: skip


def test_the_header_escapes_the_description_and_says_unknown():
    shown = header_html(XSS, numbers(), loaded="10:00 UTC", refresh_seconds=300, scale=3.66)
    assert XSS not in shown and "&lt;script&gt;" in shown
    assert '<div class="n">unknown</div><div class="l">killed (reported)' in shown
    assert "latest 7 Feb 2024" in shown and "read 10:00 UTC, every 5 min" in shown
    assert 'data-map-scale="3.66"' in shown


@pytest.mark.parametrize(("seconds", "words"), [(300, "every 5 min"), (90, "every 90 s"),
                                                (3600, "every 60 min")])  # fmt: skip
def test_how_often_the_wall_rereads_in_words(seconds, words):
    assert every(seconds) == words


def test_the_latest_list_escapes_data_and_marks_recent_incidents():
    latest = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2024-02-07", "2024-01-02"]),
            "event_type": ["attack", None],
            "actor1": [XSS, None],
            "location": ["Tower 22", None],
            "killed": [3, None],
            "wounded": [None, None],
        }
    )
    shown = latest_html(latest, pd.Timestamp("2024-02-01"))
    assert XSS not in shown and "by &lt;script&gt;" in shown
    assert shown.count('class="recent"') == 1
    assert "3 killed" in shown and "0 wounded" not in shown  # an unknown figure is left out
    assert "no casualty figure" in shown and "attacker not named" in shown


def test_each_panel_shows_for_its_share_of_the_cycle():
    css = wall_css(6, 15)
    assert "wall-turn 90s infinite" in css
    assert "0%, 16.17% { opacity: 1; visibility: visible; }" in css
    assert "16.67%, 100% { opacity: 0; visibility: hidden; }" in css


def test_the_map_legend_names_every_colour_with_its_number_and_escapes_data():
    rows = (Category("Iran-aligned militia", "#d62728", 1234), Category(XSS, "#1f77b4", 5))
    facts = LegendFacts(mode="points", rows=rows, located=1239, total=1241,
                        since=date(2024, 2, 1), days=7, ring="#ffe600")  # fmt: skip
    legend = map_legend_html(facts)
    assert XSS not in legend and "&lt;script&gt;" in legend
    shown = unescape(legend)  # what the browser reads (punctuation is escaped as references)
    assert 'style="background:#d62728"></i>Iran-aligned militia <span class="n">1,234</span>' in (
        shown)  # fmt: skip
    assert "size: killed + wounded" in shown and "number: incidents" in shown
    assert 'border-color:#ffe600"></i>last 7 days' in shown
    assert "2 without coordinates, not shown" in shown
    assert shown.startswith('<div class="wall wall-legend">')  # measured with the wall's text


def test_the_map_legend_gives_the_hexagons_scale():
    scale = sequential_scale(pd.Series([1, 4, 40, 900]), "dark")
    facts = LegendFacts(mode="cells", metric="incidents", scale=scale, no_figure=3, km="61",
                        located=945, total=945)  # fmt: skip
    shown = unescape(map_legend_html(facts))
    assert "Incidents per hexagon:" in shown and "hexagons 61 km across" in shown
    for step in scale.bins:
        assert f'style="background:{step.color}"></i>{step.label}' in shown
    assert "no figure" in shown and "without coordinates" not in shown and "last" not in shown


def test_the_map_legend_says_when_nothing_is_located():
    shown = unescape(map_legend_html(LegendFacts(mode="empty", located=0, total=4)))
    assert "no incidents with coordinates" in shown and "4 without coordinates" in shown
