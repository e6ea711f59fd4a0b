"""AppTest: the upload page's batches: nothing preselected, removal confirmed with the batch's
name and row count, the trash (restore, purge confirmed), the curated set brought back, and
imports with a progress bar. On SQLite and on PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import DATA_DIR, PACKAGE_DIR
from dashboard.store import open_store
from tests.page_text import unescaped

APP = str(PACKAGE_DIR / "app.py")
CURATED_ROWS = len(pd.read_csv(DATA_DIR / "incidents.csv"))


@pytest.fixture
def upload_page(store_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA", store_url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/upload.py").run()
    assert not at.exception
    return at


def button(at: AppTest, starts: str):
    found = [b for b in at.button if b.label.startswith(starts)]
    assert found, f"no button starting {starts!r} in {[b.label for b in at.button]}"
    return found[0]


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def live_ids(store_url: str) -> list[int]:
    return open_store(store_url).batches()["batch_id"].tolist()


def test_no_batch_is_preselected_and_nothing_can_be_removed_without_choosing(upload_page):
    at = upload_page
    assert at.selectbox(key="remove_batch_id").value is None
    assert not any(label.startswith(("Remove", "Yes")) for label in labels(at))


def test_removal_names_the_batch_and_its_rows_and_waits_for_yes(upload_page, store_url):
    at = upload_page
    curated = open_store(store_url).curated_batch_id()
    at.selectbox(key="remove_batch_id").set_value(curated).run()
    assert live_ids(store_url) == [curated], "choosing a batch removes nothing"
    button(at, f"Remove batch {curated}").click().run()
    assert live_ids(store_url) == [curated], "the first click only asks"
    warning = at.warning[0].value
    assert "curated: data/incidents.csv" in warning.replace("\\", "")
    assert f"{CURATED_ROWS} incidents" in warning
    assert f"Yes, remove batch {curated} ({CURATED_ROWS} incidents)" in labels(at)
    button(at, "Cancel").click().run()
    assert live_ids(store_url) == [curated]
    assert at.selectbox(key="remove_batch_id").value == curated
    assert not at.warning

    button(at, f"Remove batch {curated}").click().run()
    button(at, "Yes, remove").click().run()
    assert not at.exception
    assert live_ids(store_url) == []
    assert "Moved to the trash" in at.success[0].value
    assert at.selectbox(key="trash_batch_id").value is None
    assert "are not in the store" in at.info[0].value


def test_a_removed_batch_is_restored_from_the_trash(upload_page, store_url):
    store = open_store(store_url)
    curated = store.curated_batch_id()
    before = store.data_version()
    store.remove_batch(curated)
    at = upload_page.run()
    assert store.count() == 0 and store.data_version() != before
    at.selectbox(key="trash_batch_id").set_value(curated).run()
    button(at, f"Restore batch {curated}").click().run()
    assert not at.exception
    assert live_ids(store_url) == [curated]
    assert store.count() == CURATED_ROWS
    assert "Restored" in at.success[0].value


def test_purge_asks_then_deletes_and_the_curated_set_can_be_brought_back(upload_page, store_url):
    store = open_store(store_url)
    curated = store.curated_batch_id()
    store.remove_batch(curated)
    at = upload_page.run()
    at.selectbox(key="trash_batch_id").set_value(curated).run()
    button(at, f"Purge batch {curated}").click().run()
    assert store.batches(removed=True)["batch_id"].tolist() == [curated], "asked only"
    assert f"{CURATED_ROWS} incidents" in at.warning[0].value
    assert "cannot be undone" in at.warning[0].value
    button(at, "Yes, purge").click().run()
    assert store.batches(removed=True).empty
    assert store.count() == 0

    button(at, "Bring back the curated incidents").click().run()
    assert not at.exception
    assert store.count() == CURATED_ROWS
    assert "Curated incidents imported" in at.success[0].value
    assert not [i for i in at.info if "are not in the store" in i.value]


def test_import_shows_a_progress_bar_and_the_batch_appears(upload_page, store_url, fixtures):
    at = upload_page
    data = (fixtures / "native_small.csv").read_bytes()
    at.file_uploader[0].set_value(("native_small.csv", data, "text/csv")).run()
    # fx-1 likely duplicates a curated incident: keep every row an incident here.
    at.radio(key="upload_duplicates").set_value("import them as new incidents anyway").run()
    button(at, "Import as a new batch").click().run()
    assert not at.exception
    bars = at.get("progress")
    assert bars, "an import shows a progress bar"
    assert bars[-1].proto.value == 100
    assert "Imported 4 incidents" in bars[-1].proto.text
    assert any("Imported 4 incidents" in s.value for s in at.success)
    names = open_store(store_url).batches()["name"].tolist()
    assert names[-1] == "native_small.csv"


def test_a_failed_removal_is_shown_not_raised(upload_page, store_url):
    """Another process removed the batch between the page being drawn and the click."""
    at = upload_page
    curated = open_store(store_url).curated_batch_id()
    at.selectbox(key="remove_batch_id").set_value(curated).run()
    button(at, f"Remove batch {curated}").click().run()
    open_store(store_url).remove_batch(curated)
    button(at, "Yes, remove").click().run()
    assert not at.exception
    assert "already in the trash" in unescaped(at.error[0].value)


def test_read_only_deployment_has_no_upload_or_review_page(monkeypatch):
    monkeypatch.setenv("ATLAS_READ_ONLY", "1")
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    for page in ("views/upload.py", "views/review.py"):
        with pytest.raises(ValueError, match=r"Known pages: \[") as refused:
            at.switch_page(page)
        known = str(refused.value).split("Known pages:")[1]
        assert "overview.py" in known and "upload.py" not in known and "review.py" not in known
    monkeypatch.setenv("ATLAS_READ_ONLY", "0")
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("views/upload.py").run()
    assert not at.exception


def test_an_unknown_read_only_value_is_explained(monkeypatch):
    monkeypatch.setenv("ATLAS_READ_ONLY", "perhaps")
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert "ATLAS_READ_ONLY='perhaps' is not understood" in unescaped(at.error[0].value)
