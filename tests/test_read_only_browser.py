"""A read-only deployment in Chromium: the pages that change the store are not there at all."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, running_app
from tests.test_browser_app import WAIT, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_read_only_app_has_no_upload_or_review_page_even_by_url(tmp_path, page):
    env = {"ATLAS_HOME": str(tmp_path / "home"), "ATLAS_READ_ONLY": "1"}
    with running_app(env, ARTIFACTS / "read-only-app.log") as url:
        page.goto(url)
        wait_for_text(page, "74 incidents")
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.wait_for(timeout=WAIT)
        assert page.get_by_text("Load your own data").count() == 0
        assert page.get_by_text("Article review").count() == 0
        for path in ("upload", "review"):
            page.goto(f"{url}/{path}")
            wait_for_text(page, "74 incidents")  # the main page, not the one asked for
            assert page.get_by_text("Load your own data").count() == 0
            assert page.locator("input[type='file']").count() == 0
            assert page.get_by_role("button", name="Import as a new batch").count() == 0
    assert page.requests.outside() == []
