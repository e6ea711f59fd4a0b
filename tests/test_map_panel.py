"""AppTest: the map on the pages keeps its view, puts it in the link, refines to the view the
browser reports, centres a chosen incident, turns drawn shapes into filters, plays frames, and
the site dossier answers from the data."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.paths import DATA_DIR
from dashboard.playback import Playback
from tests.app_pages import description, run_app
from tests.page_text import unescaped

CURATED = read_incidents(DATA_DIR / "incidents.csv")


def components(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.json_args) for e in at.main if e.type == "component_instance"]


def the_map(at: AppTest) -> dict:
    (found,) = [c for c in components(at) if "feature_group" in c]
    return found


def reported(south, west, north, east, zoom, **extra) -> dict:
    """What streamlit-folium reports after the user moved the map."""
    return {"bounds": {"_southWest": {"lat": south, "lng": west},
                       "_northEast": {"lat": north, "lng": east}},
            "zoom": zoom, "center": {"lat": (south + north) / 2, "lng": (west + east) / 2},
            "last_object_clicked_tooltip": None, **extra}  # fmt: skip


def test_display_options_change_the_layers_not_the_map():
    """The map's script (streamlit-folium keys its iframe, and so the view, on it) stays the
    same when colour or heat change; only the swapped layers differ."""
    at = run_app()
    before = the_map(at)
    at.radio(key="color_by").set_value("event_type").run()
    at.toggle(key="map_heat").set_value(True).run()
    after = the_map(at)
    assert not at.exception
    assert after["script"] == before["script"]
    assert after["feature_group"] != before["feature_group"]
    assert "Colour: event type" in after["feature_group"]
    assert "L.heatLayer" in after["feature_group"]


def test_the_link_opens_the_map_on_its_view_without_refitting():
    at = run_app({"map": "33.7856,42.4412,9"})
    script = the_map(at)["script"]
    assert "[33.7856, 42.4412]" in script and '"zoom": 9' in script
    fit = re.search(r'Atlas\.fit\("([0-9a-f]+)"', the_map(at)["feature_group"]).group(1)
    assert f'"fitKey":"{fit}"' in script  # this selection counts as fitted: no jump


def test_the_reported_view_goes_into_the_link_and_sets_what_is_drawn():
    wide = run_app(state={"incident_map": reported(28, 36, 38, 50, 6)})
    assert wide.query_params["map"] == "33.0000,43.0000,6"
    close = run_app(state={"incident_map": reported(33.70, 42.35, 33.87, 42.53, 12)})
    layers = close.session_state  # noqa: F841 - the answer is in the component
    group = the_map(close)["feature_group"]
    drawn = re.findall(r'"id":"(atlas-[^"]+)","c"', group)
    at_base = CURATED[CURATED["latitude"].between(33.6, 33.95)
                      & CURATED["longitude"].between(42.2, 42.7)]  # fmt: skip
    assert 0 < len(set(drawn)) <= len(at_base)
    assert not any(i not in set(at_base["incident_id"]) for i in drawn)


def test_an_incident_chosen_elsewhere_is_ringed_and_centred():
    chosen = CURATED.dropna(subset=["latitude"]).iloc[3]
    at = run_app(state={"selected_incident": chosen["incident_id"]})
    group = the_map(at)["feature_group"]
    call = re.search(r"Atlas\.focus\((.+?)\);\n", group, re.DOTALL).group(1)
    assert f'"{chosen["incident_id"]}"' in call and '"pan":true' in call
    assert f"{round(chosen['latitude'], 5)}" in call


def test_a_drawn_rectangle_becomes_the_box_filter(monkeypatch):
    ring = [[42.0, 33.0], [42.0, 34.5], [44.5, 34.5], [44.5, 33.0], [42.0, 33.0]]
    drawing = {"type": "Feature", "properties": {},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    import dashboard.views.map_panel as panel

    real = panel.st_folium
    answers = iter([{**reported(30, 38, 37, 48, 7), "all_drawings": [drawing]}])

    def browser(*args, **kwargs):
        real(*args, **kwargs)
        return next(answers, None) or {**reported(30, 38, 37, 48, 7), "all_drawings": [drawing]}

    monkeypatch.setattr(panel, "st_folium", browser)
    at = run_app()
    assert not at.exception
    inside = CURATED["latitude"].between(33, 34.5) & CURATED["longitude"].between(42, 44.5)
    assert description(at).startswith(f"{inside.sum()} incidents")
    assert "in the box 33.00°N-34.50°N, 42.00°E-44.50°E" in description(at)
    assert at.query_params["bbox"] == "33.00000,42.00000,34.50000,44.50000"
    assert "Atlas.outline(" in the_map(at)["feature_group"]


def test_playback_from_the_link_shows_a_frame_and_its_numbers():
    at = run_app({"play": "week", "window": "14"})
    assert not at.exception
    assert at.toggle(key="playback_on").value
    first, last = CURATED["event_date"].min().date(), CURATED["event_date"].max().date()
    frames = Playback(step="week", window=14).frames(first, last)
    line = next(m.value for m in at.markdown if "frame 1 of" in m.value)
    assert f"frame 1 of {len(frames)}" in line
    in_frame = CURATED["event_date"].between(pd.Timestamp(frames[0].start),
                                             pd.Timestamp(frames[0].end)).sum()  # fmt: skip
    assert f"**{in_frame:,}** incidents" in line
    at.select_slider(key="incident_map_scrub").set_value(5).run()
    line = next(m.value for m in at.markdown if "frame 6 of" in m.value)
    in_frame = CURATED["event_date"].between(pd.Timestamp(frames[5].start),
                                             pd.Timestamp(frames[5].end)).sum()  # fmt: skip
    assert f"**{in_frame:,}** incidents" in line


def test_the_wall_plays_from_its_link_and_reports_bad_values():
    at = run_app({"view": "briefing", "play": "day", "window": "all", "speed": "fast"})
    assert not at.exception
    shown = "".join(m.value for m in at.markdown)
    assert "frame 1 of" in shown and "since the start" in shown
    assert any("speed='fast'" in unescaped(w.value) for w in at.warning)


def test_site_dossier_answers_from_the_data():
    at = run_app({"id": "ain-al-asad"}, page="views/site.py")
    assert not at.exception
    assert unescaped(at.title[0].value) == "Ain al-Asad Air Base"
    at_site = CURATED[CURATED["site_id"] == "ain-al-asad"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Incidents at the site"] == str(len(at_site))
    engine = Engine(CURATED, search_in_background=False)
    pairs = engine.retaliation(Filters(site=("ain-al-asad",)), days=7)
    followed = (pairs["strikes"] > 0).sum()
    assert any(f"**{followed} of {len(pairs)}**" in m.value for m in at.markdown)
    assert 0 < followed < len(pairs)


def test_unknown_site_is_named_not_a_crash():
    at = run_app({"id": "no-such-base"}, page="views/site.py")
    assert not at.exception
    assert "no\\-such\\-base" in at.error[0].value


def test_retaliation_pairs_follow_the_rule():
    engine = Engine(CURATED, search_in_background=False)
    pairs = engine.retaliation(Filters(site=("ain-al-asad",)), days=7)
    by_id = CURATED.set_index("incident_id")
    for row in pairs.dropna(subset=["strike_id"]).itertuples():
        strike = by_id.loc[row.strike_id]
        attack = by_id.loc[row.attack_id]
        assert 1 <= (strike["event_date"] - attack["event_date"]).days == row.lag_days <= 7
    wider = engine.retaliation(Filters(site=("ain-al-asad",)), days=7, any_target=True)
    assert (wider["strikes"] >= pairs["strikes"]).all()
    assert engine.retaliation(Filters(start=date(2030, 1, 1)), days=7).empty
