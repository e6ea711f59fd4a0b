"""Incidents drawn one by one: ONE GeoJSON layer of circles (coloured by side or event type,
sized by known killed + wounded), each with a tooltip "#<id> · date · type · place" (read back
by `clicks.incident_id_from_click`) and a popup. Incidents reported at the very same point share
one circle whose popup lists them all, newest first; otherwise the top circle would hide the
others from every click."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.views.map.elements import AtlasLayer
from dashboard.views.map.palette import Category, categorise, category_color
from dashboard.views.map.templates import figure, http_url, is_missing, render, text

NOTES_CHARS = 280
MAX_STACK_POPUPS = 25
MAX_RADIUS = 20.0


def located(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with usable WGS84 coordinates, with float columns _lat and _lon."""
    lat = pd.to_numeric(_column(frame, "latitude"), errors="coerce").astype("float64")
    lon = pd.to_numeric(_column(frame, "longitude"), errors="coerce").astype("float64")
    ok = (lat.between(-90, 90) & lon.between(-180, 180)).to_numpy()
    out = frame.loc[ok].copy()
    out["_lat"], out["_lon"] = lat[ok].to_numpy(), lon[ok].to_numpy()
    return out


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def date_text(value: Any, precision: Any = None) -> str:
    if is_missing(value):
        return "date unknown"
    day = pd.Timestamp(value).strftime("%Y-%m-%d")
    if not is_missing(precision) and int(precision) == 2:
        return day + " (\u00b1 week)"
    if not is_missing(precision) and int(precision) == 3:
        return day + " (month)"
    return day


def _place(row: Mapping[str, Any]) -> str:
    parts = [text(row.get(c)) for c in ("location", "admin1", "country")]
    return ", ".join(p for p in parts if p) or "place unknown"


def incident_context(row: Mapping[str, Any]) -> dict[str, Any]:
    notes = text(row.get("notes"))
    if len(notes) > NOTES_CHARS:
        notes = notes[: NOTES_CHARS - 1].rstrip() + "\u2026"
    return {
        "id": text(row.get("incident_id")),
        "date": date_text(row.get("event_date"), row.get("time_precision")),
        "type": text(row.get("event_type")) or "type unknown",
        "weapon": text(row.get("weapon")),
        "actor1": text(row.get("actor1")), "actor2": text(row.get("actor2")),
        "side": text(row.get("side1")),
        "place": _place(row), "where": text(row.get("location")) or _place(row),
        "killed": row.get("killed"), "wounded": row.get("wounded"),
        "source": text(row.get("source")), "url": text(row.get("source_url")),
        "link": http_url(row.get("source_url")),
        "notes": notes, "dataset": text(row.get("dataset")),
        "sources": _sources(row.get("sources")),
    }  # fmt: skip


def _sources(sources: Any) -> list[dict[str, str]]:
    """Every source of an incident (from the engine, oldest first) when it has several:
    publication, and the link where it is http(s)."""
    if sources is None or isinstance(sources, str) or len(sources) < 2:
        return []
    return [
        {"publication": text(s.get("publication")) or "source", "link": http_url(s.get("url"))}
        for s in sources
    ]


def incident_tooltip(row: Mapping[str, Any], more: int = 0) -> str:
    return str(render("incident_tooltip.html", more=more, **incident_context(row)))


def incident_popup(row: Mapping[str, Any]) -> str:
    return str(render("incident_popup.html", **incident_context(row)))


def casualty_total(killed: pd.Series, wounded: pd.Series) -> pd.Series:
    """Known killed + wounded per incident (NaN where neither figure is known)."""
    k = pd.to_numeric(killed, errors="coerce").astype("float64")
    w = pd.to_numeric(wounded, errors="coerce").astype("float64")
    return (k.fillna(0) + w.fillna(0)).where(k.notna() | w.notna()).clip(lower=0)


def casualty_radius(killed: pd.Series, wounded: pd.Series, scale: float = 1.0) -> np.ndarray:
    """4 px, plus 2 px * sqrt(killed + wounded) where a figure is known (unknown: smallest)."""
    total = casualty_total(killed, wounded)
    size = 4 + 2 * np.sqrt(total.fillna(0).to_numpy(dtype="float64"))
    return np.round(np.minimum(size, MAX_RADIUS), 1)


def _known_total(values: np.ndarray) -> int | None:
    """Known killed + wounded of incidents drawn as one symbol; None when none is known (a
    wall that merges symbols adds these up and sizes the merged one by the sum)."""
    known = values[~np.isnan(values)]
    return int(known.sum()) if len(known) else None


def point_feature(lat: float, lon: float, props: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": props,
    }


def _stack_popup(records: Sequence[Mapping[str, Any]], members: Sequence[int]) -> str:
    shown = [render("incident_popup.html", **incident_context(records[i]))
             for i in members[:MAX_STACK_POPUPS]]  # fmt: skip
    more = len(members) - len(shown)
    return str(render("stack_popup.html", count=len(members), popups=shown, more=more))


def incident_features(
    frame: pd.DataFrame, color_by: str, recent_since=None
) -> tuple[list[dict], list[Category]]:
    """(features, legend rows) for located incidents `frame` (canonical columns + side1)."""
    frame = located(frame)
    if frame.empty:
        return [], []
    labels, rows = categorise(_column(frame, "side1" if color_by == "side" else "event_type"),
                              color_by)  # fmt: skip
    radius = casualty_radius(_column(frame, "killed"), _column(frame, "wounded"))
    known = casualty_total(_column(frame, "killed"), _column(frame, "wounded")).to_numpy()
    dates = pd.to_datetime(_column(frame, "event_date"), errors="coerce")
    recent = (dates >= pd.Timestamp(recent_since)).fillna(False).to_numpy(dtype=bool) if (
        recent_since is not None) else np.zeros(len(frame), dtype=bool)  # fmt: skip
    stamps = dates.to_numpy("datetime64[ns]").astype("int64")  # NaT sorts last (smallest)
    records = frame.drop(columns=["_lat", "_lon"]).to_dict("records")
    lats, lons, cats = frame["_lat"].to_numpy(), frame["_lon"].to_numpy(), labels.to_numpy()
    places = pd.Series(list(zip(np.round(lats, 5), np.round(lons, 5), strict=True)))
    features = []
    for members in places.groupby(places, sort=False).indices.values():
        members = sorted(members, key=lambda i: stamps[i], reverse=True)
        lead = members[0]
        extra = len(members) - 1
        size = float(radius[members].max()) + (2 * np.log2(len(members)) if extra else 0.0)
        hot = bool(recent[members].any())
        props = {
            "id": text(records[lead].get("incident_id")) or None,
            "c": category_color(cats[lead], rows), "r": round(min(size, 24.0), 1),
            "k": _known_total(known[members]),
            "h": int(hot), "n": len(members), "t": incident_tooltip(records[lead], extra),
            "p": _stack_popup(records, members) if extra else incident_popup(records[lead]),
        }  # fmt: skip
        features.append((hot, -size, point_feature(lats[lead], lons[lead], props)))
    # Recent on top, small over big, so no circle hides a smaller one.
    features.sort(key=lambda item: (item[0], item[1]))
    return [feature for _, _, feature in features], rows


def points_layer(
    features: list[dict], *, style: Mapping[str, str], scale: float, merge: bool = False
) -> AtlasLayer:
    """merge: symbols that would overlap on screen are drawn as one (a wall, see map.js)."""
    data = {"type": "FeatureCollection", "features": features}
    options = {"stroke": style["stroke"], "ring": style["recent"], "scale": scale,
               "merge": merge}  # fmt: skip
    layer = AtlasLayer(
        "points",
        data,
        options,
        kind="IncidentLayer",
        name=f"Incidents ({figure(sum(f['properties']['n'] for f in features))})",
    )
    layer.features = features
    return layer
