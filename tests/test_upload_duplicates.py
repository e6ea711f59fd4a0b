"""AppTest: the upload page reports rows that likely duplicate stored incidents, beside the
stored incident, and adds them as sources (the default) or imports them anyway."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.datasource import DataSource
from dashboard.paths import PACKAGE_DIR
from dashboard.store import configured_store
from tests.page_text import unescaped

APP = str(PACKAGE_DIR / "app.py")
CURATED_MATCH = "atlas-20231120-ain-al-asad-missile"


def upload(fixtures: Path, name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/upload.py").run()
    data = (fixtures / name).read_bytes()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def import_button(at: AppTest):
    return next(b for b in at.button if b.label == "Import as a new batch")


def _sources(incident_id: str):
    return DataSource.configured().engine(server=False).sources_of(incident_id)


def test_likely_duplicates_are_listed_and_added_as_sources_by_default(fixtures):
    before = configured_store().count()
    at = upload(fixtures, "acled_current.csv")
    assert any("1 row likely report incidents already stored" in w.value for w in at.warning)
    report = next(d.value for d in at.dataframe if "recorded" in d.value.columns)
    assert report[["row", "day", "incident_id"]].values.tolist() == [
        [2, "2023-11-20", CURATED_MATCH]
    ]
    assert report["recorded"].iloc[0].startswith("2023-11-20 · attack · Ain Al Asad airbase")
    assert at.radio(key="upload_duplicates").value.startswith("add them as sources")
    import_button(at).click().run()
    assert not at.exception
    assert any(
        "Imported 6 incidents, 1 source of stored incidents" in unescaped(s.value)
        for s in at.success
    )
    assert configured_store().count() == before + 6
    assert _sources(CURATED_MATCH)["publication"].tolist()[1:] == ["Fixture Source A"]


def test_likely_duplicates_can_be_imported_anyway(fixtures):
    before = configured_store().count()
    at = upload(fixtures, "acled_current.csv")
    at.radio(key="upload_duplicates").set_value("import them as new incidents anyway").run()
    import_button(at).click().run()
    assert any("Imported 7 incidents as batch" in s.value for s in at.success)
    assert configured_store().count() == before + 7
    assert len(_sources(CURATED_MATCH)) == 1


def test_a_file_with_nothing_stored_yet_shows_no_report(fixtures):
    at = upload(fixtures, "ucdp_ged.csv")
    assert not at.warning
    assert not [r for r in at.radio if r.key == "upload_duplicates"]
