"""Resolve a place name: sites gazetteer first, then the towns tier; exact first, then fuzzy.

For each piece of a location string (the whole string, its head, a bracketed alternative, then
context pieces such as "... near X"), in order, the first rule that finds something wins:
1. exact site match on the normalised core name. A kind word in the query ("airport", "base")
   picks a site of a compatible kind; without one only aliases that are bare names count
   ("Harir", "al-Asad", "BIAP"), so "Erbil" is the city and "Erbil air base" the airport;
2. with a kind word and no exact site: a fuzzy site match of a compatible kind, so that
   "Deir Ezzor military airport" is the airport rather than the town Deir Ezzor;
3. exact town match (primary names before alternate names, then larger population);
4. a site known only with a kind word when no town has the name ("Rmelan" -> Rmelan airport),
   at geo_precision 2: the site is named after the place, so it is near it;
then, over the pieces again, 5. fuzzy match (rapidfuzz) of the folded core against sites and
towns, at or above the tier's cut-off; below it, nothing.
A country hint (ISO2) is strict: only places in that country are candidates. A match found in
a context piece ("... near Baghdad International Airport") is at best geo_precision 2.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from dashboard.geocoding.gazetteer import Site
from dashboard.geocoding.normalise import (
    CONTEXT,
    KIND_COMPATIBLE,
    TOWN,
    ParsedName,
    fuzzy_key,
    parse_name,
    split_context,
)
from dashboard.geocoding.provinces import Province, find_province
from dashboard.geocoding.towns import Town

GAZETTEER, GEONAMES = "gazetteer", "geonames"
PROVINCE = "province"
# "Anbar province", "the governorate of Wasit": a first-level division, not a town.
_PROVINCE_WORD = re.compile(r"\b(?:province|governorate|muhafazat)\b", re.IGNORECASE)
WHOLE = "whole"
EXACT, FUZZY = "exact", "fuzzy"
# Chosen from measurements by bench/calibrate_threshold.py (rapidfuzz ratio on folded keys):
# for each tier, the (cut-off, minimum key length) that places the most one-typo variants of
# known names correctly while placing no variant wrongly and at most ~0.1% of 3,000 city names
# from elsewhere in the world (beyond the collisions no cut-off removes). See the module's
# output in bench/results/threshold.json.
SITE_THRESHOLD = 84.0
TOWN_THRESHOLD = 94.0
SITE_MIN_KEY_LENGTH = 4
TOWN_MIN_KEY_LENGTH = 6
DEFAULT_SCORER: Callable[..., float] = fuzz.ratio


@dataclass(frozen=True)
class Match:
    """One place a name resolved to."""

    source: str  # "gazetteer" (sites.csv) or "geonames" (towns.csv)
    place_id: str  # site id, or GeoNames id for towns
    name: str
    kind: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    matched_name: str  # the name or alias that matched
    score: float  # 100 for exact matches
    precision: int  # geo_precision: 1 the site itself, 2 town or near a place
    method: str = EXACT
    role: str = "head"

    @property
    def site_id(self) -> str | None:
        return self.place_id if self.source == GAZETTEER and self.kind != PROVINCE else None


@dataclass(frozen=True)
class _SiteEntry:
    site: Site
    alias: str
    kinds: frozenset[str]
    order: int


@dataclass(frozen=True)
class _TownEntry:
    town: Town
    name: str
    primary: bool


# ICAO/IATA and other codes ("ORAA", "BIAP", "K-1"): matched exactly, never fuzzily.
_CODE = re.compile(r"[A-Z0-9][A-Z0-9\-]{1,4}")


def _proper_romanisation(name: str) -> bool:
    """GeoNames alternate names that start with a capital letter are edited romanisations;
    lower-case ones ("hryr", "kfr asd") are machine transliterations of the consonants, good
    for exact look-up but noise for fuzzy matching. Arabic-script names count as proper."""
    first = next((c for c in name if c.isalpha()), "")
    return first.isupper() or "\u0600" <= first <= "\u06ff"


def _compatible(site_kind: str, kinds: frozenset[str]) -> bool:
    return any(site_kind in KIND_COMPATIBLE[k] for k in kinds)


def _site_match(entry: _SiteEntry, score: float, method: str) -> Match:
    site = entry.site
    return Match(GAZETTEER, site.id, site.name, site.kind, site.country, site.admin1,
                 site.latitude, site.longitude, entry.alias, score, 1, method)  # fmt: skip


def _province_match(province: Province, text: str) -> Match:
    """Geo_precision 3 at the province capital's point (data/provinces.csv)."""
    return Match(GAZETTEER, f"province:{province.id}", province.name, PROVINCE, province.country,
                 province.admin1, province.latitude, province.longitude, text, 100.0, 3,
                 EXACT)  # fmt: skip


def _town_match(entry: _TownEntry, score: float, method: str) -> Match:
    town = entry.town
    return Match(GEONAMES, str(town.id), town.name, "town", town.country, town.admin1,
                 town.latitude, town.longitude, entry.name, score, 2, method)  # fmt: skip


class PlaceIndex:
    """Sites and towns indexed by normalised core name and by fuzzy key."""

    def __init__(
        self,
        sites: Sequence[Site],
        towns: Sequence[Town] = (),
        *,
        site_threshold: float = SITE_THRESHOLD,
        town_threshold: float = TOWN_THRESHOLD,
        site_min_length: int = SITE_MIN_KEY_LENGTH,
        town_min_length: int = TOWN_MIN_KEY_LENGTH,
        scorer: Callable[..., float] = DEFAULT_SCORER,
        cache_size: int = 100_000,
    ):
        self.site_threshold = site_threshold
        self.town_threshold = town_threshold
        self.site_min_length = site_min_length
        self.town_min_length = town_min_length
        self.scorer = scorer
        self._sites, fuzzy_site_cores = self._index_sites(sites)
        self._towns, fuzzy_town_cores = self._index_towns(towns)
        self._site_keys, self._site_keys_by_country = self._fuzzy_choices(
            {core: {e.site.country for e in self._sites[core]} for core in fuzzy_site_cores}
        )
        self._town_keys, self._town_keys_by_country = self._fuzzy_choices(
            {core: {e.town.country for e in self._towns[core]} for core in fuzzy_town_cores}
        )
        self._site_key_cores = self._cores_by_key(fuzzy_site_cores)
        self._town_key_cores = self._cores_by_key(fuzzy_town_cores)
        self.resolve = lru_cache(maxsize=cache_size)(self._resolve)  # type: ignore[method-assign]

    @staticmethod
    def _index_sites(sites: Sequence[Site]) -> tuple[dict[str, list[_SiteEntry]], set[str]]:
        """Sites by the core of each of their names (in gazetteer order), and the cores fuzzy
        matching may use (not codes such as "K-1")."""
        index: dict[str, list[_SiteEntry]] = defaultdict(list)
        fuzzy_cores: set[str] = set()
        order = 0
        for site in sites:
            seen: set[tuple[str, frozenset[str]]] = set()
            for alias in site.names:
                parsed = parse_name(alias)
                if parsed.empty or (parsed.core, parsed.kinds) in seen:
                    continue
                seen.add((parsed.core, parsed.kinds))
                index[parsed.core].append(_SiteEntry(site, alias, parsed.kinds, order))
                if not _CODE.fullmatch(alias):
                    fuzzy_cores.add(parsed.core)
                order += 1
        return index, fuzzy_cores

    @staticmethod
    def _index_towns(towns: Sequence[Town]) -> tuple[dict[str, list[_TownEntry]], set[str]]:
        """Towns by the core of each of their names, and the cores fuzzy matching may use (a
        town's own name and proper romanisations, not every alternate spelling)."""
        index: dict[str, list[_TownEntry]] = defaultdict(list)
        fuzzy_cores: set[str] = set()
        for town in towns:
            seen: set[str] = set()
            for name in town.names:
                parsed = parse_name(name)
                if parsed.empty or parsed.core in seen:
                    continue
                seen.add(parsed.core)
                index[parsed.core].append(_TownEntry(town, name, name == town.name))
                if name == town.name or _proper_romanisation(name):
                    fuzzy_cores.add(parsed.core)
        return index, fuzzy_cores

    @staticmethod
    def _fuzzy_choices(countries_by_core: dict[str, set[str]]):
        keys: set[str] = set()
        by_country: dict[str, set[str]] = defaultdict(set)
        for core, countries in countries_by_core.items():
            key = fuzzy_key(core)
            keys.add(key)
            for country in countries:
                by_country[country].add(key)
        return sorted(keys), {c: sorted(k) for c, k in by_country.items()}

    @staticmethod
    def _cores_by_key(index) -> dict[str, list[str]]:
        cores: dict[str, list[str]] = defaultdict(list)
        for core in index:
            cores[fuzzy_key(core)].append(core)
        return cores

    # -- public -------------------------------------------------------------------------------
    def _resolve(self, text: str, country: str | None = None) -> Match | None:
        found = self.candidates(text, country)
        return found[0] if found else None

    def candidates(self, text: str, country: str | None = None) -> list[Match]:
        """Every place the name could be at the first stage that finds any, best first."""
        country = country.strip().upper() if country and country.strip() else None
        if _PROVINCE_WORD.search(str(text)):
            province = find_province(str(text), country)
            if province is not None:
                return [_province_match(province, str(text))]
        attempts = self._attempts(str(text))
        for parsed, role in attempts:
            found = self._exact(parsed, country)
            if found:
                return [self._in_role(m, role) for m in found]
        for parsed, role in attempts:
            if role == WHOLE:
                continue
            found = self._fuzzy(parsed, country)
            if found:
                return [self._in_role(m, role) for m in found]
        return self._bare_province(str(text), country)

    @staticmethod
    def _bare_province(text: str, country: str | None) -> list[Match]:
        """A name that is nothing but a province's name or alias ("Anbar", "Babylon")."""
        province = find_province(text, country)
        if province is None or fuzzy_key(parse_name(text).core) not in {
            fuzzy_key(parse_name(n).core) for n in province.names
        }:
            return []
        return [_province_match(province, text)]

    # -- stages -------------------------------------------------------------------------------
    @staticmethod
    def _attempts(text: str) -> list[tuple[ParsedName, str]]:
        pieces = split_context(text)
        attempts: list[tuple[str, str]] = []
        if len(pieces) != 1:
            attempts.append((text, WHOLE))
        attempts.extend(pieces)
        parsed = [(parse_name(piece), role) for piece, role in attempts]
        return [(p, role) for p, role in parsed if not p.empty]

    @staticmethod
    def _in_role(match: Match, role: str) -> Match:
        if role == CONTEXT:
            return replace(match, role=role, precision=max(match.precision, 2))
        return replace(match, role=role)

    def _rank_sites(
        self, entries: list[_SiteEntry], country: str | None, kinds: frozenset[str]
    ) -> list[_SiteEntry]:
        if country:
            entries = [e for e in entries if e.site.country == country]
        ranked = sorted(entries, key=lambda e: (e.kinds != kinds, e.order))
        seen: set[str] = set()
        unique = []
        for entry in ranked:
            if entry.site.id not in seen:
                seen.add(entry.site.id)
                unique.append(entry)
        return unique

    def _allowed_sites(
        self, entries: Sequence[_SiteEntry], site_kinds: frozenset[str]
    ) -> list[_SiteEntry]:
        if site_kinds:
            compatible = [e for e in entries if _compatible(e.site.kind, site_kinds)]
            return compatible or list(entries)
        return [e for e in entries if not e.kinds]

    def _town_entries(self, core: str, country: str | None) -> list[_TownEntry]:
        entries = self._towns.get(core, ())
        if country:
            entries = [e for e in entries if e.town.country == country]
        return sorted(entries, key=lambda e: (not e.primary, -e.town.population, e.town.id))

    def _exact(self, parsed: ParsedName, country: str | None) -> list[Match]:
        core, kinds = parsed.core, parsed.kinds
        site_kinds = kinds - {TOWN}
        if TOWN in kinds and not site_kinds:
            towns = self._town_entries(core, country)
            if towns:
                return [_town_match(e, 100.0, EXACT) for e in towns]
        entries = self._sites.get(core, ())
        chosen = self._rank_sites(self._allowed_sites(entries, site_kinds), country, kinds)
        if chosen:
            return [_site_match(e, 100.0, EXACT) for e in chosen]
        if site_kinds:
            # "X air base": a site of that kind spelled a little differently beats a town X.
            sites = self._fuzzy_sites(
                fuzzy_key(core), site_kinds, country, kinds, compatible_only=True
            )
            if sites:
                return sites
        towns = self._town_entries(core, country)
        if towns:
            return [_town_match(e, 100.0, EXACT) for e in towns]
        if entries and not site_kinds:
            # "Rmelan" when only "Rmelan Airport" is known: the site is named after the place,
            # so it is near it, not it (precision 2).
            ranked = self._rank_sites(list(entries), country, kinds)
            return [replace(_site_match(e, 100.0, EXACT), precision=2) for e in ranked]
        return []

    def _fuzzy(self, parsed: ParsedName, country: str | None) -> list[Match]:
        key = fuzzy_key(parsed.core)
        site_kinds = parsed.kinds - {TOWN}
        sites = (
            []
            if (TOWN in parsed.kinds and not site_kinds)
            else self._fuzzy_sites(key, site_kinds, country, parsed.kinds)
        )
        towns = self._fuzzy_towns(key, country)
        if site_kinds and sites:
            return sites + towns
        # No site kind word: the better score wins; a tie goes to the site.
        return sorted(sites + towns, key=lambda m: (-m.score, m.source != GAZETTEER))

    def _extract(
        self, key: str, choices: Sequence[str], cutoff: float, min_length: int
    ) -> list[tuple[str, float]]:
        if len(key.replace(" ", "")) < min_length:
            return []
        found = process.extract(key, choices, scorer=self.scorer, score_cutoff=cutoff, limit=10)
        return [(choice, float(score)) for choice, score, _ in found]

    def _fuzzy_sites(
        self,
        key: str,
        site_kinds: frozenset[str],
        country: str | None,
        kinds: frozenset[str],
        *,
        compatible_only: bool = False,
    ) -> list[Match]:
        choices = self._site_keys_by_country.get(country, []) if country else self._site_keys
        out: list[Match] = []
        seen: set[str] = set()
        found = self._extract(key, choices, self.site_threshold, self.site_min_length)
        for choice, score in found:
            for core in self._site_key_cores[choice]:
                entries = self._allowed_sites(self._sites[core], site_kinds)
                if compatible_only:
                    entries = [e for e in entries if _compatible(e.site.kind, site_kinds)]
                for entry in self._rank_sites(entries, country, kinds):
                    if entry.site.id not in seen:
                        seen.add(entry.site.id)
                        out.append(_site_match(entry, score, FUZZY))
        return out

    def _fuzzy_towns(self, key: str, country: str | None) -> list[Match]:
        choices = self._town_keys_by_country.get(country, []) if country else self._town_keys
        out: list[Match] = []
        seen: set[int] = set()
        found = self._extract(key, choices, self.town_threshold, self.town_min_length)
        for choice, score in found:
            for core in self._town_key_cores[choice]:
                for entry in self._town_entries(core, country):
                    if entry.town.id not in seen:
                        seen.add(entry.town.id)
                        out.append(_town_match(entry, score, FUZZY))
        return sorted(out, key=lambda m: -m.score)
