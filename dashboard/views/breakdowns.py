"""Breakdowns: counts and known casualties of the filtered incidents by attacker, target, site,
weapon and month, each bar a filter.

`breakdown_rows` turns the engine's answer into what a reader sees (names, not ids or codes;
"no figure" rather than 0); `breakdown_spec` is a pure function returning the Vega-Lite spec
(built with Altair once per kind of breakdown; tests read it). Clicking a bar sets the matching
sidebar widget, the way dragging across the timeline sets the dates. The wall draws the same
rows as large HTML bars (`wall_panel_html`).
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date
from functools import cache, partial

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import countries
from dashboard.engine import Engine
from dashboard.filters import Filters, Vocabulary
from dashboard.views import common
from dashboard.views.filter_controls import set_date_span
from dashboard.views.safe import html_text

PICK_PARAM = "pick"
DATA_NAME = "rows"
BAR_COLOR = "#4c78a8"
ROW_PX = 36  # a desk row: a line of text above a bar
BAR_PX = 10
BAR_OFFSET = 8  # below the middle of the row, under its text


@dataclass(frozen=True)
class Panel:
    by: str  # Engine.breakdown's key
    title: str
    widget: str | None  # the sidebar widget a click sets (None: the period)
    missing: str  # what a row of incidents without this value is called


PANELS = (
    Panel("attacker", "By attacker", "filter_attacker", "attacker not named"),
    Panel("target", "By target", "filter_target", "target not named"),
    Panel("site", "By site", "filter_site", "no gazetteer site"),
    Panel("weapon", "By weapon", "filter_weapon", "weapon not given"),
    Panel("month", "By month", None, ""),
)
BY_KEY = {p.by: p for p in PANELS}


def _figure(value: float) -> str | None:
    return None if pd.isna(value) else f"{int(value):,}"


def casualty_text(killed: float, wounded: float) -> str:
    """'3 killed, 27 wounded'; a figure no incident gives is left out; 'no figures' if both."""
    parts = [f"{n} {word}" for n, word in ((_figure(killed), "killed"),
                                           (_figure(wounded), "wounded")) if n]  # fmt: skip
    return ", ".join(parts) if parts else "no figures"


def _label(value, panel: Panel, vocab: Vocabulary) -> str:
    if value is None:
        return panel.missing
    if panel.by == "month":
        return f"{value:%b %Y}"
    if panel.by == "site":
        return vocab.site_name(value)
    if panel.by == "country":
        return countries.name_of(value)
    return str(value).replace("_", " ")


def worded(frame: pd.DataFrame, missing: str) -> pd.DataFrame:
    """The engine's breakdown with words for its values: `missing` where the incidents do not
    say, "N others" for the lumped rest, categories without underscores."""
    words = [
        f"{n:,} others" if n else missing if v is None else str(v).replace("_", " ")
        for v, n in zip(frame["value"], frame["others"], strict=True)
    ]
    return frame.assign(value=words)


def breakdown_rows(frame: pd.DataFrame, by: str, vocab: Vocabulary) -> pd.DataFrame:
    """The engine's breakdown with what the chart needs: `label` (a name), `key` (the value a
    click filters on; empty for rows that cannot be a filter), `casualty_text`, `text` (the
    count and casualties written beside the bar)."""
    panel = BY_KEY[by]
    rows = frame.copy()
    rows["label"] = [
        f"{n:,} others" if n else _label(v, panel, vocab)
        for v, n in zip(rows["value"], rows["others"], strict=True)
    ]
    rows["key"] = [
        "" if v is None or n else (v.isoformat() if isinstance(v, date) else str(v))
        for v, n in zip(rows["value"], rows["others"], strict=True)
    ]
    rows["casualty_text"] = [
        casualty_text(k, w) for k, w in zip(rows["killed"], rows["wounded"], strict=True)
    ]
    rows["text"] = [
        f"{n:,} · {c}" for n, c in zip(rows["incidents"], rows["casualty_text"], strict=True)
    ]
    return rows[["label", "key", "incidents", "casualty_text", "text", "with_figures"]]


def breakdown_spec(rows: pd.DataFrame, by: str) -> dict:
    """The Vega-Lite spec of one breakdown: the chart for `by` (built once) with `rows` as its
    data. The chart depends on nothing but the rows' columns (order, bar lengths and the axis
    come from the data), so a rerun costs a copy, not an Altair build and validation."""
    spec = json.loads(_chart_json(by))
    data = rows.assign(order=range(len(rows)), track=int(rows["incidents"].max() or 1))
    records = data.astype(object).where(data.notna(), None).to_dict("records")
    spec["datasets"] = {DATA_NAME: records}
    return spec


@cache
def _chart_json(by: str) -> str:
    chart = _month_chart(by) if by == "month" else _rows_chart(by)
    # Validation belongs to the tests (test_breakdowns checks the spec); here it costs 0.1 s each.
    return json.dumps(chart.to_dict(validate=False))


def warm() -> None:
    """Build every breakdown chart once (a server does it before its first visitor)."""
    for panel in PANELS:
        _chart_json(panel.by)


def _pick_and_tooltip(by: str):
    pick = alt.selection_point(name=PICK_PARAM, fields=["key"], on="click", clear=False)
    tooltip = [
        alt.Tooltip("label:N", title=BY_KEY[by].title.removeprefix("By ")),
        alt.Tooltip("incidents:Q", title="incidents", format=","),
        alt.Tooltip("casualty_text:N", title="killed, wounded (known)"),
        alt.Tooltip("with_figures:Q", title="incidents giving figures", format=","),
    ]
    return pick, tooltip


# Bars that are not a filter (unknown, "others") are paler.
_OPACITY = alt.condition(alt.datum.key != "", alt.value(1.0), alt.value(0.4))


def _rows_chart(by: str):
    """A row per value: its name and figures written above a bar of its incidents (name on the
    left, count and casualties on the right), largest first; clicking anywhere on a row
    selects its `key` (the `pick` parameter). Text sits above the bars rather than beside them,
    so nothing is cut off however narrow the column."""
    pick, tooltip = _pick_and_tooltip(by)
    y = alt.Y("label:N", sort=alt.EncodingSortField("order"), axis=None)
    base = alt.Chart(alt.Data(name=DATA_NAME)).encode(y=y, tooltip=tooltip)
    # The track is as long as the longest bar, so the shared x domain is [0, largest count].
    scale = alt.Scale(zero=True, nice=False)
    bar = {"height": BAR_PX, "yOffset": BAR_OFFSET, "cursor": "pointer"}
    # A pale full-width track under each bar: the row's click target, and a guide to the eye.
    track = base.mark_bar(color="#e6e9ef", **bar).encode(x=alt.X("track:Q", axis=None, scale=scale))
    bars = base.mark_bar(color=BAR_COLOR, **bar).encode(
        x=alt.X("incidents:Q", axis=None, scale=scale), opacity=_OPACITY
    )
    # The name on the left (cut with "…" when the column is narrow), the figures on the right.
    names = base.mark_text(
        align="left", baseline="bottom", dy=-1, fontSize=13, fontWeight="bold",
        cursor="pointer", limit={"expr": "max(width - 170, width * 0.5)"},
    ).encode(x=alt.value(0), text="label:N")  # fmt: skip
    figures = base.mark_text(
        align="right", baseline="bottom", dy=-1, fontSize=13, cursor="pointer"
    ).encode(x=alt.value("width"), text="text:N")
    return alt.layer(track.add_params(pick), bars, names, figures).properties(
        height=alt.Step(ROW_PX), width="container", padding={"left": 2, "right": 2}
    )


def _month_chart(by: str):
    """Months as columns in time order; a click selects the month."""
    pick, tooltip = _pick_and_tooltip(by)
    return (
        alt.Chart(alt.Data(name=DATA_NAME))
        # However few the months, a bar stays a bar (never one block across the chart).
        .mark_bar(color=BAR_COLOR, cursor="pointer", width={"expr": "min(bandwidth('x'), 56)"})
        .encode(
            x=alt.X(
                "label:N",
                sort=alt.EncodingSortField("order"),
                title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap="parity"),
            ),  # fmt: skip
            y=alt.Y("incidents:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1)),
            opacity=_OPACITY,
            tooltip=tooltip,
        )
        .add_params(pick)
        .properties(height=180, width="container")
    )


def picked_key(event) -> str | None:
    """The `key` of the bar a chart event selected, or None (nothing, or not a filter)."""
    if not event:
        return None
    chosen = (event.get("selection") or {}).get(PICK_PARAM) or []
    keys = [item.get("key") for item in chosen if isinstance(item, dict)]
    return keys[0] if keys and keys[0] else None


def month_span(key: str) -> tuple[date, date]:
    """The first and last day of the month whose first day is `key` (YYYY-MM-DD)."""
    first = date.fromisoformat(key)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


# ----------------------------------------------------------------------------- the wall


def wall_panel_html(rows: pd.DataFrame, by: str) -> str:
    """One breakdown for the wall: per row, its name and count over a bar of its share of the
    largest, then its casualties (sized by the wall's CSS; nobody clicks a wall). Every piece
    of text from the data is escaped."""
    title = html_text(f"Incidents {BY_KEY[by].title.lower()}")
    most = max(int(rows["incidents"].max()), 1) if len(rows) else 1
    items = []
    for row in rows.itertuples():
        width = 100 * row.incidents / most
        items.append(
            f'<div class="bd-row"><div class="bd-line">'
            f'<div class="bd-bar" style="width:{width:.1f}%"></div>'
            f'<div class="bd-label">{html_text(row.label)}</div>'
            f'<div class="bd-n">{row.incidents:,}</div></div>'
            f'<div class="bd-c">{html_text(row.casualty_text)}</div></div>'
        )
    body = "".join(items) or '<div class="bd-none">no incidents</div>'
    return f'<div class="wall-panel-title">{title}</div>{body}'


# ----------------------------------------------------------------------------- the page

DESK_LIMIT = 8  # bars a desk panel shows before lumping the rest into "N others"


def apply_pick(by: str, key: str) -> None:
    """A clicked bar becomes the sidebar's filter (a callback runs before the widgets are drawn,
    so it may set their state). The chart gets a fresh key, so the same bar can be clicked again
    after the filter is cleared."""
    value = picked_key(st.session_state.get(key))
    if not value:
        return
    panel = BY_KEY[by]
    if panel.widget:
        st.session_state[panel.widget] = [value]
    else:
        set_date_span(*month_span(value))
    generation = f"_breakdown_generation_{by}"
    st.session_state[generation] = st.session_state.get(generation, 0) + 1


def _panel_chart(engine: Engine, filters: Filters, panel: Panel) -> None:
    frame = common.breakdown(engine, engine.version, filters, panel.by, DESK_LIMIT)
    rows = breakdown_rows(frame, panel.by, engine.vocabulary)
    st.markdown(f"**{panel.title}**")
    if rows.empty:
        st.caption("no incidents")
        return
    key = f"breakdown_{panel.by}_{st.session_state.get(f'_breakdown_generation_{panel.by}', 0)}"
    st.vega_lite_chart(
        breakdown_spec(rows, panel.by),
        width="stretch",
        key=key,
        on_select=partial(apply_pick, panel.by, key),
        selection_mode=PICK_PARAM,
    )


def show_breakdowns(engine: Engine, filters: Filters) -> None:
    """The panel on the main page: attacker and target, site and weapon side by side (one
    column on a phone), months below."""
    st.subheader("Breakdowns")
    st.caption(
        "Incidents, then killed and wounded where reported (figures no incident gives are "
        "left out). Click a bar to filter the page to it; pale bars are not filters."
    )
    with st.container(key="breakdowns"):
        for pair in (PANELS[0:2], PANELS[2:4]):
            for column, panel in zip(st.columns(2), pair, strict=True):
                with column:
                    _panel_chart(engine, filters, panel)
        _panel_chart(engine, filters, BY_KEY["month"])
