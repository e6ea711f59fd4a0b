"""The map package: incidents and hexagons drawn from the engine's answers, escaping, bounded
output, legend, sites, focus, spatial filters, a base map that never changes, offline-only
links, and reading what the browser returns."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date

import folium
import folium.plugins
import h3
import numpy as np
import pandas as pd
import pytest

from dashboard.engine import Engine
from dashboard.filters import Filters, Near
from dashboard.mapcontent import MapContent, map_content
from dashboard.mapview import MapQuery, MapView, plan
from dashboard.views.map import (
    Display,
    base_map,
    drawn_filter,
    incident_id_from_click,
    map_layers,
    palette,
    standalone_map,
    view_from_return,
    view_link,
)
from dashboard.views.map.draw import filter_shapes
from dashboard.views.map.style import THEME_STYLE

EVIL = "<b>x</b><script>alert(1)</script>"
EVIL_ESCAPED = "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
ASSET_TAGS = re.compile(r'<script[^>]*\bsrc="([^"]+)"|<link[^>]*\bhref="([^"]+)"', re.IGNORECASE)
QUERY = MapQuery(box=(20.0, 30.0, 45.0, 60.0), resolution=4, safe_resolution=3)


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    """n synthetic incidents in the canonical schema (dataset="synthetic") with side1."""
    rng = np.random.default_rng(seed)
    killed = pd.array(rng.integers(0, 6, n), dtype="Int64")
    killed[rng.random(n) < 0.3] = pd.NA
    wounded = pd.array(rng.integers(0, 9, n), dtype="Int64")
    wounded[rng.random(n) < 0.3] = pd.NA
    sides = np.array(["Iran-aligned militia", "US and coalition", "Iraqi government", "Unknown"])
    types = np.array(["attack", "airstrike", "foiled_attack", "interception"])
    return pd.DataFrame(
        {
            "incident_id": [f"syn-{i}" for i in range(n)],
            "event_date": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
            "time_precision": pd.array(np.ones(n, dtype=int), dtype="Int64"),
            "event_type": types[rng.integers(0, len(types), n)],
            "weapon": "drone", "actor1": "Actor A", "actor2": "Actor B",
            "location": [f"Town {i % 97}" for i in range(n)], "site_id": pd.NA,
            "country": "IQ", "admin1": "Anbar",
            "latitude": rng.uniform(29.5, 37.0, n), "longitude": rng.uniform(39.0, 48.0, n),
            "geo_precision": pd.array(np.ones(n, dtype=int), dtype="Int64"),
            "geo_source": "source", "killed": killed, "wounded": wounded,
            "source": "Synthetic source", "source_url": "https://example.org/report",
            "notes": "Synthetic note.", "dataset": "synthetic",
            "side1": sides[rng.integers(0, len(sides), n)],
        }
    )  # fmt: skip


def points_content(frame: pd.DataFrame, **extra) -> MapContent:
    located = int(frame[["latitude", "longitude"]].notna().all(axis=1).sum())
    values = {"mode": "points", "query": QUERY, "resolution": None, "in_box": located,
              "located": located, "total": len(frame), "points": frame, **extra}  # fmt: skip
    return MapContent(**values)


def engine_content(frame: pd.DataFrame, filters=None, query=QUERY, **options):
    engine = Engine(frame.drop(columns=["side1"], errors="ignore"), search_in_background=False)
    return engine, map_content(engine, filters or Filters(), query, **options)


def layer_of(group: folium.FeatureGroup, kind: str):
    found = [c for c in group._children.values() if getattr(c, "_name", "") == kind]
    return found[0] if found else None


def features(group: folium.FeatureGroup, kind: str = "IncidentLayer") -> list[dict]:
    return layer_of(group, kind).features


def legend(group: folium.FeatureGroup) -> str:
    return layer_of(group, "Legend").legend_html


def page_of(group: folium.FeatureGroup, **base) -> str:
    return standalone_map(base_map(**base), group).get_root().render()


# --------------------------------------------------------------------------- incidents


def test_one_circle_per_located_incident_in_one_layer():
    frame = synthetic(50)
    frame.loc[[3, 4], "latitude"] = np.nan
    frame.loc[5, "longitude"] = 500.0  # invalid
    group = map_layers(points_content(frame))
    drawn = features(group)
    assert len(drawn) == 47
    assert {f["properties"]["id"] for f in drawn} == set(frame["incident_id"]) - {
        "syn-3", "syn-4", "syn-5"}  # fmt: skip
    assert group.atlas_summary.mode == "points" and group.atlas_summary.features == 47
    assert "2 of 50 incidents have no coordinates" in legend(group)


def test_every_incident_carries_its_id_in_properties_and_tooltip():
    for feature in features(map_layers(points_content(synthetic(30)))):
        props = feature["properties"]
        assert props["t"].startswith(f"#{props['id']} \u00b7 ")
        assert props["p"].count(f"#{props['id']}") == 1


def test_incidents_at_one_point_share_a_circle_listing_them_newest_first():
    frame = synthetic(5)
    frame.loc[:, ["latitude", "longitude"]] = [33.7856, 42.4412]
    (only,) = features(map_layers(points_content(frame)))
    props = only["properties"]
    assert props["n"] == 5 and "(+4 more at this point)" in props["t"]
    order = frame.sort_values("event_date", ascending=False)["incident_id"].tolist()
    positions = [props["p"].index(f"#{i} ") for i in order]
    assert positions == sorted(positions)
    assert props["id"] == order[0]


def test_popups_contain_the_fields():
    frame = synthetic(1)
    frame.loc[0, ["killed", "wounded"]] = [2, pd.NA]
    frame.loc[0, "event_date"] = pd.Timestamp("2024-01-28")
    (feature,) = features(map_layers(points_content(frame)))
    popup = feature["properties"]["p"]
    for text in ("#syn-0", "2024-01-28", frame.loc[0, "event_type"], "(drone)", "Actor A",
                 "Actor B", frame.loc[0, "side1"], "Town 0, Anbar, IQ", "killed: 2",
                 "wounded: unknown", 'href="https://example.org/report"', "Synthetic source",
                 "Synthetic note.", "Dataset: synthetic"):  # fmt: skip
        assert text in popup, text


def test_unknown_casualties_are_unknown_not_zero_and_smallest():
    frame = synthetic(3)
    frame["killed"] = pd.array([pd.NA, 0, 5], dtype="Int64")
    frame["wounded"] = pd.array([pd.NA, 0, pd.NA], dtype="Int64")
    props = {f["properties"]["id"]: f["properties"] for f in
             features(map_layers(points_content(frame)))}  # fmt: skip
    assert "killed: unknown, wounded: unknown" in props["syn-0"]["p"]
    assert "killed: 0, wounded: 0" in props["syn-1"]["p"]
    assert "killed: 5, wounded: unknown" in props["syn-2"]["p"]
    assert props["syn-0"]["r"] == props["syn-1"]["r"] < props["syn-2"]["r"]


def test_each_symbol_carries_its_known_killed_and_wounded_summed():
    """A wall adds these up when it merges symbols: unknown stays unknown (None), never 0."""
    frame = synthetic(4)
    frame["killed"] = pd.array([pd.NA, 2, 1, pd.NA], dtype="Int64")
    frame["wounded"] = pd.array([pd.NA, pd.NA, 3, 0], dtype="Int64")
    frame.loc[[1, 2], ["latitude", "longitude"]] = [33.7856, 42.4412]  # one point, one symbol
    known = {f["properties"]["n"]: f["properties"]["k"] for f in
             features(map_layers(points_content(frame.loc[[0, 1, 2]])))}  # fmt: skip
    assert known == {1: None, 2: 6}
    (zero,) = features(map_layers(points_content(frame.loc[[3]])))
    assert zero["properties"]["k"] == 0


def test_recent_days_are_ringed():
    frame = synthetic(60)
    since = (frame["event_date"].max() - pd.Timedelta(days=6)).date()
    recent = set(frame.loc[frame["event_date"] >= pd.Timestamp(since), "incident_id"])
    group = map_layers(points_content(frame, recent_since=since), Display(highlight_days=7))
    assert {f["properties"]["id"] for f in features(group) if f["properties"]["h"]} == recent
    assert "the last 7 days" in legend(group)
    plain = map_layers(points_content(frame, recent_since=since))
    assert not any(f["properties"]["h"] for f in features(plain))


def test_legend_says_which_colouring():
    frame = synthetic(40)
    by_side = legend(map_layers(points_content(frame), Display(color_by="side")))
    by_type = legend(map_layers(points_content(frame), Display(color_by="event_type")))
    assert "Colour: attacker&#39;s side" in by_side and "Iran-aligned militia" in by_side
    assert "Colour: event type" in by_type and "airstrike" in by_type
    assert "Size: killed + wounded" in by_side


def test_scale_multiplies_symbol_sizes_in_the_page():
    frame = synthetic(5)
    wall = page_of(map_layers(points_content(frame), Display(scale=2.5)), scale=2.5)
    assert '"scale":2.5' in wall and "--ia-scale" not in wall  # set by map.js from the option


# --------------------------------------------------------------------------- escaping


def test_text_from_data_never_becomes_markup():
    frame = synthetic(5)
    for column in ("notes", "actor1", "actor2", "location", "source", "admin1", "event_type",
                   "weapon", "side1", "dataset", "incident_id"):  # fmt: skip
        frame.loc[0, column] = EVIL
    frame.loc[1, "source_url"] = "javascript:alert(1)"
    frame.loc[2, "source_url"] = 'https://example.org/a"onmouseover="alert(1)'
    sites = pd.DataFrame({"site_id": [EVIL], "name": [EVIL], "latitude": [33.0],
                          "longitude": [44.0]})  # fmt: skip
    for color_by in ("side", "event_type"):
        group = map_layers(points_content(frame, site_counts={EVIL: 1}),
                           Display(color_by=color_by), sites=sites, description=EVIL)  # fmt: skip
        page = page_of(group)
        assert "<script>alert(1)</script>" not in page and "<b>x</b>" not in page
        strings = [f["properties"][k] for f in features(group) for k in ("t", "p")]
        strings += [f["properties"][k] for f in features(group, "SiteLayer") for k in "tp"]
        strings.append(legend(group))
        assert any(EVIL_ESCAPED in s for s in strings)
        for text in strings:
            assert "<script" not in text and "<b>x" not in text
            assert 'href="javascript:' not in text and 'onmouseover="alert' not in text
        assert any("&#34;onmouseover=&#34;alert(1)" in s for s in strings)
        assert EVIL_ESCAPED in legend(group)


def test_text_in_hexagon_tooltips_is_escaped():
    cells = pd.DataFrame({
        "cell": [h3.latlng_to_cell(33.0, 44.0, 5)], "latitude": [33.0], "longitude": [44.0],
        "incidents": [3], "killed": [1.0], "wounded": [np.nan], "casualties": [1.0],
        "with_figures": [1], "recent": [0], "sides": [[(EVIL, 3)]], "types": [[(EVIL, 3)]],
    })  # fmt: skip
    content = MapContent(mode="cells", query=QUERY, resolution=5, in_box=3, located=3, total=3,
                         cells=cells)  # fmt: skip
    (feature,) = features(map_layers(content), "CellLayer")
    assert EVIL_ESCAPED in feature["properties"]["t"]
    assert "<script" not in feature["properties"]["t"]


def test_only_http_urls_become_links():
    frame = synthetic(3)
    frame["source_url"] = ["https://example.org/a", "ftp://example.org/b", "javascript:x()"]
    popups = {f["properties"]["id"]: f["properties"]["p"] for f in
              features(map_layers(points_content(frame)))}  # fmt: skip
    assert '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer">' in popups[
        "syn-0"]  # fmt: skip
    assert "<a " not in popups["syn-1"] and "<a " not in popups["syn-2"]
    assert "ftp://example.org/b" in popups["syn-1"]  # shown, as text


# --------------------------------------------------------------------------- hexagons


def test_many_incidents_become_hexagons_that_add_up_and_never_overlap():
    frame = synthetic(3000)
    engine, content = engine_content(frame, max_points=500)
    assert content.mode == "cells"
    group = map_layers(content, Display(metric="incidents"))
    hexes = features(group, "CellLayer")
    assert sum(f["properties"]["n"] for f in hexes) == content.in_box == 3000
    assert len(hexes) == len(content.cells) == len(set(content.cells["cell"]))
    assert {h3.get_resolution(c) for c in content.cells["cell"]} == {content.resolution}
    for feature, cell in zip(hexes, content.cells["cell"], strict=True):
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) in (6, 7)  # a closed hexagon (pentagon rare)
        lon, lat = np.mean(ring[:-1], axis=0)
        assert h3.latlng_to_cell(lat, lon, content.resolution) == cell


def test_hexagon_colours_follow_the_scale_in_the_legend():
    frame = synthetic(3000)
    frame.loc[:999, ["latitude", "longitude"]] = [33.3, 44.4]  # one hot spot
    _, content = engine_content(frame, max_points=500)
    group = map_layers(content)
    hexes = features(group, "CellLayer")
    ramp = list(palette.SEQUENTIAL["light"])
    darkness = {f["properties"]["n"]: ramp.index(f["properties"]["c"]) for f in hexes}
    counts = sorted(darkness)
    assert [darkness[n] for n in counts] == sorted(darkness[n] for n in counts)
    assert darkness[max(counts)] == len(ramp) - 1  # the hot spot is the darkest class
    text = legend(group)
    assert "Incidents per hexagon" in text
    for colour in {f["properties"]["c"] for f in hexes}:
        assert colour in text  # every colour on the map is explained


def test_hexagon_tooltips_give_count_casualties_sides_and_types():
    frame = synthetic(2000)
    _, content = engine_content(frame, max_points=100)
    top = content.cells.iloc[0]
    (feature,) = [f for f in features(map_layers(content), "CellLayer")
                  if f["properties"]["n"] == top["incidents"]][:1]  # fmt: skip
    text = html.unescape(re.sub(r"<[^>]+>", " ", feature["properties"]["t"]))
    assert f"{int(top['incidents']):,} incidents" in text
    assert "By side" in text and "By type" in text
    name, count = top["sides"][0]
    assert f"{name} {count:,}" in text
    assert "km across" in text


def test_casualty_shading_leaves_unknown_figures_grey():
    frame = synthetic(3000)
    frame.loc[frame["latitude"] > 36, ["killed", "wounded"]] = pd.NA
    _, content = engine_content(frame, max_points=100)
    group = map_layers(content, Display(metric="casualties"))
    unknown = content.cells["casualties"].isna()
    assert unknown.any() and not unknown.all()
    colours = [f["properties"]["c"] for f in features(group, "CellLayer")]
    assert {c for c, u in zip(colours, unknown, strict=True) if u} == {palette.NO_FIGURE_COLOR}
    assert "Known killed + wounded per hexagon" in legend(group)
    assert "no figure reported" in legend(group)


def test_hexagons_stay_few_whatever_the_data_size():
    small = synthetic(2000)
    large = synthetic(40_000, seed=3)
    for frame in (small, large):
        engine, _ = engine_content(frame.head(1))
        engine = Engine(frame.drop(columns="side1"), search_in_background=False)
        view = MapView.around(33.5, 43.0, 6, (1400, 700))
        content = map_content(engine, Filters(), plan(view), max_cells=800)
        assert content.mode == "cells" and len(content.cells) <= 800
        page = page_of(map_layers(content))
        assert len(page.encode()) < 2_000_000


def test_few_incidents_in_view_are_drawn_one_by_one():
    frame = synthetic(3000)
    engine = Engine(frame.drop(columns="side1"), search_in_background=False)
    wide = map_content(engine, Filters(), plan(MapView.around(33.5, 43.5, 6)), max_points=500)
    close = map_content(engine, Filters(), plan(MapView.around(33.5, 43.5, 11)), max_points=500)
    assert wide.mode == "cells" and close.mode == "points"
    assert 0 < close.in_box <= 500 and len(close.points) == close.in_box


# --------------------------------------------------------------------------- the rest


def test_sites_layer_counts_incidents_and_links_dossiers():
    sites = pd.DataFrame({
        "site_id": ["ain-al-asad", "erbil", "nowhere"], "name": ["Ain al-Asad", "Erbil", "X"],
        "kind": ["air_base", "airport", "town"],
        "latitude": [33.8, 36.2, np.nan], "longitude": [42.4, 43.9, np.nan],
    })  # fmt: skip
    group = map_layers(points_content(synthetic(10), site_counts={"ain-al-asad": 4}),
                       sites=sites)  # fmt: skip
    drawn = {f["properties"]["id"]: f["properties"] for f in features(group, "SiteLayer")}
    assert {k: v["n"] for k, v in drawn.items()} == {"ain-al-asad": 4, "erbil": 0}
    assert drawn["ain-al-asad"]["t"] == "Site: Ain al-Asad (air base) \u00b7 4 incidents"
    assert 'href="/site?id=ain-al-asad" target="_blank"' in drawn["ain-al-asad"]["p"]
    assert group.atlas_summary.sites == 2


def test_sites_from_the_real_gazetteer():
    from dashboard.geocoding.gazetteer import load_sites

    table = load_sites()
    group = map_layers(points_content(synthetic(5)), sites=table)
    assert group.atlas_summary.sites == len(table.sites)


def test_focus_rings_the_chosen_incident_and_pans_unless_clicked_on_the_map():
    row = synthetic(1).iloc[0].to_dict()
    for pan in (True, False):
        group = map_layers(points_content(synthetic(3)), focus=(row, pan))
        ring = layer_of(group, "SelectionRing")
        assert group.atlas_summary.selected
        assert f'"pan":{"true" if pan else "false"}' in ring.arguments
        assert '"syn-0"' in ring.arguments.split(",")[0]
    row["latitude"] = np.nan
    assert not map_layers(points_content(synthetic(3)), focus=(row, True)).atlas_summary.selected


def test_spatial_filters_are_outlined():
    filters = Filters(near=Near(33.79, 42.44, 25.0, "ain-al-asad"), bbox=(30, 40, 35, 45),
                      area=((30.0, 40.0), (31.0, 41.0), (30.0, 42.0)))  # fmt: skip
    shapes = filter_shapes(filters)
    assert [s["kind"] for s in shapes] == ["circle", "polygon", "polygon"]
    assert shapes[0]["radius"] == 25_000
    assert shapes[1]["latlngs"][0] == [30, 40] and shapes[1]["latlngs"][2] == [35, 45]
    group = map_layers(points_content(synthetic(3)), shapes=shapes)
    assert layer_of(group, "FilterOutline") is not None
    assert layer_of(map_layers(points_content(synthetic(3))), "FilterOutline") is None


def test_heat_layer_only_when_asked():
    frame = synthetic(20)
    assert not map_layers(points_content(frame)).atlas_summary.heat
    group = map_layers(points_content(frame), Display(heat=True))
    (heat,) = [c for c in group._children.values() if isinstance(c, folium.plugins.HeatMap)]
    assert len(heat.data) == 20 and heat.options["pane"] == "ia-heat"


def test_nothing_located_gives_a_valid_map_saying_so():
    group = map_layers(None, Display(heat=True, highlight_days=3))
    page = page_of(group)
    assert "L.map(" in page and group.atlas_summary.mode == "empty"
    assert "No incidents with coordinates to show" in legend(group)


def test_rejects_unknown_options():
    for bad in ({"color_by": "weapon"}, {"theme": "blue"}, {"highlight_days": 0},
                {"metric": "weapons"}):  # fmt: skip
        with pytest.raises(ValueError):
            Display(**bad)
    with pytest.raises(ValueError):
        base_map(scale=25)


# --------------------------------------------------------------------------- the base map


def test_base_map_script_is_the_same_whatever_the_data():
    """streamlit-folium keys its iframe on the map's script: equal scripts keep the user's
    view while the feature group of data is swapped."""
    from streamlit_folium import _get_map_string, generate_js_hash

    def script_hash():
        fmap = base_map(theme="light", scale=1.0)
        fmap.get_root().render()
        return generate_js_hash(_get_map_string(fmap), "incident_map")

    first = script_hash()
    map_layers(points_content(synthetic(30)), Display(heat=True))  # data never enters it
    assert script_hash() == first


def test_offline_map_links_no_remote_assets():
    group = map_layers(points_content(synthetic(30)), Display(heat=True, highlight_days=5))
    page = page_of(group)
    links = [a or b for a, b in ASSET_TAGS.findall(page)]
    assert links and all(link.startswith("/app/static/") for link in links), links
    # the only http(s) URLs left are the data's source links inside popups
    assert set(re.findall(r"https?://[^\s\"'<>\\]+", page)) <= {"https://example.org/report"}
    assert "tileLayer" not in page
    assert '"maxZoom": 13' in page and '"minZoom": 3' in page
    assert "/app/static/basemap/middle-east.geojson" in page


def test_icon_path_and_setup_come_before_anything_else():
    fmap = base_map()
    first = next(iter(fmap._children.values()))
    assert first._name == "MapSetup"
    page = standalone_map(fmap, map_layers(points_content(synthetic(3)))).get_root().render()
    assert page.index("L.Icon.Default.imagePath") < page.index("Atlas.setup(")
    assert page.index("Atlas.setup(") < page.index("Atlas.points(")


def test_online_basemap_only_when_a_url_template_is_passed():
    url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    page = base_map(basemap=url, theme="dark").get_root().render()
    assert url in page and "OpenStreetMap" in page
    assert "middle-east.geojson" not in page and '"maxZoom": 18' in page
    for bad in ("osm", "https://example.org/tiles.png", "file:///{z}/{x}/{y}.png"):
        with pytest.raises(ValueError):
            base_map(basemap=bad)


def test_dark_theme_is_styled():
    page = base_map(theme="dark").get_root().render()
    assert '"theme":"dark"' in page and THEME_STYLE["dark"]["land"] in page


def test_a_wall_map_has_no_controls_but_its_attribution():
    desk = base_map().get_root().render()
    wall = base_map(wall=True, draw=False, snapshot=False).get_root().render()
    assert '"zoomControl": true' in desk and "L.control.scale" in desk
    assert "L.control.fullscreen" in desk
    assert '"zoomControl": false' in wall and "L.control.scale" not in wall
    assert "L.control.fullscreen" not in wall and '"zoomSnap": 0.25' in wall
    assert '"wall":true' in wall and "Atlas.borders(" in wall  # credited by the borders layer


def test_a_wall_leaves_the_legend_to_the_page_and_merges_symbols():
    frame = synthetic(30)
    content = points_content(frame, site_counts={"ain-al-asad": 3})
    sites = pd.DataFrame({"site_id": ["ain-al-asad"], "name": ["Ain al-Asad"],
                          "latitude": [33.7856], "longitude": [42.4412]})  # fmt: skip
    desk = map_layers(content, Display(theme="dark"), sites=sites, fit=("k", (30, 40, 35, 45)))
    wall = map_layers(content, Display(theme="dark", wall=True, legend=False, scale=3.66),
                      sites=sites, fit=("k", (30, 40, 35, 45)))  # fmt: skip
    assert layer_of(desk, "Legend") is not None and layer_of(wall, "Legend") is None
    # The same facts, drawn by the page; the wall draws no gazetteer sites.
    assert wall.atlas_legend == replace(desk.atlas_legend, sites=False)
    assert wall.atlas_legend.ring == THEME_STYLE["dark"]["recent"]
    assert [r.label for r in wall.atlas_legend.rows] == [
        r.label for r in desk.atlas_legend.rows] and wall.atlas_legend.rows  # fmt: skip
    page = page_of(wall, scale=3.66, wall=True)
    assert '"merge":true' in page and '{"wall":true}' in page  # merged, fitted every time
    assert layer_of(wall, "SiteLayer") is None and layer_of(desk, "SiteLayer") is not None
    assert '"merge":false' in page_of(desk)


def test_the_wall_has_no_draw_tool_or_snapshot_button():
    desk = base_map().get_root().render()
    wall = base_map(draw=False, snapshot=False).get_root().render()
    assert "L.Control.Draw" in desk and "snapshotControl" in desk
    assert "L.Control.Draw" not in wall and "snapshotControl" not in wall


# --------------------------------------------------------------------------- clicks


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ({"last_object_clicked_tooltip": "#syn-12 \u00b7 2024-01-28 \u00b7 attack \u00b7 X"},
         "syn-12"),
        ({"last_object_clicked_tooltip": "#a b&c \u00b7 2024-01-28 \u00b7 attack"}, "a b&c"),
        ({"last_object_clicked_tooltip": None,
          "last_object_clicked_popup": "#ACLED-9 \u00b7 2024-01-28\nattack"}, "ACLED-9"),
        ({"last_object_clicked_tooltip": "1,234 incidents \u00b7 Town 3"}, None),
        ({"last_object_clicked_tooltip": "Site: Ain al-Asad \u00b7 4 incidents"}, None),
        ({"last_object_clicked_tooltip": None}, None),
        ({}, None),
        (None, None),
    ],
)  # fmt: skip
def test_incident_id_from_click(returned, expected):
    assert incident_id_from_click(returned) == expected


def test_click_round_trip_through_the_tooltip_text():
    frame = synthetic(5)
    frame.loc[2, "incident_id"] = "odd <id> & co"
    for feature in features(map_layers(points_content(frame))):
        # st_folium returns the tooltip's text content (entities decoded, tags stripped)
        text = html.unescape(re.sub(r"<[^>]+>", "", feature["properties"]["t"]))
        assert incident_id_from_click({"last_object_clicked_tooltip": text}) == feature[
            "properties"]["id"]  # fmt: skip


def test_view_from_what_the_browser_returns():
    returned = {"bounds": {"_southWest": {"lat": 30.5, "lng": 38.0},
                           "_northEast": {"lat": 36.0, "lng": 47.5}}, "zoom": 7}  # fmt: skip
    assert view_from_return(returned) == MapView(30.5, 38.0, 36.0, 47.5, 7)
    assert view_link(returned) == "33.2500,42.7500,7"  # no centre reported: the bounds' middle
    assert view_link({**returned, "center": {"lat": 33.4012345, "lng": 42.75}}) == (
        "33.4012,42.7500,7"
    )
    for broken in (None, {}, {"bounds": None, "zoom": 5},
                   {"bounds": {"_southWest": {"lat": None, "lng": None},
                               "_northEast": {"lat": None, "lng": None}}, "zoom": 5}):  # fmt: skip
        assert view_from_return(broken) is None


def _polygon(corners):
    ring = [[lon, lat] for lat, lon in corners] + [[corners[0][1], corners[0][0]]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_drawn_rectangle_becomes_a_box_and_polygon_an_area():
    rectangle = _polygon([(30.0, 40.0), (32.0, 40.0), (32.0, 43.5), (30.0, 43.5)])
    assert drawn_filter(rectangle) == ("bbox", (30.0, 40.0, 32.0, 43.5))
    triangle = _polygon([(30.0, 40.0), (32.5, 41.0), (30.5, 43.0)])
    assert drawn_filter(triangle) == ("area", ((30.0, 40.0), (32.5, 41.0), (30.5, 43.0)))
    line = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2]]}}
    assert drawn_filter(line) is None and drawn_filter(None) is None
    huge = _polygon([(30 + i / 100, 40 + (i % 2)) for i in range(250)])
    assert drawn_filter(huge) is None


def test_drawn_shapes_filter_like_the_registry_says():
    frame = synthetic(400)
    engine = Engine(frame.drop(columns="side1"), search_in_background=False)
    name, value = drawn_filter(_polygon([(30.0, 40.0), (33.0, 40.0), (33.0, 44.0),
                                         (30.0, 44.0)]))  # fmt: skip
    inside = frame["latitude"].between(30, 33) & frame["longitude"].between(40, 44)
    assert engine.count(Filters(**{name: value})) == inside.sum()
    assert Filters(**{name: value}).to_query()["bbox"].startswith("30.00000,40.00000")


# --------------------------------------------------------------------------- palette


@pytest.mark.parametrize(("low", "high", "expected"), [
    (1, 1, [1]), (1, 5, [1, 2, 3, 4, 5]), (1, 20, [1, 2, 5, 10]),
    (1, 1000, [1, 3, 10, 30, 100, 300]), (0, 50_000, [0, 1, 10, 100, 1000, 10_000]),
])  # fmt: skip
def test_class_breaks_are_round_and_cover_the_range(low, high, expected):
    assert palette.class_breaks(low, high) == expected


def test_sequential_scale_gets_darker_with_the_value():
    scale = palette.sequential_scale(pd.Series([1, 7, 40, 900, 12_000]))
    ramp = palette.SEQUENTIAL["light"]
    positions = [ramp.index(scale.color(v)) for v in (1, 7, 40, 900, 12_000)]
    assert positions == sorted(positions) and positions[0] < positions[-1]
    assert scale.bins[-1].label.endswith("or more") and scale.bins[0].label.startswith("1")


def test_window_limits_what_is_drawn_not_the_fit():
    frame = synthetic(300)
    engine = Engine(frame.drop(columns="side1"), search_in_background=False)
    window = Filters(start=date(2024, 2, 1), end=date(2024, 2, 29))
    content = map_content(engine, window, QUERY)
    expected = frame["event_date"].between("2024-02-01", "2024-02-29").sum()
    assert content.in_box == expected


@pytest.mark.browser
def test_standalone_map_renders_offline_and_reads_by_keyboard(browser, tmp_path):
    """A saved map, with dashboard/static served at /app/static/, paints borders, circles and
    hexagons in Chromium with no request leaving 127.0.0.1; Tab reaches an incident and Enter
    opens its popup, whose data text stays text."""
    import functools
    import http.server
    import threading

    from dashboard.paths import STATIC_DIR
    from tests.browser import ARTIFACTS, RequestLog

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "static").symlink_to(STATIC_DIR)
    frame = synthetic(200)
    frame.loc[0, "notes"] = EVIL
    group = map_layers(points_content(frame), Display(heat=True))
    page_html = standalone_map(base_map(), group).get_root().render()
    (tmp_path / "map.html").write_text(page_html, encoding="utf-8")
    handler = functools.partial(
        type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
        directory=str(tmp_path),
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    requests, failed, errors, dialogs = RequestLog(), [], [], []
    page.on("request", requests.record)
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/map.html")
        page.wait_for_function("() => document.querySelectorAll('.ia-country-label').length > 0")
        circles = page.evaluate("() => Atlas.layers.points.getLayers().length")
        page.locator("path.ia-focusable").first.focus()
        focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup-content").first
        popup.wait_for()
        popup_text, popup_scripts = popup.inner_text(), popup.locator("script").count()
        evil_text, evil_scripts = page.evaluate("""() => {
            const l = Atlas.layers.points.getLayers()
                .find(l => l.feature.properties.id === "syn-0");
            l.openPopup();
            const el = l.getPopup().getElement();
            return [el.innerText, el.querySelectorAll("script").length]; }""")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map_standalone.png"))
    finally:
        context.close()
        server.shutdown()
    assert requests.outside() == []
    assert [f for f in failed if not f.endswith("/favicon.ico")] == []
    assert errors == [] and dialogs == []
    assert circles == len(features(group))
    assert focused and focused.startswith("#syn-") and focused.split(" ")[0][1:] in popup_text
    assert popup_scripts == evil_scripts == 0 and "<script>alert(1)</script>" in evil_text
