"""Load your own data: upload a file, read its validation report, geocode, import as a batch."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import shutil
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.errors import AtlasError, InvalidFile
from dashboard.formats import FORMATS, read_incidents
from dashboard.formats.limits import Limits
from dashboard.problems import problems_table
from dashboard.store import configured_store
from dashboard.views import safe
from dashboard.views.batches import batch_section
from dashboard.views.common import current_engine, notice, show_error

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


SHOWN_PROBLEMS = 1000
# Shares of the progress bar: checking the encoding, reading, validating.
_STAGES = {"checking encoding": (0.0, 0.15), "reading": (0.15, 0.55), "validating": (0.55, 1.0)}

st.title("Load your own data")
st.caption(
    "CSV or Parquet in the canonical columns, or an ACLED or UCDP export. Every problem is "
    "listed with its row (the header is row 1) and column; nothing is stored until the whole "
    "file is valid."
)


def _limits() -> Limits:
    try:
        return Limits.from_settings()
    except AtlasError as error:
        show_error(error)
        st.stop()


def _upload_limit_mb(limits: Limits) -> int:
    """The smaller of ATLAS_MAX_UPLOAD_MB and Streamlit's server.maxUploadSize."""
    return max(1, min(limits.max_upload_mb, int(st.get_option("server.maxUploadSize"))))


class _ProgressBar:
    """progress(stage, done, total) drawn as one bar, updated at most every 2%."""

    def __init__(self, name: str):
        self.name, self.shown = name, -1
        self.bar = st.progress(0.0, text=safe.markdown("Reading {name}...", name=name))

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        start, end = _STAGES.get(stage, (0.0, 1.0))
        fraction = start + (end - start) * (done / total if total else 0.0)
        if int(fraction * 50) != self.shown:
            self.shown = int(fraction * 50)
            text = safe.markdown("{name}: {stage}...", name=self.name, stage=stage)
            self.bar.progress(min(fraction, 1.0), text=text)


def _validate(upload, file_format: str, limits: Limits):
    """The upload read and validated from a temporary file (copied in 1 MB pieces)."""
    limit_mb = _upload_limit_mb(limits)
    if upload.size > limit_mb * 1024 * 1024:
        raise AtlasError(
            f"{upload.name}: {upload.size / 2**20:,.0f} MB is more than the {limit_mb} MB "
            "an upload may be (ATLAS_MAX_UPLOAD_MB); import it with the command line "
            "(atlas import FILE) or as Parquet, which is smaller"
        )
    progress = _ProgressBar(upload.name)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload"
            upload.seek(0)
            with open(path, "wb") as copy:
                shutil.copyfileobj(upload, copy, 1024 * 1024)
            return read_incidents(
                path,
                format=file_format,
                dataset=f"upload:{upload.name}",
                name=upload.name,
                progress=progress,
                limits=limits,
            )
    finally:
        progress.bar.empty()


def _release_memory() -> None:
    """Hand what a rejected file used back to the system: Python's cycles, pyarrow's pool, and
    the C heap's free pages (glibc keeps them otherwise; elsewhere this step is skipped)."""
    gc.collect()
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _show_rejection(error: AtlasError) -> None:
    if not isinstance(error, InvalidFile):
        show_error(error)
        return
    notice("error", "{message}", message=str(error))
    table = problems_table(error.problems[:SHOWN_PROBLEMS])
    st.dataframe(table, hide_index=True, width="stretch")
    if len(error.problems) > SHOWN_PROBLEMS:
        st.caption(f"The first {SHOWN_PROBLEMS:,} of {len(error.problems):,} problems.")
        st.download_button(
            "Download every problem (CSV)",
            data=problems_table(error.problems).to_csv(index=False),
            file_name="problems.csv",
            mime="text/csv",
        )


limits = _limits()
state = st.session_state
state.setdefault("upload_nonce", 0)
upload = st.file_uploader(
    "Incident file",
    type=["csv", "parquet"],
    key=f"upload_file_{state.upload_nonce}",
    max_upload_size=_upload_limit_mb(limits),
    help=f"Up to {_upload_limit_mb(limits)} MB, {limits.max_rows:,} rows and "
    f"{limits.max_columns:,} columns (settings ATLAS_MAX_UPLOAD_MB, ATLAS_MAX_ROWS, "
    "ATLAS_MAX_COLUMNS).",
)
file_format = st.selectbox("Format", FORMATS, key="upload_format")

incidents = None
if upload is not None:
    key = (upload.file_id, file_format)
    if state.get("upload_checked", (None, None))[0] != key:
        state.pop("upload_rejected", None)
        try:
            state.upload_checked = (key, _validate(upload, file_format, limits))
        except AtlasError as error:
            # Keep the message, not the traceback (it holds the frames and their data), and
            # let go of the file: a new widget key drops it from Streamlit's memory.
            error.__traceback__ = error.__context__ = error.__cause__ = None
            state.upload_rejected = error
            state.pop("upload_checked", None)
            state.upload_nonce += 1
            _release_memory()
            st.rerun()
    incidents = state.upload_checked[1]
if state.get("upload_rejected") is not None:
    _show_rejection(state.upload_rejected)

if incidents is not None:
    missing = incidents["latitude"].isna()
    notice(
        "success", "{name}: valid, {count:,} incidents ({missing:,} without coordinates).",
        name=upload.name, count=len(incidents), missing=int(missing.sum()),
    )  # fmt: skip
    if missing.any() and st.checkbox(
        "Geocode places without coordinates (offline gazetteer)", value=True, key="upload_geocode"
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
        progress = _ProgressBar(upload.name)
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
            progress.bar.empty()
            show_error(error)
        else:
            # Every page shows the batch at its next rerun: the import changed the data version.
            progress.bar.progress(1.0, text=safe.markdown("Imported {c}.", c=batch.contents()))
            state.pop("upload_checked", None)
            notice(
                "success", "Imported {contents} as batch {id} ({name}).",
                contents=batch.contents(), id=batch.batch_id, name=upload.name,
            )  # fmt: skip

batch_section()
