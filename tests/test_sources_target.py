"""The target of issue 9 part 5: five articles about one attack, imported one after another on
the review page as a user would, give one incident with five sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.datasource import DataSource
from dashboard.filters import Filters
from dashboard.paths import PACKAGE_DIR
from dashboard.store import configured_store
from tests.page_text import unescaped

PAGE = str(PACKAGE_DIR / "views" / "review.py")
FOLDER = Path(__file__).parent / "fixtures" / "articles" / "one_attack"
OUTLETS = {
    "1_wire.txt": "Global Wire",
    "2_broadcaster.txt": "Capital Radio News",
    "3_regional.txt": "Kurdistan Daily Review",
    "4_newspaper.txt": "The Gulf Observer",
    "5_agency.txt": "Xin Press",
}
CURATED_ID = "atlas-20240120-ain-al-asad-ballistic-missiles"


def review(at: AppTest, name: str) -> tuple[str, str]:
    """Paste one article with its outlet and link, as a user fills the page, and import it;
    (what the page proposed to import it as, the stored incident it named)."""
    text = (FOLDER / name).read_text(encoding="utf-8")
    return review_text(at, OUTLETS[name], f"https://example.org/{Path(name).stem}", text)


def review_text(at: AppTest, outlet: str, url: str, text: str) -> tuple[str, str]:
    at.text_input(key="review_source").input(outlet)
    at.text_input(key="review_source_url").input(url)
    at.text_area(key="review_text").input(text).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 1, table
    decision = (table.loc[0, "record"], table.loc[0, "recorded"])
    next(b for b in at.button if b.label == "Import accepted as a batch").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return decision


def _engine():
    return DataSource.configured().engine(server=False)


def test_five_articles_about_one_attack_give_one_incident_with_five_sources():
    store = configured_store()
    curated = store.curated_batch_id()
    store.remove_batch(curated)
    store.purge_batch(curated)  # an empty store: the first article makes the incident
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    decisions = [review(at, name) for name in OUTLETS]

    assert decisions[0] == ("new incident", "")
    for number, (record, recorded) in enumerate(decisions[1:], start=2):
        assert record == "add as source"
        assert recorded.startswith("already recorded: 2024-01-20 · attack · Ain al-Asad")
        assert recorded.endswith(f"{number - 1} source{'s' if number > 2 else ''}")
    assert store.count() == 1
    engine = _engine()
    (incident_id,) = engine.frame(Filters())["incident_id"]
    sources = engine.sources_of(incident_id)
    assert sources["publication"].tolist() == list(OUTLETS.values())
    assert sources["url"].str.startswith("https://example.org/").all()
    assert sources["published"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-20", "2024-01-20", "2024-01-21", "2024-01-21", "2024-01-21",
    ]  # fmt: skip
    assert sources["evidence"].str.contains("Ain al-Asad").all()
    assert engine.count(Filters(min_sources=5)) == 1
    assert engine.count(Filters(min_sources=6)) == 0
    # Each article is a batch of its own: removing one takes its source away, nothing else.
    third = store.batches().iloc[2]
    assert third["rows"] == 0 and third["attached"] == 1
    store.remove_batch(int(third["batch_id"]))
    assert _engine().sources_of(incident_id)["publication"].tolist() == [
        "Global Wire", "Capital Radio News", "The Gulf Observer", "Xin Press",
    ]  # fmt: skip


def test_with_the_curated_set_the_five_articles_join_the_curated_incident():
    store = configured_store()
    before = store.count()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    for name in OUTLETS:
        assert review(at, name)[0] == "add as source"
        assert any(
            "0 incidents, 1 source of stored incidents" in unescaped(s.value) for s in at.success
        )
    assert store.count() == before
    sources = _engine().sources_of(CURATED_ID)
    assert len(sources) == 6
    assert sources["publication"].tolist()[1:] == list(OUTLETS.values())


@pytest.mark.parametrize("name", list(OUTLETS))
def test_each_article_reads_as_the_one_attack(name):
    from dashboard.ingest import extract_incidents

    found = extract_incidents((FOLDER / name).read_text(encoding="utf-8"), name="x")
    assert found[["site_id", "event_type"]].values.tolist() == [["ain-al-asad", "attack"]]
    assert found["event_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-20"]


# Two reports, in our own words, of one attack at a village no bundled table knows, the second
# spelling it another way (as outlets transliterate Arabic names): real reporting names such
# places more often than any base, and without a point only the name can tell it is one event.
VILLAGE_REPORTS = {
    "Global Wire": "BEIRUT, March 7, 2024 (Global Wire) - Islamic State gunmen attacked truffle"
    " hunters near the village of Kobajeb in Syria's Deir ez-Zor province on Wednesday, killing 11"
    " people, a war monitor said.",
    "Desert Radio": "Published 8 March 2024\n\nJihadists killed 11 civilians collecting truffles"
    " close to the village of Kobajib on Wednesday, relatives told a local radio station on"
    " Thursday.",
}


def test_two_reports_of_an_attack_at_an_unmapped_village_give_one_incident():
    store = configured_store()
    before = store.count()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    decisions = [
        review_text(at, outlet, f"https://example.org/{n}", text)
        for n, (outlet, text) in enumerate(VILLAGE_REPORTS.items())
    ]
    assert decisions[0] == ("new incident", "")
    assert decisions[1][0] == "add as source"
    assert decisions[1][1].startswith("already recorded: 2024-03-06 · attack · ")
    assert store.count() == before + 1
    engine = _engine()
    (incident_id,) = engine.frame(Filters(min_sources=2))["incident_id"]
    sources = engine.sources_of(incident_id)
    assert sources["publication"].tolist() == list(VILLAGE_REPORTS)
    assert engine.incident(incident_id)["location"] == "Kobajeb"
