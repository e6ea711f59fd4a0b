"""Shapes of real reporting: statements and their days, datelines and date lines inside a story,
sources and residences that are no event places, places no table knows named by their kind
("the X Valley", "Wadi X", "the A-B road"), tolls told twice or listed by victim.

Every text here is our own wording of a shape that defeated the extractor on a real published
page (tests/fixtures/real_articles); no article text is copied. Each test names what it guards.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.ingest import extract_incidents
from dashboard.ingest.article import find_publication_date
from dashboard.ingest.clauses import split_refs
from dashboard.ingest.dates import find_time_refs
from dashboard.ingest.numbers import Casualties, casualties
from dashboard.ingest.places import find_places

PUBLISHED = date(2024, 5, 10)  # a Friday


def rows(text: str, published: date | None = PUBLISHED) -> pd.DataFrame:
    return extract_incidents(text, published=published, name="test")


def places_on(frame: pd.DataFrame, day: str) -> list[str]:
    return list(frame[frame["event_date"] == pd.Timestamp(day)]["location"])


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """What a failing assertion prints: each row's day and place."""
    return frame[["event_date", "location"]]


def assert_placed(frame: pd.DataFrame, day: str, name: str) -> None:
    """A row on `day` whose place names `name`."""
    assert any(name in place for place in places_on(frame, day)), shown(frame)


def test_a_quote_opened_after_told_is_not_blanked_with_the_attribution():
    # "told AFP "a drone hit ..."": the attribution ends where the quote begins
    frame = rows(
        "A drone struck the Taji base north of Baghdad on Thursday, officials said.\n\n"
        'Hours later, an officer told AFP "a drone struck... the hangar at the Imam Ali airbase"'
        " in Dhi Qar province."
    )
    assert "ali-air-base" in set(frame["site_id"].dropna())


def test_an_event_with_only_its_statements_day_takes_that_day_not_the_publications():
    # "X on <day> reported that ... hours ago": the report's day bounds the event
    frame = rows(
        "A senior commander has died, his group said.\n\n"
        "State media on May 8 reported that the commander was killed in a drone strike in the"
        " town of Mayadin several hours ago."
    )
    assert_placed(frame, "2024-05-08", "Mayadin")


def test_a_statement_dated_before_the_reports_event_tells_an_earlier_event():
    # "On <earlier day>, police said a drone was downed near the airport": that earlier day
    frame = rows(
        "A drone was shot down near Erbil airport on Thursday, officials said.\n\n"
        "The airport hosts foreign troops.\n\n"
        "On May 1, police said a drone was downed near the airport."
    )
    days = set(frame[frame["site_id"] == "erbil-airport"]["event_date"])
    assert days == {pd.Timestamp("2024-05-09"), pd.Timestamp("2024-05-01")}, shown(frame)


def test_a_dated_tally_of_many_strikes_is_a_summary_not_an_incident():
    frame = rows(
        "A drone struck a bakery in Qamishli on Thursday, officials said.\n\n"
        "On May 2, the police reported the toll as follows: 120 strikes, including 40 drone"
        " attacks, leaving nine dead.\n\n"
        "Among the dead were two men killed in Kobani."
    )
    assert places_on(frame, "2024-05-02") == [], shown(frame)


def test_a_short_date_line_above_the_story_is_still_read():
    text = (
        "Drone hits base in Iraq\n\n"
        "Published March 6, 2024 10:15 am\n\n"
        "A drone struck a military base near Mosul on Wednesday, killing two soldiers and"
        " wounding five others, officials said, in the latest attack on the base this year.\n"
    )
    assert find_publication_date(text)[0] == date(2024, 3, 6)


def test_a_date_line_between_two_body_paragraphs_is_a_teasers_not_the_pages():
    text = (
        "Drone hits base in Iraq\n\n"
        "A drone struck a military base near Mosul on Wednesday, killing two soldiers and"
        " wounding five others, officials said, in the latest attack on the base this year.\n\n"
        "The base hosts troops of the international coalition against the Islamic State group.\n\n"
        "Rockets hit a base housing foreign troops in Syria late Sunday.\n\n"
        "Feb. 5, 2024\n\n"
        "Separately, the army said it had arrested three suspects in connection with the attack"
        " on the base and that an investigation into the incident was under way.\n"
    )
    assert find_publication_date(text) == (None, None)


def test_an_unknown_name_the_text_calls_a_valley_or_a_base_is_a_place():
    frame = rows(
        "Two soldiers were killed on Wednesday in an ambush in the Qarawan Valley, within the"
        " Kirkuk operations zone, the army said.\n\n"
        "An explosion hit the Tamarisk base in Babil province on Thursday, killing one fighter."
    )
    assert_placed(frame, "2024-05-08", "Qarawan")
    assert_placed(frame, "2024-05-09", "Tamarisk")


def test_where_victims_lived_is_not_the_events_place():
    frame = rows(
        "A drone attack on a car in the Kurdish region killed two people on Wednesday.\n\n"
        '"There were two men in the car," he said, adding that both were brothers who lived in'
        " the Ranya area of Kurdistan."
    )
    assert not any("Ranya" in p for p in frame["location"]), shown(frame)


def test_a_road_named_after_the_towns_it_joins_places_the_event_at_them():
    frame = rows("A drone hit a car on the Kirkuk-Taza road on Wednesday, killing two people.")
    assert "Kirkuk" in set(frame["location"]), shown(frame)


def test_every_outlet_listed_after_according_to_is_a_source_not_a_place():
    frame = rows(
        "On May 8, Israeli strikes killed three soldiers near the town of Kiswah. This attack"
        " belongs to a wider pattern of Israeli actions that began after the government fell"
        " last December, resulting in Israel launching strikes across the country, according"
        " to Le Monde, Al Jazeera, and TRT.",
        published=date(2025, 5, 10),
    )
    assert not any("Jazeera" in p for p in frame["location"]), shown(frame)


def test_a_town_before_suburb_of_only_locates_the_known_suburb():
    # "the southern Damascus suburb of Kiswah": one place (Kiswah), and its figures kept
    frame = rows(
        "Israeli drone strikes on Wednesday hit the southern Damascus suburb of Kiswah and"
        " killed four soldiers."
    )
    on_day = frame[frame["event_date"] == pd.Timestamp("2024-05-08")]
    assert len(on_day) == 1 and "Kiswah" in on_day.iloc[0]["location"], shown(frame)
    assert on_day.iloc[0]["killed"] == 4


def test_one_event_read_twice_keeps_the_higher_toll():
    # "More than 40 killed", then "at least 42 killed": the same strikes, the later toll
    frame = rows(
        "More than 40 people were killed on Friday in an air strike in Aleppo province.\n\n"
        "At least 42 people were killed on Friday in the air strikes in Aleppo province,"
        " activists said."
    )
    assert list(frame["killed"]) == [42], frame[["event_date", "location", "killed"]]


def test_a_date_printed_without_a_space_after_the_month_is_still_read():
    # "on January3, 2020": an old event, not today's
    frame = rows(
        "A drone strike hit a car in Baghdad on Wednesday, killing three men.\n\n"
        "The car was targeted by the same type of drone that was used to kill a general on"
        " January3, 2020 at Baghdad International Airport."
    )
    airport = frame[frame["site_id"] == "baghdad-airport"]
    assert list(airport["event_date"]) in ([], [pd.Timestamp("2020-01-03")]), shown(frame)


def test_a_date_line_in_the_sites_own_language_is_read():
    text = (
        "Drone hits base in Iraq\n\n"
        "26 okt. 2024\n\n"
        "A drone struck a military base near Mosul on Saturday, killing two soldiers and"
        " wounding five others, officials said, in the latest attack on the base this year.\n"
    )
    assert find_publication_date(text)[0] == date(2024, 10, 26)


def test_a_possessive_day_after_said_is_the_events_not_the_statements():
    # "officials said Thursday's raid began ...": Thursday is the raid's day
    _, statement = split_refs(
        "Officials said Thursday’s raid began at dawn.",
        find_time_refs("Officials said Thursday’s raid began at dawn."),
    )
    assert statement == []


def test_a_wadi_or_a_jabal_is_a_place_even_when_no_table_knows_it():
    frame = rows(
        "Troops carried out an operation on Thursday east of Wadi Qasab in the Anbar desert,"
        " killing five militants."
    )
    assert_placed(frame, "2024-05-09", "Wadi Qasab")


def test_a_place_told_later_with_the_waiting_events_own_day_places_it():
    frame = rows(
        "The army said the operation was conducted on Thursday at dawn.\n\n"
        "It targeted leaders of the group. Officials did not name them. The group has lost"
        " many leaders.\n\n"
        "Officials said Thursday's operation began east of Wadi Qasab, in the Anbar desert."
    )
    assert_placed(frame, "2024-05-09", "Wadi Qasab")


def test_a_day_in_a_relative_clause_about_a_place_dates_that_places_past_not_the_event():
    # "... Sweida, which saw deadly clashes last month": last month is Sweida's, not the strikes'
    frame = rows(
        "Drone strikes hit an army post near Kiswah on Tuesday, killing six soldiers.\n\n"
        "The monitor said the strikes hit a road that links Damascus with Sweida province,"
        " which saw deadly clashes last month between gunmen and local fighters."
    )
    assert set(frame["event_date"]) == {pd.Timestamp("2024-05-07")}, shown(frame)


def test_an_undated_lead_at_a_town_joins_the_dated_event_the_town_locates():
    # "strikes on a suburb of Damascus ..., media reported Thursday", then "on Wednesday in the
    # Damascus suburb of Kiswah": one event, not a second row on the report's day
    frame = rows(
        "Israeli strikes on a southern suburb of the Syrian capital Damascus killed four"
        " soldiers, state media reported Thursday.\n\n"
        "The latest strikes hit on Wednesday in the Damascus suburb of Kiswah and killed four"
        " soldiers."
    )
    assert list(frame["event_date"]) == [pd.Timestamp("2024-05-08")], shown(frame)


def test_a_mixed_case_city_and_country_dateline_is_no_event_place():
    # "Baghdad, Iraq – ...": where the story was filed, not where the attack was
    frame = rows("Baghdad, Iraq – A drone struck a base near Erbil on Monday, officials said.")
    assert "Baghdad" not in " ".join(frame["location"]), shown(frame)


def test_an_attack_by_another_initiator_does_not_continue_the_waiting_response():
    # the lead's operation (Tuesday) answers an attack told later (Monday): not one event
    frame = rows(
        "In response to a deadly attack by ISIS militants on an army post, Iraqi security"
        " forces launched an operation on Tuesday.\n\n"
        "The attack by ISIS took place on Monday evening in Saladin province. Members of ISIS"
        " launched an attack on a checkpoint in the village of Albu Dalaf in Saladin."
    )
    assert_placed(frame, "2024-05-06", "Albu Dalaf")


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # a list after a nominal toll: "the death of a commander and four soldiers" is five
        ("the blast caused the death of an Iraqi brigade commander and four soldiers", 5, None),
        ("the attack claimed the lives of an officer and two guards", 3, None),
        # "with eight others sustaining injuries"
        ("two soldiers were killed, with eight others sustaining injuries", 2, 8),
    ],
)
def test_victims_listed_after_a_toll_are_counted(text, killed, wounded):
    assert casualties(text) == Casualties(killed, wounded)


def test_a_raid_is_an_event():
    frame = rows("A military raid near Rutba on Thursday left six militants dead.")
    assert list(frame["killed"]) == [6], frame[["event_date", "location", "killed"]]


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # a comma after a figure is punctuation, not a thousands separator
        ("the toll among the gunmen passed 12, with several others wounded", None, None),
        ("the shelling killed 1,250 people in all", 1250, None),
        # the dead counted by a noun
        ("the blast left two fatalities and injuries to five others", 2, 5),
        ("the raid caused three deaths", 3, None),
        # a toll brought up to date
        ("the death toll from the shelling of the market has climbed to 14", 14, None),
        ("a second strike hit the same street, bringing the toll to nine", 9, None),
        # one person named by a singular noun
        ("an old man was killed when the shell hit his house", 1, None),
    ],
)
def test_figures_read_from_nouns_tolls_and_singular_victims(text, killed, wounded):
    assert casualties(text) == Casualties(killed, wounded)


def test_a_capital_that_accuses_or_describes_is_its_government_not_a_place():
    # "with Baghdad accusing ...", "in what Amman called ...": the government speaks
    frame = rows(
        "Five guards were killed in a drone strike on a border post in southern Iraq on"
        " Wednesday, with Baghdad accusing a neighbour of a grave violation."
    )
    assert not any("Baghdad" in p for p in frame["location"]), shown(frame)
    frame = rows(
        "Two soldiers were killed on Wednesday in shelling of the town of Ramtha, in what"
        " Amman called a dangerous escalation."
    )
    assert not any("Amman" in p for p in frame["location"]), shown(frame)


@pytest.mark.parametrize("verb", ["denouncing", "condemning", "criticising", "rejecting"])
def test_a_capital_reacting_in_any_form_of_the_verb_is_its_government(verb):
    # the toll then goes to the event's own place, not to the capital
    frame = rows(
        "Our reporter saw a burnt house after an army raid on Thursday in Tell Hamra, Syria.\n\n"
        f"Nine villagers were killed in an army raid in northern Syria on Thursday, with Damascus"
        f" {verb} the operation as a breach of the truce."
    )
    assert not any("Damascus" in p for p in frame["location"]), shown(frame)


def test_a_city_in_brackets_before_a_dash_is_a_dateline_wherever_it_stands():
    # a rights group's "(City) –" dateline left after a photo credit on the same line
    frame = rows(
        "A burnt car in a street of Kirkuk. © 2024 Photographer/Agency (Amman) – A roadside bomb"
        " struck a patrol in Kirkuk on May 8, killing three soldiers, the group said today."
    )
    assert list(frame["location"]) == ["Kirkuk"], shown(frame)
    assert list(frame["killed"]) == [3]


def test_each_name_listed_after_a_plural_place_noun_is_a_place():
    # "the villages of A and B": two places no table needs to know
    frame = rows(
        "On Wednesday, artillery shelled the farming villages of Kherbet Zaydun and Umm Tlul"
        " in Hasakah province."
    )
    assert_placed(frame, "2024-05-08", "Kherbet Zaydun")
    assert_placed(frame, "2024-05-08", "Umm Tlul")


def test_a_list_the_text_puts_in_a_country_outside_the_atlas_is_no_place():
    frame = rows(
        "On Wednesday, drones struck the Iranian villages of Kalaq Sefid and Darband Olya."
    )
    assert frame.empty, shown(frame)


def test_a_time_phrase_that_opens_the_sentence_dates_the_clause_after_it():
    # "On <date>, in the hours after X, shells struck Y": the event clause has no day itself
    frame = rows(
        "On May 6, in the hours following the evening prayer, shells struck a farm near the"
        " village of Tell Rifaat Saghir, residents said.\n\n"
        "The family fled to a valley nearby."
    )
    assert_placed(frame, "2024-05-06", "Tell Rifaat Saghir")


def test_a_name_the_text_calls_the_x_field_is_a_place():
    frame = rows(
        "On Wednesday, a drone hit the Qara Tepe field in Sulaymaniyah province. The ministry"
        " said a similar strike on Tuesday hit the Gomaspan field in Erbil."
    )
    assert_placed(frame, "2024-05-08", "Qara Tepe field")
    assert_placed(frame, "2024-05-07", "Gomaspan field")


def test_one_unknown_place_named_twice_on_a_day_is_one_incident():
    # placed by its province the first time, named bare the second
    frame = rows(
        "A drone struck the Qara Tepe oil field in Sulaymaniyah province on Wednesday.\n\n"
        "The operator said Wednesday's blast damaged a storage tank at the Qara Tepe field."
    )
    assert len(frame) == 1, shown(frame)


def test_a_later_sentence_naming_the_event_at_a_place_places_the_near_town_event():
    # "near <town>", then "the toll of the strike on a depot in <village> rose to N"
    frame = rows(
        "Nine fighters were killed in an air strike near Homs on Wednesday, a monitor said.\n\n"
        "The death toll of the strike on a depot in the village of Kafr Aya has risen to 12, the"
        " monitor said later."
    )
    assert_placed(frame, "2024-05-08", "Kafr Aya")
    assert list(frame["killed"]) == [12], frame[["location", "killed"]]


def test_a_first_such_strike_in_a_city_does_not_place_an_earlier_event():
    frame = rows(
        "Drones struck a truck south of Mosul on Wednesday. This is the first such strike in"
        " Mosul itself, officials said."
    )
    assert not any(p == "Mosul" for p in frame["location"]), shown(frame)


def test_an_event_named_by_its_year_is_history():
    # "killed in a 2019 army raid in X": an old event recalled, not today's
    frame = rows(
        "Gunmen shot dead a police officer in Kirkuk on Wednesday. Officials said his cousin"
        " was killed in a 2019 army raid in Hawija."
    )
    assert not any("Hawija" in p for p in frame["location"]), shown(frame)


def test_a_name_an_event_is_said_to_be_near_is_a_place():
    # the lead names no place; "The strike was near X" places it
    frame = rows(
        "Two guards were killed in a drone strike in northern Syria on Wednesday.\n\n"
        "The strike was near Tell Abyad Sharqi, residents said."
    )
    assert_placed(frame, "2024-05-08", "Tell Abyad Sharqi")
    assert list(frame["killed"]) == [2]


def test_near_x_and_near_the_town_of_x_are_one_place():
    frame = rows(
        "Gunmen attacked shepherds near Umm Hujayra on Wednesday, killing four.\n\n"
        "The ambush took place in open desert near the town of Umm Hujayra."
    )
    assert len(frame) == 1, shown(frame)


def test_figures_told_of_the_strikes_fill_the_reports_only_incident():
    # the toll comes before the sentence that dates and places the one event
    frame = rows(
        "Missiles fell on a residential street, witnesses said.\n\n"
        "Three people were killed in the missile strikes.\n\n"
        "On Wednesday night, rockets hit the city of Sulaymaniyah, officials said."
    )
    assert list(frame["killed"]) == [3], frame[["location", "killed"]]


def test_figures_of_another_strike_do_not_fill_the_only_incident():
    frame = rows(
        "Three people were killed in the earlier strikes.\n\n"
        "On Wednesday night, rockets hit the city of Sulaymaniyah, officials said."
    )
    assert frame["killed"].isna().all(), frame[["location", "killed"]]


def test_a_precise_toll_right_after_a_vague_one_replaces_it():
    # "more than a dozen wounded", then "another 14 were wounded": 14
    frame = rows(
        "A car bomb exploded in a market in Azaz on Wednesday, killing six people and leaving"
        " more than a dozen wounded.\n\nThe dead were all traders. Another 14 people were"
        " wounded, medics said."
    )
    assert list(frame["wounded"]) == [14], frame[["location", "wounded"]]


def test_a_summary_toll_after_an_incident_does_not_replace_its_figure():
    frame = rows(
        "Gunmen killed two shepherds near Palmyra on Wednesday. Such attacks have killed 60"
        " people in the desert this year."
    )
    assert list(frame["killed"]) == [2], frame[["location", "killed"]]


def test_an_unspecified_number_is_no_figure():
    assert casualties("an unspecified number of soldiers were wounded") == Casualties()


def test_a_higher_toll_told_for_another_country_does_not_replace_the_incidents():
    frame = rows(
        "Drones struck a depot near Qaim on Wednesday, killing four guards.\n\nA monitor said"
        " nine fighters were killed in the strikes in Syria."
    )
    assert list(frame["killed"]) == [4], frame[["location", "killed"]]


def test_a_fuller_toll_of_the_raid_told_later_replaces_the_leads():
    # "killed a commander" (one), then "he was killed along with his two sons in the raid"
    frame = rows(
        "The army said on Wednesday that its forces killed a militant leader during a night"
        " raid in the town of Dana.\n\nThe leader was killed along with his two grown sons"
        " in the raid, it said."
    )
    assert list(frame["killed"]) == [3], frame[["location", "killed"]]


def test_a_dated_definite_event_noun_dates_the_undated_event_before_it():
    # "The May 6 raid ..." goes on about the operation told just before without a day
    frame = rows(
        "Special forces carried out a helicopter operation in the town of Sarmada, near the"
        " border, officials said.\n\nThe May 6 raid targeted two wanted men. A Syrian national"
        " was killed, a monitor said.",
    )
    assert_placed(frame, "2024-05-06", "Sarmada")
    assert list(frame["killed"]) == [1], frame[["location", "killed"]]


def test_a_name_introduced_as_a_pseudonym_is_never_a_place_later():
    frame = rows(
        "Karbala (not his real name) lost his brother on Wednesday when a drone struck a car in"
        " the village of Tell Maghas.\n\nKarbala wept as he described the scene."
    )
    assert not any("Karbala" in p for p in frame["location"]), shown(frame)


def test_an_unknown_name_the_article_called_a_village_is_a_place_when_named_again():
    # "X, a village in ...", then "... killed four in X" with no place noun
    frame = rows(
        "A shell hit a house in Tell Maghas, a village in Hasakah province, on Wednesday.\n\n"
        "The same day, a second shell killed four members of a family in Tell Maghas."
    )
    assert list(frame["killed"]) == [4], frame[["location", "killed"]]


def test_a_known_place_near_which_a_site_stands_only_locates_it():
    frame = rows(
        "On Wednesday a drone hit the Bashur base used by foreign troops near Erbil airport."
    )
    assert not any(p.startswith("near Erbil") for p in frame["location"]), shown(frame)


def test_a_place_joined_by_and_near_another_is_its_own_place():
    frame = rows("The strikes hit the Tell Maghas farming area and near Kobani on Wednesday.")
    assert any("Kobani" in p for p in frame["location"]), shown(frame)


def test_a_toll_told_with_a_day_and_no_place_fills_that_days_only_incident():
    # the toll comes in a clause about the earlier ambush, its place in a later paragraph
    frame = rows(
        "The army struck hideouts in the desert on Friday, acting after the May 6 ambush in"
        " which four soldiers were killed.\n\nThe May 6 attack began when gunmen opened fire on"
        " a patrol near Rutba."
    )
    on_day = frame[frame["event_date"] == pd.Timestamp("2024-05-06")]
    assert list(on_day["killed"]) == [4], frame[["event_date", "location", "killed"]]


def test_a_name_joined_by_and_to_a_known_town_is_a_place():
    frame = rows("On Wednesday, drones hit oil wells in Zakho and Bersive, officials said.")
    assert_placed(frame, "2024-05-08", "Bersive")


def test_a_name_joined_to_something_else_is_not_made_a_place():
    frame = rows("On Wednesday, a drone hit a depot in Kirkuk, Hamza and Sons said.")
    assert not any("Hamza" in p for p in frame["location"]), shown(frame)


@pytest.mark.parametrize(
    "text",
    [
        "A shopkeeper was shot dead in Kirkuk on Wednesday, police said.",
        "Two guards were gunned down at a checkpoint outside Kirkuk on Wednesday.",
        "Gunfire at a patrol in Kirkuk on Wednesday wounded two police officers.",
        "A policeman was shot and wounded in Kirkuk on Wednesday.",
    ],
)
def test_a_shooting_told_only_by_its_verb_or_noun_is_an_event(text):
    # no "attack" or "killed": the shooting itself is the event
    frame = rows(text)
    assert len(frame) == 1 and "Kirkuk" in frame["location"].iloc[0], shown(frame)


def test_an_unknown_name_the_text_calls_mountains_or_hills_is_a_place():
    # "the X Mountains, north of Y": the range is the place; the town only locates it
    frame = rows(
        "Jets struck militant hideouts in the Qarawan Mountains, north of Kirkuk, on Wednesday,"
        " killing four fighters, the army said."
    )
    assert len(frame) == 1 and "Qarawan" in frame["location"].iloc[0], shown(frame)


def test_military_commands_named_after_provinces_are_no_places():
    # "the Nineveh Operations Command", "the A and B operation commands": who acts, not where
    frame = rows(
        "On Wednesday, jets struck hideouts in the Qarawan Valley on the line between the Kirkuk"
        " and Diyala operation commands, killing four fighters."
    )
    assert not any(p in ("Kirkuk", "Diyala") for p in frame["location"]), shown(frame)


def test_a_sentence_glued_to_the_next_by_a_lost_space_is_two_sentences():
    # "... the statement.The army often strikes ...": a page that lost the space after a full
    # stop still has two sentences there; the habit told next is not the event's
    from dashboard.ingest.article import split_sentences

    text = (
        "A drone strike killed two fighters near Makhmour on Wednesday, according to a"
        " statement.The army often strikes hideouts in the Qarawan Mountains, its main base."
    )
    assert len(split_sentences(text, 0, len(text))) == 2
    frame = rows(text)
    assert not any("Qarawan" in p for p in frame["location"]), shown(frame)


def test_a_placeless_retelling_with_a_day_dates_the_event_just_placed():
    # the strike is placed with no day; the next sentence tells it again with its day
    frame = rows(
        "The army announced the killing of four militants in an airstrike.\n\n"
        "The strike hit hideouts in the Qarawan Valley, south of Kirkuk.\n\n"
        "In a statement, the army said that early yesterday morning jets carried out an"
        " airstrike targeting militant hideouts."
    )
    assert places_on(frame, "2024-05-09") and not places_on(frame, "2024-05-10"), shown(frame)


def test_a_lead_with_figures_and_no_place_joins_the_strike_placed_next():
    # the toll is told first with neither day nor place; "The strike hit ..." places it
    frame = rows(
        "Officials reported the deaths of five gunmen in an air raid by army jets.\n\n"
        "The raid hit a hideout in the Qarawan Valley, south of Kirkuk.\n\n"
        "The army said that early yesterday morning its jets carried out an air raid targeting"
        " the hideout."
    )
    assert list(frame["killed"]) == [5], frame[["event_date", "location", "killed"]]


def test_an_embedded_post_is_read_apart_and_dated_by_its_signature():
    # a post quoted in the page: its text, its picture link, "— Name (@handle) <date>"
    text = (
        "Army shells border villages\n\n"
        "The army shelled several villages along the border overnight, officials said on"
        " Saturday, without giving further details about the damage or casualties.\n\n"
        "Footage of the shelling that hit the market of Tall Rifat tonight, no warning given"
        " to families.#SomeTag\n"
        "pic.twitter.com/AbCdEf123— Some Watcher (@somewatcher) May 8, 2024\n\n"
        "Residents said they had fled to nearby towns.\n"
    )
    frame = rows(text)
    assert "Tall Rifat" in places_on(frame, "2024-05-08"), shown(frame)


def test_a_town_and_a_site_named_after_it_on_one_day_are_one_event():
    # the airport that bears the city's name lies farther from its point than other sites
    frame = rows(
        "Rockets struck a compound housing foreign troops in Baghdad on Tuesday night.\n\n"
        "Two of the rockets landed inside the compound at Baghdad International Airport,"
        " security officials said, without causing damage."
    )
    assert len(frame) == 1, shown(frame)


@pytest.mark.parametrize(
    "text",
    [
        "On Friday, the army issued a statement saying a drone hit its post on Wednesday.",
        "The army on Friday released a short statement saying a drone hit its post on Wednesday.",
    ],
)
def test_the_day_a_statement_was_issued_dates_the_statement(text):
    events, statements = split_refs(text, find_time_refs(text))
    assert [r.text for r in statements] == ["Friday"]
    assert [r.text for r in events] == ["Wednesday"]


def test_both_places_named_together_before_are_the_dated_events_place():
    # a summary names two quarters with no day; "both quarters" then get one
    frame = rows(
        "For days now, the neighbourhoods of Hay Tishreen and Hay Nasr in the city of Aleppo"
        " have seen repeated attacks carried out by rival factions.\n\n"
        "On Wednesday, both neighbourhoods became a front line after gunmen launched an"
        " assault from three sides."
    )
    assert places_on(frame, "2024-05-08"), shown(frame)


@pytest.mark.parametrize(
    "text",
    [
        "A roadside bomb killed a captain of Damascus forces on Thursday in the Palmyra desert.",
        "On Thursday, three Damascus soldiers were killed by a roadside bomb in the Palmyra"
        " desert.",
    ],
)
def test_troops_named_after_a_capital_are_its_government_not_a_place(text):
    frame = rows(text)
    assert not any("Damascus" in place for place in frame["location"]), shown(frame)


def test_troops_joined_by_and_after_a_place_do_not_unplace_it():
    # "X and killed four soldiers": the place of the strike, then what it did
    frame = rows("On Thursday a drone struck a checkpoint at Kiswah and killed four soldiers.")
    assert_placed(frame, "2024-05-09", "Kiswah")


@pytest.mark.parametrize(
    "text",
    [
        "A sniper killed a policeman in the Deir ez-Zor desert. The policeman hailed from"
        " a small village in Baniyas in Tartous countryside.",
        "A sniper killed a policeman in the Deir ez-Zor desert. The policeman, a native of"
        " Homs, was killed at his post.",
    ],
)
def test_where_a_victim_comes_from_is_not_an_event_place(text):
    frame = rows(text)
    assert_placed(frame, "2024-05-10", "Deir ez-Zor")
    assert len(frame) == 1, shown(frame)


def test_a_place_named_after_where_someone_comes_from_still_counts():
    frame = rows(
        "A shepherd who hailed from Mosul was shot dead in the village of Tal Asqaf on Thursday."
    )
    assert_placed(frame, "2024-05-09", "Tal Asqaf")


def test_a_word_describing_a_city_before_city_of_is_not_a_place():
    # "the mostly Alawite city of X": the adjective describes X
    frame = rows(
        "Dozens have died this week in clashes in and around the mostly Alawite city of Jableh."
    )
    assert not any("Alawite" in place for place in frame["location"]), shown(frame)


def test_a_town_a_named_factory_stands_near_only_locates_it():
    # one strike on a facility; the town after "near the city of" says where it stands
    frame = rows(
        "On Thursday night a drone hit the Tal Hamis gas factory, the fifth strike on the plant"
        " near the city of Qamishli, according to local media."
    )
    assert len(frame) == 1, shown(frame)


def test_a_district_after_village_of_only_locates_the_village():
    # the district holds the village: a containing region, dropped beside the village
    text = "A drone hit a bakery in Kharab Ato village of Xirbê Spî district of Qamishli."
    district = [m for m in find_places(text) if "district" in m.text]
    assert district and all(m.region for m in district), district
    assert_placed(rows(text), "2024-05-10", "Kharab Ato")


def test_a_later_undated_strike_at_an_unknown_spot_is_the_days_strike_in_detail():
    # the lead places the strike only in a province; a later sentence names the camp hit
    frame = rows(
        "Loud blasts were heard in Anbar province, west of Baghdad, on Thursday night.\n\n"
        "Security sources later said a drone strike hit the Qurtuba camp west of Baghdad,"
        " which houses several armed factions."
    )
    assert len(frame) == 1, shown(frame)
    assert_placed(frame, "2024-05-09", "Qurtuba")


def test_figures_right_after_a_tally_are_not_the_reports_incident():
    frame = rows(
        "At least four people were killed in an ambush in eastern Homs province on Thursday,"
        " state media said. The gunmen opened fire in the Wadi Zarqa area of eastern Homs"
        " province.\n\nNo group has claimed the ambush.\n\n"
        "Every spring, many families search the desert for mushrooms despite the danger.\n\n"
        "So far this year the group has staged at least 40 operations in the desert. These"
        " attacks have killed 90 soldiers."
    )
    assert list(frame["killed"]) == [4], frame[["location", "killed"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The shelling killed one farmer and wounded another 12 villagers.", Casualties(1, 12)),
        ("The blast killed two guards and injured a further four.", Casualties(2, 4)),
        ("The raid killed five and hurt an additional 7 people.", Casualties(5, 7)),
    ],
)
def test_a_figure_added_to_others_after_the_verb_is_read(text, expected):
    found = casualties(text)
    assert (found.killed, found.wounded) == (expected.killed, expected.wounded), found


def test_figures_told_of_the_place_of_an_event_waiting_for_its_day_are_its():
    # the strike is dated only by its statement; its toll comes paragraphs later, by place
    frame = rows(
        "The army said on Thursday its jets struck a depot in the Iraqi town of Qaim.\n\n"
        "Officials in the region have warned of more violence for weeks.\n\n"
        "Border crossings stayed open, traders said.\n\n"
        "Local doctors said the strikes in Qaim wounded 9 people, a television channel"
        " reported on Thursday."
    )
    assert list(frame["wounded"]) == [9], frame[["location", "wounded"]]
