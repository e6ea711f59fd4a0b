"""What every page shares: the engine for the current data version, cached answers keyed on
(data version, filters), and the one place errors and messages with data in them reach the
page (`notice`, `show_error`; the escaping is `dashboard.views.safe`).

The engine is one object per data version shared by every session (`datasource.engine_for`):
no session keeps its own copy of the incidents. Answers are small frames cached per (version,
filters), so a rerun that changes nothing costs nothing, and an import (a new version) shows on
every open page at its next rerun.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import mapcontent
from dashboard.datasource import DataSource, engine_for, engine_ready
from dashboard.engine import Engine, Headline
from dashboard.errors import AtlasError, InvalidFile
from dashboard.filters import Filters
from dashboard.mapcontent import MapContent
from dashboard.mapview import MapQuery
from dashboard.problems import problems_table
from dashboard.views import safe


def current_engine() -> Engine:
    """The engine for ATLAS_DATA at its current version (asked cheaply on every rerun), or the
    previous version's for a few seconds more while a new one is being loaded (it says so)."""
    source = DataSource.configured()
    version = source.version()
    if engine_ready(source.setting, version):
        return engine_for(source.setting, version)[0]
    with st.spinner("Loading incidents..."):
        engine, fresh = engine_for(source.setting, version)
    if not fresh:
        st.caption(
            "New data is being loaded: this page shows the incidents as they were before the "
            "last import or removal, and the new ones at its next change once they are ready."
        )
    return engine


@st.cache_data(max_entries=512, show_spinner=False)
def headline(_engine: Engine, version: str, filters: Filters) -> Headline:
    return _engine.headline(filters)


@st.cache_data(max_entries=512, show_spinner=False)
def timeline(
    _engine: Engine, version: str, filters: Filters, by: str, span
) -> tuple[dict, str, bool]:
    """The timeline's Vega-Lite spec, its bucket ('day', 'week', 'month') and whether any
    incident in it gives a casualty figure (built once per view: Altair is slow to build)."""
    from dashboard.views.timeline import build_timeline

    frequency = _engine.frequency(filters)
    counts = _engine.timeline(filters, by=by, frequency=frequency)
    chart = build_timeline(counts, frequency=frequency, by=by, span=span)
    # validate=False: the chart is ours and tests validate its spec; validating costs a tenth of a
    # second on every new view.
    return chart.to_dict(validate=False), frequency, bool(counts["casualties"].notna().any())


@st.cache_data(max_entries=512, show_spinner=False)
def table_page(_engine: Engine, version: str, filters: Filters, page: int, size: int):
    return _engine.page(filters, offset=page * size, limit=size)


@st.cache_data(max_entries=512, show_spinner=False)
def span(_engine: Engine, version: str, filters: Filters):
    return _engine.span(filters)


@st.cache_data(max_entries=256, show_spinner=False)
def map_selection(_engine: Engine, version: str, filters: Filters, highlight_days: int | None):
    """The selection's numbers for the map: asked once per selection, not on every zoom step."""
    return mapcontent.selection(_engine, filters, highlight_days=highlight_days)


@st.cache_data(max_entries=256, show_spinner=False)
def map_content(_engine: Engine, version: str, filters: Filters, query: MapQuery,
                highlight_days: int | None) -> MapContent:  # fmt: skip
    """What the map shows for a view; cached on the query (box snapped to a grid, resolution),
    so nearby views share it."""
    about = map_selection(_engine, version, filters, highlight_days)
    return mapcontent.map_content(_engine, filters, query, highlight_days=highlight_days,
                                  about=about)  # fmt: skip


@st.cache_data(max_entries=256, show_spinner=False)
def map_bounds(_engine: Engine, version: str, filters: Filters):
    return _engine.map_bounds(filters)


@st.cache_data(max_entries=64, show_spinner=False)
def choices(_engine: Engine, version: str, column: str) -> list[str]:
    return _engine.choices(column)


def notice(kind: str, template: str, /, *, where=None, **values) -> None:
    """A message in our words with data in it: `template` is our Markdown, each value is
    escaped (`safe.markdown`), so constant bold or lists render and data shows as text.
    kind: error, warning, info, success, caption or markdown; where: a column or the
    sidebar (default: the page)."""
    getattr(where or st, kind)(safe.markdown(template, **values))


def show_error(error: Exception) -> None:
    """Turn an error into what the user sees: the message, and the problem table if any.
    Anything but an AtlasError is a bug: it is raised, and Streamlit shows its generic
    message (client.showErrorDetails = "none"), never the traceback."""
    if not isinstance(error, AtlasError):
        raise error
    notice("error", "{message}", message=str(error))
    if isinstance(error, InvalidFile):
        st.dataframe(problems_table(error.problems), hide_index=True, width="stretch")


@st.cache_data(show_spinner=False)
def cached_sites() -> pd.DataFrame | None:
    """The gazetteer's sites (site_id, name, kind, latitude, longitude) for the sites layer."""
    from dashboard.paths import DATA_DIR

    sites = pd.read_csv(DATA_DIR / "sites.csv", dtype={"id": "string", "name": "string"})
    return sites.rename(columns={"id": "site_id"})


@st.cache_data(max_entries=512, show_spinner=False)
def breakdown(_engine: Engine, version: str, filters: Filters, by: str, limit: int):
    return _engine.breakdown(filters, by, limit=limit)
