"""HTML for popups, tooltips and the legend: Jinja2 templates with autoescape on, so every value
from the data is escaped by default and only http(s) URLs can become links.

`render` returns markup with the whitespace between tags removed (it is sent for every incident
and hexagon); `js` turns a Python value into JSON that is safe inside an inline <script>.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

_BETWEEN_TAGS = re.compile(r">\s+<")


def is_missing(value: Any) -> bool:
    """None, pandas NA/NaT and float NaN; never an empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def text(value: Any) -> str:
    """A data value as text ('' when missing)."""
    return "" if is_missing(value) else str(value)


def figure(value: Any) -> str:
    """A count as people read it: '1,234', or 'unknown' (never 0) when missing."""
    return "unknown" if is_missing(value) else f"{int(value):,}"


def http_url(value: Any) -> str | None:
    """The URL when it is http(s) with a host, else None (shown as text, never linked)."""
    url = text(value).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def label(value: Any) -> str:
    """'foiled_attack' -> 'foiled attack'."""
    return text(value).replace("_", " ")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dashboard.views.map", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # packaged templates: no file check on every popup
    )
    env.filters.update(text=text, figure=figure, http_url=http_url, label=label)
    env.tests["missing"] = is_missing
    return env


@lru_cache(maxsize=32)
def _template(name: str):
    return environment().get_template(name)


def render(template: str, **context: Any) -> Markup:
    html = _template(template).render(**context)
    return Markup(_BETWEEN_TAGS.sub("><", html.strip()))


def mix(pairs, name=text) -> Markup:
    """'Iran-aligned militia 800 · US and coalition 300', escaped by MarkupSafe (made for every
    hexagon: it skips a template's overhead, not its escaping)."""
    return Markup(" \u00b7 ").join(escape(f"{name(value)} {figure(n)}") for value, n in pairs)


def js(value: Any) -> str:
    """JSON for an inline <script>: it cannot close the script tag or open a comment."""
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        encoded.replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
