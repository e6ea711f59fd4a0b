"""What a person sees, in a real headless Chromium against the app as `make run` serves it.

Every request the page makes is recorded; none may leave 127.0.0.1. Screenshots are saved under
tests/artifacts/ (and the README's under docs/screenshots/ when ATLAS_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from dashboard.paths import DATA_DIR
from tests.browser import ARTIFACTS, REPO, drag_across, running_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CURATED = pd.read_csv(DATA_DIR / "incidents.csv", dtype=str, keep_default_na=False)
WAIT = 60_000

COUNT_MARKERS = """() => {
  const layer = window.Atlas && Atlas.layers.points;
  return layer ? layer.getLayers().length : 0;
}"""
FIRST_MARKER_POINT = """() => {
  const map = Atlas.map;
  const marker = Atlas.layers.points.getLayers()[0];
  map.setView(marker.getLatLng(), 9, {animate: false});
  const p = map.latLngToContainerPoint(marker.getLatLng());
  return {x: p.x, y: p.y, id: marker.feature.properties.t};
}"""


def map_frame(page):
    """The Leaflet map inside streamlit-folium's iframe, once its data layers have arrived."""
    page.locator("iframe[title*='st_folium']").first.wait_for(timeout=WAIT)
    for _ in range(300):
        for frame in page.frames:
            try:
                # The fit comes last in the data layers; a wall's map has no legend of its own.
                if frame.evaluate("() => !!(window.Atlas && (Atlas.layers.legend || "
                                  "Atlas.layers.fit))"):  # fmt: skip
                    return frame
            except Exception:  # noqa: BLE001 - frames come and go while the page renders
                continue
        page.wait_for_timeout(200)
    raise AssertionError("the map never appeared")


def points(incidents: pd.DataFrame) -> int:
    return len(incidents[["latitude", "longitude"]].astype(float).round(5).drop_duplicates())


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    if os.environ.get("ATLAS_UPDATE_SCREENSHOTS"):
        target = REPO / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / name)


def wait_for_text(page, text: str) -> None:
    page.get_by_text(text).first.wait_for(timeout=WAIT)


def test_main_view_shows_every_curated_incident_on_the_map(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    located = CURATED[CURATED["latitude"] != ""]
    assert 0 < len(located) < len(CURATED)  # some curated places are honestly unplaced
    # Incidents at the very same point share one circle (its popup lists them all).
    assert frame.evaluate(COUNT_MARKERS) == points(located)
    page.get_by_text("Timeline").first.wait_for(timeout=WAIT)
    page.locator("[data-testid='stVegaLiteChart'] canvas, .vega-embed").first.wait_for(timeout=WAIT)
    page.wait_for_timeout(1500)  # let the basemap and canvas finish painting
    screenshot(page, "main-view.png")
    assert page.requests.outside() == []


def test_a_filter_in_the_url_sets_the_markers(app_url, page):
    page.goto(f"{app_url}/?country=SY&type=attack")
    chosen = (CURATED["country"] == "SY") & (CURATED["event_type"] == "attack")
    wait_for_text(page, f"{chosen.sum()} incidents")
    expected = points(CURATED[chosen & (CURATED["latitude"] != "")])
    frame = map_frame(page)
    for _ in range(50):
        if frame.evaluate(COUNT_MARKERS) == expected:
            break
        page.wait_for_timeout(200)
        frame = map_frame(page)
    assert frame.evaluate(COUNT_MARKERS) == expected
    assert page.requests.outside() == []


def _still(page, read, polls: int = 100):
    """read()'s value once two reads 200 ms apart agree (the map has stopped fitting)."""
    last = read()
    for _ in range(polls):
        page.wait_for_timeout(200)
        now = read()
        if now == last:
            return now
        last = now
    raise AssertionError("the map never stopped moving")


def test_clicking_a_marker_opens_its_popup(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    point = _still(page, lambda: frame.evaluate(FIRST_MARKER_POINT))
    frame.locator(".leaflet-container").first.click(position={"x": point["x"], "y": point["y"]})
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(timeout=WAIT)
    incident_id = point["id"].split(" ")[0].lstrip("#")
    row = CURATED.set_index("incident_id").loc[incident_id]
    text = popup.inner_text()
    assert row["location"] in text
    assert row["event_date"] in text
    screenshot(page, "popup.png")
    assert page.requests.outside() == []


def test_briefing_view_is_full_screen_with_no_sidebar(app_url, page):
    page.goto(f"{app_url}/?view=briefing&refresh=300")
    page.locator(".wall-kpi").first.wait_for(timeout=WAIT)
    map_frame(page)
    assert (
        page.locator("[data-testid='stSidebar']").count() == 0
        or not page.locator("[data-testid='stSidebar']").first.is_visible()
    )
    assert not page.locator("[data-testid='stToolbar']").first.is_visible()
    size = page.locator(".wall-kpi .n").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.rstrip("px")) >= 60
    page.wait_for_timeout(1500)
    screenshot(page, "briefing-view.png")
    assert page.requests.outside() == []


XSS = '<b>x</b><script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """Hostile text already in a store: the readers refuse javascript: links on import, so the
    rows go in through the store itself, as data written before that check would be."""
    from dashboard.schema import coerce_dtypes
    from dashboard.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    frame = pd.DataFrame(
        {
            "incident_id": ["evil-1"],
            "event_date": ["2023-11-20"],
            "event_type": ["attack"],
            "actor1": [XSS],
            "actor2": [XSS],
            "location": [XSS],
            "country": ["IQ"],
            "latitude": ["33.7856"],
            "longitude": ["42.4412"],
            "killed": ["1"],
            "source": [XSS],
            "source_url": ["javascript:window.__xss=1"],
            "notes": [XSS],
        }
    )
    url = f"sqlite:///{folder / 'hostile.db'}"
    store = Store(url)
    store.ensure_seeded()
    store.remove_batch(store.curated_batch_id())  # only the hostile row on the page
    store.import_incidents(coerce_dtypes(frame), name="hostile")
    store.close()
    env = {"ATLAS_HOME": str(folder / "home"), "ATLAS_DATA": url}
    with running_app(env, ARTIFACTS / "hostile-app.log") as url:
        yield url


def test_text_from_data_shows_literally_and_never_runs(hostile_app, page):
    page.goto(hostile_app)
    wait_for_text(page, "1 incident")
    frame = map_frame(page)
    point = frame.evaluate(FIRST_MARKER_POINT)
    frame.locator(".leaflet-container").first.click(position={"x": point["x"], "y": point["y"]})
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(timeout=WAIT)
    assert "<b>x</b><script>window.__xss=1</script>" in popup.inner_text()
    assert popup.locator("script, img").count() == 0
    assert "x" not in popup.locator("b").all_inner_texts()  # the data's <b>x</b> stayed text
    assert popup.locator("a[href^='javascript']").count() == 0
    page.wait_for_timeout(500)
    for target in page.frames:
        assert target.evaluate("() => window.__xss") is None
    assert page.requests.outside() == []


def test_dragging_across_the_timeline_filters_the_page(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    chart = page.locator(".vega-embed").first
    map_frame(page)  # the page has finished its first run
    description = page.locator("[data-testid='stMarkdown']").first
    for _attempt in range(3):  # a drag before Vega has bound its handlers is lost: try again
        drag_across(page, chart)
        for _ in range(50):
            if not description.inner_text().startswith(f"{len(CURATED)} incidents"):
                break
            page.wait_for_timeout(100)
        else:
            continue
        break
    count, span = description.inner_text().split(" incidents, ")
    start, end = (pd.Timestamp(day) for day in span.split(" - "))
    dates = pd.to_datetime(CURATED["event_date"])
    assert 0 < int(count) < len(CURATED)
    assert int(count) == ((dates >= start) & (dates <= end)).sum()
    assert page.requests.outside() == []
