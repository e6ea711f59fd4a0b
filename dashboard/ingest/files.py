"""The CLI's `extract ARTICLE.txt [--published YYYY-MM-DD] -o OUT.csv`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.errors import AtlasError
from dashboard.ingest.extract import EXTRA_COLUMNS, NoPublicationDate, extract_incidents
from dashboard.schema import COLUMNS


class ArticleError(AtlasError, ValueError):
    """An article file cannot be read or dated; the message names the file and the fix."""


def _published(value: str | date | None, path: Path) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ArticleError(
            f"{path}: --published '{value}' is not a date; write it as YYYY-MM-DD"
        ) from None


def extract_file(
    article_path: str | Path, output_path: str | Path, *, published: str | date | None = None
) -> int:
    """Extract candidate incidents from a .txt or .html article into a CSV; returns the count.

    Raises ArticleError (an AtlasError and a ValueError) when the file cannot be read or has no
    publication date: "ARTICLE: no publication date found; pass --published YYYY-MM-DD".
    """
    path = Path(article_path)
    day = _published(published, path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ArticleError(f"{path}: cannot read the article ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        incidents = extract_incidents(text, published=day, name=path.stem)
    except NoPublicationDate:
        raise ArticleError(
            f"{path}: no publication date found; pass --published YYYY-MM-DD"
        ) from None
    write_candidates(incidents, Path(output_path))
    return len(incidents)


def write_candidates(incidents: pd.DataFrame, output_path: Path) -> None:
    """CSV of the canonical columns plus evidence and confidence (the writers keep only the
    canonical columns)."""
    frame = incidents[[*COLUMNS, *EXTRA_COLUMNS]].copy()
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    try:
        frame.to_csv(output_path, index=False)
    except OSError as error:
        raise ArticleError(f"{output_path}: cannot write ({error.strerror or error})") from None
