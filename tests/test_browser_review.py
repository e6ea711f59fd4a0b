"""A person pastes an article on the review page, accepts its incidents, finds them on the map."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, REPO, running_app
from tests.test_browser_app import map_frame, screenshot, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SEED = REPO / "tests" / "fixtures" / "articles" / "seed-the-national-2023-11-26.txt"

# How many of the map's incidents came from an article: each popup lists its incidents' datasets.
ARTICLE_INCIDENTS = """() => Atlas.layers.points.getLayers()
    .reduce((n, l) => n + (l.feature.properties.p.match(/Dataset: article:/g) || []).length, 0)
"""
SEVERAL_SOURCES = ARTICLE_INCIDENTS.replace("Dataset: article:", "Sources \\(2\\)")


@pytest.fixture
def fresh_app(tmp_path):
    """Its own store, so the import cannot change what the other browser tests count."""
    with running_app({"ATLAS_HOME": str(tmp_path / "home")}, ARTIFACTS / "review-app.log") as url:
        yield url


def test_paste_accept_and_find_on_the_map(fresh_app, page):
    page.goto(f"{fresh_app}/review")
    wait_for_text(page, "Article review")
    page.locator("textarea").first.fill(SEED.read_text(encoding="utf-8"))
    page.keyboard.press("Control+Enter")
    wait_for_text(page, "6 candidate incidents")
    page.fill("input[aria-label='Source (e.g. The National)']", "The National, 26 Nov 2023")
    page.keyboard.press("Enter")
    wait_for_text(page, "4 already recorded")  # the article is the curated source of four
    # It dates the Jurf al-Sakhar strikes by the night before the curated day: offered only.
    wait_for_text(page, "1 possibly recorded")
    wait_for_text(page, "possibly recorded, 1 day apart: 2023-11-22")
    screenshot(page, "review-recorded.png")
    page.get_by_role("button", name="Import accepted as a batch").click()
    wait_for_text(page, "Imported 2 incidents, 4 sources of stored incidents")
    screenshot(page, "review-imported.png")

    page.goto(fresh_app)
    wait_for_text(page, "76 incidents")  # 74 curated + the 2 new from the article
    frame = map_frame(page)
    # Both have coordinates from the gazetteer; where one shares a point with curated
    # incidents, the shared circle's popup lists it. The four recorded ones list two sources.
    assert frame.evaluate(ARTICLE_INCIDENTS) == 2
    assert frame.evaluate(SEVERAL_SOURCES) == 4
    assert page.requests.outside() == []
