"""Article text -> candidate incidents for review (rule- and gazetteer-based, offline).

`extract_incidents(text, published=..., source=..., name=...)` returns candidates in the
canonical schema plus `evidence` and `confidence`; `extract_file` is the CLI's `extract`.
Nothing here imports streamlit.
"""

from dashboard.ingest.extract import NoPublicationDate, extract_incidents
from dashboard.ingest.files import extract_file

__all__ = ["NoPublicationDate", "extract_file", "extract_incidents"]
