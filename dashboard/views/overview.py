"""The main page: filters, a one-line description, headline numbers, map, timeline, table."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import actors, aggregates, settings
from dashboard.errors import AtlasError
from dashboard.formats.writers import render
from dashboard.views.common import (
    cached_incidents,
    cached_sites,
    literal_markdown,
    show_error,
)
from dashboard.views.filter_controls import filter_controls, set_date_span
from dashboard.views.map import build_map, incident_id_from_click
from dashboard.views.timeline import build_timeline, selected_span


def apply_chart_span() -> None:
    """A span dragged on the timeline becomes the sidebar's date filter (a callback runs before
    the widgets are drawn, so it may set their state)."""
    span = selected_span(st.session_state.get("timeline"))
    if span:
        set_date_span(*span)


try:
    incidents = cached_incidents(settings.get("data"))
except AtlasError as error:
    show_error(error)
    st.stop()

filters = filter_controls(incidents)
selected = actors.with_sides(filters.apply(incidents))

st.title("Incident Atlas")
st.markdown(f"**{literal_markdown(filters.describe(selected))}**")

numbers = aggregates.headline(incidents, filters)
kpis = st.columns(5)
change = numbers.change
kpis[0].metric(
    "Incidents",
    f"{numbers.incidents:,}",
    delta=None if change is None else f"{change:+,} vs previous {numbers.period_days} days",
    delta_color="inverse",
)
kpis[1].metric("Killed", f"{numbers.killed:,}", help=f"{numbers.killed_unknown} with no figure")
kpis[1].caption(f"{numbers.killed_unknown} incidents with no figure")
kpis[2].metric("Wounded", f"{numbers.wounded:,}")
kpis[2].caption(f"{numbers.wounded_unknown} incidents with no figure")
kpis[3].metric("Sites hit", f"{numbers.sites_hit:,}")
kpis[4].metric("Countries", f"{selected['country'].nunique():,}")

color_by = st.radio(
    "Colour incidents by",
    ["side", "event_type"],
    horizontal=True,
    key="color_by",
    format_func=lambda v: {"side": "actor side", "event_type": "event type"}[v],
)
basemap = settings.get("basemap")
chosen_id = st.session_state.get("selected_incident")
# The selected incident is not drawn on the map: a changed map script makes st_folium build a
# new iframe, which would close the popup the user just opened. The table shows the selection.
try:
    incident_map = build_map(
        selected,
        color_by=color_by,
        basemap=basemap,
        sites=cached_sites(),
        heat=st.toggle("Heat layer"),
    )
except AtlasError as error:
    show_error(error)
    st.stop()
clicked = st_folium(
    incident_map,
    height=560,
    use_container_width=True,
    key="incident_map",
    returned_objects=["last_object_clicked_tooltip"],
)
clicked_id = incident_id_from_click(clicked)
if clicked_id and clicked_id != chosen_id:
    st.session_state["selected_incident"] = clicked_id
    chosen_id = clicked_id

st.subheader("Timeline")
frequency = aggregates.timeline_frequency(selected)
chart = build_timeline(aggregates.timeline(selected, by=color_by), frequency=frequency, by=color_by)
st.altair_chart(chart, width="stretch", on_select=apply_chart_span, key="timeline")
st.caption(f"One bar per {frequency}; drag across the chart to filter the page to that span.")

st.subheader("Incidents")
columns = [
    "event_date",
    "event_type",
    "weapon",
    "actor1",
    "actor2",
    "location",
    "country",
    "killed",
    "wounded",
    "source",
    "source_url",
    "notes",
    "incident_id",
]
# The table shows the newest TABLE_ROWS so the page stays light at any data size; the downloads
# below always hold the whole filtered set.
TABLE_ROWS = 1000
table = selected.sort_values("event_date", ascending=False)[columns].reset_index(drop=True)
if len(table) > TABLE_ROWS:
    st.caption(
        f"Showing the newest {TABLE_ROWS:,} of {len(table):,} incidents; narrow the filters or "
        "download the full set below."
    )
shown = table
if chosen_id is not None and chosen_id in set(table["incident_id"]):
    st.info(f"Selected on the map: {chosen_id} (first row, highlighted)")
    first = table["incident_id"] == chosen_id
    shown = pd.concat([table[first], table[~first]]).reset_index(drop=True)
shown = shown.head(TABLE_ROWS)
styled = shown.style.apply(
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
        "actor1": "actor",
        "actor2": "target",
        "killed": st.column_config.NumberColumn("killed", format="%d"),
        "wounded": st.column_config.NumberColumn("wounded", format="%d"),
        "source_url": st.column_config.LinkColumn("link", display_text="open"),
        "notes": st.column_config.TextColumn("notes", width="large"),
    },
)

downloads = st.columns(3)
for column, (label, fmt, mime) in zip(
    downloads,
    [
        ("CSV", "csv", "text/csv"),
        ("GeoJSON", "geojson", "application/geo+json"),
        ("KML", "kml", "application/vnd.google-earth.kml+xml"),
    ],
    strict=True,
):
    column.download_button(
        f"Download {label}",
        partial(render, selected, fmt),
        file_name=f"incidents.{fmt}",
        mime=mime,
        key=f"download_{fmt}",
        on_click="ignore",
    )
