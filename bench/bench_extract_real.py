"""The extractor on real published articles: recall, precision, publication dates, casualties.

The answer keys (facts and URLs only) are in tests/fixtures/real_articles/: articles.csv (one
row per article: part dev, heldout, fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7,
fresh8, fresh9 or fresh10, outlet, URL, publication date, the date as the page prints it) and
incidents.csv (one row per incident the text reports: day, place, whether it is required,
killed and wounded).
They were written from the texts before the extractor ran on them.
The texts are other people's writing and are never committed: this script reads them from a
folder (argument, else $ATLAS_REAL_ARTICLES, else /work/realset), one <id>.txt per article.

Scoring, per article and overall, each part apart:
- an incident is found when an extracted row has one of its days and its place: the same
  gazetteer site or a point within 10 km of it (site, town, province centroid or point), a
  province-level row (geo_precision 3) of the same first-level division, or for places no
  bundled table knows (`text:`), a location that names it;
- recall = required incidents found / required incidents; precision = rows that found a
  required incident / rows, not counting rows that found an optional one (background events,
  relative or province-only places): those are neither right nor wrong;
- publication date: read right in articles whose page prints one; wrong reads anywhere;
  when nothing is read the run is repeated with the known date (as a user passes --published);
- casualties: killed and wounded both as the key allows, over found required incidents.
The held-out set still unread (part `fresh10`) prints its totals only (pass --details to see
its articles and rows); the other parts print every article and row.
Writes bench/results/extract_real.json. Never fails on a figure.

    .venv/bin/python bench/bench_extract_real.py [FOLDER] [--part dev,heldout,...|all] [--details]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
from geopy.distance import geodesic
from rapidfuzz import fuzz

from dashboard.geocoding.gazetteer import load_sites
from dashboard.geocoding.normalise import fuzzy_key
from dashboard.geocoding.towns import load_towns
from dashboard.ingest import NoPublicationDate, extract_incidents
from dashboard.ingest.article import find_publication_date

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "tests" / "fixtures" / "real_articles"
RESULTS = ROOT / "bench" / "results"
DEFAULT_FOLDER = "/work/realset"
RADIUS_KM = 10.0
# dev: rules were written from its misses; heldout: the first held-out third (r03, r06, ...),
# studied since; fresh: the second held-out set (s01...), measured, then studied; fresh2: the
# third held-out set (t01...), measured twice, then studied; fresh3: the fourth held-out set
# (u01...), fresh4: the fifth (w01...), fresh5: the sixth (x01...), each measured twice, then
# studied; fresh6: the seventh (y01...), measured twice in round 6, studied in round 7; fresh7:
# the eighth (z01...), measured twice in round 7, studied in round 8; fresh8: the ninth
# (v01...), keyed before any run, measured before and after round 8, studied in round 9;
# fresh9: the tenth (p01...), keyed before any run, measured before and after round 9, studied
# in round 10; fresh10: the eleventh (o01...), keyed before any run, measured before and after
# round 10, totals only unless --details.
PARTS = (
    "dev",
    "heldout",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
    "fresh9",
    "fresh10",
)
HIDDEN = frozenset({"fresh10"})


def _province_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(country, folded name) -> centroid, from the provinces table when there is one."""
    try:
        from dashboard.geocoding.provinces import load_provinces
    except ImportError:
        return {}
    out = {}
    for province in load_provinces():
        for name in province.names:
            out[(province.country, fuzzy_key(name))] = (province.latitude, province.longitude)
    return out


class Places:
    """Resolves the keys' `where` references to points."""

    def __init__(self) -> None:
        self.sites = load_sites().by_id
        self.towns = {t.name: (t.latitude, t.longitude) for t in load_towns().towns}
        self.provinces = _province_points()

    def point(self, ref: str) -> tuple[float, float] | None:
        kind, _, value = ref.partition(":")
        if kind == "site":
            site = self.sites[value]
            return site.latitude, site.longitude
        if kind == "town":
            return self.towns[value]
        if kind == "point":
            lat, lon = value.split(";")
            return float(lat), float(lon)
        if kind == "admin1":
            country, _, name = value.partition(":")
            return self.provinces.get((country, fuzzy_key(name)))
        return None

    def matches(self, row: pd.Series, where: str) -> bool:
        return any(self._one(row, ref) for ref in where.split("|"))

    def _one(self, row: pd.Series, ref: str) -> bool:
        kind, _, value = ref.partition(":")
        if kind == "text":
            return _names(str(row["location"]), value)
        if kind == "site" and _text(row["site_id"]) == value:
            return True
        if kind == "admin1" and _province_row(row, value):
            return True
        point = self.point(ref)
        if point is None or pd.isna(row["latitude"]):
            return False
        return geodesic(point, (row["latitude"], row["longitude"])).km <= RADIUS_KM


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _names(location: str, name: str) -> bool:
    return fuzz.partial_ratio(name.casefold(), location.casefold()) >= 90


def _province_row(row: pd.Series, value: str) -> bool:
    country, _, name = value.partition(":")
    if _text(row["country"]) != country or _text(row["geo_precision"]) != "3":
        return False
    return fuzzy_key(_text(row["admin1"])) == fuzzy_key(name)


def _on_day(day: pd.Timestamp, cell: str) -> bool:
    """One of the key's days; "2023-11" (month-only optional keys) is any day of that month."""
    for value in cell.split("|"):
        if len(value) == 7 and f"{day:%Y-%m}" == value:
            return True
        if len(value) == 10 and day == pd.Timestamp(value):
            return True
    return False


def _allowed(cell: str) -> set[str]:
    return set(cell.split("|"))


def _figure(value) -> str:
    text = _text(value)
    return str(int(float(text))) if text else ""


@dataclass
class ArticleScore:
    id: str
    part: str
    outlet: str
    published: str
    printed: str
    read: str | None
    read_from: str | None
    required: int = 0
    found: int = 0
    rows: int = 0
    neutral: int = 0
    casualties_right: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    casualty_errors: list[str] = field(default_factory=list)
    # (the row's confidence, "right" | "neutral" | "wrong"): does the score tell them apart?
    outcomes: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    @property
    def scored_rows(self) -> int:
        return self.rows - self.neutral


def _extract(text: str, article: pd.Series) -> tuple[pd.DataFrame, date | None, str | None]:
    read, read_from = find_publication_date(text)
    try:
        frame = extract_incidents(text, name=article["id"], source=article["outlet"])
    except NoPublicationDate:
        published = date.fromisoformat(article["published"])
        frame = extract_incidents(
            text, published=published, name=article["id"], source=article["outlet"]
        )
    return frame, read, read_from


def _figures_right(row: pd.Series, incident: pd.Series, label: str, score: ArticleScore) -> None:
    killed, wounded = _figure(row["killed"]), _figure(row["wounded"])
    if killed in _allowed(incident["killed"]) and wounded in _allowed(incident["wounded"]):
        score.casualties_right += 1
    else:
        score.casualty_errors.append(
            f"{label}: killed {killed or 'NA'} wounded {wounded or 'NA'} "
            f"(key {incident['killed'] or 'NA'} / {incident['wounded'] or 'NA'})"
        )


def _hits(frame: pd.DataFrame, incident: pd.Series, places: Places, used: set[int]) -> list:
    return [
        i
        for i, row in frame.iterrows()
        if i not in used
        and _on_day(row["event_date"], incident["event_date"])
        and places.matches(row, incident["where"])
    ]


def _match(frame: pd.DataFrame, incidents: pd.DataFrame, places: Places, score: ArticleScore):
    used: set[int] = set()
    for _, incident in incidents.sort_values("required", ascending=False).iterrows():
        hits = _hits(frame, incident, places, used)
        required = incident["required"] == "1"
        label = f"{incident['event_date']} {incident['place']}"
        if not hits:
            if required:
                score.misses.append(label)
            continue
        used.add(hits[0])
        score.outcomes.append((float(frame.loc[hits[0], "confidence"]), "right" if required
                               else "neutral"))  # fmt: skip
        if not required:
            score.neutral += 1
            continue
        score.found += 1
        _figures_right(frame.loc[hits[0]], incident, label, score)
    for i, row in frame.iterrows():
        if i not in used:
            score.extras.append(f"{row['event_date']:%Y-%m-%d} {row['location']}")
            score.outcomes.append((float(row["confidence"]), "wrong"))


def score_article(
    article: pd.Series, incidents: pd.DataFrame, folder: Path, places: Places
) -> ArticleScore:
    score = ArticleScore(
        id=article["id"], part=article["part"], outlet=article["outlet"],
        published=article["published"], printed=article["published_printed"],
        read=None, read_from=None,
    )  # fmt: skip
    score.required = int((incidents["required"] == "1").sum())
    path = folder / f"{article['id']}.txt"
    if not path.exists():
        score.error = f"no text at {path}"
        return score
    started = time.perf_counter()
    try:
        frame, read, read_from = _extract(path.read_text(encoding="utf-8"), article)
    except Exception as error:  # a crash is a result to report, not a reason to stop
        score.error = f"{type(error).__name__}: {error}"
        return score
    score.seconds = time.perf_counter() - started
    score.read = read.isoformat() if read else None
    score.read_from = read_from
    score.rows = len(frame)
    _match(frame, incidents, places, score)
    return score


@dataclass
class Totals:
    articles: int = 0
    required: int = 0
    found: int = 0
    rows: int = 0
    scored_rows: int = 0
    printed: int = 0
    printed_read: int = 0
    wrong_reads: int = 0
    casualties_right: int = 0
    errors: int = 0
    # texts are refetched from stored pages on each machine and some are not found: their
    # incidents count as missed, and this says how many articles that is
    without_text: int = 0

    def add(self, s: ArticleScore) -> None:
        self.articles += 1
        self.required += s.required
        self.found += s.found
        self.rows += s.rows
        self.scored_rows += s.scored_rows
        self.casualties_right += s.casualties_right
        self.errors += bool(s.error)
        self.without_text += bool(s.error) and s.error.startswith("no text")
        if s.printed:
            self.printed += 1
            self.printed_read += s.read == s.published
        self.wrong_reads += bool(s.read) and s.read != s.published

    def figures(self) -> dict:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            **asdict(self),
            "recall": ratio(self.found, self.required),
            "precision": ratio(self.found, self.scored_rows),
            "publication_date_read": ratio(self.printed_read, self.printed),
            "casualty_accuracy": ratio(self.casualties_right, self.found),
        }


def _line(label: str, figures: dict) -> str:
    def pct(value) -> str:
        return "  -  " if value is None else f"{value:5.2f}"

    return (
        f"{label:<9} articles {figures['articles']:>3} ({figures['without_text']:>2} no text)  "
        f"recall {pct(figures['recall'])} "
        f"({figures['found']}/{figures['required']})  precision {pct(figures['precision'])} "
        f"({figures['found']}/{figures['scored_rows']})  "
        f"pub date {pct(figures['publication_date_read'])} "
        f"({figures['printed_read']}/{figures['printed']}, {figures['wrong_reads']} wrong)  "
        f"killed+wounded {pct(figures['casualty_accuracy'])} "
        f"({figures['casualties_right']}/{figures['found']})"
    )


def _print_article(s: ArticleScore, details: bool) -> None:
    pub = "not printed" if not s.printed else ("read" if s.read == s.published else "NOT READ")
    if s.read and s.read != s.published:
        pub = f"WRONG ({s.read})"
    print(
        f"{s.id} {s.part:<7} {s.outlet[:28]:<28} found {s.found}/{s.required} rows {s.rows} "
        f"(neutral {s.neutral}) casualties {s.casualties_right}/{s.found} pub {pub}"
        + (f" ERROR {s.error}" if s.error else "")
    )
    if details:
        for text in s.misses:
            print(f"      missed  {text}")
        for text in s.extras:
            print(f"      extra   {text}")
        for text in s.casualty_errors:
            print(f"      figures {text}")


CONFIDENCE_BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 1.01))


def confidence_lines(scores: list[ArticleScore]) -> list[str]:
    """Rows right and wrong by the extractor's confidence (neutral rows left out), the studied
    parts apart from the held-out ones (totals only)."""
    lines = []
    for label, chosen in (("studied", [s for s in scores if s.part not in HIDDEN]),
                          ("held out", [s for s in scores if s.part in HIDDEN])):  # fmt: skip
        outcomes = [o for s in chosen for o in s.outcomes if o[1] != "neutral"]
        if not outcomes:
            continue
        cells = []
        for low, high in CONFIDENCE_BINS:
            kinds = [kind for value, kind in outcomes if low <= value < high]
            right = kinds.count("right")
            share = f"{right / len(kinds):.2f}" if kinds else "  - "
            cells.append(f"{low:.1f}-{min(high, 1):.1f}: {share} right ({right}/{len(kinds)})")
        lines.append(f"confidence, {label:<8}  " + "   ".join(cells))
    return lines


def _parts(value: str) -> tuple[str, ...]:
    """ "dev,heldout" -> ("dev", "heldout"); "all" (or nothing) -> () meaning every part."""
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in (*PARTS, "all")]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part(s) {', '.join(unknown)}; parts: {PARTS}")
    return () if "all" in names else names


def texts_folder(argument: str | None) -> Path | None:
    """The folder of article texts: the argument, else $ATLAS_REAL_ARTICLES, else the default."""
    folder = Path(argument or os.environ.get("ATLAS_REAL_ARTICLES") or DEFAULT_FOLDER)
    if not folder.is_dir():
        print(f"{folder}: no such folder of article texts (pass FOLDER or ATLAS_REAL_ARTICLES)")
        return None
    return folder


def read_keys() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answer keys: (articles, incidents), every cell a string."""
    articles = pd.read_csv(KEYS / "articles.csv", dtype=str, keep_default_na=False)
    return articles, pd.read_csv(KEYS / "incidents.csv", dtype=str, keep_default_na=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=None)
    parser.add_argument(
        "--part",
        type=_parts,
        default=None,
        help="a part, or a comma-separated list of parts (e.g. dev,heldout,fresh); default all",
    )
    parser.add_argument(
        "--details", action="store_true", help="the unread held-out set's articles and rows too"
    )
    parser.add_argument("--label", default="", help="a name for this run in the JSON")
    args = parser.parse_args(argv)
    folder = texts_folder(args.folder)
    if folder is None:
        return 2
    articles, incidents = read_keys()
    if args.part:
        articles = articles[articles["part"].isin(args.part)]
    places = Places()
    totals = {part: Totals() for part in (*PARTS, "all")}
    scores = []
    started = time.perf_counter()
    for _, article in articles.iterrows():
        score = score_article(article, incidents[incidents["id"] == article["id"]], folder, places)
        scores.append(score)
        totals[score.part].add(score)
        totals["all"].add(score)
        if score.part not in HIDDEN or args.details:
            _print_article(score, details=True)
    elapsed = time.perf_counter() - started
    print()
    for label, total in totals.items():
        if total.articles:
            print(_line(label, total.figures()))
    for line in confidence_lines(scores):
        print(line)
    print(f"({elapsed:.1f} s for {len(scores)} articles)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "extract_real.json"
    payload = {
        "label": args.label,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "folder": str(folder),
        "totals": {k: v.figures() for k, v in totals.items() if v.articles},
        "articles": [asdict(s) for s in scores],
    }
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
