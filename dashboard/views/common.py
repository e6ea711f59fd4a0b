"""What every page shares: cached data loading and the one place errors become messages."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.errors import AtlasError, InvalidFile
from dashboard.problems import problems_table


@st.cache_data(show_spinner="Loading incidents...", max_entries=4)
def _cached_incidents(data_setting: str, data_version: str, version: int) -> pd.DataFrame:
    from dashboard.store import load_incidents

    return load_incidents(data_setting)


def cached_incidents(data_setting: str, version: int = 0) -> pd.DataFrame:
    """The incidents, read again whenever their data version changes (an import, removal,
    restore or purge by any page, process or the CLI), so the next rerun shows them."""
    from dashboard.store import data_version

    return _cached_incidents(data_setting, data_version(data_setting), version)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal_markdown(text: str) -> str:
    """Text from data, escaped so st.markdown shows it literally (no links, emphasis, HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def show_error(error: Exception) -> None:
    """Turn an error into what the user sees: the message, and the problem table if any."""
    if isinstance(error, InvalidFile):
        st.error(str(error))
        st.dataframe(problems_table(error.problems), hide_index=True, width="stretch")
    elif isinstance(error, AtlasError):
        st.error(str(error))
    else:
        raise error


@st.cache_data(show_spinner=False)
def cached_sites() -> pd.DataFrame | None:
    """The gazetteer's sites (site_id, name, kind, latitude, longitude) for the sites layer."""
    from dashboard.paths import DATA_DIR

    sites = pd.read_csv(DATA_DIR / "sites.csv", dtype={"id": "string", "name": "string"})
    return sites.rename(columns={"id": "site_id"})
