#!/usr/bin/env python3
"""Build the offline basemap: dashboard/static/basemap/{middle-east.geojson,country-bbox.json}.

Source: npm `world-atlas` 2.0.2 `countries-10m.json` (Natural Earth 1:10m admin-0 countries,
TopoJSON), converted once with `topojson-client` 3.1.0's `topo2geo` (installed into a temporary
folder, nothing global). Kept: the countries in COUNTRIES, coordinates rounded to 3 decimals
(about 100 m), properties `name`, `iso2` and `label` ([lat, lon] where the country's name is
drawn, or null). country-bbox.json maps ISO2 -> [min_lat, min_lon, max_lat, max_lon], computed
from the full-precision outlines, rounded outwards (the data layer uses it to spot swapped lat/lon).

    python scripts/build_basemap.py
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "dashboard" / "static" / "basemap"
WORLD_ATLAS = "world-atlas@2.0.2"
TOPOJSON_CLIENT = "topojson-client@3.1.0"
DIGITS = 3

# ISO 3166-1 numeric (world-atlas feature id) -> ISO 3166-1 alpha-2.
COUNTRIES: dict[str, str] = {
    "368": "IQ", "760": "SY", "400": "JO", "422": "LB", "376": "IL", "275": "PS", "792": "TR",
    "364": "IR", "682": "SA", "414": "KW", "634": "QA", "048": "BH", "784": "AE", "512": "OM",
    "887": "YE", "818": "EG", "196": "CY", "051": "AM", "031": "AZ", "268": "GE", "232": "ER",
    "262": "DJ",
}  # fmt: skip
# Natural Earth features without an ISO numeric id, assigned to the ISO country they lie in.
UNNUMBERED: dict[str, str] = {"N. Cyprus": "CY"}
# Where the outline's centroid is a poor place for the name.
LABEL_OVERRIDES: dict[str, tuple[float, float]] = {
    "IL": (31.0, 34.85), "PS": (31.9, 35.25), "LB": (33.9, 35.85), "CY": (35.05, 33.2),
    "AE": (23.7, 54.3), "QA": (25.3, 51.2), "BH": (26.05, 50.55),
}  # fmt: skip


def topo2geo(tmp: Path) -> dict:
    """Install world-atlas + topojson-client in tmp and convert the countries object."""
    npm_flags = ["--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(["npm", "init", "-y"], cwd=tmp, check=True, capture_output=True)
    packages = [WORLD_ATLAS, TOPOJSON_CLIENT]
    subprocess.run(["npm", "install", *npm_flags, *packages], cwd=tmp, check=True)
    topology = tmp / "node_modules" / "world-atlas" / "countries-10m.json"
    with topology.open("rb") as stdin:
        subprocess.run(
            ["npx", "--no-install", "topo2geo", "countries=countries.geojson"],
            cwd=tmp, stdin=stdin, check=True,
        )  # fmt: skip
    return json.loads((tmp / "countries.geojson").read_text(encoding="utf-8"))


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"unexpected geometry {geometry['type']}")


def round_ring(ring: list[list[float]]) -> list[list[float]] | None:
    """Round a ring, drop repeated points; None when it collapses below a triangle."""
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, DIGITS), round(lat, DIGITS)]
        if not out or point != out[-1]:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Planar signed area and centroid (lon, lat) of a closed ring (good enough for labels)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def build(collection: dict) -> tuple[dict, dict]:
    features = []
    boxes: dict[str, list[float]] = {}
    for feature in collection["features"]:
        name = feature["properties"]["name"]
        fid = feature.get("id")
        iso2 = COUNTRIES.get(fid) if fid is not None else UNNUMBERED.get(name)
        if iso2 is None:
            continue
        polys = polygons(feature["geometry"])
        lons = [p[0] for poly in polys for p in poly[0]]
        lats = [p[1] for poly in polys for p in poly[0]]
        box = [min(lats), min(lons), max(lats), max(lons)]
        if iso2 in boxes:  # e.g. Cyprus + N. Cyprus
            old = boxes[iso2]
            box = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]),
                   max(old[3], box[3])]  # fmt: skip
        boxes[iso2] = box
        rounded = []
        for poly in polys:
            outer = round_ring(poly[0])
            if outer is None:  # an islet smaller than the rounding
                continue
            holes = [r for r in (round_ring(ring) for ring in poly[1:]) if r is not None]
            rounded.append([outer, *holes])
        largest = max(polys, key=lambda poly: abs(ring_area_centroid(poly[0])[0]))
        _, clon, clat = ring_area_centroid(largest[0])
        label = LABEL_OVERRIDES.get(iso2, (clat, clon))
        geometry = (
            {"type": "Polygon", "coordinates": rounded[0]}
            if len(rounded) == 1
            else {"type": "MultiPolygon", "coordinates": rounded}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "iso2": iso2,
                    # one name per country: parts without their own ISO code get none
                    "label": None if fid is None else [round(label[0], 2), round(label[1], 2)],
                },
                "geometry": geometry,
            }
        )  # fmt: skip
    found = {f["properties"]["iso2"] for f in features}
    missing = sorted(set(COUNTRIES.values()) - found)
    if missing:
        raise SystemExit(f"countries not found in world-atlas: {missing}")
    features.sort(key=lambda f: f["properties"]["name"])
    factor = 10**DIGITS
    bbox = {
        iso2: [math.floor(b[0] * factor) / factor, math.floor(b[1] * factor) / factor,
               math.ceil(b[2] * factor) / factor, math.ceil(b[3] * factor) / factor]
        for iso2, b in sorted(boxes.items())
    }  # fmt: skip
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin-0 via world-atlas 2.0.2 (public domain)",
        "features": features,
    }
    return collection, bbox


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="atlas-basemap-") as tmp:
        collection = topo2geo(Path(tmp))
    geojson, bbox = build(collection)
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(geojson, separators=(",", ":"), ensure_ascii=False)
    (OUT / "middle-east.geojson").write_text(text + "\n", encoding="utf-8")
    (OUT / "country-bbox.json").write_text(
        "{\n" + ",\n".join(f' "{k}": {json.dumps(v)}' for k, v in bbox.items()) + "\n}\n",
        encoding="utf-8",
    )
    print(f"{len(geojson['features'])} features, {len(text):,} bytes; bbox for {len(bbox)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
