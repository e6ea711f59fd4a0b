"""Actors: canonical names, their aliases, sides and umbrella groups (data/actors.csv).

Readers keep the actor text as the source wrote it (`actor1_original`) and replace `actor1`
with the canonical name when the text names a known actor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from dashboard.paths import DATA_DIR

ACTORS_CSV = DATA_DIR / "actors.csv"
UNKNOWN_SIDE = "Unknown"
# rapidfuzz ratio (0-100) above which a name that matches nothing is offered as "did you mean":
# one slipped letter in a 10-letter name scores about 90, unrelated names under 60.
SUGGEST_SCORE = 85
_ACLED_PERIOD = re.compile(r"\s*\(\d{4}-(\d{4})?\)\s*$")


def normalise_name(text: str) -> str:
    """Case, diacritics, apostrophes, hyphens and ACLED's '(2021-)' suffixes don't matter."""
    text = _ACLED_PERIOD.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['`ʿʾ’‘]", "", text.casefold())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"^the ", "", text.strip())


@lru_cache(maxsize=4)
def load_actors(path: Path = ACTORS_CSV) -> pd.DataFrame:
    table = pd.read_csv(path, dtype="string", keep_default_na=False)
    table["umbrella"] = table["umbrella"].replace("", pd.NA)
    return table


@lru_cache(maxsize=4)
def _alias_index(path: Path = ACTORS_CSV) -> dict[str, str]:
    index: dict[str, str] = {}
    for row in load_actors(path).itertuples():
        for alias in [row.name, *str(row.aliases).split("|")]:
            if alias.strip():
                index.setdefault(normalise_name(alias), row.name)
    return index


def canonical_actor(text: str | None, path: Path = ACTORS_CSV) -> str | None:
    """The canonical name for an actor string, or None when it names no known actor."""
    if text is None or pd.isna(text) or not str(text).strip():
        return None
    return _lookup(str(text), path)


def closest_actor(
    text: str, extra_names: Iterable[str] = (), path: Path = ACTORS_CSV
) -> str | None:
    """The canonical name whose spelling (name, alias or one of `extra_names`) is nearest to
    `text` when it is near enough to be a slip of the keyboard; None otherwise."""
    choices = dict(_alias_index(path))
    for name in extra_names:
        choices.setdefault(normalise_name(name), name)
    found = process.extractOne(
        normalise_name(text), list(choices), scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE
    )
    return choices[found[0]] if found else None


@lru_cache(maxsize=65536)
def _lookup(text: str, path: Path) -> str | None:
    return _alias_index(path).get(normalise_name(text))


def side_of(name: str | None, path: Path = ACTORS_CSV) -> str:
    if name is None or pd.isna(name):
        return UNKNOWN_SIDE
    return _side_index(path).get(name, UNKNOWN_SIDE)


@lru_cache(maxsize=4)
def _side_index(path: Path) -> dict[str, str]:
    return dict(zip(load_actors(path)["name"], load_actors(path)["side"], strict=True))


def umbrellas_of(name: str, path: Path = ACTORS_CSV) -> list[str]:
    """The umbrella groups an actor belongs to, nearest first."""
    return list(_umbrella_index(path).get(name, ()))


# Asked for every actor name on every rerun of the filters (the actor picker, members of an
# umbrella): a dict built once, not a pandas lookup per name.
@lru_cache(maxsize=4)
def _umbrella_index(path: Path) -> dict[str, tuple[str, ...]]:
    table = load_actors(path)
    index = {}
    for name, umbrella in zip(table["name"], table["umbrella"], strict=True):
        if not pd.isna(umbrella):
            index[name] = tuple(u.strip() for u in str(umbrella).split(";") if u.strip())
    return index


def canonicalise(incidents: pd.DataFrame, path: Path = ACTORS_CSV) -> pd.DataFrame:
    """Map actor1/actor2 to canonical names, keeping the source's text in *_original."""
    out = incidents.copy()
    for column in ("actor1", "actor2"):
        original = f"{column}_original"
        if original not in out.columns:
            out[original] = out[column]
        values = out[column].astype("string")
        unique = values.dropna().unique()
        mapping = {v: canonical_actor(v, path) or v for v in unique}
        out[column] = values.map(mapping).astype("string")
    return out


def with_sides(incidents: pd.DataFrame, path: Path = ACTORS_CSV) -> pd.DataFrame:
    """Add side1 and side2: the side of each actor (Unknown when not in actors.csv)."""
    out = incidents.copy()
    sides = dict(zip(load_actors(path)["name"], load_actors(path)["side"], strict=True))
    for column, side in (("actor1", "side1"), ("actor2", "side2")):
        out[side] = out[column].map(sides).fillna(UNKNOWN_SIDE).astype("string")
    return out
