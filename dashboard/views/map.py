"""The incident map: a pure function from incidents (canonical schema) to a `folium.Map`.

No Streamlit here. What is sent to the browser stays bounded whatever the data size:

- at most `max_markers` located incidents: ONE GeoJSON layer, each incident a canvas circle with a
  tooltip ("#<incident_id> · date · type · place", parsed back by `incident_id_from_click`) and
  a popup (date, type, weapon, actors, place, casualties, source link, notes);
- more than that: incidents are aggregated server-side into grid cells (0.05°, about 5 km,
  coarsened until there are at most MAX_CELLS cells) and ONE GeoJSON layer gets one circle per
  cell with its count, breakdown and places; a cell holding a single incident shows that
  incident as usual. The legend says so.
- the heat layer, sites layer, legend, basemap and controls are one folium element each.

All text from the data is HTML-escaped in Python before it reaches a popup, tooltip or the
legend, and only http(s) URLs become links. JSON is embedded in the page with `</` escaped.
Unknown casualties (NA) are written "unknown", never 0, and get the smallest marker.

Offline by default: every script/stylesheet comes from /app/static/vendor (see offline_assets),
and the basemap is Natural Earth borders fetched by the browser from /app/static/basemap/.
"""

from __future__ import annotations

import heapq
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import folium
import folium.plugins
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from dashboard.errors import BadSetting
from dashboard.views.offline_assets import BASEMAP_URL, ICON_IMAGE_PATH, use_offline_assets

COLOR_BY = ("side", "event_type")
THEMES = ("light", "dark")
DEFAULT_CENTER = (33.5, 42.0)  # Iraq / Syria
DEFAULT_ZOOM = 5
OFFLINE_ZOOM = (3, 13)  # borders only: no point zooming further; MarkerCluster needs a maxZoom
ONLINE_ZOOM = (2, 18)
FIT_MAX_ZOOM = 10
CELL_DEGREES = 0.05  # finest aggregation square (about 5.5 km)
QUAD_LEVELS = 8  # squares of 0.05° * 2**level up to 6.4° (the world in < 1,700 of them)
MAX_CELLS = 3000  # squares drawn when aggregating (bounds the page size); >= 1,700
GRID_STEPS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0)  # heat layer's uniform grid
HEAT_FULL_ZOOM = 6  # zoom at which a heat point counts its full weight
HEAT_MAX_CELLS = 10000  # weighted points in the heat layer
MAX_SITES = 1000
NOTES_CHARS = 280
MAX_STACK_POPUPS = 25  # incidents listed in the popup of a point shared by several
UNKNOWN = "Unknown"
OTHER = "Other"

SIDE_COLORS = {
    "Iran-aligned militia": "#d62728",
    "Iran": "#8c1d18",
    "US and coalition": "#1f77b4",
    "US-aligned partner force": "#17becf",
    "Iraqi government": "#2ca02c",
    "Kurdistan Regional Government": "#bcbd22",
    "Syrian government": "#9467bd",
    "Jordanian government": "#8c564b",
    "Jihadist group": "#ff7f0e",
    "Palestinian armed group": "#e377c2",
}
TYPE_COLORS = {
    "attack": "#d62728",
    "airstrike": "#1f77b4",
    "foiled_attack": "#ff7f0e",
    "interception": "#9467bd",
    "clash": "#8c564b",
    "seizure": "#17becf",
    "protest": "#bcbd22",
    "other": "#7f7f7f",
}
EXTRA_COLORS = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")
UNKNOWN_COLOR = "#7f7f7f"
OTHER_COLOR = "#b5b5b5"
MAX_LEGEND_CATEGORIES = 10  # beyond: "Other"

THEME_STYLE = {
    "light": {
        "sea": "#d7e6f0", "land": "#f7f6f2", "border": "#8e969e", "label": "#5b6670",
        "stroke": "#222222", "recent": "#000000", "selected": "#ff00c8",
    },
    "dark": {
        "sea": "#0a1624", "land": "#1d2733", "border": "#5d6b7a", "label": "#9aa7b4",
        "stroke": "#f2f2f2", "recent": "#ffe600", "selected": "#ff4fe0",
    },
}  # fmt: skip

KNOWN_TILES = {
    "openstreetmap.org": '&copy; <a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a> contributors",
    "cartocdn.com": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    ' contributors &copy; <a href="https://carto.com/attributions">CARTO</a>',
}

_CLICK_ID = re.compile(r"^\s*#(.+?) \u00b7 ", re.DOTALL)

_CSS = """
.ia-map.leaflet-container{font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.ia-map.ia-offline.ia-light{background:#d7e6f0}
.ia-map.ia-offline.ia-dark{background:#0a1624}
.ia-legend{padding:6px 9px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.35);max-width:290px;
 max-height:60vh;overflow:auto}
.ia-light .ia-legend{background:rgba(255,255,255,.93);color:#222}
.ia-dark .ia-legend{background:rgba(18,22,30,.93);color:#eee}
.ia-legend summary{font-weight:600;cursor:pointer}
.ia-legend .ia-row{white-space:nowrap}
.ia-legend .ia-sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;
 vertical-align:-1px;border:1px solid rgba(128,128,128,.8)}
.ia-legend .ia-n{opacity:.7;margin-left:4px}
.ia-legend .ia-note{margin-top:4px;opacity:.9;white-space:normal}
.ia-country-label{font-size:11px;letter-spacing:.04em;text-transform:uppercase;
 white-space:nowrap;text-align:center;pointer-events:none}
.ia-light .ia-country-label{color:#5b6670}.ia-dark .ia-country-label{color:#9aa7b4}
.ia-site{position:absolute}
.ia-site .ia-dia{position:absolute;left:1px;top:1px;width:10px;height:10px;transform:rotate(45deg);
 border:2px solid #111;background:#fff;box-sizing:border-box}
.ia-dark .ia-site .ia-dia{border-color:#fff;background:#111}
.ia-site.ia-zero{opacity:.55}
.ia-site-n{position:absolute;left:14px;top:-3px;font-weight:700;font-size:11px;white-space:nowrap;
 color:#111;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 2px #fff}
.ia-dark .ia-site-n{color:#fff;text-shadow:0 0 2px #000,0 0 2px #000,0 0 2px #000}
.ia-pop{max-width:300px}.ia-pop .ia-h{font-weight:700}.ia-pop .ia-notes{font-style:italic}
"""


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class MapSummary:
    """What build_map drew; kept on the map as `fmap.atlas_summary` (for tests and captions)."""

    mode: str  # "points" (one circle per incident) or "cells" (aggregated grid)
    incidents: int  # rows passed in
    located: int  # rows with coordinates
    features: int  # circles drawn
    cell_degrees: tuple[float, float] | None  # finest and coarsest square when mode == "cells"
    heat: bool
    sites: int  # sites drawn
    selected: bool  # selection ring drawn


def build_map(
    incidents: pd.DataFrame,
    *,
    color_by: str = "side",
    theme: str = "light",
    basemap: str = "offline",
    sites: Any = None,
    highlight_days: int | None = None,
    heat: bool = False,
    max_markers: int = 1500,
    selected_id: str | None = None,
) -> folium.Map:
    """The incident map for `incidents` (canonical schema; optional `side1` column).

    color_by: "side" (actor1's side, column side1; Unknown when absent) or "event_type".
    theme: "light" or "dark" (basemap, legend and marker strokes).
    basemap: "offline" (bundled borders, no tile server) or a tile URL template
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png" or a local "/tiles/{z}/{x}/{y}.png").
    sites: gazetteer sites drawn as one layer, each with the number of `incidents` rows having
        its site_id: a DataFrame (site_id or id, name, latitude, longitude, optional kind) or the
        gazetteer's SiteTable / any iterable of objects with those attributes.
    highlight_days: incidents in the last N days of the data get a bright ring.
    heat: add a heat layer (aggregated, weighted) shown on opening.
    max_markers: above this many located incidents, draw aggregated grid cells instead.
    selected_id: incident drawn with a selection ring.
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}, not {color_by!r}")
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {THEMES}, not {theme!r}")
    if highlight_days is not None and highlight_days < 1:
        raise ValueError("highlight_days must be a positive number of days")
    offline = _check_basemap(basemap)
    use_offline_assets()
    style = THEME_STYLE[theme]

    total = len(incidents)
    frame = _located(incidents)
    categories, legend_rows = _categorise(frame, color_by)
    frame = frame.assign(_cat=categories)
    recent, since = _recent(frame, highlight_days)
    frame = frame.assign(_recent=recent)

    min_zoom, max_zoom = OFFLINE_ZOOM if offline else ONLINE_ZOOM
    # folium passes min_zoom/max_zoom only to a tile layer; with tiles=None the map itself needs
    # them (MarkerCluster and HeatMap read map.getMaxZoom()).
    fmap = folium.Map(
        location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM, tiles=None, prefer_canvas=True,
        control_scale=True, **{"minZoom": min_zoom, "maxZoom": max_zoom},
    )  # fmt: skip
    fmap.add_child(_Setup(theme=theme, offline=offline))  # first: icon path, CSS, theme
    if offline:
        fmap.add_child(_OfflineBasemap(style))
    else:
        folium.TileLayer(
            tiles=basemap, attr=_tile_attribution(basemap), name="Basemap",
            min_zoom=min_zoom, max_zoom=max_zoom, control=False,
        ).add_to(fmap)  # fmt: skip

    if heat and len(frame):  # before the incidents, so its canvas lies under their circles
        fmap.add_child(_heat_layer(frame))
    colors = {label: color for label, color, _ in legend_rows}
    aggregated = len(frame) > max_markers
    if aggregated:
        features, step = _cell_features(frame, colors, color_by)
        layer_name = f"Incidents: {len(frame):,} in {len(features):,} squares"
    else:
        features, step = _incident_features(frame, colors), None
        layer_name = f"Incidents ({len(frame):,})"
    fmap.add_child(_PointLayer(features, style=style, name=layer_name, svg=not aggregated))

    site_layer = None if sites is None else _SiteLayer.from_frames(sites, incidents)
    if site_layer is not None:
        fmap.add_child(site_layer)
    ring = None if selected_id is None else _selection(frame, selected_id, style)
    if ring is not None:
        fmap.add_child(ring)

    legend = _legend_html(
        color_by=color_by, rows=legend_rows, total=total, located=len(frame),
        aggregated=aggregated, cells=len(features), step=step, max_markers=max_markers,
        highlight_days=highlight_days, since=since, style=style, offline=offline,
    )  # fmt: skip
    fmap.add_child(_Legend(legend))
    folium.plugins.Fullscreen(position="topleft").add_to(fmap)
    folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    bounds = _bounds(frame)
    if bounds is not None:
        # The legend (up to 290 px wide) sits bottom right: keep the data clear of it.
        fmap.fit_bounds(
            bounds, max_zoom=FIT_MAX_ZOOM, padding_top_left=(20, 20),
            padding_bottom_right=(310, 40),
        )  # fmt: skip
    fmap.atlas_summary = MapSummary(
        mode="cells" if aggregated else "points", incidents=total, located=len(frame),
        features=len(features), cell_degrees=step, heat=bool(heat and len(frame)),
        sites=0 if site_layer is None else site_layer.feature_count, selected=ring is not None,
    )  # fmt: skip
    return fmap


def incident_id_from_click(result: Mapping[str, Any] | None) -> str | None:
    """The incident id behind `st_folium`'s return value, or None.

    Reads `last_object_clicked_tooltip` (or `last_object_clicked_popup`), whose text starts
    "#<incident_id> · " for an incident marker; grid cells and sites do not start with "#".
    """
    if not result:
        return None
    for key in ("last_object_clicked_tooltip", "last_object_clicked_popup"):
        text = result.get(key)
        if isinstance(text, str):
            match = _CLICK_ID.match(text)
            if match:
                return match.group(1).strip() or None
    return None


# --------------------------------------------------------------------------- data shaping


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def _located(incidents: pd.DataFrame) -> pd.DataFrame:
    """Rows with usable WGS84 coordinates."""
    lat = pd.to_numeric(_column(incidents, "latitude"), errors="coerce").astype("float64")
    lon = pd.to_numeric(_column(incidents, "longitude"), errors="coerce").astype("float64")
    ok = lat.between(-90, 90) & lon.between(-180, 180)
    frame = incidents.loc[ok.to_numpy()].copy()
    frame["_lat"] = lat[ok].to_numpy()
    frame["_lon"] = lon[ok].to_numpy()
    return frame


def _categorise(frame: pd.DataFrame, color_by: str) -> tuple[pd.Series, list]:
    """Per-row legend label, and legend rows [(label, colour, count)] most frequent first."""
    if color_by == "side":
        raw, palette = _column(frame, "side1"), SIDE_COLORS
    else:
        raw, palette = _column(frame, "event_type"), TYPE_COLORS
    labels = raw.astype("string").str.strip().replace("", pd.NA).fillna(UNKNOWN)
    counts = labels.value_counts(sort=True)
    named = [c for c in counts.index if c != UNKNOWN]
    keep = named[:MAX_LEGEND_CATEGORIES]
    extra = iter(EXTRA_COLORS)
    colors: dict[str, str] = {}
    for label in keep:
        color = palette.get(label) or next(extra, None)
        if color is None:
            break
        colors[label] = color
    labels = labels.where(labels.isin(list(colors) + [UNKNOWN]), OTHER)
    rows = [(label, colors[label], int(counts[label])) for label in colors]
    other = int(counts.drop(list(colors) + [UNKNOWN], errors="ignore").sum())
    if other:
        rows.append((OTHER, OTHER_COLOR, other))
    if UNKNOWN in counts.index:
        rows.append((UNKNOWN, UNKNOWN_COLOR, int(counts[UNKNOWN])))
    return labels.astype("object"), rows


def _recent(frame: pd.DataFrame, days: int | None) -> tuple[np.ndarray, pd.Timestamp | None]:
    if not days or frame.empty:
        return np.zeros(len(frame), dtype=bool), None
    dates = pd.to_datetime(_column(frame, "event_date"), errors="coerce")
    latest = dates.max()
    if pd.isna(latest):
        return np.zeros(len(frame), dtype=bool), None
    since = latest.normalize() - pd.Timedelta(days=days - 1)
    return (dates >= since).fillna(False).to_numpy(dtype=bool), since


def _bounds(frame: pd.DataFrame) -> list[list[float]] | None:
    if frame.empty:
        return None
    lat, lon = frame["_lat"], frame["_lon"]
    if len(frame) >= 100:  # a few stray geocodes should not zoom the view out to the world
        lo, hi = 0.005, 0.995
        box = [[lat.quantile(lo), lon.quantile(lo)], [lat.quantile(hi), lon.quantile(hi)]]
    else:
        box = [[lat.min(), lon.min()], [lat.max(), lon.max()]]
    return [[round(float(v), 4) for v in corner] for corner in box]


# --------------------------------------------------------------------------- text


def _e(value: Any) -> str:
    """Data value -> escaped HTML text ('' for NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _is_na(value: Any) -> bool:
    return value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value))


def _count(value: Any) -> str:
    return "unknown" if _is_na(value) else f"{int(value):,}"


def _casualties(killed: Any, wounded: Any) -> str:
    return f"killed: {_count(killed)}, wounded: {_count(wounded)}"


def _link(url: Any, text: Any) -> str:
    """An <a> only for http(s) URLs; anything else is shown as escaped text."""
    label = _e(text) or _e(url)
    if _is_na(url):
        return label
    url = str(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return label
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return label if not _e(text) else f"{label} ({_e(url)})"
    return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{label or "link"}</a>'


def _sources_line(sources: Any) -> str:
    """'Sources (3): <a>AP</a> · <a>Reuters</a> · AFP' when an incident has several."""
    if sources is None or isinstance(sources, str) or len(sources) < 2:
        return ""
    links = " \u00b7 ".join(_link(s.get("url"), s.get("publication")) or "source" for s in sources)
    return f"<div>Sources ({len(sources)}): {links}</div>"


def _date_text(date: Any, precision: Any) -> str:
    if _is_na(date):
        return "date unknown"
    text = pd.Timestamp(date).strftime("%Y-%m-%d")
    if not _is_na(precision) and int(precision) == 2:
        text += " (\u00b1 week)"
    elif not _is_na(precision) and int(precision) == 3:
        text += " (month)"
    return text


def _place(row: Mapping[str, Any]) -> str:
    parts = [_e(row.get(c)) for c in ("location", "admin1", "country")]
    return ", ".join(p for p in parts if p) or "place unknown"


def _incident_texts(row: Mapping[str, Any]) -> tuple[str, str]:
    """(tooltip, popup) HTML for one incident; every data value escaped."""
    iid = _e(row.get("incident_id"))
    date = _date_text(row.get("event_date"), row.get("time_precision"))
    etype = _e(row.get("event_type")) or "type unknown"
    place = _place(row)
    head = f"#{iid} \u00b7 " if iid else ""
    tooltip = f"{head}{date} \u00b7 {etype} \u00b7 {_e(row.get('location')) or place}"
    weapon = _e(row.get("weapon"))
    actor1, actor2 = _e(row.get("actor1")) or "unknown", _e(row.get("actor2"))
    side = _e(row.get("side1"))
    actors = actor1 + (f" ({side})" if side else "") + (f" \u2192 {actor2}" if actor2 else "")
    notes = "" if _is_na(row.get("notes")) else str(row.get("notes"))
    if len(notes) > NOTES_CHARS:
        notes = notes[: NOTES_CHARS - 1].rstrip() + "\u2026"
    lines = [
        f'<div class="ia-h">{head}{date}</div>',
        f"<div><b>{etype}</b>{f' ({weapon})' if weapon else ''}</div>",
        f"<div>Actors: {actors}</div>",
        f"<div>Place: {place}</div>",
        f"<div>Casualties: {_casualties(row.get('killed'), row.get('wounded'))}</div>",
    ]
    source = _link(row.get("source_url"), row.get("source"))
    listed = _sources_line(row.get("sources"))  # from the engine: every source, oldest first
    if listed:
        lines.append(listed)
    elif source:
        lines.append(f"<div>Source: {source}</div>")
    if notes:
        lines.append(f'<div class="ia-notes">{_e(notes)}</div>')
    dataset = _e(row.get("dataset"))
    if dataset:
        lines.append(f'<div class="ia-n">Dataset: {dataset}</div>')
    return tooltip, f'<div class="ia-pop">{"".join(lines)}</div>'


# --------------------------------------------------------------------------- features


def _radius_for_casualties(killed: pd.Series, wounded: pd.Series) -> np.ndarray:
    k = pd.to_numeric(killed, errors="coerce").astype("float64")
    w = pd.to_numeric(wounded, errors="coerce").astype("float64")
    total = k.fillna(0) + w.fillna(0)  # only where at least one figure is known...
    total = total.where(k.notna() | w.notna())  # ...both unknown stays unknown: smallest size
    size = 4 + 2 * np.sqrt(total.fillna(0).clip(lower=0).to_numpy(dtype="float64"))
    return np.round(np.minimum(size, 20), 1)


def _radius_for_count(count: np.ndarray) -> np.ndarray:
    return np.round(np.minimum(4 + 4 * np.log10(np.maximum(count, 1)), 26), 1)


def _point(lat: float, lon: float, props: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": props,
    }


def _incident_features(frame: pd.DataFrame, colors: Mapping[str, str]) -> list[dict]:
    """One circle per point. Incidents at the very same point (every report that names only
    "Ain al-Asad") share one circle whose popup lists them all, newest first; otherwise the
    top circle would hide the others from every click."""
    if frame.empty:
        return []
    radius = _radius_for_casualties(_column(frame, "killed"), _column(frame, "wounded"))
    columns = [c for c in frame.columns if not c.startswith("_")]
    records = frame[columns].to_dict("records")
    lats, lons = frame["_lat"].to_numpy(), frame["_lon"].to_numpy()
    cats, recent = frame["_cat"].to_numpy(), frame["_recent"].to_numpy()
    # Nanoseconds since 1970; an unknown date (NaT) is the smallest value, so it sorts last.
    stamps = pd.to_datetime(_column(frame, "event_date"), errors="coerce").to_numpy(
        "datetime64[ns]"
    )
    stamps = stamps.astype("int64")
    points = pd.Series(list(zip(np.round(lats, 5), np.round(lons, 5), strict=True)))
    stacks = points.groupby(points, sort=False).indices
    features = []
    for members in stacks.values():
        members = sorted(members, key=lambda i: stamps[i], reverse=True)
        lead = members[0]
        tooltip, popup = _incident_texts(records[lead])
        if len(members) > 1:
            tooltip += f" (+{len(members) - 1} more at this point)"
            shown = [_incident_texts(records[i])[1] for i in members[:MAX_STACK_POPUPS]]
            more = len(members) - len(shown)
            popup = (
                f'<div class="ia-h">{len(members)} incidents at this point, newest first</div>'
                + "<hr>".join(shown)
                + (f'<div class="ia-n">and {more} more: narrow the filters</div>' if more else "")
            )
        iid = records[lead].get("incident_id")
        size = float(radius[members].max()) + (2 * np.log2(len(members)) if len(members) > 1 else 0)
        props = {
            "id": None if _is_na(iid) else str(iid),
            "c": colors.get(cats[lead], _fallback(cats[lead])),
            "r": round(min(size, 24.0), 1), "h": int(recent[members].any()), "n": len(members),
            "t": tooltip, "p": popup,
        }  # fmt: skip
        features.append((bool(recent[members].any()), -size, _point(lats[lead], lons[lead], props)))
    # Recent on top, small over big, so no circle hides a smaller one.
    features.sort(key=lambda item: (item[0], item[1]))
    return [feature for _, _, feature in features]


def _fallback(label: str) -> str:
    return UNKNOWN_COLOR if label == UNKNOWN else OTHER_COLOR


def _grid_keys(lat: np.ndarray, lon: np.ndarray, max_cells: int) -> tuple[np.ndarray, float]:
    """Uniform grid: cell key per point for the finest step in GRID_STEPS giving <= max_cells."""
    for step in GRID_STEPS:
        keys = (np.floor((lat + 90) / step).astype(np.int64) * 100_000
                + np.floor((lon + 180) / step).astype(np.int64))  # fmt: skip
        if len(np.unique(keys)) <= max_cells or step == GRID_STEPS[-1]:
            return keys, step
    raise AssertionError("unreachable")


def _quadtree_keys(lat: np.ndarray, lon: np.ndarray, max_cells: int) -> tuple[np.ndarray, int]:
    """Split space into at most max_cells squares, finest where incidents are densest.

    Squares are nested grids of CELL_DEGREES * 2**level (level 0 = 0.05°, level 7 = 6.4°).
    Starting from the coarsest squares, the square holding the most incidents is split into its
    (up to 4) occupied children while the total stays <= max_cells. The result is a partition:
    every incident is in exactly one square, squares never overlap. Returns per point the key
    (level << 40 | row << 20 | column) and the number of distinct squares.
    """
    ilat0 = np.floor((lat + 90) / CELL_DEGREES).astype(np.int64)
    ilon0 = np.floor((lon + 180) / CELL_DEGREES).astype(np.int64)
    counts: list[dict[int, int]] = []
    level_keys: list[np.ndarray] = []
    for level in range(QUAD_LEVELS):
        keys = ((ilat0 >> level) << 20) | (ilon0 >> level)
        unique, count = np.unique(keys, return_counts=True)
        level_keys.append(keys)
        counts.append(dict(zip(unique.tolist(), count.tolist(), strict=True)))
    top = QUAD_LEVELS - 1
    leaves = {(top, key) for key in counts[top]}
    heap = [(-n, top, key) for key, n in counts[top].items()]
    heapq.heapify(heap)
    while heap:
        n, level, key = heapq.heappop(heap)
        if level == 0 or n == -1:
            continue
        row, col = key >> 20, key & 0xFFFFF
        children = [
            ((2 * row + i) << 20) | (2 * col + j)
            for i in (0, 1)
            for j in (0, 1)
            if ((2 * row + i) << 20) | (2 * col + j) in counts[level - 1]
        ]
        if len(leaves) + len(children) - 1 > max_cells:
            break  # splitting the densest square no longer fits: stop refining
        leaves.discard((level, key))
        for child in children:
            leaves.add((level - 1, child))
            heapq.heappush(heap, (-counts[level - 1][child], level - 1, child))
    out = np.full(len(lat), -1, dtype=np.int64)
    for level in range(QUAD_LEVELS):
        wanted = np.fromiter((k for lv, k in leaves if lv == level), dtype=np.int64)
        if len(wanted):
            hit = (out < 0) & np.isin(level_keys[level], wanted)
            out[hit] = (level << 40) | level_keys[level][hit]
    return out, len(leaves)


def _cell_degrees(key: int) -> float:
    return CELL_DEGREES * 2 ** (key >> 40)


def _top(frame: pd.DataFrame, keys: pd.Series, column: str, n: int) -> dict[int, list]:
    values = frame[column].astype("string")
    counts = (
        pd.DataFrame({"k": keys, "v": values}).dropna().groupby(["k", "v"], observed=True).size()
    )
    counts = counts.sort_values(ascending=False, kind="stable").groupby(level=0).head(n)
    top: dict[int, list] = {}
    for (key, value), count in counts.items():
        top.setdefault(key, []).append((value, int(count)))
    return top


def _cell_features(
    frame: pd.DataFrame, colors: Mapping[str, str], color_by: str
) -> tuple[list[dict], tuple[float, float]]:
    keys_np, _ = _quadtree_keys(frame["_lat"].to_numpy(), frame["_lon"].to_numpy(), MAX_CELLS)
    keys = pd.Series(keys_np, index=frame.index, name="k")
    killed = pd.to_numeric(_column(frame, "killed"), errors="coerce")
    wounded = pd.to_numeric(_column(frame, "wounded"), errors="coerce")
    dates = pd.to_datetime(_column(frame, "event_date"), errors="coerce")
    work = pd.DataFrame({
        "k": keys, "lat": frame["_lat"], "lon": frame["_lon"], "killed": killed,
        "wounded": wounded, "date": dates, "recent": frame["_recent"],
    })  # fmt: skip
    g = work.groupby("k", sort=False)
    agg = g.agg(
        n=("lat", "size"), lat=("lat", "mean"), lon=("lon", "mean"),
        killed=("killed", "sum"), killed_known=("killed", "count"),
        wounded=("wounded", "sum"), wounded_known=("wounded", "count"),
        first=("date", "min"), last=("date", "max"), recent=("recent", "sum"),
    )  # fmt: skip
    cats = _top(frame, keys, "_cat", 3)
    places = _top(frame, keys, "location", 3)
    single_rows = frame.loc[keys.map(agg["n"]).to_numpy() == 1]
    singles = dict(zip(keys[single_rows.index], single_rows.to_dict("records"), strict=True))
    what = "side" if color_by == "side" else "type"
    radius = _radius_for_count(agg["n"].to_numpy())
    agg = agg.assign(r=radius).sort_values(["recent", "r"], ascending=[True, False])
    features = []
    for key, cell in agg.iterrows():
        step = _cell_degrees(key)
        top_cats = cats.get(key, [(UNKNOWN, int(cell.n))])
        color = colors.get(top_cats[0][0], _fallback(top_cats[0][0]))
        if key in singles:
            row = singles[key]
            tooltip, popup = _incident_texts(row)
            iid = row.get("incident_id")
            props = {"id": None if _is_na(iid) else str(iid)}
        else:
            n = int(cell.n)
            period = (f"{cell['first']:%Y-%m-%d} to {cell['last']:%Y-%m-%d}"
                      if not pd.isna(cell["first"]) else "dates unknown")  # fmt: skip
            breakdown = "; ".join(f"{_e(v)} {c:,}" for v, c in top_cats)
            where = "; ".join(f"{_e(v)} ({c:,})" for v, c in places.get(key, []))
            casualty = (
                f"killed: {_sum_text(cell.killed, cell.killed_known, n)}, "
                f"wounded: {_sum_text(cell.wounded, cell.wounded_known, n)}"
            )
            recent = f" \u00b7 {int(cell.recent):,} recent" if cell.recent else ""
            first_place = _e(places[key][0][0]) if places.get(key) else "no place name"
            tooltip = f"{n:,} incidents \u00b7 {first_place}{recent}"
            lines = [
                f'<div class="ia-h">{n:,} incidents in this {step:g}\u00b0 square '
                f"(about {step * 111:.0f} km)</div>",
                f"<div>{period}</div>",
                f"<div>Most frequent {what}: {breakdown}</div>",
                f"<div>Casualties: {casualty}</div>",
            ]
            if where:
                lines.append(f"<div>Places: {where}</div>")
            if cell.recent:
                lines.append(f"<div>{int(cell.recent):,} in the highlighted days</div>")
            lines.append('<div class="ia-n">Filter further to see single incidents.</div>')
            popup = f'<div class="ia-pop">{"".join(lines)}</div>'
            props = {"n": n}
        props.update(c=color, r=float(cell.r), h=int(cell.recent > 0), t=tooltip, p=popup)
        features.append(_point(float(cell.lat), float(cell.lon), props))
    levels = [_cell_degrees(k) for k in agg.index] or [CELL_DEGREES]
    return features, (min(levels), max(levels))


def _sum_text(total: float, known: int, n: int) -> str:
    if known == 0:
        return "unknown"
    text = f"{int(total):,}"
    return text if known == n else f"\u2265 {text} (figures for {known:,} of {n:,})"


def _heat_layer(frame: pd.DataFrame) -> folium.plugins.HeatMap:
    keys, _ = _grid_keys(frame["_lat"].to_numpy(), frame["_lon"].to_numpy(), HEAT_MAX_CELLS)
    work = pd.DataFrame(
        {"k": keys, "lat": frame["_lat"].to_numpy(), "lon": frame["_lon"].to_numpy()}
    )
    agg = work.groupby("k").agg(lat=("lat", "mean"), lon=("lon", "mean"), n=("lat", "size"))
    weight = np.log1p(agg["n"].to_numpy())
    data = np.column_stack([agg["lat"].round(4), agg["lon"].round(4), np.round(weight, 3)])
    # Leaflet.heat scales weights by 2**-(max_zoom - zoom) and normalises by the densest screen
    # cell; with max_zoom at the regional view's zoom the densest places read red there instead
    # of everything sitting at min_opacity.
    return folium.plugins.HeatMap(
        data.tolist(), name="Heat (incidents, log-weighted)", radius=20, blur=16,
        min_opacity=0.1, max_zoom=HEAT_FULL_ZOOM, show=True,
    )  # fmt: skip


def _selection(frame: pd.DataFrame, selected_id: str, style: Mapping[str, str]):
    ids = _column(frame, "incident_id").astype("string")
    hit = frame.loc[(ids == str(selected_id)).fillna(False).to_numpy()]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return _SelectionRing(float(row["_lat"]), float(row["_lon"]), style["selected"])


# --------------------------------------------------------------------------- legend


def _legend_html(
    *, color_by: str, rows: Iterable, total: int, located: int, aggregated: bool, cells: int,
    step: tuple[float, float] | None, max_markers: int, highlight_days: int | None,
    since: pd.Timestamp | None, style: Mapping[str, str], offline: bool,
) -> str:  # fmt: skip
    title = "Colour: actor side" if color_by == "side" else "Colour: event type"
    if aggregated:
        title += " (most frequent in square)"
    parts = [f"<details open><summary>{title}</summary>"]
    for label, color, count in rows:
        parts.append(
            f'<div class="ia-row"><span class="ia-sw" style="background:{color}"></span>'
            f'{_e(label)}<span class="ia-n">{count:,}</span></div>'
        )
    if not located:
        parts.append('<div class="ia-note">No incidents with coordinates to show.</div>')
    if aggregated and step is not None:
        sizes = (
            f"{step[0]:g}\u00b0" if step[0] == step[1] else f"{step[0]:g}\u2013{step[1]:g}\u00b0"
        )
        parts.append(
            f'<div class="ia-note">{located:,} incidents is more than {max_markers:,} to draw '
            f"one by one: grouped into {cells:,} squares of {sizes} (smaller where incidents "
            "are denser); circle size = number of incidents.</div>"
        )
    else:
        parts.append(
            '<div class="ia-note">Size: killed + wounded (smallest: none or unknown).</div>'
        )
    if highlight_days and since is not None:
        parts.append(
            f'<div class="ia-note"><span class="ia-sw" style="background:transparent;'
            f'border:2px solid {style["recent"]}"></span>Ring: '
            f"{'has incidents from ' if aggregated else ''}the last {highlight_days} days "
            f"(since {since:%Y-%m-%d})</div>"
        )
    if total > located:
        parts.append(
            f'<div class="ia-note">{total - located:,} of {total:,} incidents have no '
            "coordinates and are not on the map.</div>"
        )
    if offline:
        parts.append('<div class="ia-note ia-n">Borders: Natural Earth (offline)</div>')
    parts.append("</details>")
    return "".join(parts)


# --------------------------------------------------------------------------- folium elements


def _js(value: Any) -> str:
    """JSON for inline <script>: cannot close the script tag or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _Setup(JSCSSMixin, folium.MacroElement):
    """Added first: Leaflet's icon path, the map's CSS and theme classes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.icon_path }};
        (function (map) {
            if (!document.getElementById("ia-style")) {
                var s = document.createElement("style");
                s.id = "ia-style";
                s.textContent = {{ this.css }};
                document.head.appendChild(s);
            }
            var c = map.getContainer();
            c.classList.add("ia-map", {{ this.theme_class }});
            {% if this.offline %}c.classList.add("ia-offline");{% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, theme: str, offline: bool):
        super().__init__()
        self._name = "IncidentAtlasSetup"
        self.icon_path = _js(ICON_IMAGE_PATH)
        self.css = _js(_CSS)
        self.theme_class = _js(f"ia-{theme}")
        self.offline = offline


class _OfflineBasemap(Layer):
    """Natural Earth borders fetched by the browser (not embedded), drawn in the tile pane."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup([], {attribution: "Natural Earth"});
        (function (group, map) {
            if (!map.getPane("ia-labels")) {
                var pane = map.createPane("ia-labels");
                pane.style.zIndex = 250;
                pane.style.pointerEvents = "none";
            }
            var style = {{ this.style }};
            fetch({{ this.url }})
                .then(function (r) {
                    if (!r.ok) { throw new Error("HTTP " + r.status); }
                    return r.json();
                })
                .then(function (data) {
                    L.geoJSON(data, {
                        pane: "tilePane", interactive: false,
                        style: function () { return style; }
                    }).addTo(group);
                    data.features.forEach(function (f) {
                        var at = f.properties.label;
                        if (!at) { return; }
                        var span = document.createElement("span");
                        span.textContent = f.properties.name;
                        L.marker(at, {
                            icon: L.divIcon({className: "ia-country-label", html: span,
                                             iconSize: [120, 14], iconAnchor: [60, 7]}),
                            interactive: false, keyboard: false, pane: "ia-labels"
                        }).addTo(group);
                    });
                })
                .catch(function (err) { console.warn("offline basemap not loaded:", err); });
        })({{ this.get_name() }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, style: Mapping[str, str]):
        super().__init__(name="Borders (Natural Earth)", overlay=True, control=True, show=True)
        self._name = "OfflineBasemap"
        self.url = _js(BASEMAP_URL)
        self.style = _js(
            {"color": style["border"], "weight": 0.8, "fillColor": style["land"],
             "fillOpacity": 1, "opacity": 1}
        )  # fmt: skip


class _PointLayer(Layer):
    """ONE GeoJSON layer of canvas circles; each feature carries tooltip and popup HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            // SVG lets clicks between circles reach the sites pane underneath; canvas (one
            // element for thousands of aggregated squares) is faster but takes every click.
            var renderer = {{ this.svg }} ? L.svg({padding: 0.5}) : L.canvas({padding: 0.5});
            var stroke = {{ this.stroke }}, ring = {{ this.ring }};
            return L.geoJSON({{ this.data }}, {
                pointToLayer: function (f, latlng) {
                    var p = f.properties;
                    return L.circleMarker(latlng, {
                        renderer: renderer, radius: p.r, fillColor: p.c, fillOpacity: 0.78,
                        color: p.h ? ring : stroke, weight: p.h ? 3 : 0.8, opacity: p.h ? 1 : 0.8
                    });
                },
                onEachFeature: function (f, layer) {
                    layer.bindTooltip(f.properties.t, {sticky: true});
                    layer.bindPopup(f.properties.p, {maxWidth: 320, maxHeight: 380});
                }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, features: list[dict], *, style: Mapping[str, str], name: str, svg: bool = False
    ):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "IncidentLayer"
        self.svg = _js(svg)
        self.feature_count = len(features)
        self.data = _js({"type": "FeatureCollection", "features": features})
        self.stroke = _js(style["stroke"])
        self.ring = _js(style["recent"])


class _SiteLayer(Layer):
    """Gazetteer sites as one layer of small diamonds labelled with their incident count."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        // Sites sit in their own pane under the incidents' overlay pane (z-index 400), so a
        // site marker never hides, or takes the click of, an incident drawn at the same point.
        if (!{{ this._parent.get_name() }}.getPane("ia-sites")) {
            {{ this._parent.get_name() }}.createPane("ia-sites").style.zIndex = 390;
        }
        var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
            pointToLayer: function (f, latlng) {
                var n = f.properties.n;
                return L.marker(latlng, {
                    keyboard: false, pane: "ia-sites",
                    icon: L.divIcon({
                        className: "ia-site" + (n ? "" : " ia-zero"),
                        iconSize: [12, 12], iconAnchor: [6, 6],
                        html: '<i class="ia-dia"></i>' +
                            (n ? '<span class="ia-site-n">' + n + "</span>" : "")
                    })
                });
            },
            onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.t); }
        });
        {% endmacro %}
        """
    )

    def __init__(self, features: list[dict], name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "SiteLayer"
        self.feature_count = len(features)
        self.data = _js({"type": "FeatureCollection", "features": features})

    @classmethod
    def from_frames(cls, sites: Any, incidents: pd.DataFrame) -> _SiteLayer | None:
        located = _located(_sites_frame(sites))
        if located.empty:
            return None
        ids = _column(located, "site_id").astype("string")
        counts = _column(incidents, "site_id").astype("string").value_counts()
        n = ids.map(counts).fillna(0).astype("int64").to_numpy()
        names = _column(located, "name")
        if names.isna().all():
            names = _column(located, "site_name")
        kinds = _column(located, "kind")
        order = np.argsort(-n, kind="stable")[:MAX_SITES]
        features = []
        for i in order:
            label = _e(names.iloc[i]) or _e(ids.iloc[i]) or "site"
            kind = _e(kinds.iloc[i]).replace("_", " ")
            count = int(n[i])
            tip = (f"Site: {label}{f' ({kind})' if kind else ''} \u00b7 {count:,} "
                   f"incident{'s' if count != 1 else ''}")  # fmt: skip
            props = {"id": None if _is_na(ids.iloc[i]) else str(ids.iloc[i]), "n": count, "t": tip}
            features.append(_point(located["_lat"].iloc[i], located["_lon"].iloc[i], props))
        shown = f"{len(features):,}" + (f" of {len(located):,}" if len(located) > MAX_SITES else "")
        return cls(features, name=f"Sites ({shown})")


def _sites_frame(sites: Any) -> pd.DataFrame:
    """Sites as a frame with site_id: a DataFrame (site_id or id column), a gazetteer table with
    a `.sites` sequence, or any iterable of objects with id, name, latitude, longitude (kind)."""
    if isinstance(sites, pd.DataFrame):
        if "site_id" not in sites.columns and "id" in sites.columns:
            return sites.rename(columns={"id": "site_id"})
        return sites
    items = getattr(sites, "sites", sites)
    fields = ("id", "name", "kind", "latitude", "longitude")
    rows = [{f: getattr(item, f, None) for f in fields} for item in items]
    return pd.DataFrame(rows, columns=list(fields)).rename(columns={"id": "site_id"})


class _SelectionRing(folium.MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.circleMarker({{ this.at }}, {
            renderer: L.svg(), radius: 16, color: {{ this.color }}, weight: 3,
            dashArray: "5 4", fill: false, interactive: false
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, lat: float, lon: float, color: str):
        super().__init__()
        self._name = "SelectionRing"
        self.at = _js([round(lat, 5), round(lon, 5)])
        self.color = _js(color)


class _Legend(folium.MacroElement):
    """The legend as a Leaflet control (part of the map script, so st_folium keeps it)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "ia-legend");
            div.innerHTML = {{ this.html }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str):
        super().__init__()
        self._name = "Legend"
        self.legend_html = legend_html
        self.html = _js(legend_html)


# --------------------------------------------------------------------------- basemap


def _check_basemap(basemap: str) -> bool:
    """True for the offline basemap; validates a tile URL template otherwise."""
    if basemap == "offline":
        return True
    template = str(basemap)
    if not template.startswith(("http://", "https://", "/")) or not all(
        part in template for part in ("{z}", "{x}", "{y}")
    ):
        raise BadSetting(
            f"ATLAS_BASEMAP={basemap!r} is not usable: set it to 'offline' (the bundled borders) "
            "or to a tile URL template with {z}, {x} and {y}, e.g. "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    return False


def _tile_attribution(template: str) -> str:
    host = urlsplit(template).hostname or "local tile server"
    for domain, attribution in KNOWN_TILES.items():
        if host == domain or host.endswith("." + domain):
            return attribution
    return f"Tiles: {html.escape(host)}"
