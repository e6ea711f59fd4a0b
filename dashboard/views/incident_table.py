"""The incident table on the main page: a page of the filtered set, newest first, in words a
reader uses (country names, "ballistic missile", "unknown" where the sources give no figure), and
a row that selects its incident.

Selecting a row sets `st.session_state["selected_incident"]`, the one selection the page shares:
the map centres on it and the table highlights it. An incident chosen on the map comes first in
the table, highlighted. The table's cells stay numbers (sorting works); only their display says
"unknown", and downloads keep empty cells.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import countries
from dashboard.engine import Engine
from dashboard.filters import Filters, Vocabulary, day_text
from dashboard.views import common
from dashboard.views.common import notice
from dashboard.views.map.templates import http_url

PAGE_ROWS = 200
SELECTED = "selected_incident"
HIGHLIGHT = "background-color: #fff3b0"
UNKNOWN_FIGURE = "unknown"
_IDS = "_table_ids"  # the incident of each row as last drawn, for the selection callback
_GENERATION = "_table_generation"
_PICKED = "_table_picked"  # the incident the table's own selection points at

COLUMNS = {
    "event_date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
    "event_type": "type",
    "actor1": "attacker",
    "actor2": "target",
    "location": "place",
    "site_id": st.column_config.TextColumn("site", help="the gazetteer's site, when matched"),
    "killed": st.column_config.NumberColumn("killed", help="as reported; unknown: no figure"),
    "wounded": st.column_config.NumberColumn("wounded", help="as reported; unknown: no figure"),
    "country": "country",
    "weapon": "weapon",
    "source": "source",
    "source_url": st.column_config.LinkColumn("link", display_text="open"),
    "source_count": st.column_config.NumberColumn("sources", format="%d"),
    "sources_text": st.column_config.TextColumn("every source", width="large"),
    "notes": st.column_config.TextColumn("notes", width="large"),
    "incident_id": "id",
}


def readable(rows: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """The rows as a reader names things: country and site names, categories as words."""
    shown = rows.copy()
    # Only an http(s) link is a link (as in the map's popups); any other stays in "every source".
    shown["source_url"] = [http_url(u) for u in shown["source_url"]]
    shown["site_id"] = [None if pd.isna(s) else vocab.site_name(s) for s in shown["site_id"]]
    shown["country"] = [None if pd.isna(c) else countries.name_of(c) for c in shown["country"]]
    for column in ("event_type", "weapon"):
        shown[column] = [None if pd.isna(v) else str(v).replace("_", " ") for v in shown[column]]
    for column in ("killed", "wounded"):
        shown[column] = pd.to_numeric(shown[column]).astype("Float64")
    # Only a missing figure reads "unknown" (the table's placeholder); missing text is blank.
    text = [
        c for c in shown.columns if c not in ("killed", "wounded", "event_date", "source_count")
    ]
    shown[text] = shown[text].astype(object).where(shown[text].notna(), "")
    return shown


def styled(rows: pd.DataFrame, chosen_id: str | None):
    """Figures as whole numbers (the values stay numbers, so sorting works); the chosen row is
    highlighted."""
    style = rows.style.format("{:,.0f}", subset=["killed", "wounded"], na_rep=UNKNOWN_FIGURE)
    return style.apply(
        lambda row: [HIGHLIGHT if row["incident_id"] == chosen_id else "" for _ in row], axis=1
    )


def select_row(key: str) -> None:
    """A row ticked in the table becomes the page's selected incident; unticking clears it."""
    event = st.session_state.get(key)
    rows = (event or {}).get("selection", {}).get("rows", [])
    ids = st.session_state.get(_IDS, [])
    picked = ids[rows[0]] if rows and rows[0] < len(ids) else None
    st.session_state[_PICKED] = picked
    st.session_state[SELECTED] = picked


def _page_number(count: int) -> int:
    pages = max(1, -(-count // PAGE_ROWS))
    if pages == 1:
        return 0
    label = f"Page (newest first, {PAGE_ROWS} a page, {pages:,} pages)"
    return int(st.number_input(label, min_value=1, max_value=pages, step=1, key="table_page")) - 1


def _describe(incident: dict) -> str:
    what = str(incident.get("event_type") or "incident").replace("_", " ")
    place = incident.get("location") or "an unnamed place"
    return f"{day_text(pd.Timestamp(incident['event_date']))}: {what} at {place}"


def _with_chosen_first(engine: Engine, rows: pd.DataFrame, chosen_id: str | None):
    """Rows with the incident chosen elsewhere (the map) first; one chosen in the table, or not
    chosen at all, leaves the order alone."""
    if not chosen_id or st.session_state.get(_PICKED) == chosen_id:
        return rows
    chosen = engine.incident(chosen_id)
    if chosen is None:
        return rows
    first = pd.DataFrame([chosen])[list(rows.columns)]
    return pd.concat([first, rows[rows["incident_id"] != chosen_id]], ignore_index=True)


def show_table(engine: Engine, filters: Filters, count: int) -> None:
    st.subheader("Incidents")
    chosen_id = st.session_state.get(SELECTED)
    if st.session_state.get(_PICKED) not in (None, chosen_id):
        # Chosen elsewhere since the table's own pick: a fresh table, with no stale tick.
        st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1
        st.session_state[_PICKED] = None
    page = _page_number(count)
    rows = common.table_page(engine, engine.version, filters, page, PAGE_ROWS)
    rows = _with_chosen_first(engine, rows, chosen_id)
    chosen = engine.incident(chosen_id) if chosen_id else None
    if chosen is not None:
        left, right = st.columns([4, 1], vertical_alignment="center")
        notice("info", "Selected: {incident} (id {id}, highlighted)", where=left,
               incident=_describe(chosen), id=chosen_id)  # fmt: skip
        right.button("Clear selection", on_click=_clear, key="clear_selection")
    ids = rows["incident_id"].tolist()
    st.session_state[_IDS] = ids
    key = f"incident_table_{st.session_state.get(_GENERATION, 0)}_{page}"
    ticked = [ids.index(chosen_id)] if chosen_id in ids else []
    st.dataframe(
        styled(readable(rows, engine.vocabulary), chosen_id),
        hide_index=True,
        width="stretch",
        key=key,
        column_config=COLUMNS,
        column_order=list(COLUMNS),
        on_select=partial(select_row, key),
        selection_mode="single-row",
        selection_default={"selection": {"rows": ticked}},
        placeholder=UNKNOWN_FIGURE,
    )
    st.caption(
        "Tick a row to select its incident on the map. Killed and wounded as reported; "
        "“unknown”: the sources give no figure (never counted as 0). Downloads hold every "
        "incident of the view, unknown figures as empty cells."
    )


def _clear() -> None:
    st.session_state[SELECTED] = None
    st.session_state[_PICKED] = None
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1
