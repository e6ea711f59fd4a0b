"""Writers: CSV (canonical columns), GeoJSON (RFC 7946) and KML 2.2."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from dashboard.schema import COLUMNS

WRITE_FORMATS = ("csv", "geojson", "kml")
KML_NS = "http://www.opengis.net/kml/2.2"


def _export_columns(incidents: pd.DataFrame) -> list[str]:
    # source_count and sources (a JSON list, read back on import) come from the engine.
    optional = ("actor1_original", "actor2_original", "source_count", "sources")
    extra = [c for c in optional if c in incidents.columns]
    return list(COLUMNS) + extra


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
    columns = _export_columns(incidents)
    for row in incidents[columns].itertuples(index=False, name=None):
        yield dict(zip(columns, (_plain(v) for v in row), strict=True))


def to_csv_text(incidents: pd.DataFrame) -> str:
    frame = incidents[_export_columns(incidents)].copy()
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False)


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


def to_kml_text(incidents: pd.DataFrame) -> str:
    """KML 2.2: one Placemark per incident with every column in ExtendedData."""
    ET.register_namespace("", KML_NS)
    kml = ET.Element(f"{{{KML_NS}}}kml")
    document = ET.SubElement(kml, f"{{{KML_NS}}}Document")
    ET.SubElement(document, f"{{{KML_NS}}}name").text = "Incident Atlas export"
    for props in _records(incidents):
        placemark = ET.SubElement(document, f"{{{KML_NS}}}Placemark", id=str(props["incident_id"]))
        title = " · ".join(
            str(props[k]) for k in ("event_date", "event_type", "location") if props[k]
        )
        ET.SubElement(placemark, f"{{{KML_NS}}}name").text = title
        if props["notes"]:
            ET.SubElement(placemark, f"{{{KML_NS}}}description").text = str(props["notes"])
        if props["event_date"]:
            stamp = ET.SubElement(placemark, f"{{{KML_NS}}}TimeStamp")
            ET.SubElement(stamp, f"{{{KML_NS}}}when").text = props["event_date"]
        extended = ET.SubElement(placemark, f"{{{KML_NS}}}ExtendedData")
        for key, value in props.items():
            data = ET.SubElement(extended, f"{{{KML_NS}}}Data", name=key)
            ET.SubElement(data, f"{{{KML_NS}}}value").text = "" if value is None else str(value)
        if props["latitude"] is not None and props["longitude"] is not None:
            point = ET.SubElement(placemark, f"{{{KML_NS}}}Point")
            ET.SubElement(
                point, f"{{{KML_NS}}}coordinates"
            ).text = f"{props['longitude']:.6f},{props['latitude']:.6f}"
    ET.indent(kml)
    return ET.tostring(kml, encoding="unicode", xml_declaration=True)


def render(incidents: pd.DataFrame, format: str) -> str:
    writers = {"csv": to_csv_text, "geojson": to_geojson_text, "kml": to_kml_text}
    return writers[format](incidents)


def write_incidents(incidents: pd.DataFrame, path: str | Path, format: str | None = None) -> None:
    """Write atomically: a temporary file renamed over the target, so no half-written file."""
    path = Path(path)
    format = format or {".json": "geojson", ".geojson": "geojson", ".kml": "kml"}.get(
        path.suffix.lower(), "csv"
    )
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(render(incidents, format), encoding="utf-8")
    temporary.replace(path)
