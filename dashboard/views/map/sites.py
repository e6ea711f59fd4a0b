"""Gazetteer sites: small diamonds labelled with the selection's incidents at each, a tooltip,
and a popup linking the site's dossier page. Where two would overlap on screen the busier one is
shown until a closer zoom separates them (map.js)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import pandas as pd

from dashboard.views.map.elements import AtlasLayer
from dashboard.views.map.points import located, point_feature
from dashboard.views.map.templates import render, text

MAX_SITES = 1000
DOSSIER_PATH = "/site"


def dossier_url(site_id: str) -> str:
    return f"{DOSSIER_PATH}?id={quote(site_id, safe='')}"


def sites_frame(sites: Any) -> pd.DataFrame:
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


def site_features(sites: Any, counts: Mapping[str, int], *, dossiers: bool = True) -> list[dict]:
    """One point per located site (busiest first, at most MAX_SITES): n, id, t, p."""
    frame = located(sites_frame(sites))
    if frame.empty:
        return []
    frame = frame.assign(_n=[int(counts.get(text(s), 0)) for s in frame["site_id"]])
    frame = frame.sort_values("_n", ascending=False, kind="stable").head(MAX_SITES)
    features = []
    for row in frame.to_dict("records"):
        site_id = text(row.get("site_id"))
        name = text(row.get("name")) or site_id or "site"
        context = {"name": name, "kind": text(row.get("kind")), "count": row["_n"]}
        props = {
            "id": site_id or None, "n": row["_n"],
            "t": str(render("site_tooltip.html", **context)),
            "p": str(render("site_popup.html", dossier=dossier_url(site_id) if (
                dossiers and site_id) else None, **context)),
        }  # fmt: skip
        features.append(point_feature(row["_lat"], row["_lon"], props))
    return features


def sites_layer(features: list[dict], *, scale: float, total: int) -> AtlasLayer:
    shown = f"{len(features):,}" + (f" of {total:,}" if total > len(features) else "")
    layer = AtlasLayer("sites", {"type": "FeatureCollection", "features": features},
                       {"scale": scale}, kind="SiteLayer", name=f"Sites ({shown})")  # fmt: skip
    layer.features = features
    return layer
