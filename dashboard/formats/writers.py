"""Writers: CSV (canonical columns), GeoJSON (RFC 7946) and KML 2.2, safe to open.

Whatever the stored text holds, exports carry no live content:
- CSV cells of text columns that a spreadsheet would run as a formula (starting with =, +, -,
  @, tab or carriage return) get a leading single quote (OWASP CSV-injection guidance); numbers
  are never touched, so a longitude of -43.2 stays a number. `formula_escape=False` (CLI
  `--no-formula-escape`) writes the text as stored, for round trips into Incident Atlas.
- Links other than http(s) (javascript:, data:, vbscript: ... in any case) are left out.
- Control characters and bidirectional overrides are removed, so KML is valid XML.
- KML descriptions are text, never markup: they are HTML-escaped, and the balloon shows only
  them, so Google Earth renders `<b>` as the four characters it is.
"""

from __future__ import annotations

import html
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from dashboard.cell_parsers import CONTROL_CHARACTERS, HTTP_LINK, is_text
from dashboard.schema import COLUMNS

WRITE_FORMATS = ("csv", "geojson", "kml")
KML_NS = "http://www.opengis.net/kml/2.2"
# What XML 1.0 cannot hold, on top of the control characters imports refuse.
_NOT_IN_EXPORTS = CONTROL_CHARACTERS[:-1] + "\ufffe\uffff]"
_FORMULA_START = r"^[=+\-@\t\r]"
LINK_COLUMNS = ("source_url",)


def _export_columns(incidents: pd.DataFrame) -> list[str]:
    # source_count and sources (a JSON list, read back on import) come from the engine.
    optional = ("actor1_original", "actor2_original", "source_count", "sources")
    extra = [c for c in optional if c in incidents.columns]
    return list(COLUMNS) + extra


def safe_frame(incidents: pd.DataFrame, *, formula_escape: bool = False) -> pd.DataFrame:
    """The export columns with control characters removed, non-http(s) links dropped and,
    when asked, formula-looking text cells quoted."""
    frame = incidents[_export_columns(incidents)].copy()
    for column in frame.columns:
        values = frame[column]
        if column == "event_date" or not is_text(values):
            continue
        text = values.astype("string").str.replace(_NOT_IN_EXPORTS, "", regex=True)
        if column in LINK_COLUMNS:
            text = text.where(text.str.contains(HTTP_LINK, regex=True).fillna(False))
        if formula_escape:
            risky = text.str.contains(_FORMULA_START, regex=True).fillna(False)
            text = text.where(~risky, "'" + text)
        frame[column] = text
    return frame


def _plain(value):
    """A JSON/XML-safe Python value: NA -> None, dates -> ISO day, numpy -> builtin."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(incidents: pd.DataFrame):
    frame = safe_frame(incidents)
    columns = list(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        yield dict(zip(columns, (_plain(v) for v in row), strict=True))


def to_csv_text(incidents: pd.DataFrame, *, formula_escape: bool = True) -> str:
    frame = safe_frame(incidents, formula_escape=formula_escape)
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    # RFC 4180 line ends: Python's csv quotes a cell holding any character of the line end, so
    # with "\r\n" a lone carriage return in text is quoted too (with "\n" it is not, and the
    # row would break in two).
    return frame.to_csv(index=False, lineterminator="\r\n")


def to_geojson(incidents: pd.DataFrame) -> dict:
    """RFC 7946 FeatureCollection; incidents without coordinates get a null geometry."""
    features = []
    for props in _records(incidents):
        lat, lon = props["latitude"], props["longitude"]
        geometry = (
            None
            if lat is None or lon is None
            else {
                "type": "Point",
                "coordinates": [round(lon, 6), round(lat, 6)],
            }
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def to_geojson_text(incidents: pd.DataFrame) -> str:
    return json.dumps(to_geojson(incidents), ensure_ascii=False)


def _kml(tag: str) -> str:
    return f"{{{KML_NS}}}{tag}"


def _balloon_style(document: ET.Element) -> None:
    """Balloons show the (escaped) description only, never ExtendedData values as HTML."""
    style = ET.SubElement(document, _kml("Style"), id="incident")
    balloon = ET.SubElement(style, _kml("BalloonStyle"))
    ET.SubElement(balloon, _kml("text")).text = "$[description]"


def _description(props: dict) -> str:
    """What happened, as text: HTML-escaped so a KML reader shows markup as characters."""
    parts = [
        " · ".join(str(props[k]) for k in ("event_date", "event_type", "location") if props[k]),
        " → ".join(str(props[k]) for k in ("actor1", "actor2") if props[k]),
        props["notes"] or "",
        f"Source: {props['source']}" if props["source"] else "",
        props["source_url"] or "",
    ]
    return html.escape("\n".join(p for p in parts if p))


def to_kml_text(incidents: pd.DataFrame) -> str:
    """KML 2.2: one Placemark per incident with every column in ExtendedData."""
    ET.register_namespace("", KML_NS)
    kml = ET.Element(_kml("kml"))
    document = ET.SubElement(kml, _kml("Document"))
    ET.SubElement(document, _kml("name")).text = "Incident Atlas export"
    _balloon_style(document)
    for props in _records(incidents):
        placemark = ET.SubElement(document, _kml("Placemark"), id=str(props["incident_id"]))
        title = " · ".join(
            str(props[k]) for k in ("event_date", "event_type", "location") if props[k]
        )
        ET.SubElement(placemark, _kml("name")).text = title
        ET.SubElement(placemark, _kml("description")).text = _description(props)
        ET.SubElement(placemark, _kml("styleUrl")).text = "#incident"
        if props["event_date"]:
            stamp = ET.SubElement(placemark, _kml("TimeStamp"))
            ET.SubElement(stamp, _kml("when")).text = props["event_date"]
        extended = ET.SubElement(placemark, _kml("ExtendedData"))
        for key, value in props.items():
            data = ET.SubElement(extended, _kml("Data"), name=key)
            ET.SubElement(data, _kml("value")).text = "" if value is None else str(value)
        if props["latitude"] is not None and props["longitude"] is not None:
            point = ET.SubElement(placemark, _kml("Point"))
            ET.SubElement(
                point, _kml("coordinates")
            ).text = f"{props['longitude']:.6f},{props['latitude']:.6f}"
    ET.indent(kml)
    return ET.tostring(kml, encoding="unicode", xml_declaration=True)


def render(incidents: pd.DataFrame, format: str, *, formula_escape: bool = True) -> str:
    if format == "csv":
        return to_csv_text(incidents, formula_escape=formula_escape)
    writers = {"geojson": to_geojson_text, "kml": to_kml_text}
    return writers[format](incidents)


def write_incidents(
    incidents: pd.DataFrame,
    path: str | Path,
    format: str | None = None,
    *,
    formula_escape: bool = True,
) -> None:
    """Write atomically: a temporary file renamed over the target, so no half-written file."""
    path = Path(path)
    format = format or {".json": "geojson", ".geojson": "geojson", ".kml": "kml"}.get(
        path.suffix.lower(), "csv"
    )
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(render(incidents, format, formula_escape=formula_escape), encoding="utf-8")
    temporary.replace(path)
