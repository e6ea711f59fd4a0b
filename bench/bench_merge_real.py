"""One incident per event, on real reporting: the real articles imported one after another.

Issue 9's target "five articles about one attack give one incident with five sources" is tested
on articles written for the suite (tests/test_sources_target.py). This measures it on the real
published articles of tests/fixtures/real_articles/ (texts read from a folder, as
bench_extract_real.py does; never committed). Every article with a text is imported, in order of
publication, into an empty SQLite store exactly as the review page does it with its defaults:
extract, match against what is stored (`with_matches`), accept every row, a matched row becomes a
source of the stored incident (`accepted_batch`), `Store.import_incidents`.

The answer keys say which rows report one event: keyed incidents of different articles on a
common day, at the same site or within 10 km (or the same `text:` name), are one event. Each
extracted row is assigned, as bench_extract_real.py scores it, to the keyed incident it finds.
Then, over the events that two or more articles' rows found:
- merged: all those rows ended in one stored incident; split: in several (the extra incidents
  are what the map would over-count);
- wrong merges: stored incidents holding rows of two or more different events;
- stray sources: rows that found no keyed incident, added as a source of a stored incident
  that rows of a real event made.
Beside it, in the same run, the count without matching (every row a new incident).

    .venv/bin/python bench/bench_merge_real.py [FOLDER] [--part dev,fresh,...] [--details]

Parts held out by bench_extract_real.py are left out unless named; --details lists split
events and wrong merges (never for held-out parts). Never fails on a figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
from geopy.distance import geodesic

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_extract_real import (  # noqa: E402
    HIDDEN,
    PARTS,
    RADIUS_KM,
    Places,
    _extract,
    _names,
    _on_day,
    read_keys,
    texts_folder,
)
from dashboard.engine import Engine  # noqa: E402
from dashboard.ingest.review import (  # noqa: E402
    POSSIBLY,
    RECORD_SOURCE,
    accepted_batch,
    review_table,
    with_matches,
)
from dashboard.sources import nest_sources  # noqa: E402
from dashboard.store import Store  # noqa: E402


class Events:
    """Keyed required incidents of different articles joined into events (union-find)."""

    def __init__(self, incidents: pd.DataFrame, places: Places):
        self.places = places
        self.keys = incidents.reset_index(drop=True)
        self.parent = list(range(len(self.keys)))
        for a in range(len(self.keys)):
            for b in range(a + 1, len(self.keys)):
                if self._same(self.keys.loc[a], self.keys.loc[b]):
                    self.parent[self._root(b)] = self._root(a)

    def _root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def event(self, key_index: int) -> int:
        return self._root(key_index)

    def _same(self, a: pd.Series, b: pd.Series) -> bool:
        if a["id"] == b["id"]:
            return False  # one article's incidents are distinct by how it was keyed
        if not set(a["event_date"].split("|")) & set(b["event_date"].split("|")):
            return False
        return any(
            self._same_place(x, y) for x in a["where"].split("|") for y in b["where"].split("|")
        )

    def _same_place(self, x: str, y: str) -> bool:
        if x == y:
            return True
        if x.startswith("text:") or y.startswith("text:"):
            return x.startswith("text:") and y.startswith("text:") and _names(x[5:], y[5:])
        p, q = self.places.point(x), self.places.point(y)
        return p is not None and q is not None and geodesic(p, q).km <= RADIUS_KM


def assign_rows(frame: pd.DataFrame, keys: pd.DataFrame, places: Places) -> dict[int, int]:
    """Row position -> index (in the whole key table) of the keyed incident it finds, matched
    as bench_extract_real scores it: required incidents first, one row each."""
    out: dict[int, int] = {}
    for key_index, incident in keys.sort_values("required", ascending=False).iterrows():
        for position, (_, row) in enumerate(frame.iterrows()):
            if position in out:
                continue
            if _on_day(row["event_date"], incident["event_date"]) and places.matches(
                row, incident["where"]
            ):
                out[position] = key_index
                break
    return out


def import_article(store: Store, text: str, article: pd.Series) -> tuple[pd.DataFrame, list, list]:
    """Import one article as the review page does with its defaults; (the extracted rows, the
    stored incident id of each row in order, the incident each row was offered as "possibly
    recorded" or None)."""
    frame, _, _ = _extract(text, article)
    if frame.empty:
        return frame, [], []
    stored = nest_sources(store.incidents_table(), store.sources_table())
    engine = Engine(stored, search_in_background=False)
    try:
        table, _ = with_matches(review_table(frame), engine)
    finally:
        engine.close()
    published = date.fromisoformat(article["published"])
    new, attach, problems = accepted_batch(
        table, table.copy(), dataset=f"article:{article['id']}", published=published
    )
    if problems:
        raise RuntimeError(f"{article['id']}: {problems[:3]}")
    as_source = ((table["record"] == RECORD_SOURCE) & table["recorded_as"].notna()).to_numpy()
    new_ids = iter(new["incident_id"].astype(str))
    targets = iter(attach["incident_id"].astype(str))
    ids = [next(targets) if source else next(new_ids) for source in as_source]
    offered = table["recorded"].str.startswith(POSSIBLY).fillna(False).to_numpy()
    possible = [str(i) if o else None for i, o in zip(table["recorded_as"], offered, strict=True)]
    store.import_incidents(
        new, name=f"article: {article['id']}", source_file=article["id"], format="article",
        attach=attach, published=published,
    )  # fmt: skip
    return frame.reset_index(drop=True), ids, possible


def run(folder: Path, articles: pd.DataFrame, keys: pd.DataFrame) -> dict:
    places = Places()
    required = keys[keys["required"] == "1"]
    events = Events(required, places)
    event_of = {required.index[i]: events.event(i) for i in range(len(required))}
    rows_of_event: dict[int, list[tuple[str, str]]] = defaultdict(list)  # (article, incident)
    offered_of_event: dict[int, set[str]] = defaultdict(set)  # "possibly recorded" incidents
    offers: list[tuple[int | None, str]] = []  # (the row's event or None, incident offered)
    stray: list[str] = []  # incident ids a row that found nothing was attached to
    attached_stray_to: list[tuple[str, str]] = []
    all_rows = 0
    with tempfile.TemporaryDirectory() as home:
        store = Store(f"sqlite:///{home}/merge.db", seed_csv=None)
        for _, article in articles.sort_values(["published", "id"]).iterrows():
            path = folder / f"{article['id']}.txt"
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            frame, ids, possible = import_article(store, text, article)
            all_rows += len(frame)
            mine = keys[keys["id"] == article["id"]]
            assigned = assign_rows(frame, mine, places)
            for position, incident_id in enumerate(ids):
                key_index = assigned.get(position)
                if possible[position]:
                    offers.append((event_of.get(key_index), possible[position]))
                if key_index in event_of:
                    rows_of_event[event_of[key_index]].append((article["id"], incident_id))
                    if possible[position]:
                        offered_of_event[event_of[key_index]].add(possible[position])
                elif key_index is None:
                    stray.append(incident_id)
                    attached_stray_to.append((article["id"], incident_id))
        stored = store.count()
        store.close()
    figures = _figures(rows_of_event, stray, attached_stray_to, stored, all_rows, required, events)
    events_of = figures["events_of_incident"]
    figures["offers"] = len(offers)
    figures["offers_right"] = sum(e is not None and e in events_of.get(i, ()) for e, i in offers)
    figures["offered"] = [
        e for e, rows in figures["split"].items() if offered_of_event[e] & {i for _, i in rows}
    ]
    return figures


def _by_sharing(rows_of_event) -> tuple[dict, list, dict]:
    """Events rows of 2+ articles found: (all of them, those ending as one incident, the split)."""
    shared = {e: rows for e, rows in rows_of_event.items() if len({a for a, _ in rows}) >= 2}
    merged = [e for e, rows in shared.items() if len({i for _, i in rows}) == 1]
    split = {e: rows for e, rows in shared.items() if e not in merged}
    return shared, merged, split


def _events_of_incident(rows_of_event) -> dict[str, set[int]]:
    events_of_incident: dict[str, set[int]] = defaultdict(set)
    for event, rows in rows_of_event.items():
        for _, incident_id in rows:
            events_of_incident[incident_id].add(event)
    return events_of_incident


def _reported_twice(required, events) -> set[int]:
    """Events two or more keyed incidents report."""
    counts = Counter(events.event(i) for i in range(len(required)))
    return {event for event, n in counts.items() if n >= 2}


def _figures(rows_of_event, stray, attached_stray_to, stored, all_rows, required, events):
    shared, merged, split = _by_sharing(rows_of_event)
    events_of_incident = _events_of_incident(rows_of_event)
    return {
        "rows": all_rows,
        "stored": stored,
        "events_keyed_in_2plus_articles": len(_reported_twice(required, events)),
        "events_found_in_2plus_articles": len(shared),
        "merged": len(merged),
        "split": split,
        "extra_incidents": sum(len({i for _, i in rows}) - 1 for rows in split.values()),
        "wrong_merges": {i: e for i, e in events_of_incident.items() if len(e) >= 2},
        "events_of_incident": events_of_incident,
        "stray_rows": len(stray),
        "stray_on_true": [(a, i) for a, i in attached_stray_to if i in events_of_incident],
        "key_rows": required.reset_index(drop=True),
        "events": events,
    }


def report(figures: dict, details: bool, hidden: set[str]) -> None:
    shared, merged = figures["events_found_in_2plus_articles"], figures["merged"]
    print(f"rows extracted and imported           {figures['rows']}")
    print(f"stored incidents, matching (as now)   {figures['stored']}")
    print(f"stored incidents, every row new       {figures['rows']}  (the alternative)")
    print(f"events keyed in 2+ articles           {figures['events_keyed_in_2plus_articles']}")
    share = f"{merged / shared:.2f}" if shared else "-"
    split, extra = len(figures["split"]), figures["extra_incidents"]
    print(f"events found in 2+ articles           {shared}: one incident {merged} ({share}), "
          f"split {split} (+{extra} extra incidents)")  # fmt: skip
    print(f"  of the split, offered on the review page as possibly recorded (a day apart): "
          f"{len(figures['offered'])}")  # fmt: skip
    print(f"rows offered as possibly recorded     {figures['offers']}, of which "
          f"{figures['offers_right']} offered their own event's incident")  # fmt: skip
    print(f"wrong merges (2+ events in one)       {len(figures['wrong_merges'])}")
    strays, on_true = figures["stray_rows"], len(figures["stray_on_true"])
    print(f"rows that found no keyed incident     {strays}, of which "
          f"{on_true} added as a source of a real event's incident")  # fmt: skip
    if not details:
        return
    for event, rows in figures["split"].items():
        if not {a for a, _ in rows} & hidden:
            print(f"  split: {_label(figures, event)}: {sorted(rows)}")
    for incident_id, found in figures["wrong_merges"].items():
        print(f"  wrong merge {incident_id}: {[_label(figures, e) for e in sorted(found)]}")


def _label(figures: dict, event: int) -> str:
    row = figures["key_rows"].loc[event]
    return f"{row['event_date']} {row['place']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=None)
    parser.add_argument("--part", default=",".join(p for p in PARTS if p not in HIDDEN))
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    folder = texts_folder(args.folder)
    if folder is None:
        return
    parts = PARTS if args.part == "all" else tuple(args.part.split(","))
    articles, keys = read_keys()
    articles = articles[articles["part"].isin(parts)]
    keys = keys[keys["id"].isin(articles["id"])]
    present = sum((folder / f"{i}.txt").exists() for i in articles["id"])
    print(f"parts {', '.join(parts)}: {len(articles)} articles, {present} with text in {folder}")
    began = time.perf_counter()
    figures = run(folder, articles, keys)
    report(figures, args.details, set(articles.loc[articles["part"].isin(HIDDEN), "id"]))
    print(f"({time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
