"""AppTest: the desk speaks in names and keeps unknowns unknown. Pickers and the table show
country and site names and categories in words; a figure no source gives reads "unknown" (never
0) in the headline and the table; an incident chosen on the map or in the table is the page's
selection; the breakdowns follow the filters."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import countries
from dashboard.geocoding.gazetteer import load_sites
from dashboard.paths import DATA_DIR
from dashboard.views import incident_table
from dashboard.views.breakdowns import PANELS
from tests.app_pages import run_app
from tests.page_text import unescaped

CURATED = pd.read_csv(DATA_DIR / "incidents.csv", dtype=str, keep_default_na=False)
SITE_NAMES = {s.id: s.name for s in load_sites().sites}


def table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[-1].value


def day_with_no_figures() -> str:
    """A day of the curated data with several incidents, none giving a casualty figure."""
    by_day = CURATED.groupby("event_date")
    for day, rows in by_day:
        if len(rows) >= 2 and (rows["killed"] == "").all() and (rows["wounded"] == "").all():
            return day
    raise AssertionError("the curated data has no such day")


def test_every_picker_shows_names_not_codes_or_slugs():
    at = run_app()
    sites = at.multiselect(key="filter_site").options
    assert sites and all(name in SITE_NAMES.values() for name in sites)
    assert "Ain al-Asad Air Base" in sites
    chosen = sorted(countries.name_of(c) for c in CURATED["country"].unique())
    assert at.multiselect(key="filter_country").options == chosen
    for key in ("filter_type", "filter_weapon"):
        assert not any("_" in option for option in at.multiselect(key=key).options)
    near = at.selectbox(key="filter_near_site").options
    assert "Ain al-Asad Air Base" in near and "ain-al-asad" not in near


def test_the_description_names_sites_and_countries():
    at = run_app({"site": "ain-al-asad", "country": "IQ"})
    shown = unescaped(next(m.value for m in at.markdown if m.value.startswith("**")))
    assert "at Ain al-Asad Air Base" in shown and "in Iraq" in shown
    assert "ain-al-asad" not in shown and " IQ" not in shown


def test_a_headline_with_no_figure_says_unknown_not_zero():
    day = day_with_no_figures()
    at = run_app({"start": day, "end": day})
    count = (CURATED["event_date"] == day).sum()
    killed = next(m for m in at.metric if m.label == "Killed (reported)")
    assert killed.value == "unknown"
    assert f"no figure in any of {count} incidents" in [c.value for c in at.caption]


def test_the_table_names_countries_and_keeps_unknown_figures_unknown():
    at = run_app()
    assert not at.exception
    rows = table(at).set_index("incident_id")
    curated = CURATED.set_index("incident_id").loc[rows.index]
    assert set(rows["country"]) == {countries.name_of(c) for c in curated["country"]}
    sited = curated["site_id"] != ""
    assert (rows.loc[sited, "site_id"] == curated.loc[sited, "site_id"].map(SITE_NAMES)).all()
    assert (rows.loc[~sited, "site_id"] == "").all()  # no site: blank, not "unknown"
    unknown = curated["killed"] == ""
    assert unknown.any() and rows.loc[unknown, "killed"].isna().all()  # not 0
    known = curated.loc[~unknown, "killed"].astype(float)
    assert (rows.loc[~unknown, "killed"].astype(float) == known).all()
    assert not any("_" in str(v) for v in rows["event_type"])
    assert at.dataframe[-1].proto.placeholder == incident_table.UNKNOWN_FIGURE


def test_an_incident_chosen_on_the_map_comes_first_ticked_and_described():
    oldest = CURATED.sort_values("event_date").iloc[0]
    at = run_app(state={"selected_incident": oldest["incident_id"]})
    assert table(at)["incident_id"].iloc[0] == oldest["incident_id"]
    ticked = json.loads(at.dataframe[-1].proto.selection_default)
    assert ticked["selection"]["rows"] == [0]  # its row's tick box is ticked
    assert any(oldest["location"] in unescaped(i.value) for i in at.info)
    at.button(key="clear_selection").click().run()
    assert at.session_state["selected_incident"] is None
    assert table(at)["incident_id"].iloc[0] != oldest["incident_id"]


def test_ticking_a_row_selects_its_incident_and_unticking_clears_it(monkeypatch):
    state = {"_table_ids": ["a", "b", "c"], "t": {"selection": {"rows": [1]}}}
    monkeypatch.setattr(incident_table.st, "session_state", state)
    incident_table.select_row("t")
    assert state["selected_incident"] == "b"
    state["t"] = {"selection": {"rows": []}}
    incident_table.select_row("t")
    assert state["selected_incident"] is None


def chart_data(chart) -> pd.DataFrame:
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()


def breakdown_charts(at: AppTest) -> dict[str, pd.DataFrame]:
    charts = [c for c in at.main if c.type == "vega_lite_chart" and "breakdown_" in c.proto.id]
    return {c.proto.id.split("breakdown_")[1].rsplit("_", 1)[0]: chart_data(c) for c in charts}


def test_breakdowns_count_the_filtered_incidents_by_name():
    at = run_app({"country": "SY"})
    shown = breakdown_charts(at)
    assert set(shown) == {p.by for p in PANELS}
    syria = CURATED[CURATED["country"] == "SY"]
    for by, rows in shown.items():
        assert rows["incidents"].sum() == len(syria), by
    attackers = shown["attacker"].set_index("label")["incidents"]
    assert attackers.to_dict() == syria["actor1"].value_counts().to_dict()
    sites = set(shown["site"]["label"])
    assert {SITE_NAMES[s] for s in syria["site_id"] if s} <= sites  # names, not ids


@pytest.mark.parametrize(("query", "bar"), [({}, "day"), ({"start": "2024-02-02"}, "day")])
def test_the_timeline_caption_says_what_a_bar_is(query, bar):
    at = run_app(query)
    assert any(c.value.startswith(f"One bar per {bar};") for c in at.caption)


def test_downloads_keep_unknown_figures_as_empty_cells():
    """The table says "unknown"; the CSV the page offers (render of Engine.frame, as the
    download buttons build it) keeps the cell empty, as the source left it."""
    import io

    from dashboard.engine import Engine
    from dashboard.filters import Filters
    from dashboard.formats import read_incidents
    from dashboard.formats.writers import render

    engine = Engine(read_incidents(DATA_DIR / "incidents.csv"), search_in_background=False)
    exported = pd.read_csv(io.StringIO(render(engine.frame(Filters()), "csv")), dtype=str,
                           keep_default_na=False).set_index("incident_id")  # fmt: skip
    curated = CURATED.set_index("incident_id").loc[exported.index]
    assert (exported["killed"] == "").sum() == (curated["killed"] == "").sum() > 0
    assert ((exported["killed"] == "") == (curated["killed"] == "")).all()
    assert "unknown" not in set(exported["killed"]) | set(exported["wounded"])
