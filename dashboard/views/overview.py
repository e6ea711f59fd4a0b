"""The main page: filters, a one-line description, headline numbers, map, timeline, table.

Every number, bar and row comes from the query engine for the current data version and the
filters; nothing here holds or scans the whole set of incidents.
"""

from __future__ import annotations

import streamlit as st

from dashboard.engine import Engine, Headline
from dashboard.errors import AtlasError
from dashboard.filters import Filters
from dashboard.formats.writers import render
from dashboard.views import common
from dashboard.views.breakdowns import show_breakdowns
from dashboard.views.common import notice, show_error
from dashboard.views.filter_controls import filter_controls, set_date_span, show_problems
from dashboard.views.incident_table import show_table
from dashboard.views.map_panel import map_display_controls, show_map
from dashboard.views.playback import playback_controls
from dashboard.views.timeline import LABELS, selected_span

# Phones (Streamlit stacks columns below 640 px): the five headline numbers as a grid of three
# rather than a screenful of single lines, a smaller title, and a pointer to the hidden filters.
DESK_CSS = """
<style>
.desk-phone-only { display: none; }
@media (max-width: 640px) {
  .st-key-kpis [data-testid="stHorizontalBlock"] { flex-wrap: wrap; gap: 0.5rem 1rem; }
  .st-key-kpis [data-testid="stColumn"] {
    min-width: calc(33% - 1rem) !important; flex: 1 1 calc(33% - 1rem) !important;
  }
  .st-key-kpis [data-testid="stMetricValue"] { font-size: 1.6rem; }
  .st-key-kpis [data-testid="stMetricLabel"] * { white-space: normal !important; }
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  .st-key-kpis [data-testid="stCaptionContainer"] { font-size: 0.75rem; }
  h1 { font-size: 2rem !important; }
  .desk-phone-only { display: block; font-size: 0.9rem; color: #555; margin: -0.5rem 0 0.5rem; }
}
</style>
"""
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


def previous_period(days: int) -> str:
    return "the day before" if days == 1 else f"the previous {days:,} days"


def show_headline(numbers: Headline) -> None:
    with st.container(key="kpis"):
        _headline_numbers(numbers)


def _headline_numbers(numbers: Headline) -> None:
    kpis = st.columns(5)
    change = numbers.change
    kpis[0].metric(
        "Incidents",
        f"{numbers.incidents:,}",
        delta=None if change is None else f"{change:+,} vs {previous_period(numbers.period_days)}",
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


def show_timeline(engine: Engine, filters: Filters, numbers: Headline, color_by: str) -> None:
    st.subheader("Timeline")
    asked = (filters.start or numbers.first_day, filters.end or numbers.last_day)
    spec, frequency, figures = common.timeline(engine, engine.version, filters, color_by, asked)
    st.vega_lite_chart(spec, width="stretch", on_select=apply_chart_span, key="timeline")
    line = (
        "the line is killed + wounded where reported (a gap: no figure)"
        if figures
        else "no incident here gives a casualty figure"
    )
    st.caption(
        f"One bar per {LABELS[frequency]}; {line}. Drag across the chart to filter the page "
        "to that span."
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

st.html(DESK_CSS)
st.title("Incident Atlas")
st.html('<div class="desk-phone-only">Filters: tap » at the top left.</div>')
show_problems(problems)
span = (numbers.first_day, numbers.last_day) if numbers.first_day else None
description = filters.describe(count=numbers.incidents, span=span, vocab=engine.vocabulary)
notice("markdown", "**{description}**", description=description)
show_headline(numbers)

color_by, metric, heat = map_display_controls()
playback = playback_controls()
chosen_id = st.session_state.get("selected_incident")
clicked_id = show_map(
    engine, filters, key="incident_map", color_by=color_by, metric=metric, heat=heat,
    focus_id=chosen_id, description=description, playback=playback,
)  # fmt: skip
if clicked_id and clicked_id != chosen_id:
    st.session_state["selected_incident"] = clicked_id
    chosen_id = clicked_id

show_timeline(engine, filters, numbers, color_by)
show_breakdowns(engine, filters)
show_table(engine, filters, numbers.incidents)
show_downloads(engine, filters)
