"""The batches section of "Load your own data": list, remove (confirmed), trash, restore, purge,
and bring back the curated incidents. Nothing is preselected; every destructive step names the
batch and its row count and asks once more.

Actions run in button callbacks (before the page is drawn again), so the widgets they reset
and the message they leave are in place when the page reruns.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.errors import AtlasError
from dashboard.store import Store, configured_store
from dashboard.views import safe
from dashboard.views.common import notice, show_error

MESSAGE = "batches_message"
PENDING = "batches_pending"  # ("remove" | "purge", batch_id) waiting for its confirmation


def batch_section() -> None:
    st.subheader("Batches in the store")
    try:
        store = configured_store()
        live = store.batches()
        trash = store.batches(removed=True)
        curated_id = store.curated_batch_id()
    except AtlasError as error:
        show_error(error)
        return
    _show_message()
    if live.empty:
        st.write("No batches in the store.")
    else:
        _live_batches(store, live, curated_id)
    if curated_id is None or curated_id not in set(live["batch_id"]):
        _curated_missing()
    if not trash.empty:
        _trash(store, trash)


def _label(frame: pd.DataFrame, batch_id: int) -> str:
    row = frame.set_index("batch_id").loc[batch_id]
    return f"{batch_id}: {row['name']} ({int(row['rows']):,} incidents)"


def _described(store: Store, batch_id: int) -> str:
    return store.batch(batch_id).describe()


def _live_batches(store: Store, live: pd.DataFrame, curated_id: int | None) -> None:
    shown = live[["batch_id", "name", "rows", "imported_at"]].copy()
    shown["curated"] = shown["batch_id"].eq(curated_id)
    st.dataframe(shown, hide_index=True, width="stretch")
    choice = st.selectbox(
        "Batch to remove",
        live["batch_id"].tolist(),
        index=None,
        placeholder="Choose a batch...",
        key="remove_batch_id",
        format_func=lambda i: _label(live, i),
    )
    if choice is None:
        return
    if st.session_state.get(PENDING) != ("remove", choice):
        st.button(f"Remove batch {choice}...", on_click=_ask, args=("remove", choice))
        return
    notice(
        "warning",
        "Remove {batch}? Its incidents leave the dashboard and wait in the trash below, where "
        "they can be restored until purged.",
        batch=_described(store, choice),
    )
    yes, no = st.columns(2)
    rows = int(live.set_index("batch_id").at[choice, "rows"])
    yes.button(
        f"Yes, remove batch {choice} ({rows:,} incidents)",
        type="primary",
        on_click=_act,
        args=("remove", choice),
    )
    no.button("Cancel", on_click=_cancel)


def _trash(store: Store, trash: pd.DataFrame) -> None:
    st.subheader("Trash")
    st.caption(
        "Removed batches are hidden from every page. Restore one to show it again; purging "
        "deletes it for good."
    )
    st.dataframe(
        trash[["batch_id", "name", "rows", "imported_at", "removed_at"]],
        hide_index=True,
        width="stretch",
    )
    choice = st.selectbox(
        "Removed batch",
        trash["batch_id"].tolist(),
        index=None,
        placeholder="Choose a removed batch...",
        key="trash_batch_id",
        format_func=lambda i: _label(trash, i),
    )
    if choice is None:
        return
    restore, purge = st.columns(2)
    restore.button(f"Restore batch {choice}", on_click=_act, args=("restore", choice))
    if st.session_state.get(PENDING) != ("purge", choice):
        purge.button(f"Purge batch {choice}...", on_click=_ask, args=("purge", choice))
        return
    notice("warning", "Delete {batch} for good? This cannot be undone.",
           batch=_described(store, choice))  # fmt: skip
    yes, no = st.columns(2)
    yes.button(f"Yes, purge batch {choice}", type="primary", on_click=_act, args=("purge", choice))
    no.button("Cancel", key="cancel_purge", on_click=_cancel)


def _curated_missing() -> None:
    st.info("The curated incidents (data/incidents.csv) are not in the store.")
    st.button("Bring back the curated incidents", on_click=_act, args=("reseed", None))


def _ask(action: str, batch_id: int) -> None:
    st.session_state[PENDING] = (action, batch_id)


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def _act(action: str, batch_id: int | None) -> None:
    """Run a confirmed action; its outcome is shown when the page is drawn again."""
    st.session_state.pop(PENDING, None)
    try:
        store = configured_store()
        if action == "reseed":
            outcome, batch = store.reseed()
            text = safe.markdown("Curated incidents {outcome}: {batch}.", outcome=outcome,
                                 batch=batch.describe())  # fmt: skip
        else:
            batch = store.batch(batch_id)
            {"remove": store.remove_batch, "restore": store.restore_batch}.get(
                action, store.purge_batch
            )(batch_id)
            past = {"remove": "Moved to the trash", "restore": "Restored", "purge": "Purged"}
            text = safe.markdown("{done}: {batch}.", done=past[action], batch=batch.describe())
    except AtlasError as error:
        st.session_state[MESSAGE] = ("error", safe.markdown_text(str(error)))
        return
    for key in ("remove_batch_id", "trash_batch_id"):
        st.session_state[key] = None
    st.session_state[MESSAGE] = ("success", text)


def _show_message() -> None:
    """The outcome `_act` left, already written as Markdown with its data escaped."""
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind in ("error", "success"):
        getattr(st, kind)(text)
