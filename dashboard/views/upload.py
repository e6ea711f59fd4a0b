"""Load your own data: upload a file, read its validation report, geocode, import as a batch."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard.errors import AtlasError
from dashboard.formats import FORMATS, incidents_from_table, read_text_table
from dashboard.store import configured_store
from dashboard.views.common import show_error

st.title("Load your own data")
st.caption(
    "CSV or Parquet in the canonical columns, or an ACLED or UCDP export. Every problem is "
    "listed with its row (the header is row 1) and column; nothing is stored until the whole "
    "file is valid."
)

upload = st.file_uploader("Incident file", type=["csv", "parquet"], key="upload_file")
file_format = st.selectbox("Format", FORMATS, key="upload_format")

if upload is not None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            frame, problems = read_text_table(path)
            incidents = incidents_from_table(
                frame,
                upload.name,
                format=file_format,
                problems=problems,
                dataset=f"upload:{upload.name}",
            )
        except AtlasError as error:
            show_error(error)
            incidents = None
    if incidents is not None:
        missing = incidents["latitude"].isna()
        st.success(
            f"{upload.name}: valid, {len(incidents):,} incidents "
            f"({int(missing.sum()):,} without coordinates)."
        )
        if missing.any() and st.checkbox(
            "Geocode places without coordinates (offline gazetteer)", value=True
        ):
            from dashboard.geocoding import geocode_frame

            incidents = geocode_frame(incidents)
            still = int(incidents["latitude"].isna().sum())
            st.info(
                f"Geocoded {int(missing.sum()) - still:,} of {int(missing.sum()):,}; "
                f"{still:,} places stay unresolved (no guess is made)."
            )
        st.dataframe(incidents.head(200), hide_index=True, width="stretch")
        if st.button("Import as a new batch", type="primary"):
            try:
                store = configured_store()
                batch = store.import_incidents(
                    incidents, name=upload.name, source_file=upload.name, format=file_format
                )
            except AtlasError as error:
                show_error(error)
            else:
                st.cache_data.clear()
                st.success(f"Imported {batch.rows:,} incidents as batch {batch.batch_id}.")

st.subheader("Batches in the store")
try:
    store = configured_store()
    batches = store.batches()
except AtlasError as error:
    show_error(error)
    st.stop()
if batches.empty:
    st.write("No batches yet.")
else:
    st.dataframe(batches, hide_index=True, width="stretch")
    choice = st.selectbox(
        "Batch to remove",
        batches["batch_id"].tolist(),
        key="remove_batch_id",
        format_func=lambda i: f"{i}: {batches.set_index('batch_id').at[i, 'name']}",
    )
    if st.button("Remove this batch and its incidents"):
        removed = store.remove_batch(int(choice))
        st.cache_data.clear()
        st.success(f"Removed batch {choice} ({removed:,} incidents).")
        st.rerun()
