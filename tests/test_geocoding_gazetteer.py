"""data/sites.csv: its contents, its loader, and that every name in it resolves to its site."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from dashboard.geocoding import GazetteerGeocoder
from dashboard.geocoding.gazetteer import (
    SITE_COLUMNS,
    SITE_KINDS,
    GazetteerDataError,
    load_sites,
    parse_sites,
)
from dashboard.geocoding.normalise import parse_name
from dashboard.paths import STATIC_DIR

SITES = load_sites().sites
BOXES = STATIC_DIR / "basemap" / "country-bbox.json"


def test_at_least_40_sites_across_iraq_syria_and_jordan():
    assert len(SITES) >= 40
    countries = {site.country for site in SITES}
    assert {"IQ", "SY", "JO"} <= countries


@pytest.mark.parametrize(
    "site_id",
    [
        # the seed article
        "ain-al-asad", "baghdad-airport", "harir-air-base", "jurf-al-sakhar",
        # places of the Oct 2023 - Feb 2024 attacks and strikes
        "erbil-airport", "us-embassy-baghdad", "al-tanf", "conoco-gas-field",
        "al-omar-oil-field", "kharab-al-jir", "qasrak", "k1-air-base", "kirkuk-air-base",
        "qayyarah-west", "balad-air-base", "camp-taji", "sulaymaniyah-airport",
        "deir-ez-zor-airport", "muwaffaq-salti",
        # places real reporting names that no other table knew (sites8)
        "tishrin-dam", "tiyas-air-base", "sayyidah-zaynab", "atme", "beit-jinn", "baadre",
    ],
)  # fmt: skip
def test_named_sites_are_present(site_id):
    assert site_id in load_sites().by_id


def test_every_site_is_complete_and_sourced():
    ids = [site.id for site in SITES]
    assert len(ids) == len(set(ids))
    for site in SITES:
        assert site.kind in SITE_KINDS, site.id
        assert len(site.country) == 2 and site.country.isupper(), site.id
        assert site.coord_source, f"{site.id} does not say where its coordinates come from"
        assert site.name and site.aliases, site.id


@pytest.mark.skipif(not BOXES.exists(), reason="country boxes come with the map assets")
def test_every_site_lies_in_its_country():
    boxes = json.loads(BOXES.read_text(encoding="utf-8"))
    for site in SITES:
        min_lat, min_lon, max_lat, max_lon = boxes[site.country]
        assert min_lat <= site.latitude <= max_lat, site.id
        assert min_lon <= site.longitude <= max_lon, site.id


def test_no_two_sites_share_a_point_or_a_bare_name():
    points = defaultdict(list)
    bare = defaultdict(set)
    for site in SITES:
        points[(round(site.latitude, 3), round(site.longitude, 3))].append(site.id)
        for alias in site.names:
            parsed = parse_name(alias)
            if not parsed.kinds:
                bare[parsed.core].add(site.id)
    assert all(len(ids) == 1 for ids in points.values()), points
    assert {core: ids for core, ids in bare.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(
    ("site_id", "name"),
    [(site.id, name) for site in SITES for name in site.names],
)
def test_every_name_and_alias_resolves_to_its_own_site(site_id, name):
    site = load_sites().by_id[site_id]
    location = GazetteerGeocoder().geocode(name, country=site.country)
    assert location is not None and location.raw["site_id"] == site_id, location


def test_loader_reads_each_file_once(tmp_path):
    assert load_sites() is load_sites()
    copy = tmp_path / "sites.csv"
    copy.write_text(load_sites().path.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_sites(copy)
    assert load_sites(str(copy)) is first
    assert first is not load_sites()


HEADER = ",".join(SITE_COLUMNS)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("id,name\nx,y\n", "missing column(s) kind"),
        (f"{HEADER}\na,A,air_base,IQ,,33.1,44.1,,src,\na,B,air_base,IQ,,33.2,44.2,,src,\n",
         "row 3, column id: duplicate id 'a'"),
        (f"{HEADER}\na,A,palace,IQ,,33.1,44.1,,src,\n", "row 2, column kind: unknown kind"),
        (f"{HEADER}\na,A,air_base,IQ,,33.1,4x,,src,\n", "row 2, column longitude"),
        (f"{HEADER}\na,A,air_base,IQ,,95,44.1,,src,\n", "outside WGS84 ranges"),
    ],
)  # fmt: skip
def test_malformed_sites_file_names_row_and_column(tmp_path, body, message):
    path = tmp_path / "sites.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GazetteerDataError, match="sites.csv") as raised:
        parse_sites(path)
    assert message in str(raised.value)
