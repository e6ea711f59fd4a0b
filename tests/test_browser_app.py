"""What a person sees in a real browser, against the app as `make run` serves it."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.paths import DATA_DIR
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_main_page_lists_the_curated_incidents(app_url, page):
    curated = pd.read_csv(DATA_DIR / "incidents.csv", dtype=str, keep_default_na=False)
    page.goto(app_url)
    page.get_by_text(f"{len(curated)} incidents").first.wait_for(timeout=30_000)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "main-table.png"))
    assert page.requests.outside() == []
