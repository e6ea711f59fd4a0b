"""Unit tables for the extraction parts: dates, casualty figures, publication dates, files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.errors import AtlasError
from dashboard.ingest import NoPublicationDate, extract_file, extract_incidents
from dashboard.ingest.article import find_publication_date, html_to_text, read_article
from dashboard.ingest.dates import Resolved, best, find_time_refs, resolve
from dashboard.ingest.numbers import casualties
from dashboard.ingest.places import find_places
from dashboard.ingest.published import find_dateline
from dashboard.ingest.review import accepted_incidents, review_table
from dashboard.schema import COLUMNS

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


@pytest.mark.parametrize(
    ("published", "text", "anchor", "expected", "precision"),
    [
        # weekdays: the day on or before publication, across month and year ends
        ("2023-11-26", "On Monday, US forces", None, "2023-11-20", 1),
        ("2023-11-26", "in an interview on Saturday", None, "2023-11-25", 1),
        ("2024-01-29", "early on Sunday", None, "2024-01-28", 1),
        ("2024-01-29", "late Monday", None, "2024-01-29", 1),  # same day as publication
        ("2024-02-02", "on Tuesday", None, "2024-01-30", 1),
        ("2024-03-01", "late Wednesday", None, "2024-02-28", 1),
        ("2024-03-01", "Early Thursday", None, "2024-02-29", 1),  # leap day
        ("2024-01-02", "on Sunday night", None, "2023-12-31", 1),  # year end
        ("2024-01-21", "Saturday's attack", None, "2024-01-20", 1),
        ("2024-02-03", "last Sunday", None, "2024-01-28", 1),
        # relative to the anchor
        ("2023-11-26", "The following day", "2023-11-20", "2023-11-21", 1),
        ("2023-11-26", "a few hours later", "2023-11-20", "2023-11-20", 1),
        ("2023-11-26", "That same day, rockets hit", "2023-11-20", "2023-11-20", 1),
        # a weekday with a numeric date: the reading (day/month or month/day) on that weekday
        ("2024-10-31", "On Friday (1/11/2024), the monitor said", None, "2024-11-01", 1),
        ("2024-01-31", "On Thursday, 1/11/2024, the monitor said", None, "2024-01-11", 1),
        ("2023-11-26", "the same night", "2023-11-20", "2023-11-20", 1),
        ("2023-12-01", "A day later", "2023-11-30", "2023-12-01", 1),
        ("2024-01-21", "Two days earlier", "2024-01-20", "2024-01-18", 1),
        ("2023-09-04", "The previous day", "2023-09-03", "2023-09-02", 1),
        ("2024-02-29", "the next day", "2024-02-29", "2024-03-01", 1),
        # explicit dates; the year before when the day would follow publication
        ("2023-09-04", "On Aug. 30, jets", None, "2023-08-30", 1),
        ("2024-01-02", "late on Dec. 28", None, "2023-12-28", 1),
        ("2024-01-02", "on 28 December 2023", None, "2023-12-28", 1),
        ("2023-11-26", "on November 20", None, "2023-11-20", 1),
        # weeks and months
        ("2023-11-26", "last week", None, "2023-11-19", 2),
        ("2023-12-01", "Earlier this week", None, "2023-11-27", 2),
        ("2023-12-10", "Last month", None, "2023-11-15", 3),
        ("2024-04-15", "in January", None, "2024-01-15", 3),
        ("2024-01-15", "in December", None, "2023-12-15", 3),
        ("2024-01-21", "yesterday", None, "2024-01-20", 1),
        # holidays: the last such day on or before publication
        ("2023-12-27", "on Christmas Day", None, "2023-12-25", 1),
        ("2024-03-01", "Christmas Eve", None, "2023-12-24", 1),
        ("2024-01-02", "On New Year's Day", None, "2024-01-01", 1),
        ("2024-01-02", "on New Year’s Eve", None, "2023-12-31", 1),
        ("2024-01-01", "New Year's Day", None, "2024-01-01", 1),
    ],
)
def test_time_expressions(published, text, anchor, expected, precision):
    refs = find_time_refs(text)
    assert refs, text
    pub = date.fromisoformat(published)
    base = Resolved(date.fromisoformat(anchor), 1, "") if anchor else None
    found = resolve(best(refs), pub, base)
    assert found.day == date.fromisoformat(expected)
    assert found.precision == precision


@pytest.mark.parametrize(
    "text",
    [
        "since October 17",
        "Since mid-October, attacks",
        "next Monday",
        "in 2017",
        "the four-day",
        # a time deeper inside the phrase "since" opens starts the period too
        "the first deaths since last year's October 7 raid on Israel",
        "attacks on bases since the war in Gaza broke out on October 7",
    ],
)
def test_expressions_that_date_nothing(text):
    assert find_time_refs(text) == []


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("killing one Iran-backed militant linked to Kataib Hezbollah", 1, None),
        ("killing eight militants and wounding five.", 8, 5),
        ("Three American service members were killed and more than 30 wounded", 3, 30),
        ("leaving four SDF fighters dead and two others wounded", 4, 2),
        ("sixteen people, including civilians, were killed and twenty-five were wounded", 16, 25),
        ("wounding four US personnel and an Iraqi soldier", None, 5),
        ("killing a US contractor", 1, None),
        ("at least twenty-three fighters were killed", 23, None),
        ("causing no casualties", 0, 0),
        ("no one was hurt", 0, 0),
        ("nobody was hurt", 0, 0),
        ("with no injuries reported", 0, 0),
        ("There were no casualties.", 0, 0),
        ("There was no word on casualties.", None, None),
        ("no immediate reports of casualties", None, None),
        ("dozens of fighters have been killed", None, None),
        ("hundreds of supporters protested", None, None),
        ("the four-day truce", None, None),
        ("rockets were fired at the base", None, None),
        ("at least a dozen fighters were killed", 12, None),
        ("Three US soldiers suffered minor injuries when", None, 3),
        ("One soldier was seriously wounded and two others suffered minor injuries", None, 3),
        ("three soldiers were killed and two suffered injuries", 3, None),  # no person: unknown
        ("At least one serviceman was killed and 18 other people were wounded", 1, 18),
        ("Eight US troops are being treated for traumatic brain injuries", None, 8),
        ("The number of the injured people has also increased to 43", None, 43),
        ("the strikes killed two girls, five women and three men", 10, None),
        ("Three men from the group, which answers to a militia alliance, were killed", 3, None),
        ("An Iraqi soldier in the border guard was killed", 1, None),
        ("He wished the wounded a quick recovery.", None, None),
        ("wounding a child", None, 1),
        # "a man" opening a list of relatives is not a count of one
        ("killing a man and his wife, their two sons and a neighbour", None, None),
        ("Four civilians were shot dead near the village", 4, None),
        ("Six troops were receiving treatment for head injuries", None, 6),
        # the people included are part of the count, not the count
        ("seven people, including a local official were killed", 7, None),
        ("Three guards at the gate were killed and another wounded", 3, 1),
        ("Soon after, another five personnel suffered minor injuries", None, 5),
        ("another raid wounded two workers", None, 2),
        # "a" opening a phrase that goes on to a number is not a count of one
        ("officials gave a provisional toll that four people killed in the shelling", 4, None),
        ("the ministry issued a statement that 3 soldiers were wounded", None, 3),
        # "others" with no figure: the four killed are not the wounded
        ("four people were killed and others wounded in the raid", 4, None),
        # coordinated groups before the verb are all counted
        ("An army officer and four soldiers were killed in the ambush", 5, None),
        ("Two guards and a local translator posted at the gate were killed", 3, None),
        ("Two soldiers, a medic and three policemen were wounded", None, 6),
        ("Five people were killed and 17 others injured", 5, 17),
        # the ones killed "along with" the subject are counted beside it
        ("The commander was killed along with his three sons in the raid", 4, None),
        ("Two fighters were killed together with four civilians", 6, None),
        # a definite singular person joined to a count is one more
        ("killing four soldiers and the unit commander", 5, None),
        ("The driver and two guards were killed", 3, None),
        ("killing four soldiers and the attackers", 4, None),  # a plural: no count
        ("killing seven militants, the Iraqi army said", 7, None),  # no "and": a source
        # the word some outlets use for their side's dead
        ("Eleven fighters were martyred in the attack", 11, None),
        ("the shelling martyred three soldiers", 3, None),
        ("Some 9 forces of the border army were martyred", 9, None),  # "forces": personnel
    ],
)
def test_casualty_figures(text, killed, wounded):
    found = casualties(text)
    assert (found.killed, found.wounded) == (killed, wounded)


_BODY = (
    "BAGHDAD (Wire) - A militia said five of its members were killed in strikes on its base "
    "south of the capital on Tuesday, officials said.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nBody.\n\nUpdated: November 26, 2023, 1:09 PM\n", "2023-11-26"),
        ("Published: February 2, 2024\n\nBAGHDAD, Feb 3 (Wire) - Body.\n", "2024-02-02"),
        ("Title\n\nWASHINGTON, Feb. 3, 2024 (Wire) — Body.\n", "2024-02-03"),
        ("Title\n\nERBIL, Iraq, Jan. 2, 2024 (Wire) — Body.\n", "2024-01-02"),
        ("Published on 2024-01-07\n\nBody.\n", "2024-01-07"),
        ("Posted: 7 January 2024 10:00\n\nBody.\n", "2024-01-07"),
        ("Title\n\nBAGHDAD, Jan 21 (Wire) - Body with no year.\n", None),
        # a yearless dateline takes the year of the "Updated:" line (an update comes later)
        ("Title\nBAGHDAD, Jan 21 (Wire) - Body.\n\nUpdated: January 23, 2024\n", "2024-01-21"),
        ("Title\n\nERBIL, Dec 31 (Wire) - Body.\n\nUpdated: January 2, 2024\n", "2023-12-31"),
        ("Title\n\nBAGHDAD, Jan 21 (Wire) - Body.\n\nPublished: 22 January 2024\n", "2024-01-22"),
        ("Just a body on Monday.\n", None),
        # a date alone above the headline is the site's date bar (the day the page was viewed)
        (f"Tuesday, June 25, 2024\nSupport us\nMilitia says five killed in raids\n\n{_BODY}", None),
        (
            f"| 4 December 2023, Monday |\n\nMilitia says five killed in raids\n\n"
            f"March 3, 2023\n\n{_BODY}",
            "2023-03-03",
        ),
        # with a time of day it is the page's own stamp; under the headline, the story's date
        (
            f"Thursday, 04 January 2024 09:40 AM EST\nMilitia says five killed in raids\n\n{_BODY}",
            "2024-01-04",
        ),
        (f"Militia says five killed in raids\n\nTuesday, June 25, 2024\n\n{_BODY}", "2024-06-25"),
        (f"June 25, 2024\n\nMilitia says five killed in raids\n\n{_BODY}", "2024-06-25"),
        # a byline with a handle; the date between headline and body before one above it
        (f"News Site | @newssite | 02 Feb 2024, 09:57 pm Print\n\n{_BODY}", "2024-02-02"),
        (
            f"Tuesday, 02 January 2024 12:17 GMT\nMilitia says five killed in raids\n"
            f"2025-06-19 09:26:19\n\n{_BODY}",
            "2025-06-19",
        ),
        # labels inside a line of page facts; "Created" is the publication, not the update
        (
            f"Desk | Erbil | Updated: 24-11-2025 03:28 IST | Created: 23-11-2025 22:10 IST\n\n"
            f"{_BODY}",
            "2025-11-23",
        ),
        # a photo credited to a social account is a caption, whatever date it names
        (
            f"Militia bases burn\nSmoke rises over a base in Anbar, Iraq, Jan. 9, 2024. X/ "
            f"@somephotographer\nJanuary 10, 2024 Hour: 7:56 am\n\n{_BODY}",
            "2024-01-10",
        ),
        # a paragraph that opens with its date, before a bracketed city, is dated by it
        (
            "Militia says five killed\n\n03-11-2024 (MOSUL) Gunmen attacked a checkpoint on"
            " Friday night, killing five soldiers, the army said.\n",
            "2024-11-03",
        ),
        (
            "Militia says five killed\n\nMarch 3, 2024 – Gunmen attacked a checkpoint on Friday"
            " night, killing five soldiers, the army said.\n",
            "2024-03-03",
        ),
        # "On <date>" opens a sentence about the event, not a dateline
        (
            "Militia says five killed\n\nOn March 3, 2024 - the day of the vote - gunmen attacked a"
            " checkpoint, killing five soldiers, the army said.\n",
            None,
        ),
        # after a label, a two-digit year is this century's
        (
            f"Militia says five killed in raids\n\nLast updated 2/7/25 at 9:15 am\n\n{_BODY}",
            "2025-02-07",
        ),
        # a numeric stamp that reads both ways takes the reading the yearless dateline agrees
        # with; with no dateline to agree with, slashes stay month first
        (
            "Army downs drone\nMAFRAQ, April 9 (Agency) - Troops downed a drone carrying drugs on"
            " Wednesday, an army source said.\n10/04/2025 01:10:05\n",
            "2025-04-10",
        ),
        (
            "Army downs drone\nMAFRAQ, April 9 (Agency) - Troops downed a drone carrying drugs on"
            " Wednesday, an army source said.\n09/04/2025 21:10:05\n",
            "2025-04-09",
        ),
        (
            "Army downs drone\nTroops downed a drone carrying drugs on Wednesday, an army source"
            " said.\n04/09/2025 21:10:05\n",
            "2025-04-09",
        ),
    ],  # fmt: skip
)
def test_publication_date(text, expected):
    found, _ = find_publication_date(text)
    assert found == (date.fromisoformat(expected) if expected else None)


def test_dateline_city_is_not_a_place_and_headline_is_not_body():
    article = read_article(
        "Rockets hit base\n\nBAGHDAD, Feb 2 (Wire) - Rockets hit Ain al-Asad on Friday.\n",
        date(2024, 2, 2),
    )
    assert [s.text for s in article.sentences] == ["Rockets hit Ain al-Asad on Friday."]
    # a city in title case and an agency's initials after a comma: a dateline too
    article = read_article("Damascus, SANA – Jets struck Masyaf on Sunday.\n", date(2024, 9, 9))
    assert [s.text for s in article.sentences] == ["Jets struck Masyaf on Sunday."]


def test_a_long_paragraph_closed_by_a_bracketed_aside_is_body():
    lead = (
        "A monitor said on Monday that a drone attack on the Conoco gas field overnight killed "
        "four guards of the facility and wounded nine others. The group that runs the field "
        "said the drone came from the east and hit the workers' quarters shortly after "
        "midnight, before guards could fire at it.( 4 guards were killed )"
    )
    article = read_article(f"Drone kills guards at gas field\n\n{lead}\n\nMore text here.\n",
                           date(2024, 2, 6))  # fmt: skip
    assert article.sentences[0].text.startswith("A monitor said on Monday")


def test_headline_lines_above_a_datelined_paragraph_are_not_body():
    article = read_article(
        "TEST ARTICLE — marker\nRockets hit base as attacks mount\n"
        "ERBIL, Jan 22 (Wire) - Rockets hit Ain al-Asad on Sunday. More followed.\n",
        date(2024, 1, 22),
    )
    assert [s.text for s in article.sentences] == [
        "Rockets hit Ain al-Asad on Sunday.",
        "More followed.",
    ]


def test_headline_under_the_marker_line_is_not_body():
    article = read_article(
        "TEST ARTICLE — marker\nRockets hit base\nRockets hit Ain al-Asad on Sunday.\n",
        date(2024, 1, 22),
    )
    assert [s.text for s in article.sentences] == ["Rockets hit Ain al-Asad on Sunday."]


def _rows(body: str, published: str = "Published: 14 November 2023") -> list[tuple]:
    frame = extract_incidents(f"Headline\n\n{body}\n\n{published}\n")
    return [
        (f"{r.event_date:%Y-%m-%d}", r.site_id if not pd.isna(r.site_id) else r.location,
         r.event_type, None if pd.isna(r.killed) else r.killed,
         None if pd.isna(r.wounded) else r.wounded)
        for r in frame.itertuples()
    ]  # fmt: skip


def test_dateline_weekday_and_hours_later():
    # Tuesday 14 November: "on Monday morning" is the 13th; the dateline's "Nov 14" dates nothing
    rows = _rows(
        "Drones target US forces\nBAGHDAD, Nov 14 (Wire) - Two US soldiers suffered minor "
        "injuries when drones struck Ain al-Asad air base on Monday morning, an official said."
        "\n\nHours later, US forces shot down a drone approaching the Al-Tanf garrison."
    )
    assert [r[:3] for r in rows] == [
        ("2023-11-13", "ain-al-asad", "attack"),
        ("2023-11-13", "al-tanf", "interception"),
    ]
    assert rows[0][4] == 2


def test_drones_striking_troops_are_the_attackers_not_the_us():
    frame = extract_incidents(
        "Published: 14 November 2023\n\nTwo US soldiers were hurt when drones struck "
        "Ain al-Asad air base on Monday.\n"
    )
    row = frame.iloc[0]
    assert row["event_type"] == "attack" and row["actor2"] == "United States Armed Forces"
    assert pd.isna(row["actor1"])


def test_undated_report_with_places_continues_the_dated_one():
    # a dated strike with no place, then an undated "bombers struck ... near X and Y";
    # the "in retaliation for" clause names the cause and does not replace the pending strike
    rows = _rows(
        "US forces carried out air strikes late on Friday against targets in Iraq and Syria, "
        "in retaliation for last week's drone attack that killed two soldiers in Jordan.\n\n"
        "Officials said B-1 bombers struck depots near Al-Qaim in Iraq and near Abu Kamal in "
        "Syria.\n\nEight fighters were killed in the strikes around Abu Kamal.",
        "Published: February 3, 2024",
    )
    assert [r[0] for r in rows] == ["2024-02-02", "2024-02-02"]
    assert all(r[2] == "airstrike" for r in rows)
    assert rows[1][3] == 8 and rows[0][3] is None


def test_a_different_kind_of_event_does_not_continue_the_pending_one():
    rows = _rows(
        "US forces carried out air strikes late on Friday against targets in Iraq and Syria.\n\n"
        "Protesters demonstrated outside Ain al-Asad air base.",
        "Published: February 3, 2024",
    )
    assert rows == []


def test_a_province_only_locates_the_place_in_its_clause():
    rows = _rows(
        "Late on Saturday, a drone attack targeted the US base at Shaddadi, also in Hasakah "
        "province.",
        "Published: December 4, 2023",
    )
    assert len(rows) == 1 and rows[0][0] == "2023-12-02" and rows[0][1] != "Hasakah province"


def test_a_campaign_summary_dated_last_month_is_background():
    assert (
        _rows(
            "The US military has carried out several rounds of strikes since October, including "
            "raids last month near Jurf al-Sakhar that killed eight militants.",
            "Published: December 4, 2023",
        )
        == []
    )
    # a plain "last month" report still counts
    assert len(_rows(
        "Last month, rockets targeted Ain al-Asad air base.", "Published: December 4, 2023"
    )) == 1  # fmt: skip


def test_a_launcher_found_in_the_passive_is_a_seizure():
    rows = _rows(
        "On Wednesday, rockets were fired at the al-Omar oil field, an official said.\n\n"
        "A rocket launcher aimed at Ain al-Asad air base was discovered the following day.",
        "Published: December 1, 2023",
    )
    assert ("2023-11-30", "ain-al-asad", "seizure", None, None) in rows


def test_casualties_in_the_next_paragraph_join_the_last_incident():
    rows = _rows(
        "Missiles hit Ain al-Asad air base on Saturday.\n\n"
        "Most were intercepted, but others struck the base. One Iraqi soldier was seriously "
        "wounded and two others suffered minor injuries.",
        "Published: 20 January 2024",
    )
    assert rows == [("2024-01-20", "ain-al-asad", "attack", None, 3)]


def test_drone_strike_weapon_is_a_drone():
    frame = extract_incidents(
        "Published: 4 December 2023\n\nA US drone strike near Kirkuk on Sunday killed five "
        "militants.\n"
    )
    assert frame.iloc[0]["weapon"] == "drone" and frame.iloc[0]["killed"] == 5


def test_html_is_reduced_to_its_text():
    markup = (
        "<html><head><style>p{}</style><script>var x=1;</script></head><body>"
        "<h1>Rockets hit base</h1><p>Published: January 21, 2024</p>"
        "<p>On Saturday, rockets were fired at <b>Ain al-Asad</b> air base &amp; no one was hurt."
        "</p></body></html>"
    )
    text = html_to_text(markup)
    assert "var x" not in text and "<b>" not in text
    assert "fired at Ain al-Asad air base & no one was hurt." in text
    frame = extract_incidents(markup)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["site_id"] == "ain-al-asad" and row["event_date"] == pd.Timestamp("2024-01-20")
    assert (row["killed"], row["wounded"]) == (0, 0)


def test_unknown_stays_na_never_zero():
    frame = extract_incidents(
        "Published: January 21, 2024\n\nOn Saturday, rockets were fired at Ain al-Asad air base.\n"
    )
    assert frame["killed"].isna().all() and frame["wounded"].isna().all()
    assert str(frame["killed"].dtype) == "Int64"


def test_extract_file_writes_the_csv(tmp_path):
    out = tmp_path / "out.csv"
    count = extract_file(ARTICLES / "a09_ain_al_asad_missiles.txt", out, published="2024-01-21")
    assert count == 4
    written = pd.read_csv(out, dtype=str)
    assert list(written.columns) == [*COLUMNS, "evidence", "confidence"]
    assert written["dataset"].eq("article:a09_ain_al_asad_missiles").all()
    assert written["source"].eq("article:a09_ain_al_asad_missiles").all()
    assert written["event_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_extract_file_without_a_date_names_the_file(tmp_path):
    path = ARTICLES / "a09_ain_al_asad_missiles.txt"
    with pytest.raises(AtlasError) as caught:
        extract_file(path, tmp_path / "out.csv")
    assert str(caught.value) == f"{path}: no publication date found; pass --published YYYY-MM-DD"
    assert isinstance(caught.value, ValueError)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("bad", ["21/01/2024", "2024-02-30", "yesterday"])
def test_extract_file_rejects_a_bad_published_value(tmp_path, bad):
    with pytest.raises(AtlasError, match="YYYY-MM-DD"):
        extract_file(ARTICLES / "a09_ain_al_asad_missiles.txt", tmp_path / "o.csv", published=bad)


def test_extract_file_missing_article(tmp_path):
    with pytest.raises(AtlasError, match="cannot read the article"):
        extract_file(tmp_path / "nope.txt", tmp_path / "o.csv", published="2024-01-01")


def test_extract_incidents_without_date_raises():
    with pytest.raises(NoPublicationDate, match="seed: no publication date found"):
        extract_incidents("On Monday, rockets hit Ain al-Asad air base.", name="seed")


def test_ids_are_stable_and_derived():
    text = (ARTICLES / "a06_embassy_rockets.txt").read_text(encoding="utf-8")
    first = extract_incidents(text, name="a06")
    again = extract_incidents(text, name="a06")
    other = extract_incidents(text, name="a06-copy")
    assert first["incident_id"].tolist() == again["incident_id"].tolist()
    assert not set(first["incident_id"]) & set(other["incident_id"])


# -- review helpers ---------------------------------------------------------------------------


def _candidates() -> pd.DataFrame:
    text = (ARTICLES / "a07_syria_month_end.txt").read_text(encoding="utf-8")
    return extract_incidents(text, name="a07", source="Wire")


def test_accepted_rows_only_and_edits_are_kept():
    candidates = _candidates()
    table = review_table(candidates)
    edited = table.copy()
    edited.loc[2, "accept"] = False
    edited.loc[0, "killed"] = 1
    edited.loc[0, "actor1"] = "Islamic Resistance in Iraq"
    incidents, problems = accepted_incidents(table, edited, dataset="article:a07")
    assert problems == []
    assert len(incidents) == 2
    assert incidents.loc[0, "killed"] == 1
    assert incidents.loc[0, "actor1"] == "Islamic Resistance in Iraq"
    assert incidents.loc[0, "site_id"] == "al-omar-oil-field"
    assert incidents["source"].eq("Wire").all()


def test_a_changed_place_is_geocoded_again_or_loses_its_point():
    candidates = _candidates()
    table = review_table(candidates)
    edited = table.copy()
    edited.loc[0, "location"] = "Conoco gas field"
    edited.loc[1, "location"] = "Somewhere unknown"
    incidents, _ = accepted_incidents(table, edited, dataset="article:a07")
    assert incidents.loc[0, "site_id"] == "conoco-gas-field"
    assert incidents.loc[0, "latitude"] == pytest.approx(35.33611)
    assert pd.isna(incidents.loc[1, "latitude"]) and pd.isna(incidents.loc[1, "site_id"])
    assert "not in the gazetteer" in incidents.loc[1, "notes"]


def test_bad_edits_are_reported_as_problems():
    candidates = _candidates()
    table = review_table(candidates)
    edited = table.copy()
    edited.loc[0, "location"] = ""
    _, problems = accepted_incidents(table, edited, dataset="article:a07")
    assert [(p.column, p.message) for p in problems] == [("location", "value is required")]


def test_an_earlier_event_referred_to_as_known_is_background():
    # "last week's strike in X", "already reported": known events, not new incidents; a dated
    # event in the same clause still counts, for the places named before the reference
    rows = _rows(
        "Mortars hit Ain al-Asad on Monday. Anger grew after last week's drone strike in "
        "Kirkuk that killed two officers.\n\nThe rockets that hit Tikrit on Sunday, already "
        "reported, drew protests.\n\nRockets landed near Harir air base on Tuesday, days after "
        "last month's attack on Erbil air base.",
    )
    assert [r[:2] for r in rows] == [
        ("2023-11-13", "ain-al-asad"),
        ("2023-11-14", "harir-air-base"),
    ]
    assert rows[0][3] is None  # the earlier strike's dead are not Monday's


def test_an_undated_report_is_dated_by_the_next_sentence_going_on_with_it():
    # "Rockets were fired overnight at X" has no day; "The barrage struck early Thursday"
    # dates it and adds its casualties
    rows = _rows(
        "Rockets were fired overnight at the Conoco gas field in Syria, a monitor said on "
        "Friday.\n\nThe salvo struck early Thursday, shortly after midnight, and two guards "
        "were wounded, an official said.",
        "Published: 2 February 2024",
    )
    assert [(r[0], r[2], r[4]) for r in rows] == [("2024-02-01", "attack", 2)]
    assert "conoco" in rows[0][1].lower()


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Baghdad on Monday denied that a drone hit Kirkuk.", ["Kirkuk"]),  # a metonym speaks
        ("In a statement issued by the US Embassy in Baghdad, officials urged calm.", []),
        ("According to officials in Erbil, rockets fell in Makhmour.", ["Makhmour"]),
        ("A shell fell on Mayadin in Deir Ezzor’s eastern countryside.", ["Mayadin"]),
        ("Drones hit the oil field of 'Acme' company in Khurmala.", ["Khurmala"]),
        ("In Khanaqini, eastern Iraq, a bomb went off.", ["Khanaqini"]),  # misspelt: fuzzy
        ("Khanaqini residents marched.", []),  # not in a place's position: no fuzzy match
        # a place named for its authorities or its regime: who acts, not where
        ("Kirkuk provincial authorities said a rocket hit Hawija.", ["Hawija"]),
        ("The Damascus regime said jets struck Idlib.", ["Idlib"]),
        # an unknown name near which something happened, in a named province: a place
        ("A drone struck a car near Umm Kharaz in Idlib province.", ["Umm Kharaz"]),
    ],
)
def test_what_names_a_place_in_a_sentence(text, places):
    found = find_places(text)
    events = [p for p in found if not p.region]
    assert [text[p.core[0] : p.core[1]] for p in events] == places


def days_by(column: str, text: str) -> dict[str, str]:
    """Each extracted row's day, keyed by `column` (location or site_id)."""
    frame = extract_incidents(text, name="days")
    return {getattr(row, column): row.event_date.date().isoformat() for row in frame.itertuples()}


def test_a_day_after_another_event_counts_back_from_its_clause():
    days = days_by(
        "location",
        "Published: 10 June 2024\n\nA drone hit a post in Kirkuk on Sunday, two days after "
        "rockets struck Tikrit.\n",
    )
    assert days == {"Kirkuk": "2024-06-09", "Tikrit": "2024-06-07"}


def test_figures_after_a_part_of_a_town_join_that_one_event():
    # the strike's sentence names a neighbourhood the gazetteer does not know and its town:
    # one event, so the next paragraph's figures are its own
    frame = extract_incidents(
        "Published: 8 March 2024\n\nLate on Thursday, a drone strike hit a car in the Zayouna "
        "neighbourhood of east Baghdad. The command said in a statement that it acted in "
        "self-defence.\n\nTwo men from an armed group were killed in the strike.\n",
        name="part-of-town",
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    assert "Zayouna" in row["location"] and row["killed"] == 2


def test_places_after_a_place_that_only_locate_it_are_one_mention():
    text = "Jets hit the Kabibah gas plant in the town of Tal Tamr, near Hasakah, on Friday."
    found = find_places(text)
    assert len(found) == 1 and found[0].text.endswith("near Hasakah")
    assert found[0].text.startswith("Kabibah gas plant")  # a facility the gazetteer lacks
    assert round(found[0].latitude, 1) == 36.7  # Tal Tamr's point, the nearest that locates it


def test_an_attack_that_came_days_after_another_dates_the_other():
    days = days_by(
        "site_id",
        "Published: 26 February 2024\n\nRockets hit Ain al-Asad air base on Sunday night, "
        "officials said.\n\nThe attack came two days after a drone was shot down near Erbil "
        "airport.\n",
    )
    assert days == {"ain-al-asad": "2024-02-25", "erbil-airport": "2024-02-23"}


def test_a_separate_incident_is_never_merged_into_a_relative_place_and_drugs_from_syria():
    frame = extract_incidents(
        "Published: 7 March 2024\n\nMilitants ambushed an army patrol north-east of Tikrit, "
        "killing four soldiers late Wednesday, officials said.\n\nIn a separate incident, two "
        "policemen were wounded when a roadside bomb exploded in Tarmiyah, police said.\n\n"
        "Jordan's army said it shot down a drone carrying drugs from Syria near the border town "
        "of Ramtha on Tuesday.\n",
        name="separate",
    )
    rows = {row.location: (row.killed, row.wounded) for row in frame.itertuples()}
    assert rows["north-east of Tikrit"][0] == 4  # not merged into the Tarmiyah bombing
    assert rows["Tarmiyah"][1] == 2 and pd.isna(rows["Tarmiyah"][0])
    assert "Ramtha" in rows  # "from Syria near ... Ramtha": Ramtha is where, not a launch site


def test_a_detail_of_the_same_event_and_a_district_its_province_owns():
    frame = extract_incidents(
        "Published: 11 March 2024\n\nA roadside bomb hit an army vehicle in Tarmiyah district "
        "on Monday, killing one soldier, a security source said. The source said the explosion "
        "struck a patrol near the village of Albu Khalil.\n\nEarlier on Monday, gunmen attacked "
        "a checkpoint in Diyala's Muqdadiyah district, wounding a guard.\n",
        name="detail",
    )
    rows = {row.location: row for row in frame.itertuples()}
    assert len(rows) == 2
    # the village the gazetteer does not know is the bombing's detail, at the district's point
    village = next(row for name, row in rows.items() if "Albu Khalil" in name)
    assert village.killed == 1 and round(village.latitude, 2) == 33.67
    # "Diyala's Muqdadiyah district": the district, not the province that owns it
    assert round(rows["Muqdadiyah district"].latitude, 2) == 33.98


def test_the_attack_took_place_near_a_village_places_a_province_level_event():
    frame = extract_incidents(
        "Published: 21 January 2024\n\nTwo soldiers were killed on Sunday when militants "
        "attacked a convoy in Deir ez-Zor province, a monitor said.\n\nThe attack took place "
        "near the village of Umm Tuwaynah, according to the monitor.\n\nThis is the first such "
        "attack in the province this year.\n",
        name="took-place",
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    # the village the gazetteer lacks is the event's place, at the province's point
    assert "Umm Tuwaynah" in row["location"] and row["killed"] == 2
    assert row["admin1"] == "Deir ez-Zor" and row["geo_precision"] == 3


def test_an_unknown_place_east_of_a_town_is_not_at_the_town():
    (koya,) = find_places("A rocket landed in the town of Koya, east of Erbil, on Monday.")
    assert koya.latitude is None and koya.admin1 == "Arbil"  # its province, no point
    (near,) = find_places("A rocket landed in the village of Kalakchi near Erbil on Monday.")
    assert round(near.latitude, 2) == 36.19 and near.geo_precision == 2  # near: the town's


def test_a_countryside_or_a_part_of_a_town_only_locates_the_place_named_with_it():
    # "the X region in the Hama countryside": one place, the countryside its context
    (masyaf,) = find_places("Jets hit the Masyaf region in the Hama countryside.")
    assert masyaf.text.startswith("Masyaf") and masyaf.text.endswith("Hama countryside")
    # a countryside alone is province-level: it locates, it has no point of its own
    (countryside,) = find_places("Shells fell on the western Hama countryside.")
    assert countryside.region and countryside.geo_precision == 3
    # an unknown town "in the eastern countryside of" a city: that city's province, no closer
    (town,) = find_places("A man was killed in the town of Bahra in the eastern countryside of "
                          "Deir ez-Zor.")  # fmt: skip
    assert town.admin1 == "Deir ez-Zor" and town.geo_precision == 3
    # "the X area of" a known town: a part of that town, at its point
    (area,) = find_places("Drones hit a post in the Saadah area of Jurf al-Nasr in Babil "
                          "Governorate.")  # fmt: skip
    assert area.text.startswith("Saadah area") and area.subplace and area.admin1 == "Babil"
    # the unknown place near which a strike hit takes its province's point
    (near,) = find_places("A drone struck a car near Umm Kharaz in Idlib province.")
    assert near.admin1 == "Idlib" and near.geo_precision == 3


def test_an_area_that_sums_up_targets_the_next_sentences_place_is_no_incident():
    # "attacked three oil fields in the Zakho area", then one sentence per field: the area
    # only sums them up
    frame = extract_incidents(
        "Published: 16 July 2025\n\nOfficials announced that four drones attacked three oil "
        "fields in the Zakho area and Duhok province.\n\nIt noted that two drones attacked the "
        "oil field in Peshkhabur.\n\nAnother drone targeted the oil field in Tawke, followed by "
        "a drone that struck the field in the Baadre area of Sheikhan district.\n",
        name="summary",
    )
    locations = " / ".join(frame["location"])
    assert "Zakho" not in locations and "Peshkhabur" in locations, locations


def test_a_continuation_that_dates_and_places_the_leads_event_keeps_its_figures():
    # the lead gives the toll and no day or place; "They were killed on Saturday ... near X"
    frame = extract_incidents(
        "Published: 8 October 2023\n\nA drone strike in northern Iraq has killed two fighters "
        "and wounded three others, officials said in a statement.\n\nThey were killed on "
        "Saturday evening when a drone attacked a group at a camp near the town of Makhmour, some "
        "60 km southeast of the northern city of Mosul.\n",
        name="continuation",
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["event_date"] == pd.Timestamp("2023-10-07") and "Makhmour" in row["location"]
    assert (row["killed"], row["wounded"]) == (2, 3)


def test_figures_in_the_sentence_after_a_history_sentence_are_that_events():
    # "During that attack" goes on about the earlier year's event, not today's
    frame = extract_incidents(
        "Published: 16 January 2024\n\nMissiles struck a house in Erbil on Monday night, "
        "officials said.\n\nIran first fired missiles into the region in September 2018. During "
        "that attack, a barrage levelled a building, killing 18 and injuring 50.\n",
        name="history",
    )
    assert len(frame) == 1
    assert pd.isna(frame.iloc[0]["killed"]) and pd.isna(frame.iloc[0]["wounded"])


def test_a_continuation_that_gives_the_day_redates_the_leads_event_and_what_follows():
    # the lead has no day (the report's is taken); "The strikes occurred late yesterday" is it
    days = days_by(
        "location",
        "Published: 9 September 2024\n\nAt least 14 people have been killed following a series "
        "of air strikes on several locations near Masyaf, a monitor said.\n\nThe strikes "
        "occurred late yesterday and sparked fires.\n\nOther strikes hit locations near the "
        "city of Tartus.\n",
    )
    assert days == {"near Masyaf": "2024-09-08", "Tartus": "2024-09-08"}


def test_a_lead_with_no_day_or_place_is_dated_and_placed_by_the_sentences_after_it():
    # the toll and the event first, then "The attack happened on Sunday.", then where
    frame = extract_incidents(
        "Published: 9 September 2024\n\nAt least five people were killed in a missile strike "
        "in central Syria. 19 others were injured in this incident.\n\nThe attack happened on "
        "Sunday.\n\nState media reported that after the attack, a fire broke out near the town "
        "of Masyaf.\n",
        name="waiting",
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["event_date"] == pd.Timestamp("2024-09-08") and "Masyaf" in row["location"]
    assert (row["killed"], row["wounded"]) == (5, 19)


def test_an_event_named_only_as_what_is_answered_last_week_is_background():
    # "a response to the killing last week of a commander in X": a known earlier event
    frame = extract_incidents(
        "Published: 6 August 2024\n\nRockets hit Ain al-Asad air base on Monday, officials "
        "said.\n\nThe attack comes as officials brace for a response to the killing last week "
        "of a commander in Qaim.\n",
        name="cause",
    )
    assert list(frame["site_id"].fillna("")) == ["ain-al-asad"]


def test_a_place_located_near_or_in_the_suburbs_of_a_town_is_one_place():
    # "X, located near Y", "X in the suburbs of Y": Y only locates X, it is no second place
    (base,) = find_places("Harir air base, located near Erbil, was hit by a drone.")
    assert base.site_id == "harir-air-base" and base.text.endswith("Erbil")
    (district,) = find_places("Jets bombed depots in the Dumayr district in the suburbs of "
                              "Damascus.")  # fmt: skip
    assert district.name == "Aḑ Ḑumayr" and district.text.endswith("Damascus")
    # the divisions listed after an unknown village locate it: the district's point
    (village,) = find_places("A car was hit near the village of Gird Kewan, Said Sadiq "
                             "district, Sulaimani province on Friday.")  # fmt: skip
    assert village.text.startswith("Gird Kewan") and village.name is None
    assert village.admin1 is not None and village.geo_precision == 2
    # a list of places is still a list
    assert len(find_places("Drones hit Erbil, Sulaimani province and Duhok on Friday.")) == 3


def test_an_unknown_dam_or_support_site_is_a_place_of_its_own():
    # a name the gazetteer lacks, shaped like a facility, is the place (not the town it is
    # relative to, which has no point of its own)
    (dam,) = find_places("Jets struck near the Qara Sor Dam, southeast of Manbij, on Monday.")
    assert "Qara Sor Dam" in dam.text and not dam.resolved
    (site,) = find_places("Rockets landed near Military Support Site Zulu on Tuesday.")
    assert "Support Site Zulu" in site.text


def test_a_continuation_with_day_and_place_dates_the_lead_told_with_the_statements_day():
    # the lead gives only the statement's day ("officials said Thursday"); "The attack
    # happened Tuesday near X" is its own day and place
    rows = _rows(
        "Two soldiers are being checked for injuries after rockets were fired at troops in "
        "Syria, officials said Thursday.\n\nThe attack happened Tuesday near the Conoco gas "
        "field in eastern Syria.",
        published="Published: 16 November 2023",
    )
    assert [r[:2] for r in rows] == [("2023-11-14", "conoco-gas-field")]


def test_where_a_speaker_recalls_an_attack_from_is_not_its_place():
    rows = _rows(
        "“We were at the market when the drones attacked,” Ali Hassan recalled from his home "
        "in the Kobani countryside, his arm in a sling."
    )
    assert rows == []


@pytest.mark.parametrize(
    "paragraph",
    [
        "ROME/PARIS/ MADRID - Drones hit an air base in western Iraq, officials said.",
        "(Wire- Some Network) BEIRUT, Mar 3 (AB-CD) – Drones hit an air base in western Iraq.",
        # a bracketed agency tag with its own date, after a comma, with no dash after it
        "Rome, (XYZ - Some Site / Other News - 4th Mar, 2024) Drones hit an air base on Monday.",
        # a dated dateline that its bracketed agency ends, with no dash after it
        "Amman, Feb 9 (ABCD) Drones hit an air base in western Iraq on Friday.",
        # a date first, then the city in brackets
        "09-02-2024 (LISBON) Drones hit an air base in western Iraq on Friday.",
    ],
)
def test_dateline_variants_are_cut_from_the_body(paragraph):
    found = find_dateline(paragraph)
    assert found is not None and paragraph[found.end :].startswith("Drones")


def test_a_name_with_a_bracketed_gloss_is_no_dateline():
    from dashboard.ingest.published import find_dateline

    assert find_dateline("Hezbollah (the Party of God) said drones hit the base.") is None
    # a name and its initials, no date: not a dateline even with no dash
    assert find_dateline("Popular Mobilisation Forces (PMF) Fighters hit the base.") is None


def test_a_clause_that_tells_the_strikes_again_with_their_day_dates_them():
    # the lead and the places give only the statement's day; "X carried out the strikes on
    # Monday" tells the same strikes with their own day
    rows = _rows(
        "Air strikes in western Iraq killed at least 9 people, a spokesman said on Tuesday. "
        "The strikes hit positions in Akashat, the spokesman said in a statement. The United "
        "States carried out the strikes on Monday in retaliation for the killing of three "
        "soldiers."
    )
    assert [r[:2] for r in rows] == [("2023-11-13", "akashat")]


def test_it_that_was_attacked_is_the_place_the_sentence_before_opened_with():
    rows = _rows(
        "Al-Tanf is a US garrison in Syria, far from the base at Erbil. It was attacked early "
        "on Monday, wounding two soldiers."
    )
    assert [r[:2] for r in rows] == [("2023-11-13", "al-tanf")] and rows[0][4] == 2
    # a statement's day, the pronoun for the base the sentence before was about
    rows = _rows(
        "Militants claimed a drone strike on Harir air base. The base was hit repeatedly by "
        "drones in recent weeks. On Sunday, a local channel reported that a drone attacked it."
    )
    assert ("2023-11-12", "harir-air-base") in [r[:2] for r in rows]


def test_a_channel_named_after_a_place_that_reports_places_nothing():
    # "the TV channel X reported": an outlet, the subject of a report, not a place
    text = "On Monday, the TV channel Al Jazeera reported that bases in Iraq were attacked."
    assert find_places(text) == []
    assert [p.text for p in find_places("Baghdad reported a drone attack on Erbil.")] == ["Erbil"]


def test_the_town_of_a_site_attacked_that_day_is_the_same_event_paragraphs_later():
    rows = _rows(
        "Coalition forces shot down two drones at Erbil International Airport early on Monday."
        "\n\nFlights were halted for an hour.\n\nThe airport director said flights resumed."
        "\n\nOfficials have recorded dozens of attacks on US forces since October.\n\nThey "
        "said most failed to reach their targets.\n\nAn official said that following "
        "Monday's attacks at Erbil there were no casualties."
    )
    assert [r[:2] for r in rows] == [("2023-11-13", "erbil-airport")]


def test_attacks_a_deployment_answers_are_not_the_sentences_event():
    # the day is the deployment's; the attacks it answers are named, not reported: the places
    # of the next sentence are no incident of that day
    rows = _rows(
        "The troops were deployed early on Monday in response to alleged attacks by insurgents "
        "that toppled the government.\n\nState television said the army remains in its "
        "positions in Quneitra and Hamidiya."
    )
    assert rows == []


def test_assad_the_person_is_no_air_base():
    assert find_places("Insurgents who overthrew al-Assad last Sunday hold the city.") == []
    (base,) = find_places("Drones hit Ain al-Assad air base on Monday.")
    assert base.site_id == "ain-al-asad"


def test_a_list_of_days_with_one_month_is_one_incident_per_day():
    rows = _rows("On November 9 and 11, drones attacked Harir air base.")
    assert sorted(r[:2] for r in rows) == [
        ("2023-11-09", "harir-air-base"), ("2023-11-11", "harir-air-base"),
    ]  # fmt: skip
    # a figure after "and" is no day
    rows = _rows("On November 9 and 2 soldiers were wounded when drones attacked Harir air base.")
    assert [r[:2] for r in rows] == [("2023-11-09", "harir-air-base")]


def test_a_count_of_more_attacks_does_not_continue_the_dated_one():
    rows = _rows(
        "A drone targeted the Conoco gas field on Monday, officials said.\n\nIt was the "
        "latest of many attacks.\n\nTwo other soldiers were wounded in two more attacks on "
        "Harir air base in Iraq."
    )
    assert [r[:2] for r in rows] == [("2023-11-13", "conoco-gas-field")]


def test_what_forces_occasionally_do_is_no_event():
    # a habit ("occasionally announces operations to foil smuggling") is no event: the strike
    # told after it keeps its own kind and the lead's day
    rows = _rows(
        "At least nine civilians were killed Monday in air strikes on Syria, a monitor said."
        "\n\nThe kingdom has tightened border controls in recent years, and its army "
        "occasionally announces operations to foil smuggling attempts.\n\nJets carried out "
        "strikes on houses in the southern province of Suwayda, killing nine people, the "
        "monitor said.\n\nThe first strike on a house in the village of Urman killed a man."
    )
    # (the strike at Urman is a detail of the jets' strikes the sentence before: an air strike)
    urman = [r[:3] for r in rows if r[1] == "Urman"]
    assert urman in ([("2023-11-13", "Urman", "attack")], [("2023-11-13", "Urman", "airstrike")])


def test_a_later_clause_completes_the_other_figure():
    rows = _rows(
        "Two guards and a translator were killed in an attack on Monday. Four other "
        "guards were wounded in the attack, which hit a checkpoint in Tikrit."
    )
    assert [(r[0], r[3], r[4]) for r in rows] == [("2023-11-13", 3, 4)]


def test_truncated_teasers_after_the_story_are_not_its_body():
    # two links to other stories, each cut off with an ellipsis, below the article
    rows = _rows(
        "A roadside bomb killed two soldiers near Tikrit on Monday, officials said.\n\n"
        "Nine people were killed and 30 others injured when a truck carrying workers…\n\n"
        "The city council minister has written to the election commission, "
        "expressing concern over…"
    )
    assert [(r[0], r[3], r[4]) for r in rows] == [("2023-11-13", 2, None)]


def test_a_lead_copied_without_its_end_is_still_body():
    rows = _rows(
        "A roadside bomb killed two soldiers near Tikrit on Monday, officials said as "
        "the army sent more troops to the area to search for the…"
    )
    assert [(r[0], r[3]) for r in rows] == [("2023-11-13", 2)]


def test_a_distance_that_locates_the_town_keeps_its_figures():
    # "located ... north of" only locates the town: one place, so the toll is not split
    rows = _rows(
        "A car bomb exploded in the town of Tikrit, located about 150 kilometers north "
        "of Baghdad, on Monday, killing three police officers."
    )
    assert [(r[0], r[1].split(",")[0], r[3]) for r in rows] == [("2023-11-13", "Tikrit", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "Tikrit (a pseudonym) lost three relatives on Monday when a shell hit their home.",
        "The raid on Monday killed a militant leader, Abu Zaid, known as Tikrit, officials said.",
    ],
)
def test_a_pseudonym_or_an_alias_is_a_person_not_a_place(text):
    from dashboard.ingest.places import find_places

    assert [p.text for p in find_places(text) if "Tikrit" in p.text] == []


@pytest.mark.parametrize(
    "text",
    [
        "Amman, Jordan – March 3, 2025 : Officials said a drone fell near the border.",
        "Erbil – 3 March 2025 – Officials said a drone fell near the border.",
    ],
)
def test_a_full_date_right_after_the_datelines_dash_is_its_date(text):
    from dashboard.ingest.published import find_dateline

    dateline = find_dateline(text)
    assert dateline is not None and dateline.day == date(2025, 3, 3), dateline
    assert text[dateline.end :].startswith("Officials")
