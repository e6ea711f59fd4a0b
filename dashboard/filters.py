"""The filter registry: every filter declared once, as one small object (datasette's habit).

Each `Filter` knows its name, its URL key(s), its label and widget kind, how to read itself from
URL or CLI text (with a specific problem for anything it cannot read), how to write itself back,
how to describe itself in words, and the SQL condition it adds to the query engine. The sidebar,
the URL, the one-line description, the briefing view and the CLI `export` flags are all generated
from `REGISTRY`, so they cannot drift apart.

Roles are kept apart: `attacker` matches the initiator (actor1), `target` the target (actor2),
`actor` either party; `side` means the attacker's side unless `side_of=either`.

`Filters` is an immutable value (hashable, so results can be cached on it) whose fields are the
registry's names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, make_dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar

from rapidfuzz import fuzz, process

from dashboard import actors, countries
from dashboard.schema import EVENT_TYPES, WEAPONS

Params = Mapping[str, str | Sequence[str]]
EARTH_KM = 6371.0088
EARLIEST = date(1900, 1, 1)
MAX_KM = 2000.0
MAX_AREA_POINTS = 200


@dataclass(frozen=True)
class FilterProblem:
    """A URL or CLI value a filter could not use, and why (shown to the user, never dropped)."""

    key: str
    value: str
    message: str

    def describe(self) -> str:
        return f"{self.key}={self.value!r}: {self.message}"


@dataclass(frozen=True)
class SitePoint:
    site_id: str
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Vocabulary:
    """What filters can name: reference data plus the values found in the loaded incidents.

    Filters use it to read names ("KH" -> Kataib Hezbollah, "Iraq" -> IQ, "Ain al Asad" ->
    ain-al-asad), to print names instead of codes, and to expand umbrella groups.
    """

    data_actors: frozenset[str] = frozenset()
    sites: Mapping[str, SitePoint] = field(default_factory=dict)
    sides: tuple[str, ...] = ()

    @classmethod
    def reference(cls, data_actors: Iterable[str] = (), data_sites: Iterable[str] = ()):
        """The gazetteer and actors.csv, plus actor names and site ids found in the data."""
        from dashboard.geocoding.gazetteer import load_sites

        sites = {s.id: SitePoint(s.id, s.name, s.latitude, s.longitude) for s in load_sites().sites}
        for site_id in data_sites:
            sites.setdefault(site_id, SitePoint(site_id, site_id, math.nan, math.nan))
        table = actors.load_actors()
        sides = tuple(sorted(set(table["side"]) | {actors.UNKNOWN_SIDE}))
        return cls(frozenset(a for a in data_actors if a), sites, sides)

    def site_name(self, site_id: str) -> str:
        site = self.sites.get(site_id)
        return site.name if site else site_id


# ----------------------------------------------------------------------------- helpers


def _values(params: Params, key: str) -> list[str]:
    """Every non-empty comma-separated value given for `key` (repeated keys add up)."""
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for item in items for v in str(item).split(",") if v.strip()]


def _one(params: Params, key: str) -> str | None:
    raw = params.get(key)
    if raw is None:
        return None
    value = raw if isinstance(raw, str) else (list(raw)[-1] if len(raw) else "")
    return str(value).strip() or None


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _or_list(words: Sequence[str]) -> str:
    if len(words) <= 2:
        return " or ".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _label(value: str) -> str:
    return value.replace("_", " ")


# ----------------------------------------------------------------------------- filter kinds


@dataclass(frozen=True)
class Filter:
    """One filter. Subclasses say how values are read, written, described and queried."""

    name: str
    label: str
    help: str
    widget: str  # "date", "actor", "choice", "number", "text", "side", "map"
    keys: tuple[str, ...] = ()
    default: Any = None
    kind: ClassVar[type] = object

    @property
    def key(self) -> str:
        return self.keys[0] if self.keys else self.name

    def parse(self, params: Params, vocab: Vocabulary) -> tuple[Any, list[FilterProblem]]:
        raise NotImplementedError

    def to_query(self, value: Any) -> dict[str, str]:
        raise NotImplementedError

    def words(self, value: Any, vocab: Vocabulary) -> str | None:
        raise NotImplementedError

    def where(self, value: Any, vocab: Vocabulary) -> tuple[str, list] | None:
        raise NotImplementedError

    def is_set(self, value: Any) -> bool:
        return value != self.default


@dataclass(frozen=True)
class DayFilter(Filter):
    """A first or last day, YYYY-MM-DD. `bound` is ">=" for start and "<=" for end."""

    bound: str = ">="
    kind: ClassVar[type] = date

    def parse(self, params, vocab):
        text = _one(params, self.key)
        if text is None:
            return None, []
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None, [FilterProblem(self.key, text, "not a day: write it as YYYY-MM-DD")]
        if day < EARLIEST:
            return None, [FilterProblem(self.key, text, "before 1900: no incidents are kept")]
        return day, []

    def to_query(self, value):
        return {self.key: value.isoformat()} if value else {}

    def words(self, value, vocab):
        return None  # the period is described by `describe`, from both days together

    def where(self, value, vocab):
        return (f"event_date {self.bound} ?", [value]) if value else None


@dataclass(frozen=True)
class ChoiceFilter(Filter):
    """Any of a list of known values of one column (type, weapon, country, site)."""

    column: str = ""
    preposition: str = ""  # "in Iraq", "at Ain al-Asad Air Base"; empty: "weapon drone"

    def parse(self, params, vocab):
        chosen, problems = [], []
        for text in _values(params, self.key):
            value = self.read(text, vocab)
            if value is None:
                problems.append(FilterProblem(self.key, text, self.unknown(text, vocab)))
            elif value not in chosen:
                chosen.append(value)
        return tuple(chosen), problems

    def read(self, text: str, vocab: Vocabulary) -> str | None:
        raise NotImplementedError

    def unknown(self, text: str, vocab: Vocabulary) -> str:
        return f"unknown {self.label.lower()}"

    def display(self, value: str, vocab: Vocabulary) -> str:
        return _label(value)

    def to_query(self, value):
        return {self.key: ",".join(value)} if value else {}

    def words(self, value, vocab):
        if not value:
            return None
        names = _or_list([self.display(v, vocab) for v in value])
        return f"{self.preposition} {names}" if self.preposition else f"{self.label} {names}"

    def where(self, value, vocab):
        if not value:
            return None
        return f"{self.column} IN ({_placeholders(value)})", list(value)


def _spelling(text: str) -> str:
    return re.sub(r"[\s\-/_]+", "", text.lower())


@dataclass(frozen=True)
class CategoryFilter(ChoiceFilter):
    allowed: tuple[str, ...] = ()

    def read(self, text, vocab):
        spelled = {_spelling(v): v for v in self.allowed}
        return spelled.get(_spelling(text))

    def unknown(self, text, vocab):
        return f"unknown {self.label.lower()} (known: {', '.join(self.allowed)})"


@dataclass(frozen=True)
class CountryFilter(ChoiceFilter):
    def read(self, text, vocab):
        return countries.code_of(text)

    def unknown(self, text, vocab):
        return "unknown country: give a name (Iraq) or an ISO code (IQ)"

    def display(self, value, vocab):
        return countries.name_of(value)


@dataclass(frozen=True)
class SiteFilter(ChoiceFilter):
    def read(self, text, vocab):
        return _site_id(text, vocab)

    def unknown(self, text, vocab):
        return "unknown site: give a gazetteer id (ain-al-asad) or a site name"

    def display(self, value, vocab):
        return vocab.site_name(value)


def _site_id(text: str, vocab: Vocabulary) -> str | None:
    """A site id from an id or any name or alias the gazetteer knows (offline, exact)."""
    if text in vocab.sites:
        return text
    from dashboard import textsearch as search_terms

    return search_terms.site_named(text, vocab.sites.keys())


@dataclass(frozen=True)
class ActorFilter(ChoiceFilter):
    """Actors or umbrella groups, any alias; `columns` says which roles they may play."""

    columns: tuple[str, ...] = ("actor1",)

    def read(self, text, vocab):
        return _actor_name(text, vocab)

    def unknown(self, text, vocab):
        message = "unknown actor: no actor, alias or umbrella group has this name"
        nearest = actors.closest_actor(text, umbrella_names() | vocab.data_actors)
        return f"{message}; did you mean {nearest}?" if nearest else message

    def words(self, value, vocab):
        return f"{self.preposition} {_or_list(list(value))}" if value else None

    def where(self, value, vocab):
        if not value:
            return None
        members = sorted(members_of(value, vocab))
        tests = [f"{c} IN ({_placeholders(members)})" for c in self.columns]
        return "(" + " OR ".join(tests) + ")", members * len(self.columns)


def _actor_name(text: str, vocab: Vocabulary) -> str | None:
    canonical = actors.canonical_actor(text)
    if canonical:
        return canonical
    wanted = actors.normalise_name(text)
    for name in sorted(umbrella_names() | vocab.data_actors):
        if actors.normalise_name(name) == wanted:
            return name
    return None


@lru_cache(maxsize=1)
def umbrella_names() -> frozenset[str]:
    """Every umbrella group actors.csv names (asked on every rerun of the actor picker)."""
    table = actors.load_actors()
    return frozenset(u for name in table["name"] for u in actors.umbrellas_of(name))


def members_of(names: Iterable[str], vocab: Vocabulary) -> set[str]:
    """The named actors and every actor whose umbrella group is one of them."""
    names = set(names)
    members = set(names)
    for name in set(actors.load_actors()["name"]) | vocab.data_actors:
        if any(u in names for u in actors.umbrellas_of(name)):
            members.add(name)
    return members


SIDE_ROLES = {"attacker": "side1", "target": "side2", "either": "either"}


@dataclass(frozen=True)
class SideFilter(Filter):
    """Sides (actors.csv) of the attacker (default), the target, or either party.

    The value is (sides, role); the URL has `side=` and, when not the attacker, `side_of=`."""

    default: Any = ((), "attacker")

    def parse(self, params, vocab):
        chosen, problems = [], []
        known = {s.casefold(): s for s in vocab.sides}
        for text in _values(params, self.keys[0]):
            side = known.get(text.casefold())
            if side is None:
                message = f"unknown side (known: {', '.join(vocab.sides)})"
                problems.append(FilterProblem(self.keys[0], text, message))
            elif side not in chosen:
                chosen.append(side)
        role = _one(params, self.keys[1]) or "attacker"
        if role not in SIDE_ROLES:
            problems.append(FilterProblem(self.keys[1], role, "use attacker, target or either"))
            role = "attacker"
        return (tuple(chosen), role), problems

    def to_query(self, value):
        sides, role = value
        if not sides:
            return {}
        query = {self.keys[0]: ",".join(sides)}
        if role != "attacker":
            query[self.keys[1]] = role
        return query

    def is_set(self, value):
        return bool(value[0])

    def words(self, value, vocab):
        sides, role = value
        if not sides:
            return None
        party = {"attacker": "by", "target": "on", "either": "involving"}[role]
        return f"{party} the {_or_list(list(sides))} side{'s' if len(sides) > 1 else ''}"

    def where(self, value, vocab):
        sides, role = value
        if not sides:
            return None
        marks = _placeholders(sides)
        if role == "either":
            return f"(side1 IN ({marks}) OR side2 IN ({marks}))", list(sides) * 2
        return f"{SIDE_ROLES[role]} IN ({marks})", list(sides)


@dataclass(frozen=True)
class MinimumFilter(Filter):
    """At least N of something; incidents whose figure is unknown never qualify."""

    column: str = ""
    template: str = "at least {n}"

    def parse(self, params, vocab):
        text = _one(params, self.key)
        if text is None:
            return None, []
        try:
            number = int(text)
        except ValueError:
            return None, [FilterProblem(self.key, text, "not a whole number")]
        if number < 0:
            return None, [FilterProblem(self.key, text, "must not be negative")]
        return number, []

    def to_query(self, value):
        return {self.key: str(value)} if value is not None else {}

    def words(self, value, vocab):
        return self.template.format(n=value) if value is not None else None

    def where(self, value, vocab):
        return (f"{self.column} >= ?", [value]) if value is not None else None


@dataclass(frozen=True)
class TextFilter(Filter):
    """Words in places and notes, through the geocoder's transliteration-aware normaliser:
    "Ain al Asad" also finds "Ayn al-Asad" and every incident at the site it names."""

    default: Any = ""

    def parse(self, params, vocab):
        return _one(params, self.key) or "", []

    def to_query(self, value):
        return {self.key: value} if value else {}

    def words(self, value, vocab):
        return f"mentioning “{value}”" if value else None

    def where(self, value, vocab):
        if not value:
            return None
        from dashboard import textsearch as search_terms

        pattern = search_terms.pattern(value)
        tests, params = [], []
        if pattern:
            tests.append("rowid IN (SELECT rid FROM search_text WHERE regexp_matches(text, ?))")
            params.append(pattern)
        site = search_terms.site_named(value, vocab.sites.keys())
        if site:
            tests.append("site_id = ?")
            params.append(site)
        if not tests:
            return "FALSE", []
        return "(" + " OR ".join(tests) + ")", params


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    km: float
    site_id: str | None = None

    def bbox(self) -> tuple[float, float, float, float]:
        dlat = math.degrees(self.km / EARTH_KM)
        dlon = dlat / max(math.cos(math.radians(self.latitude)), 0.01)
        lat, lon = self.latitude, self.longitude
        return lat - dlat, lon - dlon, lat + dlat, lon + dlon


@dataclass(frozen=True)
class NearFilter(Filter):
    """Within N km of a site or a point: `near=ain-al-asad:25` or `near=33.79,42.44:25`."""

    def parse(self, params, vocab):
        text = _one(params, self.key)
        if text is None:
            return None, []
        place, _, km_text = text.rpartition(":")
        try:
            km = float(km_text)
        except ValueError:
            km = math.nan
        if not place or not math.isfinite(km) or not 0 < km <= MAX_KM:
            message = f"write SITE:KM or LAT,LON:KM with 0 < KM <= {MAX_KM:g} (near=ain-al-asad:25)"
            return None, [FilterProblem(self.key, text, message)]
        point = _point(place) or _site_point(place, vocab)
        if point is None:
            return None, [FilterProblem(self.key, text, "unknown site, and not LAT,LON")]
        return Near(point[0], point[1], km, point[2] if len(point) > 2 else None), []

    def to_query(self, value):
        if value is None:
            return {}
        place = value.site_id or f"{value.latitude:.5f},{value.longitude:.5f}"
        return {self.key: f"{place}:{value.km:g}"}

    def words(self, value, vocab):
        if value is None:
            return None
        place = (
            vocab.site_name(value.site_id)
            if value.site_id
            else f"{value.latitude:.3f}, {value.longitude:.3f}"
        )
        return f"within {value.km:g} km of {place}"

    def where(self, value, vocab):
        if value is None:
            return None
        south, west, north, east = value.bbox()
        # The box is cheap and narrows the rows the great-circle distance is computed for.
        sql = (
            "(latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? AND "
            "2 * ? * asin(sqrt(pow(sin(radians(latitude - ?) / 2), 2) + cos(radians(?)) * "
            "cos(radians(latitude)) * pow(sin(radians(longitude - ?) / 2), 2))) <= ?)"
        )
        return sql, [
            south, north, west, east, EARTH_KM, value.latitude, value.latitude,
            value.longitude, value.km,
        ]  # fmt: skip


def _point(text: str) -> tuple[float, float] | None:
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None


def _site_point(text: str, vocab: Vocabulary):
    site_id = _site_id(text, vocab)
    site = vocab.sites.get(site_id) if site_id else None
    if site is None or not math.isfinite(site.latitude):
        return None
    return site.latitude, site.longitude, site.site_id


@dataclass(frozen=True)
class BoxFilter(Filter):
    """A rectangle: `bbox=south,west,north,east` in degrees."""

    def parse(self, params, vocab):
        text = _one(params, self.key)
        if text is None:
            return None, []
        try:
            south, west, north, east = (float(v) for v in text.split(","))
        except ValueError:
            south = west = north = east = math.nan
        valid = all(math.isfinite(v) for v in (south, west, north, east))
        if not valid or not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            message = "write south,west,north,east in degrees, south < north and west < east"
            return None, [FilterProblem(self.key, text, message)]
        return (south, west, north, east), []

    def to_query(self, value):
        return {self.key: ",".join(f"{v:.5f}" for v in value)} if value else {}

    def words(self, value, vocab):
        if not value:
            return None
        south, west, north, east = value
        return f"in the box {_lat(south)}-{_lat(north)}, {_lon(west)}-{_lon(east)}"

    def where(self, value, vocab):
        if not value:
            return None
        south, west, north, east = value
        return "(latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?)", [
            south, north, west, east,
        ]  # fmt: skip


def _lat(value: float) -> str:
    return f"{abs(value):.2f}°{'N' if value >= 0 else 'S'}"


def _lon(value: float) -> str:
    return f"{abs(value):.2f}°{'E' if value >= 0 else 'W'}"


@dataclass(frozen=True)
class AreaFilter(Filter):
    """A drawn polygon: `area=lat,lon;lat,lon;lat,lon...` (at least 3 corners)."""

    def parse(self, params, vocab):
        text = _one(params, self.key)
        if text is None:
            return None, []
        corners = [_point(p) for p in text.split(";") if p.strip()]
        if len(corners) < 3 or len(corners) > MAX_AREA_POINTS or None in corners:
            message = f"write 3 to {MAX_AREA_POINTS} corners as lat,lon;lat,lon;lat,lon"
            return None, [FilterProblem(self.key, text, message)]
        return tuple(corners), []

    def to_query(self, value):
        if not value:
            return {}
        return {self.key: ";".join(f"{lat:.5f},{lon:.5f}" for lat, lon in value)}

    def words(self, value, vocab):
        return f"inside a drawn area of {len(value)} corners" if value else None

    def where(self, value, vocab):
        if not value:
            return None
        lats = [p[0] for p in value]
        lons = [p[1] for p in value]
        # Even-odd rule: a point is inside when a ray from it crosses an odd number of edges.
        terms, params = [], []
        for (lat_i, lon_i), (lat_j, lon_j) in zip(value, value[1:] + value[:1], strict=True):
            if lat_i == lat_j:
                continue  # a horizontal edge is never crossed by a horizontal ray
            terms.append(
                "CASE WHEN ((? > latitude) <> (? > latitude)) AND "
                "(longitude < (? - ?) * (latitude - ?) / (? - ?) + ?) THEN 1 ELSE 0 END"
            )
            params += [lat_i, lat_j, lon_j, lon_i, lat_i, lat_j, lat_i, lon_i]
        inside = f"(({' + '.join(terms) or '0'}) % 2 = 1)"
        box = "latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"
        return f"({box} AND {inside})", [min(lats), max(lats), min(lons), max(lons), *params]


# ----------------------------------------------------------------------------- the registry

REGISTRY: tuple[Filter, ...] = (
    DayFilter("start", "From", "first day, YYYY-MM-DD", "date", ("start",), bound=">="),
    DayFilter("end", "Until", "last day, YYYY-MM-DD", "date", ("end",), bound="<="),
    ActorFilter(
        "attacker", "Attacker", "initiator: actor or umbrella group, any alias "
        "(e.g. 'Kataib Hezbollah', 'KH')", "actor", ("attacker",), default=(),
        preposition="by", columns=("actor1",),
    ),
    ActorFilter(
        "target", "Target", "target: actor or umbrella group, any alias", "actor", ("target",),
        default=(), preposition="on", columns=("actor2",),
    ),
    ActorFilter(
        "actor", "Either party", "actor or umbrella group on either side of the incident",
        "actor", ("actor",), default=(), preposition="involving", columns=("actor1", "actor2"),
    ),
    SideFilter(
        "side", "Side", "side of the attacker (or of the target / either party with side_of)",
        "side", ("side", "side_of"),
    ),
    CategoryFilter(
        "type", "Event type", "event type, e.g. attack, airstrike", "choice", ("type",),
        default=(), column="event_type", allowed=EVENT_TYPES,
    ),
    CategoryFilter(
        "weapon", "Weapon", "weapon, e.g. drone", "choice", ("weapon",), default=(),
        column="weapon", allowed=WEAPONS,
    ),
    CountryFilter(
        "country", "Country", "country name or ISO code, e.g. Iraq or IQ", "choice",
        ("country",), default=(), column="country", preposition="in",
    ),
    SiteFilter(
        "site", "Site", "gazetteer site id or name, e.g. ain-al-asad", "choice", ("site",),
        default=(), column="site_id", preposition="at",
    ),
    NearFilter("near", "Near", "within KM of a site or point: SITE:KM or LAT,LON:KM", "map",
               ("near",)),
    BoxFilter("bbox", "Box", "rectangle: south,west,north,east in degrees", "map", ("bbox",)),
    AreaFilter("area", "Drawn area", "polygon: lat,lon;lat,lon;lat,lon...", "map", ("area",)),
    MinimumFilter(
        "min_casualties", "Minimum killed + wounded", "at least N killed + wounded (known)",
        "number", ("min_casualties",), column="casualties",
        template="at least {n} killed or wounded",
    ),
    MinimumFilter(
        "min_sources", "Minimum sources", "at least N sources report the incident", "number",
        ("min_sources",), column="source_count", template="reported by at least {n} sources",
    ),
    TextFilter("text", "Search places and notes", "words in places and notes", "text", ("q",)),
)  # fmt: skip
BY_NAME: dict[str, Filter] = {f.name: f for f in REGISTRY}
URL_KEYS: tuple[str, ...] = tuple(k for f in REGISTRY for k in (f.keys or (f.name,)))


def misspelt_keys(params: Params, other_keys: Iterable[str] = ()) -> list[FilterProblem]:
    """A problem for each parameter that is neither a filter nor one of `other_keys` (the
    page's own settings), naming the nearest known key: "?contry=IQ" is not silently ignored."""
    known = [*URL_KEYS, *other_keys]
    problems = []
    for key in params:
        if key in known:
            continue
        value = ",".join(_values(params, key))
        nearest = process.extractOne(key.lower(), known, scorer=fuzz.ratio, score_cutoff=60)
        hint = f"did you mean {nearest[0]}?" if nearest else f"known: {', '.join(known)}"
        problems.append(FilterProblem(key, value, f"not a filter; {hint}"))
    return problems


def _filters_namespace() -> dict[str, Any]:
    return {
        "from_query": classmethod(_from_query),
        "parse": classmethod(_parse),
        "to_query": _to_query,
        "is_empty": lambda self: all(not BY_NAME[n].is_set(v) for n, v in self.items()),
        "items": lambda self: [(f.name, getattr(self, f.name)) for f in REGISTRY],
        "active": lambda self: [
            (f, getattr(self, f.name)) for f in REGISTRY if f.is_set(getattr(self, f.name))
        ],
        "cleared": lambda self, name: replace(self, **{name: BY_NAME[name].default}),
        "where": _where,
        "describe": _describe,
        "__doc__": "Filter values by registry name; immutable and hashable (a cache key).",
    }


def _field(f: Filter):
    return (f.name, Any, field(default=f.default))


def _parse(cls, params: Params, vocab: Vocabulary | None = None):
    """(Filters, problems) from URL query parameters or CLI values; nothing is silently dropped."""
    vocab = vocab or default_vocabulary()
    values, problems = {}, []
    for spec in REGISTRY:
        values[spec.name], found = spec.parse(params, vocab)
        problems += found
    return cls(**values), problems


def _from_query(cls, params: Params, vocab: Vocabulary | None = None):
    """Filters from URL query parameters; values it cannot read are left out (see `parse`)."""
    return _parse(cls, params, vocab)[0]


def _to_query(self) -> dict[str, str]:
    query: dict[str, str] = {}
    for spec, value in self.active():
        query.update(spec.to_query(value))
    return query


def _where(self, vocab: Vocabulary | None = None) -> tuple[str, list]:
    """The SQL condition (DuckDB, `?` parameters) selecting the incidents these filters keep."""
    vocab = vocab or default_vocabulary()
    parts, params = [], []
    for spec, value in self.active():
        clause = spec.where(value, vocab)
        if clause:
            parts.append(clause[0])
            params += clause[1]
    return (" AND ".join(parts) if parts else "TRUE"), params


def _describe(
    self,
    *,
    count: int | None = None,
    span: tuple[Any, Any] | None = None,
    vocab: Vocabulary | None = None,
) -> str:
    """One line a person can read: '34 incidents, 12 Oct 2023 - 4 Feb 2024, by KH, in Iraq'.

    `count` and `span` (first and last day of the selected incidents) come from the engine."""
    vocab = vocab or default_vocabulary()
    parts = []
    if count is not None:
        parts.append(f"{count:,} incident{'s' if count != 1 else ''}")
    period = _period_words(self.start, self.end, span)
    if period:
        parts.append(period)
    for spec, value in self.active():
        words = spec.words(value, vocab)
        if words:
            parts.append(words)
    return ", ".join(parts) if parts else "all incidents"


def _period_words(start, end, span) -> str | None:
    first = start or (span[0] if span else None)
    last = end or (span[1] if span else None)
    if first is not None and last is not None:
        return f"{day_text(first)} - {day_text(last)}"
    if start:
        return f"from {day_text(start)}"
    if end:
        return f"until {day_text(end)}"
    return None


def day_text(value) -> str:
    """'4 Feb 2024'."""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return f"{value.day} {value:%b %Y}"


Filters = make_dataclass(
    "Filters", [_field(f) for f in REGISTRY], frozen=True, namespace=_filters_namespace()
)
Filters.__module__ = __name__


_DEFAULT_VOCABULARY: list[Vocabulary] = []


def default_vocabulary() -> Vocabulary:
    """Reference data only (actors.csv and the gazetteer), built once per process."""
    if not _DEFAULT_VOCABULARY:
        _DEFAULT_VOCABULARY.append(Vocabulary.reference())
    return _DEFAULT_VOCABULARY[0]


def filter_names() -> list[str]:
    return [f.name for f in fields(Filters)]
