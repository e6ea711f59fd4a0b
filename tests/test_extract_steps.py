"""Each attachment step of the extractor alone (dashboard.ingest.steps), on one clause and a
report whose state the test sets; and the clause classifier and the de-duplication rules."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ingest import steps
from dashboard.ingest.article import Article, Sentence
from dashboard.ingest.clauses import (
    BACKGROUND,
    CASUALTIES,
    CLAIM,
    EVENT,
    PLACES,
    read_sentence,
    split_refs,
)
from dashboard.ingest.dates import Resolved, find_time_refs
from dashboard.ingest.extract import deduplicated
from dashboard.ingest.places import find_places
from dashboard.ingest.report import Candidate, Report

PUBLISHED = date(2024, 1, 24)  # a Wednesday


def report(*texts: str) -> Report:
    sentences = [Sentence(t, 0, len(t), paragraph=i, index=i) for i, t in enumerate(texts)]
    return Report(Article(text="\n".join(texts), published=PUBLISHED, published_from="test",
                          sentences=sentences))  # fmt: skip


def clause_of(rep: Report, number: int = 0, *, until=None):
    """The first clause of sentence `number`, with the steps before `until` run on it."""
    sentence = rep.article.sentences[number]
    clause = read_sentence(sentence, sentence.text)[0]
    for step in steps.STEPS:
        if step is until:
            break
        step(clause, rep)
    return clause


def run(rep: Report) -> None:
    """Every step on every clause (to set up a report's state)."""
    for sentence in rep.article.sentences:
        clauses = read_sentence(sentence, sentence.text)
        for clause in clauses:
            for step in steps.STEPS:
                if step(clause, rep):
                    break
        steps.note_sentence(clauses, rep)


# -- the classifier ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Rockets struck Ain al-Asad air base on Tuesday.", EVENT),
        ("The Islamic Resistance in Iraq claimed the attack.", CLAIM),
        ("There were no casualties.", CASUALTIES),
        ("The targets were Ain al-Asad and Harir air base.", PLACES),
        ("After the attack, guards closed the roads around the Green Zone.", PLACES),
        ("The rockets had been fired from a truck near Hit.", BACKGROUND),  # past perfect
        ("US forces have been attacked more than 70 times since October.", BACKGROUND),
        ("Officials said the drone may have been mistaken for a US drone.", BACKGROUND),
        # what "follows" / "comes after" names happened before: background without its own day
        (
            "The raids follow similar drone strikes on bases in Syria over the past week.",
            BACKGROUND,
        ),
        ("The raids came after a rocket attack on Harir air base on Monday.", EVENT),
    ],
)
def test_clause_kinds(text, kind):
    rep = report(text)
    assert clause_of(rep, until=steps.skip_background).kind == kind


@pytest.mark.parametrize(
    ("text", "own", "statement"),
    [
        ("Rockets hit the base on Monday, officials said.", ["Monday"], []),
        ("Several soldiers were hurt, officials said Monday.", [], ["Monday"]),
        ("On Monday, the U.S. Central Command confirmed that it struck Kirkuk.", [], ["Monday"]),
        ("The group on Monday claimed the attack.", [], ["Monday"]),
        ("Late Monday, Iran launched missiles at what it claimed was a base.", ["Monday"], []),
        ("On August 23, two journalists were killed near Said Sadiq.", ["August 23"], []),
        # reactions are statements too
        (
            "The ministry on Thursday condemned the drone strike late on Wednesday in Kirkuk.",
            ["Wednesday"],
            ["Thursday"],
        ),
        (
            "Baghdad denounced Friday the raid that hit Jurf al-Sakhar on Thursday.",
            ["Thursday"],
            ["Friday"],
        ),
        # a reporting noun dates the report, and so does the date in brackets after its day
        (
            "According to reports on Friday (19 January), a drone hit Qaim on Thursday.",
            ["Thursday"],
            ["Friday", "19 January"],
        ),
        (
            "In a statement on Monday, the army said a bomb went off on Sunday.",
            ["Sunday"],
            ["Monday"],
        ),  # fmt: skip
        # a reporting verb with its object before the time: "accused the US on Monday of"
        (
            "The group accused the United States on Monday of striking its base in Qaim.",
            [],
            ["Monday"],
        ),
    ],
)
def test_statement_times_are_not_the_events(text, own, statement):
    own_refs, statement_refs = split_refs(text, find_time_refs(text))
    assert [r.text for r in own_refs] == own
    assert [r.text for r in statement_refs] == statement


# -- steps, one at a time ----------------------------------------------------------------------
def test_resolve_day_reads_the_clauses_own_day_only():
    rep = report("Drones struck Harir air base on Monday, officials said Tuesday.")
    clause = clause_of(rep, until=steps.resolve_day)
    steps.resolve_day(clause, rep)
    assert clause.day.day == date(2024, 1, 22)


def test_make_incidents_carries_the_reports_day_to_a_later_place():
    rep = report("More strikes hit the border town of Al Qaim, killing two fighters.")
    rep.current_day = Resolved(date(2024, 1, 24), 1, "'early on Wednesday'")
    clause = clause_of(rep, until=steps.make_incidents)
    assert steps.make_incidents(clause, rep)
    (made,) = clause.made
    assert made.event_date == date(2024, 1, 24) and made.dated_by == "carried"
    assert made.killed == 2


def test_make_incidents_keeps_a_dated_event_without_place_pending():
    rep = report("US aircraft struck militia sites in Iraq early on Wednesday.")
    clause = clause_of(rep, until=steps.make_incidents)
    assert not steps.make_incidents(clause, rep)
    assert rep.pending and rep.pending[0].day.day == date(2024, 1, 24)
    assert rep.current_day.day == date(2024, 1, 24)  # the lead's day is the report's day


def test_make_incidents_does_not_carry_a_day_into_a_summary():
    rep = report("The militias have struck Ain al-Asad and Harir air base several times.")
    rep.current_day = Resolved(date(2024, 1, 24), 1, "'Wednesday'")
    clause = clause_of(rep, until=steps.make_incidents)
    steps.make_incidents(clause, rep)
    assert clause.made == [] and rep.undated == []


def test_place_pending_places_the_event_of_the_sentence_before():
    rep = report("US jets struck targets in Iraq on Tuesday.",
                 "The targets were Jurf al-Sakhar and Al Qaim.")  # fmt: skip
    first = clause_of(rep, 0)
    steps.note_sentence([first], rep)
    clause = clause_of(rep, 1, until=steps.place_pending)
    assert steps.place_pending(clause, rep)
    assert {c.place.text for c in clause.made} == {"Jurf al-Sakhar", "Al Qaim"}
    assert {c.event_date for c in clause.made} == {date(2024, 1, 23)}


def test_place_pending_takes_no_place_from_a_photo_caption():
    rep = report("US jets struck targets in Iraq on Tuesday.", "Fighters parade through Rawa.")
    caption = rep.article.sentences[1]
    rep.article.sentences[1] = Sentence(caption.text, 0, len(caption.text), paragraph=1,
                                        index=1, caption=True)  # fmt: skip
    first = clause_of(rep, 0)
    steps.note_sentence([first], rep)
    clause = clause_of(rep, 1, until=steps.place_pending)
    assert not steps.place_pending(clause, rep) and clause.made == []


def test_date_undated_dates_the_waiting_event_with_a_later_continuation():
    rep = report(
        "Rockets were fired at Ain al-Asad air base.", "The barrage struck late on Monday."
    )
    clause_of(rep, 0)  # undated, placed: waits
    assert rep.undated
    clause = clause_of(rep, 1, until=steps.date_undated)
    assert steps.date_undated(clause, rep)
    (made,) = clause.made
    assert made.event_date == date(2024, 1, 22) and made.place.site_id == "ain-al-asad"


def test_attach_casualties_joins_the_incident_before_and_not_another_days_event():
    rep = report("A drone struck Harir air base on Tuesday.", "Two soldiers were wounded.")
    clause_of(rep, 0)
    steps.note_sentence([], rep)
    rep.last_group = list(rep.candidates)
    clause = clause_of(rep, 1, until=steps.attach_casualties)
    assert steps.attach_casualties(clause, rep)
    assert rep.candidates[0].wounded == 2
    other = report("A drone struck Harir air base on Tuesday.",
                   "An attack on Jan. 2 killed three soldiers.")  # fmt: skip
    clause_of(other, 0)
    other.last_group = list(other.candidates)
    later = clause_of(other, 1, until=steps.attach_casualties)
    steps.attach_casualties(later, other)
    assert other.candidates[0].killed is None


def test_figures_far_below_join_the_reports_only_incident_but_not_another_event():
    texts = ("Rockets struck Ain al-Asad air base on Saturday.", "Damage was being assessed.",
             "The base hosts US troops.")  # fmt: skip
    rep = report(*texts, "At least one Iraqi soldier was wounded.")
    run(rep)
    assert [c.wounded for c in rep.candidates] == [1]
    other = report(*texts, "In a separate attack, two soldiers were wounded.")
    run(other)
    assert [c.wounded for c in other.candidates] == [None]


def test_attach_claim_names_the_initiator_and_dates_a_waiting_attack():
    rep = report("A drone struck the Conoco gas field.",
                 "The Islamic Resistance in Iraq claimed the attack, saying it was launched on "
                 "Monday.")  # fmt: skip
    clause_of(rep, 0)  # undated: waits for a day
    clause = clause_of(rep, 1, until=steps.attach_claim)
    assert steps.attach_claim(clause, rep)
    (made,) = rep.candidates
    assert made.actor1 == "Islamic Resistance in Iraq" and made.event_date == date(2024, 1, 22)


def test_choose_places_the_same_base_is_the_latest_base_named():
    rep = report("Rockets struck Ain al-Asad air base on Tuesday.",
                 "Another attack at the same base on Saturday wounded four soldiers.")  # fmt: skip
    run(rep)
    saturday = [c for c in rep.candidates if c.event_date == date(2024, 1, 20)]
    assert [c.place.site_id for c in saturday] == ["ain-al-asad"] and saturday[0].wounded == 4


def test_drop_context_places_a_province_only_locates():
    text = "a drone attack targeted the US base at Shaddadi, in Hasakah province"
    places = steps.drop_context_places(text, find_places(text))
    assert [p.text for p in places] == ["Shaddadi"]
    text = "a drone attack targeted a base in Hasakah province"
    (province,) = steps.drop_context_places(text, find_places(text))
    assert province.region and province.geo_precision == 3  # alone, it is the place


# -- one incident per event --------------------------------------------------------------------
def test_a_relative_place_gives_way_to_the_specific_place_of_the_same_event():
    rep = report("A US drone struck a militia car south of Baghdad on Tuesday, killing two.",
                 "The car was hit outside Jurf al-Sakhar.")  # fmt: skip
    run(rep)
    (kept,) = deduplicated(rep.candidates)
    assert kept.place.site_id == "jurf-al-sakhar" and kept.killed == 2


def test_a_town_and_the_site_it_names_are_one_event():
    rep = report(
        "A drone was shot down near Erbil air base on Tuesday.",
        "The Islamic Resistance in Iraq said the drone was launched toward Erbil.",
    )
    run(rep)
    assert [c.place.site_id for c in deduplicated(rep.candidates)] == ["erbil-airport"]


def test_a_province_only_locates_the_place_named_for_the_same_event():
    rep = report("A drone strike killed three people in Sulaymaniyah province on Thursday.",
                 "The drone hit a car in the Zalan sub-district of Chwarta.")  # fmt: skip
    run(rep)
    (kept,) = deduplicated(rep.candidates)
    assert kept.place.text.startswith("Zalan") and kept.killed == 3
    other = report("A drone strike killed three people in Wasit province on Thursday.",
                   "Another drone hit a car in the Zalan sub-district of Chwarta.")  # fmt: skip
    run(other)
    assert len(deduplicated(other.candidates)) == 2  # another province: another event


def test_a_day_the_report_does_not_give_yields_to_the_texts_day_at_the_same_place():
    def candidate(day: date, precision: int, dated_by: str, killed=None) -> Candidate:
        (place,) = find_places("Jurf al-Sakhar")
        return Candidate(
            event_date=day, time_precision=precision, date_how="", killed=killed,
            event_type="airstrike", weapon=None, actor1=None, actor2=None, place=place,
            wounded=None, evidence=[(0, 1)], dated_by=dated_by,
        )  # fmt: skip

    vague = candidate(date(2024, 1, 24), 2, "report", killed=5)
    vague.actor1 = "Iran-backed militias"  # misread from "... in answer to attacks by militias"
    vague.event_type = "attack"
    tuesday = candidate(date(2024, 1, 23), 1, "text")
    tuesday.actor1 = "United States Armed Forces"
    (kept,) = deduplicated([vague, tuesday])
    assert kept.event_date == date(2024, 1, 23) and kept.killed == 5
    last_week = candidate(date(2024, 1, 17), 2, "text")  # "last week": a day of its own
    assert len(deduplicated([last_week, tuesday])) == 2


def test_a_month_and_year_over_a_quarter_old_is_history():
    rep = report("At the end of March 2023 a bomb went off in Kirkuk city.",
                 "At the end of December 2023 a bomb went off in Kirkuk city.")  # fmt: skip
    assert clause_of(rep, 0, until=steps.skip_background).kind == BACKGROUND
    assert clause_of(rep, 1, until=steps.skip_background).kind != BACKGROUND


def test_a_retelling_with_no_day_and_the_same_toll_in_the_province_is_the_dated_event():
    # a caption "Three fighters killed in a drone strike in Sulaimani" (no day of its own)
    # and "near the village of X, Said Sadiq district" on Friday: one event, the dated one
    def candidate(text: str, precision: int, dated_by: str, killed) -> Candidate:
        (place,) = find_places(text)
        return Candidate(
            event_date=date(2024, 1, 19), time_precision=precision, date_how="", killed=killed,
            event_type="airstrike", weapon=None, actor1=None, actor2=None, place=place,
            wounded=None, evidence=[(0, 1)], dated_by=dated_by,
        )  # fmt: skip

    village = "A car was hit near the village of Gird Kewan, Said Sadiq district, on Friday."
    caption = candidate("Three fighters killed in a drone strike in Sulaimani", 2, "report", 3)
    (kept,) = deduplicated([candidate(village, 1, "text", 3), caption])
    assert kept.place.text.startswith("Gird Kewan") and kept.killed == 3
    # another toll: another event
    other = candidate("Two fighters killed in a drone strike in Sulaimani", 2, "report", 2)
    assert len(deduplicated([candidate(village, 1, "text", 3), other])) == 2
