"""The wall's layout, style and markup: pure functions the briefing page draws with.

Sizes come from the viewport, not from pixels: one unit `--u` is min(1vh, 1.25vw), which is 1vh
on any screen 16:9 or wider, so text is the same share of the screen's height on a 1080p and a
4K screen, at 100% or 200% scaling alike. The smallest text is `TEXT_U` units: its capital
letters are 2.9% of the screen's height, legible at 5 m on a 75-inch screen (the browser test
works the figures through). The page fills the screen without scrolling: a header (title,
description, clock, freshness), a strip of headline numbers, then the map, with its legend
above it in the wall's type (`map_legend_html`), beside one panel at a time. Every piece of text
from the data is escaped.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from dashboard.engine import Headline
from dashboard.filters import day_text
from dashboard.views.map.legend import LegendFacts
from dashboard.views.map.palette import NO_FIGURE_COLOR
from dashboard.views.safe import html_text
from dashboard.views.screen import Screen

TEXT_U = 4.4  # the smallest text, in units of --u
MAP_TEXT_PX = 13  # the map's legend and label text at scale 1 (its desk size)
MAP_SHARE = 0.66  # the map's height as a share of the screen's (its CSS, `--body-h`)


def map_scale(size: Screen) -> float:
    """The map's symbols and text scaled to match the wall's text: the map draws its text at
    MAP_TEXT_PX CSS px at scale 1, the wall at TEXT_U units of min(1vh, 1.25vw). 3.66 on a
    1080-px-high viewport (1080p at 100%, 4K at 200%), 7.31 on 4K at 100%."""
    from dashboard.views.map.style import MAX_SCALE, MIN_SCALE

    unit = size.height / 100 if not size.measured else min(size.height, 1.25 * size.width) / 100
    return min(max(round(TEXT_U * unit / MAP_TEXT_PX, 2), MIN_SCALE), MAX_SCALE)


def wall_css(panels: int, rotate_seconds: int) -> str:
    """The wall's style. Every size is in --u; the side panels take turns, each shown for
    `rotate_seconds` of a cycle of `panels` (a CSS animation: no rerun, no script)."""
    share = 100 / panels
    return f"""
<style>
:root {{ --u: min(1vh, 1.25vw); --text: calc({TEXT_U} * var(--u)); }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], .st-key-screen, footer {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"] {{ background: #05070a; color: #f5f7fa; }}
[data-testid="stMain"] {{ overflow: hidden; }}
[data-testid="stMainBlockContainer"] {{
  padding: calc(1.5 * var(--u)) calc(2 * var(--u)) 0; max-width: 100%;
}}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: 0; }}
[data-testid="stMarkdownContainer"] {{ margin-bottom: 0 !important; }}
.wall {{ font-size: var(--text); line-height: 1.15; color: #f5f7fa; }}
.wall-head {{ display: flex; justify-content: space-between; gap: calc(3 * var(--u));
  height: calc(18 * var(--u)); overflow: hidden; }}
.wall-title {{ font-size: calc(6 * var(--u)); font-weight: 700; line-height: 1.1; margin: 0; }}
.wall-sub {{ color: #d0d6de; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; }}
.wall-time {{ text-align: right; white-space: nowrap; color: #c5ccd6; }}
.wall-time time {{ font-weight: 700; color: #ffffff; font-size: calc(6 * var(--u)); }}
.wall-kpis {{ display: flex; gap: calc(5 * var(--u)); height: calc(16.5 * var(--u));
  overflow: hidden; }}
.wall-kpi .n {{ font-size: calc(9.5 * var(--u)); font-weight: 800; line-height: 1;
  color: #ffd54f; }}
.wall-kpi .l {{ color: #e0e6ee; }}
/* The map's column: its legend, then the map taking the height that is left. */
/* The map and its legend are drawn by the map's fragment, a block nested in this one: every
   level between this column and the map's frame passes the height on. */
.st-key-wall-map {{ height: var(--body-h); flex: none; flex-wrap: nowrap; }}
.st-key-wall-map :is([data-testid="stLayoutWrapper"], [data-testid="stVerticalBlock"]) {{
  flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; flex-wrap: nowrap; }}
.st-key-wall-map [data-testid="stElementContainer"]:has(iframe) {{ flex: 1 1 0;
  min-height: 0; }}
.st-key-wall-map [data-testid="stElementContainer"]:has(iframe) > div {{ height: 100%; }}
.st-key-wall-map iframe {{ height: 100% !important; }}
:root {{ --body-h: calc(100vh - 37 * var(--u)); }}
.wall-legend {{ display: flex; flex-wrap: wrap; column-gap: calc(3 * var(--u)); line-height: 1.05;
  padding-bottom: calc(0.8 * var(--u)); color: #e0e6ee; }}
.wall-legend .k {{ white-space: nowrap; }}
.wall-legend .n {{ color: #c5ccd6; }}
.wall-legend i {{ display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  margin-right: 0.3em; vertical-align: -0.05em; box-sizing: border-box; }}
.wall-legend i.hex {{ border-radius: 0.12em; }}
.wall-legend i.ring {{ border: 0.14em solid; }}
.wall-panels {{ display: grid; height: var(--body-h); overflow: hidden; }}
.wall-panel {{ grid-area: 1 / 1; opacity: 0; visibility: hidden; min-width: 0;
  animation: wall-turn {rotate_seconds * panels}s infinite; }}
@keyframes wall-turn {{
  0%, {share - 0.5:.2f}% {{ opacity: 1; visibility: visible; }}
  {share:.2f}%, 100% {{ opacity: 0; visibility: hidden; }}
}}
.wall-panel-title {{ font-weight: 700; color: #ffd54f; margin-bottom: calc(1 * var(--u)); }}
.wall-list {{ list-style: none; padding: 0; margin: 0; }}
.wall-list li {{ margin-left: 0;
  padding: calc(0.6 * var(--u)) 0 calc(0.6 * var(--u)) calc(1.5 * var(--u));
  border-left: calc(0.8 * var(--u)) solid transparent; margin-bottom: calc(1 * var(--u)); }}
.wall-list li.recent {{ border-left-color: #ff5252; }}
.wall-list li div {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.wall-list .d {{ color: #ffd54f; font-weight: 700; }}
.wall-list .who {{ color: #d0d6de; }}
.bd-row {{ margin-bottom: calc(1.2 * var(--u)); }}
.bd-line {{ position: relative; display: flex; justify-content: space-between;
  gap: calc(2 * var(--u)); padding: 0 calc(1 * var(--u)); background: #1a1f27; }}
.bd-bar {{ position: absolute; inset: 0 auto 0 0; background: #1f5a96; }}
.bd-label, .bd-n {{ position: relative; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.bd-n {{ font-weight: 700; flex: none; }}
.bd-c {{ color: #c5ccd6; padding-left: calc(1 * var(--u)); white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.bd-none {{ color: #c5ccd6; }}
@media (max-aspect-ratio: 1/1) {{
  /* A portrait screen (a phone with the wall's link): one column, and scrolling is fine. */
  :root {{ --u: 1.25vw; --body-h: 60vh; }}
  [data-testid="stMain"] {{ overflow: auto; }}
  .wall-head, .wall-kpis {{ height: auto; flex-wrap: wrap; }}
  .wall-panels {{ height: auto; }}
}}
</style>
"""


def _casualties(row) -> str:
    parts = [
        f"{int(v):,} {word}" for v, word in ((row.killed, "killed"), (row.wounded, "wounded"))
        if not pd.isna(v)
    ]  # fmt: skip
    return ", ".join(parts)


def latest_html(latest: pd.DataFrame, recent_since: pd.Timestamp) -> str:
    """The newest incidents, three lines each (when and its toll, what and where, by whom; a
    line too long for the panel ends in "…"); a red bar marks those since `recent_since`.
    Text from data is escaped."""
    items = []
    for row in latest.itertuples():
        what = "incident" if pd.isna(row.event_type) else str(row.event_type).replace("_", " ")
        first = _casualties(row) or "no casualty figure"
        place = f"{what} at {row.location}" if not pd.isna(row.location) else what
        who = "attacker not named" if pd.isna(row.actor1) else f"by {row.actor1}"
        recent = ' class="recent"' if row.event_date >= recent_since else ""
        items.append(
            f'<li{recent}><div><span class="d">{row.event_date:%d %b}</span> · '
            f"{html_text(first)}</div><div>{html_text(place)}</div>"
            f'<div class="who">{html_text(who)}</div></li>'
        )
    body = "".join(items) or "<li>no incidents</li>"
    return f'<ul class="wall-list">{body}</ul>'


def panels_html(panels: list[str], rotate_seconds: int) -> str:
    """Side panels sharing one place, each shown in turn (`wall_css` animates them)."""
    return '<div class="wall wall-panels">' + "".join(
        f'<section class="wall-panel" style="animation-delay: {i * rotate_seconds}s">{p}</section>'
        for i, p in enumerate(panels)
    ) + "</div>"  # fmt: skip


def every(seconds: int) -> str:
    """'every 5 min', 'every 90 s'."""
    return f"every {seconds // 60} min" if seconds % 60 == 0 else f"every {seconds} s"


def _figure(total: int | None) -> str:
    return "unknown" if total is None else f"{total:,}"


def _kpi(value: str, label: str) -> str:
    return f'<div class="wall-kpi"><div class="n">{value}</div><div class="l">{label}</div></div>'


def header_html(
    description: str, numbers: Headline, *, loaded: str, refresh_seconds: int, scale: float
) -> str:
    """Title, description (two lines at most), clock, freshness; then the headline numbers.
    The map's scale is written on the page (`data-map-scale`) for whoever checks the wall."""
    fresh = f"latest {day_text(numbers.last_day)}" if numbers.last_day else "no incidents"
    now = datetime.now(UTC)
    return (
        f'<div class="wall" data-map-scale="{scale:g}"><div class="wall-head"><div>'
        '<div class="wall-title">Incident Atlas</div>'
        f'<div class="wall-sub">{html_text(description)}</div></div>'
        f'<div class="wall-time"><time id="wall-clock" datetime="{now.isoformat()}">'
        f"{now:%H:%M:%S} UTC</time><div>{fresh}</div>"
        f"<div>read {loaded}, {every(refresh_seconds)}</div></div></div>"
        '<div class="wall-kpis">'
        f"{_kpi(f'{numbers.incidents:,}', 'incidents')}"
        f"{_kpi(_figure(numbers.killed), 'killed (reported)')}"
        f"{_kpi(_figure(numbers.wounded), 'wounded (reported)')}"
        f"{_kpi(f'{numbers.sites_hit:,}', 'sites hit')}</div></div>"
    )


def _key(swatch: str, label: str, count: int | None = None, *, kind: str = "") -> str:
    """One legend entry: a swatch (a CSS colour, or '' for none) and its words."""
    mark = f'<i class="{kind}" style="background:{html_text(swatch)}"></i>' if swatch else ""
    number = f' <span class="n">{count:,}</span>' if count is not None else ""
    return f'<span class="k">{mark}{html_text(label)}{number}</span>'


def _legend_keys(facts: LegendFacts) -> list[str]:
    if facts.mode == "points":
        keys = [_key(row.color, row.label, row.count) for row in facts.rows]
        return [*keys, _key("", "size: killed + wounded"), _key("", "number: incidents")]
    if facts.mode == "cells":
        keys = [_key("", f"{facts.title}:")]
        keys += [_key(b.color, b.label, kind="hex") for b in facts.scale.bins]
        if facts.no_figure:
            keys.append(_key(NO_FIGURE_COLOR, "no figure", facts.no_figure, kind="hex"))
        return [*keys, _key("", f"hexagons {facts.km} km across")]
    return [_key("", "no incidents with coordinates")]


def map_legend_html(facts: LegendFacts) -> str:
    """The map's legend in the wall's type, a line or two above the map: it hides nothing on
    the map and reads across the room. Colours with their side or type and number, the ring of
    recent incidents, what size and numbers mean (or the hexagons' scale), and how many
    incidents have no coordinates."""
    keys = _legend_keys(facts)
    if facts.since:
        ring = f'<i class="ring" style="border-color:{html_text(facts.ring)}"></i>'
        keys.append(f'<span class="k">{ring}last {facts.days} days</span>')
    if facts.unlocated:
        keys.append(_key("", f"{facts.unlocated:,} without coordinates, not shown"))
    return f'<div class="wall wall-legend">{"".join(keys)}</div>'
