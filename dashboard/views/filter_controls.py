"""The sidebar filters, drawn from the filter registry and mirrored in the URL.

Every widget is keyed `filter_<name>`; its value goes through the same `Filters.parse` as the
URL and the CLI, so the sidebar, the link and an export always mean the same thing. URL values
that cannot be used are listed on the page, each with what was wrong, never silently dropped.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import streamlit as st

from dashboard import countries
from dashboard.engine import Engine
from dashboard.filters import (
    BY_NAME,
    REGISTRY,
    SIDE_ROLES,
    URL_KEYS,
    Filter,
    FilterProblem,
    Filters,
    misspelt_keys,
    umbrella_names,
)
from dashboard.views import safe
from dashboard.views.common import choices

PRESETS = {
    "whole campaign": None,
    "last 7 days of the data": 7,
    "last 30 days of the data": 30,
    "last 90 days of the data": 90,
    "custom": "custom",
}
ROLE_LABELS = {
    "attacker": "of the attacker",
    "target": "of the target",
    "either": "of either party",
}
NO_SITE = ""
# URL parameters that are settings of a page, not filters: anything else that is not a filter
# is reported as misspelt. The wall's (view, days, refresh, rotate, scale); the map's view and
# playback (map, play, window, speed) and the site dossier's (id, within), from the map branch.
PAGE_KEYS = (
    "view", "days", "refresh", "rotate", "scale", "map", "play", "window", "speed", "id",
    "within",
)  # fmt: skip


def query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def url_filters(engine: Engine) -> tuple[Filters, list]:
    """Filters from the page's URL, and the problems with values that could not be used
    (misspelt parameter names included)."""
    params = query_params()
    filters, problems = Filters.parse(params, engine.vocabulary)
    return filters, problems + misspelt_keys(params, PAGE_KEYS)


def page_number(
    name: str,
    default: float,
    low: float,
    high: float,
    *,
    whole: bool = True,
    default_words: str | None = None,
) -> tuple[float, list[FilterProblem]]:
    """A page setting from the URL (`days`, `refresh`, `scale`): the default when absent or
    unreadable, clamped to [low, high]; a problem says what was done with a bad value
    (`default_words` says what the default means when it is not a number to show)."""
    text = st.query_params.get(name)
    if text is None or not text.strip():
        return default, []
    kind = "whole number" if whole else "number"
    fallback = default_words or f"{default:g}"
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        return default, [FilterProblem(name, text, f"not a {kind}; using {fallback}")]
    if not (low <= value <= high) or not math.isfinite(value):
        clamped = min(max(value, low), high) if math.isfinite(value) else default
        used = f"{clamped:g}" if math.isfinite(value) else fallback
        message = f"must be {low:g} to {high:g}; using {used}"
        return clamped, [FilterProblem(name, text, message)]
    return value, []


def write_url(filters: Filters) -> None:
    """The filters into the URL, keeping parameters that are not filters (view, map, ...)."""
    kept = {k: v for k, v in st.query_params.to_dict().items() if k not in URL_KEYS}
    wanted = {**kept, **filters.to_query()}
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


def show_problems(problems: list) -> None:
    if problems:
        lines = "".join(safe.markdown("\n- {problem}", problem=p.describe()) for p in problems)
        st.warning(f"Some of this link's parameters could not be used:{lines}")


# ----------------------------------------------------------------------------- state


def _init_state(initial: Filters, data_span: tuple[date, date]) -> None:
    """Seed widget state from the URL once per session, so the URL wins on first load."""
    if st.session_state.get("_filters_initialised"):
        return
    st.session_state["_filters_initialised"] = True
    for spec in REGISTRY:
        _seed(spec, getattr(initial, spec.name))
    if initial.start or initial.end:
        st.session_state["filter_period"] = "custom"
        first, last = data_span
        st.session_state["filter_dates"] = (initial.start or first, initial.end or last)


def _seed(spec: Filter, value) -> None:
    key = f"filter_{spec.name}"
    if spec.widget in ("actor", "choice"):
        st.session_state[key] = list(value)
    elif spec.widget == "side":
        st.session_state[key] = list(value[0])
        st.session_state["filter_side_of"] = value[1]
    elif spec.widget == "number":
        st.session_state[key] = value or 0
    elif spec.widget == "text":
        st.session_state[key] = value
    elif spec.name == "near":
        st.session_state["filter_near_site"] = value.site_id if value and value.site_id else NO_SITE
        st.session_state["filter_near_km"] = float(value.km) if value else 25.0
        st.session_state["_near_point"] = value if value and not value.site_id else None
    elif spec.widget == "map":
        st.session_state[f"_{spec.name}"] = value


def set_date_span(start: date, end: date) -> None:
    """Apply a date span chosen elsewhere on the page (the timeline) to the sidebar."""
    st.session_state["filter_period"] = "custom"
    st.session_state["filter_dates"] = (start, end)


def set_map_filter(name: str, value) -> None:
    """A shape drawn on the map (bbox or area) becomes a filter; None clears it."""
    st.session_state[f"_{name}"] = value


# ----------------------------------------------------------------------------- widgets


def _period(sidebar, data_span: tuple[date, date]) -> dict[str, str]:
    preset = sidebar.selectbox("Period", list(PRESETS), key="filter_period")
    first, last = data_span
    if PRESETS[preset] == "custom":
        st.session_state.setdefault("filter_dates", (first, last))
        chosen = sidebar.date_input("Dates", key="filter_dates", format="YYYY-MM-DD")
        if isinstance(chosen, tuple | list) and len(chosen) == 2:
            return {"start": chosen[0].isoformat(), "end": chosen[1].isoformat()}
        return {}
    if PRESETS[preset]:
        return {"start": (last - timedelta(days=PRESETS[preset] - 1)).isoformat(),
                "end": last.isoformat()}  # fmt: skip
    return {}


def picker_columns(spec: Filter) -> tuple[str, ...]:
    """The columns whose values a picker offers (none for widgets that are not pickers)."""
    if spec.widget == "actor":
        return ("actor1", "actor2")
    return (spec.column,) if spec.widget == "choice" else ()


def _options(spec: Filter, engine: Engine) -> tuple[list[str], callable]:
    """Values a picker offers (those in the data, plus any already chosen) and their names."""
    version = engine.version
    if spec.widget == "actor":
        named = {v for c in picker_columns(spec) for v in choices(engine, version, c)}
        return sorted(named | (umbrella_names() & _umbrellas_in_use(named))), str
    (column,) = picker_columns(spec)
    values = choices(engine, version, column)
    if spec.name == "country":
        return sorted(values, key=countries.name_of), countries.name_of
    if spec.name == "site":
        vocab = engine.vocabulary
        return sorted(values, key=vocab.site_name), vocab.site_name
    return sorted(values), lambda v: v.replace("_", " ")


def _umbrellas_in_use(names: set[str]) -> set[str]:
    from dashboard import actors

    return {u for name in names for u in actors.umbrellas_of(name)}


def _multiselect(sidebar, spec: Filter, engine: Engine) -> list[str]:
    key = f"filter_{spec.name}"
    options, name_of = _options(spec, engine)
    current = st.session_state.get(key, [])
    options = options + [v for v in current if v not in options]
    return sidebar.multiselect(spec.label, options, key=key, format_func=name_of, help=spec.help)


def _side(sidebar, spec: Filter, engine: Engine) -> dict[str, str]:
    sides = sidebar.multiselect(
        spec.label, list(engine.vocabulary.sides), key="filter_side", help=spec.help
    )
    role = sidebar.radio(
        "Side", list(SIDE_ROLES), key="filter_side_of", format_func=ROLE_LABELS.get,
        horizontal=True, label_visibility="collapsed",
    )  # fmt: skip
    return {"side": sides, "side_of": role}


def _near(sidebar, engine: Engine) -> dict[str, str]:
    vocab = engine.vocabulary
    sites = sorted(
        (s.site_id for s in vocab.sites.values() if math.isfinite(s.latitude)),
        key=vocab.site_name,
    )
    site = sidebar.selectbox(
        "Near a site", [NO_SITE, *sites], key="filter_near_site",
        format_func=lambda s: "(any place)" if s == NO_SITE else vocab.site_name(s),
    )  # fmt: skip
    km = sidebar.number_input(
        "within km", min_value=1.0, max_value=2000.0, step=5.0, key="filter_near_km",
        disabled=site == NO_SITE and st.session_state.get("_near_point") is None,
    )  # fmt: skip
    if site != NO_SITE:
        return {"near": f"{site}:{km:g}"}
    point = st.session_state.get("_near_point")
    return BY_NAME["near"].to_query(point) if point else {}


def _drawn(sidebar, name: str) -> dict[str, str]:
    """A shape drawn on the map: shown in words, with a button to clear it."""
    value = st.session_state.get(f"_{name}")
    if not value:
        return {}
    spec = BY_NAME[name]
    sidebar.caption(safe.markdown_text(spec.words(value, None) or spec.label))
    if sidebar.button(f"Clear {spec.label.lower()}", key=f"clear_{name}"):
        st.session_state[f"_{name}"] = None
        return {}
    return spec.to_query(value)


def filter_controls(engine: Engine) -> tuple[Filters, list]:
    """Draw the sidebar filters; returns the active Filters (and the URL's problems) and
    writes the filters to the URL."""
    initial, problems = url_filters(engine)
    if not st.session_state.get("_filters_initialised"):
        st.session_state["_url_problems"] = problems
    data_span = engine.data_span() or (date.today(), date.today())
    _init_state(initial, data_span)

    sidebar = st.sidebar
    sidebar.header("Filters")
    params: dict[str, object] = _period(sidebar, data_span)
    for spec in REGISTRY:
        params.update(_widget(sidebar, spec, engine))
    filters, _ = Filters.parse(params, engine.vocabulary)
    write_url(filters)
    if filters != initial:
        st.session_state["_url_problems"] = []
    return filters, st.session_state.get("_url_problems", [])


def _widget(sidebar, spec: Filter, engine: Engine) -> dict[str, object]:
    if spec.widget in ("actor", "choice"):
        return {spec.key: _multiselect(sidebar, spec, engine)}
    if spec.widget == "side":
        return _side(sidebar, spec, engine)
    if spec.widget == "number":
        value = sidebar.number_input(
            spec.label, min_value=0, step=1, key=f"filter_{spec.name}", help=spec.help
        )
        return {spec.key: str(int(value))} if value else {}
    if spec.widget == "text":
        text = sidebar.text_input(spec.label, key=f"filter_{spec.name}", help=spec.help)
        return {spec.key: text}
    if spec.name == "near":
        return _near(sidebar, engine)
    if spec.widget == "map":
        return _drawn(sidebar, spec.name)
    return {}  # the period's two days are drawn together by _period
