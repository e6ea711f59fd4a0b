"""AppTest: every page renders, filters change counts, the URL round-trips, uploads report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import DATA_DIR
from tests.app_pages import APP, count_in, description, run_app
from tests.page_text import unescaped

CURATED = pd.read_csv(DATA_DIR / "incidents.csv", dtype=str, keep_default_na=False)


def map_component(at: AppTest) -> dict:
    element = next(e for e in at.main if e.type == "component_instance")
    return json.loads(element.proto.json_args)


def test_main_page_renders_every_curated_incident():
    at = run_app()
    assert not at.exception
    assert count_in(at) == len(CURATED)
    script = map_component(at)["feature_group"]  # the data travels in the swapped layers
    assert all(link.startswith("/app/static/") for link in map_component(at)["js_links"])
    for incident_id in CURATED["incident_id"].head(5):
        assert incident_id in script


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("filter_country", ["SY"], (CURATED["country"] == "SY").sum()),
        ("filter_type", ["airstrike"], (CURATED["event_type"] == "airstrike").sum()),
        ("filter_weapon", ["drone"], (CURATED["weapon"] == "drone").sum()),
        (
            "filter_actor",
            ["Kataib Hezbollah"],
            (
                (CURATED["actor1"] == "Kataib Hezbollah")
                | (CURATED["actor2"] == "Kataib Hezbollah")
            ).sum(),
        ),
    ],
)
def test_each_filter_changes_the_count(widget, value, expected):
    at = run_app()
    at.multiselect(key=widget).set_value(value).run()
    assert not at.exception
    assert 0 < expected < len(CURATED)
    assert count_in(at) == expected


def test_date_preset_keeps_only_the_last_days_of_the_data():
    at = run_app()
    at.selectbox(key="filter_period").set_value("last 30 days of the data").run()
    dates = pd.to_datetime(CURATED["event_date"])
    expected = (dates > dates.max() - pd.Timedelta(days=30)).sum()
    assert count_in(at) == expected


def test_minimum_casualties_and_text_search():
    at = run_app()
    at.number_input(key="filter_min_casualties").set_value(5).run()
    killed = pd.to_numeric(CURATED["killed"]).fillna(0)
    wounded = pd.to_numeric(CURATED["wounded"]).fillna(0)
    known = (CURATED["killed"] != "") | (CURATED["wounded"] != "")
    assert count_in(at) == (known & (killed + wounded >= 5)).sum()
    at.number_input(key="filter_min_casualties").set_value(0).run()
    at.text_input(key="filter_text").set_value("Tower 22").run()
    text = (CURATED["notes"] + " " + CURATED["location"]).str.casefold()
    assert count_in(at) == text.str.contains("tower 22").sum() > 0


def test_query_parameters_set_the_filters_and_round_trip():
    query = {"country": "IQ", "type": "attack", "start": "2023-11-01", "end": "2023-12-31"}
    at = run_app(query)
    assert not at.exception
    dates = pd.to_datetime(CURATED["event_date"])
    expected = (
        (CURATED["country"] == "IQ")
        & (CURATED["event_type"] == "attack")
        & (dates >= "2023-11-01")
        & (dates <= "2023-12-31")
    ).sum()
    assert count_in(at) == expected
    assert "1 Nov 2023 - 31 Dec 2023" in description(at)
    assert {k: at.query_params[k] for k in query} == query
    # Changing a widget rewrites the URL, so the view can be shared.
    at.multiselect(key="filter_country").set_value(["SY"]).run()
    assert at.query_params["country"] == "SY"


def test_briefing_view_takes_its_filters_from_the_url():
    at = run_app({"view": "briefing", "country": "SY", "refresh": "60"})
    assert not at.exception
    assert len(at.sidebar) == 0 or all(e.type != "multiselect" for e in at.sidebar)
    shown = "".join(m.value for m in at.markdown)
    expected = (CURATED["country"] == "SY").sum()
    assert f'>{expected:,}</div><div class="l">incidents' in shown
    assert "every 1 min" in shown  # how fresh the wall is, said on the wall
    assert not at.warning


def test_upload_page_shows_the_validation_report_for_a_broken_file(fixtures: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/upload.py").run()
    broken = (fixtures / "invalid" / "many_problems.csv").read_bytes()
    at.file_uploader[0].set_value(("many_problems.csv", broken, "text/csv")).run()
    assert not at.exception
    assert "5 problems found" in at.error[0].value
    report = at.dataframe[0].value
    assert report["row"].tolist() == [2, 2, 3, 4, 4]
    assert report["column"].tolist() == [
        "event_date",
        "killed",
        "time_precision",
        "event_type",
        "wounded",
    ]


def test_upload_page_imports_a_valid_file_as_a_batch_and_removes_it(fixtures: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/upload.py").run()
    data = (fixtures / "native_small.csv").read_bytes()
    at.file_uploader[0].set_value(("native_small.csv", data, "text/csv")).run()
    assert "valid, 4 incidents" in unescaped(at.success[0].value)
    at.button[0].click().run()
    # fx-1 reports the curated 20 Nov 2023 attack on Ain al-Asad: by default it becomes a source.
    assert any("Imported 3 incidents, 1 source of stored incidents" in unescaped(s.value)
               for s in at.success)  # fmt: skip
    batches = at.dataframe[-1].value
    assert "native_small.csv" in batches["name"].tolist()


def test_a_bad_basemap_setting_is_explained_not_a_crash(monkeypatch):
    monkeypatch.setenv("ATLAS_BASEMAP", "tiles-please")
    at = run_app()
    assert not at.exception
    # Messages are escaped Markdown (they may quote data); read them as the user sees them.
    assert "ATLAS_BASEMAP='tiles-please' is not usable" in re.sub(
        r"\\(.)", r"\1", at.error[0].value
    )


def test_an_online_basemap_only_when_asked_for(monkeypatch):
    assert "tile.openstreetmap.org" not in map_component(run_app())["script"]
    monkeypatch.setenv("ATLAS_BASEMAP", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in map_component(run_app())["script"]
