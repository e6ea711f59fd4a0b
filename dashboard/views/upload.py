"""Load your own data: upload a file, read its validation report, geocode, import as a batch."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard.errors import AtlasError
from dashboard.formats import FORMATS, incidents_from_table, read_text_table
from dashboard.store import configured_store
from dashboard.views.batches import batch_section
from dashboard.views.common import current_engine, literal_markdown, show_error

ATTACH = "add them as sources of the stored incidents"
IMPORT_ANYWAY = "import them as new incidents anyway"


@st.cache_data(max_entries=2, show_spinner="Looking for incidents already stored...")
def _duplicates(file_id: str, file_format: str, version: str, geocoded: bool, _incidents):
    """Rows of the upload that likely report stored incidents (keyed on the upload, its format,
    the store's version and whether places were geocoded; the frame itself is not hashed)."""
    from dashboard.dedupe import find_duplicates

    return find_duplicates(_incidents, current_engine())


def duplicates_choice(incidents, duplicates) -> str:
    """The report of likely duplicates and what to do with them (default: add as sources)."""
    count = len(duplicates)
    st.warning(
        f"{count:,} row{'s' if count != 1 else ''} likely report incidents already stored "
        "(same site or within 5-10 km, same day within the date precision, compatible sides "
        "and types). Each is listed beside the stored incident it matches."
    )
    st.dataframe(
        duplicates.rows[["row", "day", "place", "incident_id", "recorded"]],
        hide_index=True,
        width="stretch",
        column_config={"incident_id": "stored incident", "recorded": "already recorded"},
    )
    return st.radio("Likely duplicates", (ATTACH, IMPORT_ANYWAY), key="upload_duplicates")


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
            "Geocode places without coordinates (offline gazetteer)",
            value=True,
            key="upload_geocode",
        ):
            from dashboard.geocoding import geocode_frame

            incidents = geocode_frame(incidents)
            still = int(incidents["latitude"].isna().sum())
            st.info(
                f"Geocoded {int(missing.sum()) - still:,} of {int(missing.sum()):,}; "
                f"{still:,} places stay unresolved (no guess is made)."
            )
        st.dataframe(incidents.head(200), hide_index=True, width="stretch")
        geocoded = bool(missing.any() and st.session_state.get("upload_geocode", True))
        engine = current_engine()
        duplicates = _duplicates(upload.file_id, file_format, engine.version, geocoded, incidents)
        attach = None
        if len(duplicates) and duplicates_choice(incidents, duplicates) == ATTACH:
            from dashboard.dedupe import split_duplicates

            incidents, attach = split_duplicates(incidents, duplicates)
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
                    attach=attach,
                )
            except AtlasError as error:
                bar.empty()
                show_error(error)
            else:
                # Pages reload on their next rerun: the import changed the data version.
                bar.progress(1.0, text=f"Imported {batch.contents()}.")
                st.success(
                    f"Imported {batch.contents()} as batch {batch.batch_id} "
                    f"({literal_markdown(upload.name)})."
                )

batch_section()
