"""The map as a person uses it, in headless Chromium against the app as `make run` serves it:
hexagons that refine as they zoom (the map never reloads), a drawn rectangle that filters the
page, playback whose frames change, a site's popup that opens its dossier, a PNG snapshot,
keyboard access, a first view that fits at 390 px, the view kept in the link, and a wall of
20,000 incidents in hexagons. No request may leave 127.0.0.1."""

from __future__ import annotations

import io
import re
import time

import pandas as pd
import pytest

from dashboard.formats import read_incidents
from dashboard.paths import DATA_DIR
from dashboard.playback import Playback
from dashboard.synthetic import synthetic_incidents
from tests.browser import ARTIFACTS, running_app
from tests.test_browser_app import WAIT, map_frame, screenshot, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CURATED = read_incidents(DATA_DIR / "incidents.csv")
LOCATED = CURATED.dropna(subset=["latitude", "longitude"])

SHOWN = """() => {
  const l = Atlas.layers.cells || Atlas.layers.points;
  return {mode: Atlas.layers.cells ? "cells" : Atlas.layers.points ? "points" : "none",
          symbols: l ? l.getLayers().length : 0,
          incidents: l ? l.getLayers().reduce((n, x) => n + x.feature.properties.n, 0) : 0,
          zoom: Atlas.map.getZoom(),
          legend: (document.querySelector(".ia-legend") || {innerText: ""}).innerText};
}"""


def poll(page, check, timeout_ms: int = WAIT):
    """The first truthy value of check() within the timeout (frames may be replaced meanwhile;
    a check that waits itself counts against the same deadline)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - the map's frame can be swapped while we look
            value = None
        if value:
            return value
        page.wait_for_timeout(200)
    raise AssertionError("the page never got there")


def km_across(legend: str) -> float:
    return float(re.search(r"about ([\d.,]+) km across", legend).group(1).replace(",", ""))


@pytest.fixture(scope="module")
def synthetic_app(tmp_path_factory):
    """20,000 generated incidents (marked synthetic), enough for hexagons at any region view."""
    folder = tmp_path_factory.mktemp("synthetic-map")
    frame = synthetic_incidents(20_000, seed=11, days=400, scattered=0.05)
    frame["location"] = frame["location"].fillna("synthetic scattered point")
    path = folder / "synthetic.parquet"
    frame.to_parquet(path)
    env = {"ATLAS_HOME": str(folder / "home"), "ATLAS_DATA": str(path)}
    with running_app(env, ARTIFACTS / "synthetic-map-app.log") as url:
        yield url, frame


def test_hexagons_refine_as_you_zoom_and_the_map_never_reloads(synthetic_app, page):
    url, frame = synthetic_app
    page.goto(url)
    wait_for_text(page, "20,000 incidents")
    start = poll(page, lambda: (s := map_frame(page).evaluate(SHOWN))["mode"] == "cells" and s)
    map_frame(page).evaluate("() => { window.__sameMap = true; }")
    assert "Incidents per hexagon" in start["legend"]
    width = km_across(start["legend"])

    map_frame(page).evaluate("() => Atlas.map.setView([33.7856, 42.4412], 9, {animate: false})")
    closer = poll(page, lambda: (s := map_frame(page).evaluate(SHOWN))["zoom"] == 9 and (
        "km across" in s["legend"]) and km_across(s["legend"]) < width and s)  # fmt: skip
    screenshot(page, "map-hexagons-zoomed.png")
    map_frame(page).evaluate("() => Atlas.map.setView([33.7856, 42.4412], 13, {animate: false})")
    single = poll(page, lambda: (s := map_frame(page).evaluate(SHOWN))["mode"] == "points" and s)
    assert 0 < single["incidents"] <= 500 < closer["incidents"]
    # Display options swap the layers in the same map: the view stays where the user put it.
    page.get_by_text("event type", exact=True).first.click()
    poll(page, lambda: "Colour: event type" in map_frame(page).evaluate(SHOWN)["legend"])
    frame_ = map_frame(page)
    assert frame_.evaluate("() => window.__sameMap === true")
    assert frame_.evaluate("() => Atlas.map.getZoom()") == 13
    assert "map=33.78" in page.url and page.url.split("map=")[1].split("&")[0].endswith("%2C13")
    assert page.requests.outside() == []


def test_a_wall_shows_every_incident_of_a_large_selection_in_hexagons(synthetic_app, page):
    """20,000 incidents on a 1080p wall: hexagons (they never overlap) whose counts add up to
    every located incident, and their colour scale in the wall's legend, outside the map."""
    url, frame = synthetic_app
    located = int(frame[["latitude", "longitude"]].notna().all(axis=1).sum())
    page.goto(f"{url}/?view=briefing")
    shown = poll(page, lambda: (s := map_frame(page).evaluate(SHOWN))["mode"] == "cells" and (
        s["incidents"] == located) and s)  # fmt: skip
    assert shown["legend"] == ""  # nothing drawn over the map
    legend = page.locator(".wall-legend").inner_text()
    assert "Incidents per hexagon:" in legend and "km across" in legend
    page.wait_for_timeout(500)
    screenshot(page, "briefing-hexagons.png")
    assert page.requests.outside() == []


def test_a_drawn_rectangle_filters_the_page(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    frame.evaluate("() => Atlas.map.setView([33.5, 43.0], 6, {animate: false})")
    page.wait_for_timeout(500)
    frame = map_frame(page)
    frame.locator(".leaflet-draw-draw-rectangle").click()
    box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + box["width"] * 0.25, y + box["height"] * 0.4, steps=8)
    page.mouse.up()
    poll(page, lambda: "bbox=" in page.url)
    south, west, north, east = (float(v) for v in
                                re.search(r"bbox=([^&]+)", page.url).group(1)
                                .replace("%2C", ",").split(","))  # fmt: skip
    inside = LOCATED["latitude"].between(south, north) & LOCATED["longitude"].between(west, east)
    assert 0 < inside.sum() < len(LOCATED)
    wait_for_text(page, f"{inside.sum()} incidents")
    description = page.locator("[data-testid='stMarkdown']").filter(has_text="in the box").first
    assert "in the box" in description.inner_text()
    poll(page, lambda: map_frame(page).evaluate("() => !!Atlas.layers.outline"))
    screenshot(page, "map-drawn-box.png")
    assert page.requests.outside() == []


def test_the_wall_plays_frames_from_its_link(app_url, page):
    page.goto(f"{app_url}/?view=briefing&play=week&window=30&speed=0.5")
    line = page.locator(".ia-frame-line").first
    line.wait_for(timeout=WAIT)
    first, last = CURATED["event_date"].min().date(), CURATED["event_date"].max().date()
    frames = {f.label(): f for f in Playback(step="week", window=30).frames(first, last)}
    seen, matched = set(), 0
    for _ in range(60):
        text = line.inner_text()
        label = text.split(" (")[0]
        seen.add(label)
        frame = frames.get(label)
        try:
            shown = map_frame(page).evaluate(SHOWN)["incidents"]
        except Exception:  # noqa: BLE001 - the frame is being swapped
            shown = None
        if frame is not None and shown is not None:
            dates = LOCATED["event_date"]
            expected = dates.between(pd.Timestamp(frame.start), pd.Timestamp(frame.end)).sum()
            matched += shown == expected
        if len(seen) >= 4 and matched >= 2:
            break
        page.wait_for_timeout(400)
    assert len(seen) >= 4, seen  # the frames move on by themselves
    assert seen <= set(frames), seen - set(frames)
    assert matched >= 2  # and the map shows each frame's incidents
    screenshot(page, "briefing-playback.png")
    assert page.requests.outside() == []


def test_desk_playback_plays_and_pauses(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    page.get_by_text("Play over time").first.click()
    counter = page.locator("[data-testid='stMarkdown']").filter(has_text="frame ").first
    counter.wait_for(timeout=WAIT)
    assert "frame 1 of" in counter.inner_text()
    page.get_by_role("button", name="Play", exact=True).click()
    poll(page, lambda: "frame 3 of" in counter.inner_text(timeout=2000))
    page.get_by_role("button", name="Pause", exact=True).click()
    page.wait_for_timeout(1500)
    paused = counter.inner_text()
    page.wait_for_timeout(3000)
    assert counter.inner_text() == paused
    assert page.requests.outside() == []


def test_a_site_popup_opens_its_dossier(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    frame.evaluate("""() => Atlas.layers.sites.getLayers()
        .find(m => m.feature.properties.id === "ain-al-asad").openPopup()""")
    requests = page.requests
    page.context.on("request", requests.record)  # the new tab's requests too
    with page.context.expect_page(timeout=WAIT) as opened:  # a new tab: the map stays
        frame.get_by_text("Open the site dossier").click()
    page = opened.value
    page.requests = requests
    page.wait_for_url(re.compile(r"/site\?id=ain-al-asad"), timeout=WAIT)
    page.get_by_role("heading", name="Ain al-Asad Air Base").wait_for(timeout=WAIT)
    wait_for_text(page, "What followed: strikes by the other side")
    at_site = (CURATED["site_id"] == "ain-al-asad").sum()
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Incidents at the site")
    assert metric.first.inner_text().split("\n")[-1].strip() == str(at_site)
    wait_for_text(page, "attacks were followed within 7 days")
    page.set_viewport_size({"width": 1600, "height": 1750})  # down to what followed
    page.wait_for_timeout(2500)
    screenshot(page, "site-dossier.png")
    assert page.requests.outside() == []


def test_snapshot_saves_a_png_of_the_view(app_url, page):
    from PIL import Image

    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    poll(page, lambda: map_frame(page).evaluate("() => Atlas.state.bordersLoaded === true"))
    size = frame.evaluate("() => { const s = Atlas.map.getSize(); return [s.x, s.y]; }")
    with page.expect_download(timeout=WAIT) as download:
        frame.locator(".ia-snapshot-button").click()
    path = ARTIFACTS / "map-snapshot.png"
    download.value.save_as(path)
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert image.format == "PNG" and list(image.size) == size
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is None or len(colours) > 50  # a map, not a blank
    assert page.requests.outside() == []


def test_keyboard_reaches_incidents_and_opens_them(app_url, page):
    page.goto(app_url)
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    frame.locator(".leaflet-container").first.focus()
    for _ in range(60):  # the map, its controls, then incidents and sites
        page.keyboard.press("Tab")
        active = frame.evaluate(
            "() => document.activeElement && document.activeElement.classList.contains"
            "('ia-focusable') ? document.activeElement.getAttribute('aria-label') : null"
        )
        if active:
            break
    assert active and active.startswith("#")
    page.keyboard.press("Enter")
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(timeout=WAIT)
    incident_id = active.split(" \u00b7 ")[0].lstrip("#")
    assert f"#{incident_id}" in popup.inner_text()
    wait_for_text(page, f"id {incident_id}, highlighted")  # Enter chooses, like a click
    page.keyboard.press("Escape")
    assert page.requests.outside() == []


@pytest.mark.parametrize("width", [390, 1280, 1920])
def test_the_first_view_shows_every_incident_at_any_width(app_url, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_text(page, f"{len(CURATED)} incidents")
        poll(page, lambda: map_frame(page).evaluate("() => Atlas.state.fitKey !== undefined"))
        frame = map_frame(page)
        # Until the fit has run: every incident drawn is inside the view (bounded by poll).
        inside, total = poll(page, lambda: _inside_and_total(map_frame(page)))
        zoom = frame.evaluate("() => Atlas.map.getZoom()")
        legend_open = frame.evaluate("() => document.querySelector('.ia-legend details').open")
        page.locator("iframe[title*='st_folium']").first.scroll_into_view_if_needed()
        screenshot(page, f"map-first-view-{width}.png")
    finally:
        context.close()
    assert inside == total > 0
    assert zoom >= 5  # the region, not the world
    assert legend_open == (width >= 560)  # a phone keeps the map clear of the legend


def _inside_and_total(frame):
    """(incidents drawn inside the view, incidents drawn) once they are equal and not 0."""
    inside = frame.evaluate("""() => { const b = Atlas.map.getBounds();
        return Atlas.layers.points.getLayers().filter(l => b.contains(l.getLatLng())).length;
    }""")
    total = frame.evaluate("() => Atlas.layers.points.getLayers().length")
    return (inside, total) if inside == total > 0 else None


def test_the_view_is_in_the_link(app_url, page):
    page.goto(f"{app_url}/?map=33.7856,42.4412,9")
    wait_for_text(page, f"{len(CURATED)} incidents")
    frame = map_frame(page)
    poll(page, lambda: frame.evaluate("() => Atlas.map.getZoom()") == 9)
    center = frame.evaluate("() => Atlas.map.getCenter()")
    assert abs(center["lat"] - 33.7856) < 0.01 and abs(center["lng"] - 42.4412) < 0.01
    frame.evaluate("() => Atlas.map.setView([34.5, 43.2], 8, {animate: false})")
    poll(page, lambda: "map=34.5000%2C43.2000%2C8" in page.url)
    assert page.requests.outside() == []
