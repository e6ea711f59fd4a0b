"""geocode_frame (incident frames) and geocode_csv (the CLI's name lists)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.geocoding import GazetteerGeocoder, geocode_csv, geocode_frame


class CountingGeocoder:
    """The real gazetteer, counting the calls geocode_frame makes."""

    def __init__(self):
        self.inner = GazetteerGeocoder()
        self.calls: list[tuple[str, str | None]] = []

    def geocode(self, query, *, exactly_one=True, country=None):
        self.calls.append((query, country))
        return self.inner.geocode(query, exactly_one=exactly_one, country=country)


def incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": ["a", "b", "c", "d", "e", "f"],
            "location": ["Ain al-Asad", "Ain al-Asad", "Erbil", "Atlantis base", "Given", None],
            "country": pd.array([None, None, "IQ", None, "SY", None], dtype="string"),
            "latitude": [None, None, None, None, 35.0, None],
            "longitude": [None, None, None, None, 40.0, None],
            "geo_source": pd.array([None, None, None, None, "source", None], dtype="string"),
        }
    )


def test_fills_missing_points_from_the_location():
    out = geocode_frame(incidents(), CountingGeocoder())
    a = out.iloc[0]
    assert a["site_id"] == "ain-al-asad" and a["geo_precision"] == 1
    assert a["geo_source"] == "gazetteer" and a["country"] == "IQ" and a["admin1"] == "Anbar"
    assert (a["latitude"], a["longitude"]) == (33.7856, 42.4412)
    c = out.iloc[2]
    assert c["geo_source"] == "geonames" and c["geo_precision"] == 2 and pd.isna(c["site_id"])


def test_unknown_names_stay_without_coordinates():
    out = geocode_frame(incidents(), CountingGeocoder())
    for row in (3, 5):
        assert pd.isna(out.iloc[row]["latitude"]) and pd.isna(out.iloc[row]["geo_precision"])
        assert pd.isna(out.iloc[row]["geo_source"])


def test_source_coordinates_are_kept_unless_overwrite():
    out = geocode_frame(incidents(), CountingGeocoder())
    given = out.iloc[4]
    assert (given["latitude"], given["longitude"], given["geo_source"]) == (35.0, 40.0, "source")
    frame = incidents()
    frame.loc[4, "location"] = "al-Tanf"
    replaced = geocode_frame(frame, CountingGeocoder(), overwrite=True).iloc[4]
    assert replaced["site_id"] == "al-tanf" and replaced["geo_source"] == "gazetteer"
    assert replaced["latitude"] == pytest.approx(33.50583)
    assert replaced["country"] == "SY"


def test_overwrite_keeps_old_point_when_the_name_is_unknown():
    frame = incidents()
    frame.loc[4, "location"] = "Atlantis base"
    kept = geocode_frame(frame, CountingGeocoder(), overwrite=True).iloc[4]
    assert (kept["latitude"], kept["geo_source"]) == (35.0, "source")


def test_each_distinct_place_and_country_is_looked_up_once():
    geocoder = CountingGeocoder()
    geocode_frame(incidents(), geocoder)
    assert sorted(geocoder.calls, key=str) == sorted(
        [("Ain al-Asad", None), ("Erbil", "IQ"), ("Atlantis base", None)], key=str
    )


def test_country_column_is_the_hint():
    frame = pd.DataFrame({"location": ["Sinjar", "Sinjar"], "country": ["SY", "IQ"]})
    out = geocode_frame(frame, CountingGeocoder())
    assert list(out["country"]) == ["SY", "IQ"]
    assert out.loc[0, "latitude"] != out.loc[1, "latitude"]


def test_types_match_the_canonical_schema_and_input_is_untouched():
    frame = incidents()
    before = frame.copy()
    out = geocode_frame(frame, CountingGeocoder())
    assert out["latitude"].dtype == "float64" and out["longitude"].dtype == "float64"
    assert out["geo_precision"].dtype == "Int64"
    for column in ("site_id", "country", "admin1", "geo_source"):
        assert out[column].dtype == "string", column
    pd.testing.assert_frame_equal(frame, before)


def test_frames_without_location_or_rows_pass_through():
    assert geocode_frame(pd.DataFrame({"x": [1]}), CountingGeocoder())["latitude"].isna().all()
    assert geocode_frame(pd.DataFrame({"location": []}), CountingGeocoder()).empty


def test_geocode_csv_adds_columns_and_leaves_unknowns_empty(tmp_path):
    source = tmp_path / "names.csv"
    source.write_text(
        "name,country,note\nAyn al-Asad airbase,,seed\nSinjar,SY,\nAtlantis base,,made up\n"
        "Erbil,IQ,\n",
        encoding="utf-8",
    )
    target = tmp_path / "out" / "placed.csv"
    summary = geocode_csv(source, target, GazetteerGeocoder())
    out = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(out.columns) == [
        "name", "country", "note", "latitude", "longitude", "geo_precision", "geo_source",
        "matched_name",
    ]  # fmt: skip
    assert out.loc[0, "geo_source"] == "gazetteer" and out.loc[0, "geo_precision"] == "1"
    assert float(out.loc[1, "latitude"]) == pytest.approx(35.59011)  # the Syrian Sinjar
    assert out.loc[2, ["latitude", "longitude", "geo_precision", "geo_source"]].tolist() == [
        "", "", "", ""
    ]  # fmt: skip
    assert out.loc[2, "note"] == "made up"
    assert (summary.rows, summary.resolved, summary.unresolved) == (4, 3, 1)
    assert summary.unresolved_names == ["Atlantis base"]
    assert summary.by_source == {"gazetteer": 1, "geonames": 2}
    assert "3 of 4 names placed" in str(summary)


def test_geocode_csv_without_name_column_names_the_file(tmp_path):
    source = tmp_path / "places.csv"
    source.write_text("place,country\nErbil,IQ\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"places\.csv: no 'name' column \(columns found: place"):
        geocode_csv(source, tmp_path / "out.csv", GazetteerGeocoder())


def test_geocode_csv_empty_file_says_what_is_needed(tmp_path):
    source = tmp_path / "empty.csv"
    source.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.csv: the file is empty.*'name' column"):
        geocode_csv(source, tmp_path / "out.csv", GazetteerGeocoder())
