"""build_map: counts, escaping, bounded output, legend, popups, offline-only links, clicks."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import numpy as np
import pandas as pd
import pytest

from dashboard.views import map as map_module
from dashboard.views.map import MAX_CELLS, build_map, incident_id_from_click

EVIL = "<b>x</b><script>alert(1)</script>"
EVIL_ESCAPED = "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
ASSET_TAGS = re.compile(r'<script[^>]*\bsrc="([^"]+)"|<link[^>]*\bhref="([^"]+)"', re.IGNORECASE)


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    """n synthetic incidents in the canonical schema (dataset="synthetic")."""
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


def _children(fmap: folium.Map, cls: type) -> list:
    return [c for c in fmap._children.values() if isinstance(c, cls)]


def _features(fmap: folium.Map) -> list[dict]:
    (layer,) = _children(fmap, map_module._PointLayer)
    return json.loads(layer.data)["features"]


def _legend(fmap: folium.Map) -> str:
    (legend,) = _children(fmap, map_module._Legend)
    return legend.legend_html


def _asset_links(page: str) -> list[str]:
    return [a or b for a, b in ASSET_TAGS.findall(page)]


# --------------------------------------------------------------------------- counts


def test_one_feature_per_located_incident_in_one_layer():
    frame = synthetic(50)
    frame.loc[[3, 4], "latitude"] = np.nan
    frame.loc[5, "longitude"] = 500.0  # invalid
    fmap = build_map(frame)
    features = _features(fmap)
    assert len(features) == 47
    assert len(_children(fmap, map_module._PointLayer)) == 1
    assert {f["properties"]["id"] for f in features} == set(frame["incident_id"]) - {
        "syn-3", "syn-4", "syn-5"}  # fmt: skip
    summary = fmap.atlas_summary
    assert (summary.mode, summary.incidents, summary.located, summary.features) == (
        "points", 50, 47, 47)  # fmt: skip
    assert "3 of 50 incidents have no coordinates" in _legend(fmap)


def test_every_incident_feature_carries_its_id_in_properties_and_tooltip():
    for feature in _features(build_map(synthetic(30))):
        props = feature["properties"]
        assert props["t"].startswith(f"#{props['id']} \u00b7 ")
        assert props["p"].count(f"#{props['id']}") == 1


def test_large_sets_are_aggregated_and_bounded():
    frame = synthetic(20_000)
    fmap = build_map(frame, max_markers=1500, heat=True, highlight_days=10)
    features = _features(fmap)
    assert fmap.atlas_summary.mode == "cells"
    assert 0 < len(features) <= MAX_CELLS
    counted = sum(f["properties"].get("n", 1) for f in features)
    assert counted == 20_000  # every incident in exactly one square
    assert len(fmap._children) <= 12
    page = fmap.get_root().render()
    assert len(page.encode()) < 4_000_000
    assert "cells" not in _legend(fmap) or "squares" in _legend(fmap)
    assert "more than 1,500 to draw one by one" in _legend(fmap)
    (heat,) = _children(fmap, folium.plugins.HeatMap)
    assert len(heat.data) <= map_module.HEAT_MAX_CELLS


def test_output_size_does_not_grow_with_data():
    small = len(build_map(synthetic(5_000)).get_root().render())
    large = len(build_map(synthetic(60_000, seed=3)).get_root().render())
    assert large < 4_000_000
    assert large < small * 3


def test_singleton_square_keeps_its_incident_popup_and_id():
    frame = synthetic(40)
    frame.loc[0, ["latitude", "longitude"]] = [12.8, 45.0]  # alone, far from the others
    features = _features(build_map(frame, max_markers=10))
    alone = [f for f in features if f["properties"].get("id") == "syn-0"]
    assert len(alone) == 1
    assert alone[0]["properties"]["t"].startswith("#syn-0 \u00b7 ")


def test_point_mode_threshold_is_max_markers():
    frame = synthetic(100)
    assert build_map(frame, max_markers=100).atlas_summary.mode == "points"
    assert build_map(frame, max_markers=99).atlas_summary.mode == "cells"


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
    frame.loc[3, "site_id"] = EVIL
    for color_by in ("side", "event_type"):
        fmap = build_map(frame, sites=sites, color_by=color_by, selected_id=EVIL)
        page = fmap.get_root().render()
        # nothing in the page can close the map's <script> or open markup from the data
        assert "<script>alert(1)</script>" not in page
        assert "<b>x</b>" not in page
        assert EVIL_ESCAPED in page
        # every string that Leaflet will insert as HTML (tooltips, popups, legend) is escaped
        (site_layer,) = _children(fmap, map_module._SiteLayer)
        site_features = json.loads(site_layer.data)["features"]
        html_strings = [f["properties"][k] for f in _features(fmap) for k in ("t", "p")]
        html_strings += [f["properties"]["t"] for f in site_features] + [_legend(fmap)]
        assert any(EVIL_ESCAPED in s for s in html_strings)
        for text in html_strings:
            assert "<script" not in text and "<b>x" not in text
            assert 'href="javascript:' not in text
            assert 'onmouseover="alert' not in text
        assert any("&quot;onmouseover=&quot;alert(1)" in s for s in html_strings)
        assert EVIL_ESCAPED in _legend(fmap)


def test_only_http_urls_become_links():
    frame = synthetic(3)
    frame["source_url"] = ["https://example.org/a", "ftp://example.org/b", "javascript:x()"]
    popups = {f["properties"]["id"]: f["properties"]["p"] for f in _features(build_map(frame))}
    assert '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer">' in popups[
        "syn-0"]  # fmt: skip
    assert "<a " not in popups["syn-1"] and "<a " not in popups["syn-2"]
    assert "ftp://example.org/b" in popups["syn-1"]  # shown, as text


# --------------------------------------------------------------------------- content


def test_legend_says_which_colouring():
    frame = synthetic(40)
    by_side = _legend(build_map(frame, color_by="side"))
    by_type = _legend(build_map(frame, color_by="event_type"))
    assert "Colour: actor side" in by_side and "Iran-aligned militia" in by_side
    assert "Colour: event type" in by_type and "airstrike" in by_type
    assert "Size: killed + wounded" in by_side


def test_side_colouring_without_side_column_is_unknown():
    frame = synthetic(10).drop(columns="side1")
    fmap = build_map(frame, color_by="side")
    assert {f["properties"]["c"] for f in _features(fmap)} == {map_module.UNKNOWN_COLOR}
    assert "Unknown" in _legend(fmap)


def test_popups_contain_the_fields():
    frame = synthetic(1)
    frame.loc[0, ["killed", "wounded"]] = [2, pd.NA]
    frame.loc[0, "event_date"] = pd.Timestamp("2024-01-28")
    (feature,) = _features(build_map(frame))
    popup = feature["properties"]["p"]
    for text in ("#syn-0", "2024-01-28", frame.loc[0, "event_type"], "(drone)", "Actor A",
                 "Actor B", "Iraqi government" if frame.loc[0, "side1"] == "Iraqi government"
                 else frame.loc[0, "side1"], "Town 0, Anbar, IQ", "killed: 2",
                 "wounded: unknown", 'href="https://example.org/report"', "Synthetic source",
                 "Synthetic note.", "Dataset: synthetic"):  # fmt: skip
        assert text in popup, text


def test_unknown_casualties_are_unknown_not_zero_and_smallest():
    frame = synthetic(3)
    frame["killed"] = pd.array([pd.NA, 0, 5], dtype="Int64")
    frame["wounded"] = pd.array([pd.NA, 0, pd.NA], dtype="Int64")
    props = {f["properties"]["id"]: f["properties"] for f in _features(build_map(frame))}
    assert "killed: unknown, wounded: unknown" in props["syn-0"]["p"]
    assert "killed: 0, wounded: 0" in props["syn-1"]["p"]
    assert "killed: 5, wounded: unknown" in props["syn-2"]["p"]
    assert props["syn-0"]["r"] == props["syn-1"]["r"] < props["syn-2"]["r"]


def test_highlight_days_marks_recent_incidents():
    frame = synthetic(60)
    latest = frame["event_date"].max()
    recent = set(frame.loc[frame["event_date"] > latest - pd.Timedelta(days=7), "incident_id"])
    fmap = build_map(frame, highlight_days=7)
    flagged = {f["properties"]["id"] for f in _features(fmap) if f["properties"]["h"]}
    assert flagged == recent
    assert "last 7 days" in _legend(fmap)
    assert not any(f["properties"]["h"] for f in _features(build_map(frame)))


def test_sites_layer_counts_incidents_per_site():
    frame = synthetic(10)
    frame.loc[:3, "site_id"] = "ain-al-asad"
    sites = pd.DataFrame({
        "site_id": ["ain-al-asad", "erbil", "nowhere"], "name": ["Ain al-Asad", "Erbil", "X"],
        "latitude": [33.8, 36.2, np.nan], "longitude": [42.4, 43.9, np.nan],
    })  # fmt: skip
    fmap = build_map(frame, sites=sites)
    (layer,) = _children(fmap, map_module._SiteLayer)
    counts = {f["properties"]["id"]: f["properties"]["n"] for f in json.loads(layer.data)[
        "features"]}  # fmt: skip
    assert counts == {"ain-al-asad": 4, "erbil": 0}
    assert fmap.atlas_summary.sites == 2


def test_sites_accepts_the_gazetteer_table_and_id_column():
    from types import SimpleNamespace

    frame = synthetic(6)
    frame.loc[:1, "site_id"] = "harir-air-base"
    table = SimpleNamespace(sites=(
        SimpleNamespace(id="harir-air-base", name="Harir Air Base", kind="air_base",
                        latitude=36.53, longitude=44.34),
        SimpleNamespace(id="other", name="Other", kind="town", latitude=33.0, longitude=44.0),
    ))  # fmt: skip
    as_frame = pd.DataFrame({"id": ["harir-air-base"], "name": ["Harir Air Base"],
                             "latitude": [36.53], "longitude": [44.34]})  # fmt: skip
    for sites, tooltip in ((table, "Site: Harir Air Base (air base) \u00b7 2 incidents"),
                           (as_frame, "Site: Harir Air Base \u00b7 2 incidents")):  # fmt: skip
        (layer,) = _children(build_map(frame, sites=sites), map_module._SiteLayer)
        features = json.loads(layer.data)["features"]
        harir = next(f for f in features if f["properties"]["id"] == "harir-air-base")
        assert harir["properties"]["n"] == 2
        assert harir["properties"]["t"] == tooltip


def test_sites_from_the_real_gazetteer():
    gazetteer = pytest.importorskip("dashboard.geocoding.gazetteer")
    try:
        table = gazetteer.load_sites()
    except Exception as error:  # noqa: BLE001 - the gazetteer is another module's concern
        pytest.skip(f"gazetteer not loadable here: {error}")
    fmap = build_map(synthetic(5), sites=table)
    assert fmap.atlas_summary.sites == min(len(table.sites), map_module.MAX_SITES)


def test_selected_incident_gets_a_ring():
    frame = synthetic(10)
    assert build_map(frame, selected_id="syn-4").atlas_summary.selected
    assert not build_map(frame, selected_id="missing").atlas_summary.selected


def test_heat_layer_only_when_asked():
    frame = synthetic(20)
    assert not _children(build_map(frame), folium.plugins.HeatMap)
    (heat,) = _children(build_map(frame, heat=True), folium.plugins.HeatMap)
    assert sum(1 for _ in heat.data) > 0


# --------------------------------------------------------------------------- map setup


def test_empty_frame_gives_a_valid_default_map():
    from dashboard.schema import empty_incidents

    for frame in (empty_incidents(), pd.DataFrame(), synthetic(0)):
        fmap = build_map(frame, heat=True, highlight_days=3, selected_id="x")
        page = fmap.get_root().render()
        assert "L.map(" in page
        assert fmap.location == list(map_module.DEFAULT_CENTER)
        assert _features(fmap) == []
        assert "No incidents with coordinates" in _legend(fmap)


def test_offline_map_links_no_remote_assets():
    fmap = build_map(synthetic(30), heat=True, highlight_days=5)
    page = fmap.get_root().render()
    links = _asset_links(page)
    assert links
    assert all(link.startswith("/app/static/") for link in links), links
    # the only http(s) URLs left are the data's source links inside popups
    remote = set(re.findall(r"https?://[^\s\"'<>\\]+", page))
    assert remote <= {"https://example.org/report"}, remote
    assert "tileLayer" not in page
    assert '"maxZoom": 13' in page and '"minZoom": 3' in page
    assert "/app/static/basemap/middle-east.geojson" in page


def test_icon_path_is_set_before_anything_else():
    fmap = build_map(synthetic(3))
    first = next(iter(fmap._children.values()))
    assert isinstance(first, map_module._Setup)
    page = fmap.get_root().render()
    assert page.index("L.Icon.Default.imagePath") < page.index("L.geoJSON(")


def test_online_basemap_only_when_a_url_template_is_passed():
    url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    fmap = build_map(synthetic(3), basemap=url, theme="dark")
    page = fmap.get_root().render()
    assert url in page and "OpenStreetMap" in page
    assert "middle-east.geojson" not in page
    assert '"maxZoom": 18' in page
    for bad in ("osm", "https://example.org/tiles.png", "file:///{z}/{x}/{y}.png"):
        with pytest.raises(ValueError):
            build_map(synthetic(3), basemap=bad)


def test_rejects_unknown_options():
    with pytest.raises(ValueError):
        build_map(synthetic(3), color_by="weapon")
    with pytest.raises(ValueError):
        build_map(synthetic(3), theme="blue")
    with pytest.raises(ValueError):
        build_map(synthetic(3), highlight_days=0)


def test_dark_theme_is_styled():
    page = build_map(synthetic(3), theme="dark").get_root().render()
    assert '"ia-dark"' in page
    assert map_module.THEME_STYLE["dark"]["land"] in page


def test_fits_the_data():
    frame = synthetic(30)
    page = build_map(frame).get_root().render()
    assert "fitBounds" in page


def test_st_folium_can_generate_the_script():
    sf = pytest.importorskip("streamlit_folium")
    if not hasattr(sf, "_get_map_string"):
        pytest.skip("streamlit_folium internals changed")
    fmap = build_map(synthetic(40), heat=True, highlight_days=3)
    fmap.get_root().render()
    script = sf._get_map_string(fmap)
    assert "map_div" in script and "L.geoJSON(" in script and "#syn-" in script


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
    import html

    frame = synthetic(5)
    frame.loc[2, "incident_id"] = "odd <id> & co"
    for feature in _features(build_map(frame)):
        # st_folium returns the tooltip's text content (entities decoded, tags stripped)
        text = html.unescape(re.sub(r"<[^>]+>", "", feature["properties"]["t"]))
        assert incident_id_from_click({"last_object_clicked_tooltip": text}) == feature[
            "properties"]["id"]  # fmt: skip


# --------------------------------------------------------------------------- standalone page


@pytest.mark.browser
def test_standalone_map_renders_offline(browser, tmp_path):
    """A saved map, with dashboard/static served at /app/static/, paints borders and circles
    in Chromium without a single request leaving 127.0.0.1."""
    import functools
    import http.server
    import threading

    from dashboard.paths import STATIC_DIR
    from tests.browser import ARTIFACTS, RequestLog

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "static").symlink_to(STATIC_DIR)
    frame = synthetic(200)
    frame.loc[0, "notes"] = EVIL
    fmap = build_map(frame, heat=True, highlight_days=14, selected_id="syn-0")
    (tmp_path / "map.html").write_text(fmap.get_root().render(), encoding="utf-8")
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
        state = page.evaluate(
            """() => {
              const layer = window[Object.keys(window).find(k => k.startsWith("incident_layer_"))];
              const popup = layer.getLayers().find(l => l.feature.properties.id === "syn-0");
              popup.openPopup();
              const el = document.querySelector(".leaflet-popup-content");
              return {circles: layer.getLayers().length,
                      labels: document.querySelectorAll(".ia-country-label").length,
                      legend: document.querySelector(".ia-legend").innerText,
                      popupScripts: el.querySelectorAll("script").length,
                      popupText: el.innerText};
            }"""
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map_standalone.png"))
    finally:
        context.close()
        server.shutdown()
    assert requests.outside() == []
    assert [f for f in failed if not f.endswith("/favicon.ico")] == []
    assert errors == [] and dialogs == []
    assert state["circles"] == 200 and state["labels"] >= 19
    assert "Colour: actor side" in state["legend"]
    assert state["popupScripts"] == 0 and "<script>alert(1)</script>" in state["popupText"]
