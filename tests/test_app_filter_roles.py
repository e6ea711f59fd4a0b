"""AppTest: who did what to whom. Attacker, target and either-party filters keep the roles apart
on the curated data, aliases work from the URL, Side means the attacker's side unless the link
says otherwise, and every value the page cannot use is named on the page."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import actors
from dashboard.paths import DATA_DIR
from tests.app_pages import count_in, description, run_app
from tests.page_text import unescaped

CURATED = pd.read_csv(DATA_DIR / "incidents.csv", dtype=str, keep_default_na=False)
KH = "Kataib Hezbollah"
BY_KH = CURATED["actor1"] == KH
ON_KH = CURATED["actor2"] == KH
SIDE1 = CURATED["actor1"].map(actors.side_of)
SIDE2 = CURATED["actor2"].map(actors.side_of)
US = "US and coalition"


def warnings(at: AppTest) -> str:
    return "\n".join(unescaped(w.value) for w in at.warning)


def test_the_curated_data_tells_attacks_by_from_strikes_on():
    # The premise of the tests below: KH attacks are few and strikes on KH several.
    assert 0 < BY_KH.sum() < ON_KH.sum() and not (BY_KH & ON_KH).any()


@pytest.mark.parametrize(
    ("widget", "expected", "words"),
    [
        ("filter_attacker", BY_KH, f"by {KH}"),
        ("filter_target", ON_KH, f"on {KH}"),
        ("filter_actor", BY_KH | ON_KH, f"involving {KH}"),
    ],
)
def test_attacker_target_and_either_party_count_different_incidents(widget, expected, words):
    at = run_app()
    at.multiselect(key=widget).set_value([KH]).run()
    assert not at.exception
    assert count_in(at) == expected.sum()
    assert description(at).endswith(words)
    assert at.query_params[widget.removeprefix("filter_")] == KH  # the link says the same


@pytest.mark.parametrize("alias", ["KH", "Kata'ib Hizballah", "kataib hizballah"])
def test_an_alias_in_the_link_finds_the_actor(alias):
    at = run_app({"actor": alias})
    assert not at.exception
    assert count_in(at) == (BY_KH | ON_KH).sum()
    assert f"involving {KH}" in description(at)
    assert at.multiselect(key="filter_actor").value == [KH]
    assert not at.warning


def test_an_alias_for_the_attacker_keeps_the_role():
    at = run_app({"attacker": "KH"})
    assert count_in(at) == BY_KH.sum()
    assert description(at).endswith(f"by {KH}")


def test_an_umbrella_group_takes_in_its_members():
    umbrella = "Islamic Resistance in Iraq"
    members = {n for n in actors.load_actors()["name"] if umbrella in actors.umbrellas_of(n)}
    assert KH in members
    at = run_app({"attacker": umbrella})
    assert count_in(at) == CURATED["actor1"].isin(members | {umbrella}).sum()


def test_side_in_the_link_means_the_attackers_side():
    at = run_app({"side": US})
    assert not at.exception
    assert count_in(at) == (SIDE1 == US).sum() < len(CURATED)
    assert f"by the {US} side" in description(at)
    assert at.radio(key="filter_side_of").value == "attacker"


@pytest.mark.parametrize(
    ("role", "expected", "words"),
    [("target", SIDE2 == US, "on the"), ("either", (SIDE1 == US) | (SIDE2 == US), "involving the")],
)
def test_side_of_the_target_or_either_party_when_the_link_says_so(role, expected, words):
    at = run_app({"side": US, "side_of": role})
    assert count_in(at) == expected.sum()
    assert f"{words} {US} side" in description(at)
    assert at.radio(key="filter_side_of").value == role


def test_changing_the_side_role_in_the_sidebar_changes_the_count():
    at = run_app()
    at.multiselect(key="filter_side").set_value([US]).run()
    assert count_in(at) == (SIDE1 == US).sum()
    at.radio(key="filter_side_of").set_value("either").run()
    assert count_in(at) == ((SIDE1 == US) | (SIDE2 == US)).sum()
    assert at.query_params["side_of"] == "either"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "Kataib Hezbolah"}, "actor='Kataib Hezbolah': unknown actor"),
        ({"attacker": "Nobody at all"}, "attacker='Nobody at all': unknown actor"),
        ({"start": "2024-13-01"}, "start='2024-13-01': not a day: write it as YYYY-MM-DD"),
        ({"side_of": "both"}, "side_of='both': use attacker, target or either"),
        ({"min_casualties": "many"}, "min_casualties='many': not a whole number"),
        ({"country": "Atlantis"}, "country='Atlantis': unknown country"),
        ({"near": "ain-al-asad"}, "near='ain-al-asad': write SITE:KM"),
        ({"contry": "IQ"}, "contry='IQ': not a filter; did you mean country?"),
    ],
)
def test_a_value_the_page_cannot_use_gets_a_visible_specific_message(query, expected):
    at = run_app(query)
    assert not at.exception
    assert expected in warnings(at)
    assert count_in(at) == len(CURATED)  # nothing was silently applied


def test_a_near_miss_actor_name_is_answered_with_a_suggestion():
    at = run_app({"actor": "Kataib Hezbolah"})
    assert f"did you mean {KH}?" in warnings(at)


def test_the_good_values_of_a_link_still_apply_beside_a_bad_one():
    at = run_app({"attacker": "KH,Nobody at all", "country": "IQ"})
    expected = BY_KH & (CURATED["country"] == "IQ")
    assert count_in(at) == expected.sum()
    assert "attacker='Nobody at all'" in warnings(at)


def test_the_wall_names_the_values_it_could_not_use():
    at = run_app({"view": "briefing", "actor": "Nobody at all", "days": "a week"})
    assert not at.exception
    shown = warnings(at)
    assert "actor='Nobody at all': unknown actor" in shown
    assert "days='a week'" in shown


def test_the_message_goes_once_the_user_changes_the_filters():
    at = run_app({"actor": "Nobody at all"})
    assert at.warning
    at.multiselect(key="filter_country").set_value(["SY"]).run()
    assert not at.warning


def wall_markup(at: AppTest) -> str:
    return "".join(m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"scale": "big"}, "scale='big': not a number; using a scale worked out from the screen"),
        ({"scale": "0.1"}, "scale='0.1': must be 0.5 to 20; using 0.5"),
        ({"rotate": "1"}, "rotate='1': must be 5 to 3600; using 5"),
        ({"refresh": "soon"}, "refresh='soon': not a whole number; using 300"),
    ],
)
def test_a_wall_setting_it_cannot_use_is_named(query, message):
    at = run_app({"view": "briefing", **query})
    assert not at.exception
    assert message in warnings(at)


def test_the_walls_map_scale_comes_from_the_link_or_the_screen():
    # No browser here to report the screen: the scale for a 1080-px-high window.
    at = run_app({"view": "briefing"})
    assert 'data-map-scale="3.66"' in wall_markup(at)
    at = run_app({"view": "briefing", "scale": "6"})
    assert 'data-map-scale="6"' in wall_markup(at)


def test_the_wall_rotates_its_panels_at_the_linked_pace():
    at = run_app({"view": "briefing", "rotate": "20"})
    shown = wall_markup(at)
    assert "animation-delay: 100s" in shown  # the sixth panel starts after five of 20 s
    assert "wall-turn 120s infinite" in "".join(h.proto.body for h in at.get("html"))
