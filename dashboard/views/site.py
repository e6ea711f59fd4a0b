"""A site's dossier (`/site?id=ain-al-asad`): everything the data says about one gazetteer site.

Where it is and how its point was established; the incidents at it over time; who claimed them,
with which weapons and what casualties; the sources; and the strikes by the other side that
followed each attack within N days (`within=7`), the attack -> retaliation pairs. The link's
other filters (dates, attacker, ...) narrow the incidents as on the main page. Linked from every
site's popup on the map.
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import countries
from dashboard.errors import AtlasError
from dashboard.filters import Filters
from dashboard.views import common, safe
from dashboard.views.breakdowns import worded
from dashboard.views.common import cached_sites, notice, show_error
from dashboard.views.filter_controls import show_problems, url_filters
from dashboard.views.map.templates import http_url
from dashboard.views.map_panel import show_map

DEFAULT_WITHIN = 7
MAX_WITHIN = 90
TABLE_ROWS = 500


def _within() -> int:
    try:
        value = int(st.query_params.get("within", DEFAULT_WITHIN))
    except ValueError:
        return DEFAULT_WITHIN
    return min(max(value, 1), MAX_WITHIN)


def _pick_site(sites: pd.DataFrame, current: str | None) -> str | None:
    ids = sites["site_id"].tolist()
    names = dict(zip(sites["site_id"], sites["name"], strict=True))
    chosen = st.selectbox(
        "Site", ids, index=ids.index(current) if current in ids else None,
        format_func=lambda s: names.get(s, s), placeholder="Choose a site",
    )  # fmt: skip
    if chosen and chosen != current:
        st.query_params["id"] = chosen
        st.rerun()
    return chosen


def _heading(site: pd.Series) -> None:
    st.title(safe.markdown_text(site["name"]))
    where = ", ".join(
        p for p in (str(site["kind"]).replace("_", " "), _text(site.get("admin1")),
                    countries.name_of(_text(site.get("country")))) if p
    )  # fmt: skip
    notice(
        "markdown", "{place} · {latitude:.4f}, {longitude:.4f} (point from {source})",
        place=where, latitude=site["latitude"], longitude=site["longitude"],
        source=_text(site.get("coord_source")) or "the gazetteer",
    )  # fmt: skip
    if _text(site.get("notes")):
        notice("caption", "{notes}", notes=site.get("notes"))


def _readable(frame: pd.DataFrame, unknown: dict[str, str]) -> pd.DataFrame:
    """Gaps shown as words ("unknown" for a figure nobody reported, "" where nothing applies),
    never "None"; dates as YYYY-MM-DD."""
    out = frame.copy()
    for column in out.columns:
        values = out[column].astype(object)
        missing = values.map(_missing)
        values = values.map(_shown).where(~missing, unknown.get(column, ""))
        out[column] = values
    return out


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str | list) and bool(pd.isna(value)))


def _shown(value):
    """A date as YYYY-MM-DD, a whole float as an integer with separators, the rest as is."""
    if _missing(value):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return value


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _numbers(engine, filters: Filters) -> int:
    numbers = common.headline(engine, engine.version, filters)
    columns = st.columns(4)
    columns[0].metric("Incidents at the site", f"{numbers.incidents:,}")
    for column, label, total, unknown in (
        (columns[1], "Killed (reported)", numbers.killed, numbers.killed_unknown),
        (columns[2], "Wounded (reported)", numbers.wounded, numbers.wounded_unknown),
    ):
        column.metric(label, "unknown" if total is None else f"{total:,}")
        column.caption(f"{unknown:,} incidents with no figure" if unknown else "all reported")
    if numbers.first_day:
        columns[3].metric("First - last", f"{numbers.first_day:%d %b %Y}")
        columns[3].caption(f"to {numbers.last_day:%d %b %Y}")
    return numbers.incidents


def _bars(frame: pd.DataFrame, title: str) -> alt.Chart:
    return alt.Chart(frame).mark_bar(color="#b3261e").encode(
        x=alt.X("incidents:Q", title="incidents"),
        y=alt.Y("value:N", sort="-x", title=None),
        tooltip=["value:N", "incidents:Q", "killed:Q", "wounded:Q"],
    ).properties(title=title, height=alt.Step(22))  # fmt: skip


# What a bar of incidents without the value is called (never "null").
MISSING = {"attacker": "attacker not named", "weapon": "weapon not given", "type": "type not given"}


def _breakdowns(engine, filters: Filters) -> None:
    left, middle, right = st.columns(3)
    for column, by, title in (
        (left, "attacker", "Who claimed or was blamed"),
        (middle, "weapon", "Weapons"),
        (right, "type", "Event types"),
    ):
        rows = worded(engine.breakdown(filters, by), MISSING[by])
        column.altair_chart(_bars(rows, title), width="stretch")


def _retaliation(engine, filters: Filters, within: int) -> None:
    st.subheader("What followed: strikes by the other side")
    left, right = st.columns([1, 2])
    days = left.number_input("within days", 1, MAX_WITHIN, within, key="within")
    if days != within:
        st.query_params["within"] = str(days)
    any_target = right.toggle(
        "Count strikes on any target", key="any_target",
        help="Off: only strikes on the attacker's side (e.g. on Iran-aligned militias after "
        "their attack). On: any strike by the attacked side, e.g. on Iran itself.",
    )  # fmt: skip
    pairs = engine.retaliation(filters, days=int(days), any_target=any_target)
    known = pairs[pairs["attacker_side"].ne("Unknown") & pairs["target_side"].ne("Unknown")]
    followed = known[known["strikes"] > 0]
    if known.empty:
        st.info("No attack here has a known side on both ends to pair with a response.")
        return
    lag = followed["lag_days"].median() if len(followed) else None
    st.markdown(
        f"**{len(followed):,} of {len(known):,}** attacks were followed within {int(days)} "
        f"days by a strike of the side attacked"
        + (f"; the first came after a median of **{lag:g} days**." if lag is not None else ".")
    )
    shown = pairs.rename(columns={
        "attack_date": "attack", "attacker": "by", "strikes": "strikes within",
        "strike_date": "first strike", "striker": "strike by", "struck": "on",
        "strike_place": "where", "lag_days": "days later",
    })  # fmt: skip
    columns = ["attack", "by", "location", "strikes within", "first strike", "strike by", "on",
               "where", "days later"]  # fmt: skip
    st.dataframe(_readable(shown[columns], {}), hide_index=True, width="stretch")


def _links(frame: pd.DataFrame) -> pd.DataFrame:
    """Only an http(s) link is a link, as in the map's popups."""
    return frame.assign(source_url=[http_url(u) for u in frame["source_url"]])


def _incidents(engine, filters: Filters) -> None:
    st.subheader("Incidents and their sources")
    rows = _readable(_links(engine.page(filters, limit=TABLE_ROWS)),
                     {"killed": "unknown", "wounded": "unknown"})  # fmt: skip
    st.dataframe(
        rows, hide_index=True, width="stretch",
        column_config={
            "event_date": "date", "event_type": "type", "actor1": "attacker", "actor2": "target",
            "source_url": st.column_config.LinkColumn("link", display_text="open"),
        },
    )  # fmt: skip
    sources = _readable(_links(engine.sources(filters)), {})
    st.markdown("**Sources**")
    st.dataframe(
        sources,
        hide_index=True,
        width="stretch",
        column_config={"source_url": st.column_config.LinkColumn("link", display_text="open")},
    )


def dossier(engine, site: pd.Series, filters: Filters) -> None:
    _heading(site)
    count = _numbers(engine, filters)
    st.page_link("views/overview.py", label="These incidents on the main page",
                 icon=":material/map:", query_params={"site": site["site_id"]})  # fmt: skip
    if not count:
        st.info("No incidents at this site in the data (or in the link's filters).")
        return
    span = common.span(engine, engine.version, filters)
    spec, _frequency, _figures = common.timeline(engine, engine.version, filters, "side", span)
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Incidents over time")
        st.vega_lite_chart(spec, width="stretch")
    with right:
        show_map(engine, filters, key="site_map", height=330, draw=False, link_view=False)
    _breakdowns(engine, filters)
    _retaliation(engine, filters, _within())
    _incidents(engine, filters)


try:
    engine = common.current_engine()
except AtlasError as error:
    show_error(error)
    st.stop()

sites = cached_sites()
site_id = st.query_params.get("id")
known = site_id in set(sites["site_id"])
if site_id and not known:
    notice("error", "No gazetteer site has the id {id}: choose one below.", id=site_id)
picked = _pick_site(sites, site_id if known else None)
if picked:
    filters, problems = url_filters(engine)
    show_problems([p for p in problems if p.key != "id"])
    filters = replace(filters, site=(picked,))
    dossier(engine, sites.set_index("site_id", drop=False).loc[picked], filters)
