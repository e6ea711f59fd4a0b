"""The main page: filters, a one-line description, headline numbers, map, timeline, table.

Every number, bar and row comes from the query engine for the current data version and the
filters; nothing here holds or scans the whole set of incidents.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.engine import Engine, Headline
from dashboard.errors import AtlasError
from dashboard.filters import Filters
from dashboard.formats.writers import render
from dashboard.views import common
from dashboard.views.common import literal_markdown, show_error
from dashboard.views.filter_controls import filter_controls, set_date_span, show_problems
from dashboard.views.map_panel import show_map
from dashboard.views.timeline import build_timeline, selected_span

TABLE_PAGE = 200
DOWNLOADS = (
    ("CSV", "csv", "text/csv"),
    ("GeoJSON", "geojson", "application/geo+json"),
    ("KML", "kml", "application/vnd.google-earth.kml+xml"),
)


def apply_chart_span() -> None:
    """A span dragged on the timeline becomes the sidebar's date filter (a callback runs before
    the widgets are drawn, so it may set their state)."""
    span = selected_span(st.session_state.get("timeline"))
    if span:
        set_date_span(*span)


def figure_text(total: int | None, unknown: int, incidents: int) -> tuple[str, str]:
    """A casualty headline: the figure ("unknown" when no incident reports one) and a caption
    saying how many incidents give no figure."""
    if total is None:
        return "unknown", f"no figure in any of {incidents:,} incidents"
    caption = f"{unknown:,} incidents with no figure" if unknown else "every incident has a figure"
    return f"{total:,}", caption


def show_headline(numbers: Headline) -> None:
    kpis = st.columns(5)
    change = numbers.change
    kpis[0].metric(
        "Incidents",
        f"{numbers.incidents:,}",
        delta=None if change is None else f"{change:+,} vs previous {numbers.period_days} days",
        delta_color="inverse",
    )
    for column, label, total, unknown in (
        (kpis[1], "Killed", numbers.killed, numbers.killed_unknown),
        (kpis[2], "Wounded", numbers.wounded, numbers.wounded_unknown),
    ):
        value, caption = figure_text(total, unknown, numbers.incidents)
        column.metric(f"{label} (reported)", value)
        column.caption(caption)
    kpis[3].metric("Sites hit", f"{numbers.sites_hit:,}")
    kpis[4].metric("Countries", f"{numbers.countries:,}")


def show_table(engine: Engine, filters: Filters, count: int, chosen_id: str | None) -> None:
    st.subheader("Incidents")
    pages = max(1, -(-count // TABLE_PAGE))
    page = 0
    if pages > 1:
        page = (
            st.number_input(
                f"Page (newest first, {TABLE_PAGE} a page, {pages:,} pages)",
                min_value=1,
                max_value=pages,
                value=1,
                step=1,
                key="table_page",
            )  # fmt: skip
            - 1
        )
    rows = common.table_page(engine, engine.version, filters, int(page), TABLE_PAGE)
    chosen = engine.incident(chosen_id) if chosen_id else None
    if chosen is not None:
        st.info(f"Selected on the map: {literal_markdown(chosen_id)} (first row, highlighted)")
        selected = pd.DataFrame([chosen])[list(rows.columns)]
        rows = pd.concat([selected, rows[rows["incident_id"] != chosen_id]], ignore_index=True)
    styled = rows.style.apply(
        lambda row: [
            "background-color: #fff3b0" if row["incident_id"] == chosen_id else "" for _ in row
        ],
        axis=1,
    )
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        key="incident_table",
        column_config={
            "event_date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "event_type": "type",
            "actor1": "attacker",
            "actor2": "target",
            "killed": st.column_config.NumberColumn("killed", format="%d"),
            "wounded": st.column_config.NumberColumn("wounded", format="%d"),
            "source_url": st.column_config.LinkColumn("link", display_text="open"),
            "source_count": st.column_config.NumberColumn("sources", format="%d"),
            "sources_text": st.column_config.TextColumn("every source", width="large"),
            "notes": st.column_config.TextColumn("notes", width="large"),
        },
    )


def show_downloads(engine: Engine, filters: Filters) -> None:
    def data(fmt: str):
        return lambda: render(engine.frame(filters), fmt)

    for column, (label, fmt, mime) in zip(st.columns(3), DOWNLOADS, strict=True):
        column.download_button(
            f"Download {label}",
            data(fmt),
            file_name=f"incidents.{fmt}",
            mime=mime,
            key=f"download_{fmt}",
            on_click="ignore",
        )


try:
    engine = common.current_engine()
except AtlasError as error:
    show_error(error)
    st.stop()

filters, problems = filter_controls(engine)
version = engine.version
numbers = common.headline(engine, version, filters)

st.title("Incident Atlas")
show_problems(problems)
span = (numbers.first_day, numbers.last_day) if numbers.first_day else None
description = filters.describe(count=numbers.incidents, span=span, vocab=engine.vocabulary)
st.markdown(f"**{literal_markdown(description)}**")
show_headline(numbers)

color_by = st.radio(
    "Colour incidents by",
    ["side", "event_type"],
    horizontal=True,
    key="color_by",
    format_func=lambda v: {"side": "attacker's side", "event_type": "event type"}[v],
)
heat = st.toggle("Heat layer")
chosen_id = st.session_state.get("selected_incident")
clicked_id = show_map(engine, filters, key="incident_map", color_by=color_by, heat=heat)
if clicked_id and clicked_id != chosen_id:
    st.session_state["selected_incident"] = clicked_id
    chosen_id = clicked_id

st.subheader("Timeline")
counts, frequency = common.timeline(engine, version, filters, color_by)
chart = build_timeline(counts, frequency=frequency, by=color_by)
st.altair_chart(chart, width="stretch", on_select=apply_chart_span, key="timeline")
st.caption(f"One bar per {frequency}; drag across the chart to filter the page to that span.")

show_table(engine, filters, numbers.incidents, chosen_id)
show_downloads(engine, filters)
