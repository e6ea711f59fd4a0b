"""Load your own data: upload a file, read its validation report, geocode, import as a batch."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard.errors import AtlasError
from dashboard.formats import FORMATS, incidents_from_table, read_text_table
from dashboard.store import configured_store
from dashboard.views.batches import batch_section
from dashboard.views.common import literal_markdown, show_error

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
            bar = st.progress(0.0, text="Importing...")

            def progress(stage: str, done: int, total: int | None) -> None:
                text = f"{stage}: {done:,} of {total:,} incidents" if total else f"{stage}..."
                bar.progress(min(done / total, 1.0) if total else 0.0, text=text)

            try:
                batch = configured_store().import_incidents(
                    incidents,
                    name=upload.name,
                    source_file=upload.name,
                    format=file_format,
                    progress=progress,
                )
            except AtlasError as error:
                bar.empty()
                show_error(error)
            else:
                # Pages reload on their next rerun: the import changed the data version.
                bar.progress(1.0, text=f"Imported {batch.rows:,} incidents.")
                st.success(
                    f"Imported {batch.rows:,} incidents as batch {batch.batch_id} "
                    f"({literal_markdown(upload.name)})."
                )

batch_section()
