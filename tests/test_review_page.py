"""AppTest: the article review page extracts, shows and imports candidate incidents."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import PACKAGE_DIR
from dashboard.store import configured_store
from tests.page_text import unescaped
from tests.test_extract_articles import SEED_TEXT

PAGE = str(PACKAGE_DIR / "views" / "review.py")
ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def import_button(at: AppTest):
    return next(b for b in at.button if b.label == "Import accepted as a batch")


def test_empty_page_asks_for_an_article():
    at = page()
    assert not at.exception
    assert any("Paste an article" in i.value for i in at.info)


def test_seed_article_candidates_highlights_and_import():
    at = page()
    at.text_area(key="review_text").input(SEED_TEXT).run()
    assert not at.exception
    assert any(h.value.startswith("6 candidate incidents") for h in at.subheader)
    table = at.dataframe[0].value
    assert len(table) == 6
    assert table["accept"].all()
    article = next(h.value for h in at.html if "atlas-article" in h.value)
    # four sentences hold the evidence; every candidate's number labels its highlight
    assert article.count("<mark") == 4
    assert all(f"<sup>[{n}]</sup>" in article for n in range(1, 7))
    assert any(e.type == "component_instance" for e in at.main)  # the map

    # The seed article is the curated source of four of them: those are already recorded.
    assert table["record"].tolist() == ["add as source"] * 4 + ["new incident"] * 2
    assert table["recorded"].iloc[0].startswith("already recorded: 2023-11-25 · foiled_attack")
    assert any("4 already recorded" in unescaped(m.value) for m in at.markdown)

    before = configured_store().batches()
    count = configured_store().count()
    import_button(at).click().run()
    assert not at.exception
    assert any("Imported 2 incidents, 4 sources of stored incidents" in unescaped(s.value)
               for s in at.success)  # fmt: skip
    batches = configured_store().batches()
    assert len(batches) == len(before) + 1
    batch = batches.iloc[-1]
    assert batch["name"] == "article: article:pasted-article"
    assert (batch["rows"], batch["attached"]) == (2, 4)
    stored = configured_store().incidents()
    assert len(stored) == count + 2
    mine = stored[stored["dataset"] == "article:pasted-article"]
    assert len(mine) == 2 and mine["source"].eq("article:pasted-article").all()
    sources = configured_store().sources_table().to_pandas()
    added = sources[sources["batch_id"] == batch["batch_id"]]
    assert len(added) == 6 and added["publication"].eq("article:pasted-article").all()
    assert added["published"].astype(str).eq("2023-11-26").all()  # read from the article


def test_source_name_tags_the_batch_and_a_second_import_is_refused():
    at = page()
    at.text_input(key="review_source").input("The National").run()
    at.text_area(key="review_text").input(SEED_TEXT).run()
    import_button(at).click().run()
    assert configured_store().batches().iloc[-1]["name"] == "article: The National"
    import_button(at).click().run()
    assert not at.exception
    assert any("already in the store" in e.value for e in at.error)


def test_article_without_date_asks_for_it():
    text = (ARTICLES / "a09_ain_al_asad_missiles.txt").read_text(encoding="utf-8")
    at = page()
    at.text_area(key="review_text").input(text).run()
    assert not at.exception
    assert any("no publication date found" in e.value for e in at.error)


def test_article_text_is_escaped_not_injected():
    at = page()
    hostile = (
        "Published: January 21, 2024\n\n<script>alert(1)</script> On Saturday, rockets were "
        "fired at Ain al-Asad air base <b>bold</b>.\n"
    )
    at.text_area(key="review_text").input(hostile).run()
    assert not at.exception
    article = next(h.value for h in at.html if "atlas-article" in h.value)
    assert "<script>" not in article and "<b>" not in article
    assert "&lt;script&gt;" in article and "<mark" in article


@pytest.mark.parametrize("name", ["a04_analysis_no_incident.txt"])
def test_article_with_no_incident(name):
    at = page()
    at.text_area(key="review_text").input((ARTICLES / name).read_text(encoding="utf-8")).run()
    assert not at.exception
    assert any(h.value.startswith("0 candidate incidents") for h in at.subheader)
    assert not [b for b in at.button if b.label == "Import accepted as a batch"]
