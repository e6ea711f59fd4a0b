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
    page.get_by_role("button", name="Import accepted as a batch").click()
    wait_for_text(page, "Imported 6")
    screenshot(page, "review-imported.png")

    page.goto(fresh_app)
    wait_for_text(page, "80 incidents")  # 74 curated + the 6 from the article
    frame = map_frame(page)
    # All six have coordinates from the gazetteer; where one shares a point with curated
    # incidents, the shared circle's popup lists it.
    assert frame.evaluate(ARTICLE_INCIDENTS) == 6
    assert page.requests.outside() == []
