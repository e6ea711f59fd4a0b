"""Breakdowns: rows a reader can use (names, not ids or codes; no figure is not 0), a chart whose
every filterable row is a click target, and clicks read back as the value to filter on."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from dashboard.engine import Engine
from dashboard.filters import Filters
from dashboard.formats import read_incidents
from dashboard.paths import DATA_DIR
from dashboard.views.breakdowns import (
    PANELS,
    PICK_PARAM,
    breakdown_rows,
    breakdown_spec,
    casualty_text,
    month_span,
    picked_key,
    wall_panel_html,
    worded,
)


@pytest.fixture(scope="module")
def curated():
    return Engine(read_incidents(DATA_DIR / "incidents.csv"), search_in_background=False)


def rows_for(engine: Engine, by: str, limit: int = 8, filters: Filters | None = None):
    return breakdown_rows(engine.breakdown(filters or Filters(), by, limit=limit), by,
                          engine.vocabulary)  # fmt: skip


@pytest.mark.parametrize(
    ("killed", "wounded", "text"),
    [
        (3, 27, "3 killed, 27 wounded"),
        (0, 0, "0 killed, 0 wounded"),  # reported as none: a real 0
        (float("nan"), 5, "5 wounded"),  # no incident gives a death toll: left out
        (float("nan"), float("nan"), "no figures"),
        (1200, float("nan"), "1,200 killed"),
    ],
)
def test_casualty_text_never_turns_unknown_into_zero(killed, wounded, text):
    assert casualty_text(killed, wounded) == text


def test_sites_and_months_are_named_not_coded(curated):
    sites = rows_for(curated, "site")
    named = sites.set_index("key")["label"]
    assert named["ain-al-asad"] == "Ain al-Asad Air Base"
    assert not any(label == key for key, label in named.items() if key)  # every id has a name
    assert "no gazetteer site" in sites["label"].tolist()  # incidents with no site, counted
    months = rows_for(curated, "month")
    assert months["label"].tolist()[:2] == ["Oct 2023", "Nov 2023"]
    assert months["key"].tolist()[0] == "2023-10-01"


def test_rows_that_cannot_be_a_filter_have_no_key(curated):
    sites = rows_for(curated, "site", limit=4)
    lumped = sites.iloc[-1]
    assert lumped["label"].endswith("others") and lumped["key"] == ""
    assert sites.loc[sites["label"] == "no gazetteer site", "key"].tolist() == [""]
    weapons = rows_for(curated, "weapon")
    assert "ballistic missile" in weapons["label"].tolist()  # a category written as words
    assert "ballistic_missile" in weapons["key"].tolist()  # ... filtered on as stored


def test_counts_add_up_to_the_filtered_set(curated):
    filters = Filters(country=("SY",))
    for panel in PANELS:
        rows = rows_for(curated, panel.by, filters=filters)
        assert rows["incidents"].sum() == curated.count(filters), panel.by


@pytest.mark.parametrize("by", [p.by for p in PANELS])
def test_every_row_is_a_click_target_with_its_key(curated, by):
    spec = breakdown_spec(rows_for(curated, by), by)
    params = spec.get("params") or spec["layer"][0].get("params")
    (param,) = params
    assert param["name"] == PICK_PARAM
    if "layer" in spec:  # the whole row (its track) is the click target
        assert param["views"] == [spec["layer"][0]["name"]]
    assert param["select"]["type"] == "point" and param["select"]["fields"] == ["key"]
    (data,) = spec["datasets"].values()
    assert [row["key"] for row in data] == rows_for(curated, by)["key"].tolist()
    assert [row["order"] for row in data] == list(range(len(data)))  # drawn in this order
    json.dumps(spec, allow_nan=False)  # plain JSON: no NaN reaches the browser


def test_the_longest_bar_fills_the_row_and_others_are_proportional(curated):
    rows = rows_for(curated, "attacker")
    spec = breakdown_spec(rows, "attacker")
    track, bars = spec["layer"][0], spec["layer"][1]
    (data,) = spec["datasets"].values()
    # Bars and tracks share one x scale from 0, and every track is the largest count long.
    assert {row["track"] for row in data} == {rows["incidents"].max()}
    assert track["encoding"]["x"]["scale"] == bars["encoding"]["x"]["scale"]
    assert bars["encoding"]["x"]["scale"] == {"nice": False, "zero": True}


def test_the_chart_is_built_once_and_only_its_data_changes(curated):
    syria = breakdown_spec(rows_for(curated, "site", filters=Filters(country=("SY",))), "site")
    everything = breakdown_spec(rows_for(curated, "site"), "site")
    assert syria["datasets"] != everything["datasets"]
    assert {**syria, "datasets": None} == {**everything, "datasets": None}


def test_a_click_reads_back_as_the_value_to_filter_on():
    event = {"selection": {PICK_PARAM: [{"key": "Kataib Hezbollah"}]}}
    assert picked_key(event) == "Kataib Hezbollah"
    assert picked_key({"selection": {PICK_PARAM: [{"key": ""}]}}) is None  # "others"
    assert picked_key({"selection": {PICK_PARAM: []}}) is None
    assert picked_key(None) is None


@pytest.mark.parametrize(
    ("key", "span"),
    [
        ("2024-02-01", (date(2024, 2, 1), date(2024, 2, 29))),  # a leap year
        ("2023-02-01", (date(2023, 2, 1), date(2023, 2, 28))),
        ("2023-12-01", (date(2023, 12, 1), date(2023, 12, 31))),
    ],
)
def test_a_month_is_filtered_as_its_first_to_last_day(key, span):
    assert month_span(key) == span


def test_the_wall_panel_escapes_text_from_data():
    rows = pd.DataFrame(
        {
            "label": ["<script>alert(1)</script>"],
            "key": ["x"],
            "incidents": [3],
            "casualty_text": ["no figures"],
            "text": ["3 · no figures"],
            "with_figures": [0],
        }
    )
    shown = wall_panel_html(rows, "attacker")
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert 'style="width:100.0%"' in shown


@pytest.mark.parametrize("by", ["attacker", "target", "site", "weapon", "month"])
def test_every_breakdown_chart_is_valid_vega_lite(by):
    """The page skips Altair's validation (it costs a tenth of a second a chart); this does it."""
    from dashboard.views import breakdowns

    chart = breakdowns._month_chart(by) if by == "month" else breakdowns._rows_chart(by)
    assert chart.to_dict(validate=True)["$schema"].startswith("https://vega.github.io/schema")


def test_the_dossier_words_name_what_the_incidents_do_not_say(curated):
    weapons = worded(curated.breakdown(Filters(), "weapon", limit=20), "weapon not given")
    assert "weapon not given" in set(weapons["value"])  # curated incidents without a weapon
    assert "ballistic missile" in set(weapons["value"])
    lumped = worded(curated.breakdown(Filters(), "weapon", limit=3), "weapon not given")
    assert lumped["value"].iloc[-1].endswith(" others")
    assert not any(v is None or "_" in v for v in lumped["value"])
