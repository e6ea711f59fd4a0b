"""The briefing wall view (`?view=briefing`): full screen, large type, dark, refreshes itself.

Nobody touches a wall screen, so everything comes from the URL: the filters, `days` (the last N
days highlighted, default 7) and `refresh` (seconds between data reloads, default 300). The data
part is a fragment that reruns on a timer, so the page itself never reloads or flickers.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dashboard.errors import AtlasError
from dashboard.views import common
from dashboard.views.common import show_error
from dashboard.views.filter_controls import show_problems, url_filters
from dashboard.views.map_panel import show_map
from dashboard.views.playback import playback_from_url


def _int_param(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(st.query_params.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high)


REFRESH_SECONDS = _int_param("refresh", 300, 10, 86_400)
HIGHLIGHT_DAYS = _int_param("days", 7, 1, 365)
LATEST_COUNT = 7  # as many as fit beside the map at 1920x1080 in 28 px type

st.markdown(
    """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer { display: none !important; }
.stApp, [data-testid="stAppViewContainer"] { background: #05070a; color: #f5f7fa; }
.block-container { padding: 1.2rem 2rem 0 2rem; max-width: 100%; }
.wall-title { font-size: 44px; font-weight: 700; color: #ffffff; margin: 0; }
.wall-sub { font-size: 28px; color: #d0d6de; margin: 0 0 0.6rem 0; }
.wall-kpis { display: flex; gap: 2.5rem; margin: 0.2rem 0 0.8rem 0; }
.wall-kpi .n { font-size: 72px; font-weight: 800; line-height: 1; color: #ffd54f; }
.wall-kpi .l { font-size: 26px; color: #e0e6ee; }
.wall-list { list-style: none; padding: 0; margin: 0; }
.wall-list li { font-size: 28px; line-height: 1.3; padding: 0.45rem 0;
                border-bottom: 1px solid #39414d; color: #ffffff; }
.wall-list .d { color: #ffd54f; font-weight: 700; margin-right: 0.6rem; }
.wall-list .recent { border-left: 8px solid #ff5252; padding-left: 0.6rem; }
.wall-fresh { font-size: 24px; color: #c5ccd6; }
</style>
""",
    unsafe_allow_html=True,
)


def _casualty_text(row) -> str:
    parts = []
    if not pd.isna(row.killed):
        parts.append(f"{int(row.killed)} killed")
    if not pd.isna(row.wounded):
        parts.append(f"{int(row.wounded)} wounded")
    return ", ".join(parts)


def _latest_list(latest: pd.DataFrame, recent_since: pd.Timestamp) -> str:
    items = []
    for row in latest.itertuples():
        words = [
            "" if pd.isna(row.event_type) else str(row.event_type).replace("_", " "),
            f"by {row.actor1}" if not pd.isna(row.actor1) else "",
            f"at {row.location}" if not pd.isna(row.location) else "",
            _casualty_text(row),
        ]
        text = " ".join(w for w in words[:3] if w) + (f" — {words[3]}" if words[3] else "")
        css = "recent" if row.event_date >= recent_since else ""
        items.append(
            f'<li class="{css}"><span class="d">{row.event_date:%d %b}</span>'
            f"{html.escape(text)}</li>"
        )
    return f'<ul class="wall-list">{"".join(items)}</ul>'


components.html(
    """<div id="clock" style="font: 700 40px sans-serif; color: #fff; text-align: right;"></div>
<script>
function tick() {
  const now = new Date();
  document.getElementById("clock").textContent =
    now.toISOString().slice(0, 10) + "  " + now.toISOString().slice(11, 19) + " UTC";
}
tick(); setInterval(tick, 1000);
</script>""",
    height=56,
)


def _kpi(value: str, label: str) -> str:
    return f'<div class="wall-kpi"><div class="n">{value}</div><div class="l">{label}</div></div>'


def _figure(total: int | None) -> str:
    return "unknown" if total is None else f"{total:,}"


@st.fragment(run_every=REFRESH_SECONDS)
def wall() -> None:
    try:
        # The data version is asked on every refresh: an import shows at the next one.
        engine = common.current_engine()
    except AtlasError as error:
        show_error(error)
        return
    filters, problems = url_filters(engine)
    show_problems(problems)
    numbers = common.headline(engine, engine.version, filters)
    newest = numbers.last_day
    recent_since = (
        pd.Timestamp(newest) - pd.Timedelta(days=HIGHLIGHT_DAYS - 1) if newest else pd.Timestamp.max
    )
    loaded = datetime.now(UTC).strftime("%H:%M UTC")
    freshness = f"latest incident {newest:%d %b %Y}" if newest else "no incidents"
    span = (numbers.first_day, newest) if newest else None
    description = filters.describe(count=numbers.incidents, span=span, vocab=engine.vocabulary)

    st.markdown(
        f'<div class="wall-title">Incident Atlas — briefing</div>'
        f'<div class="wall-sub">{html.escape(description)}</div>'
        f'<div class="wall-kpis">{_kpi(f"{numbers.incidents:,}", "incidents")}'
        f"{_kpi(_figure(numbers.killed), 'killed (reported)')}"
        f"{_kpi(_figure(numbers.wounded), 'wounded (reported)')}"
        f"{_kpi(f'{numbers.sites_hit:,}', 'sites hit')}</div>",
        unsafe_allow_html=True,
    )
    left, right = st.columns([3, 2])
    with left:
        playback, playback_problems = playback_from_url()
        show_problems(playback_problems)
        show_map(
            engine, filters, key="briefing_map", theme="dark", highlight_days=HIGHLIGHT_DAYS,
            height=680, draw=False, link_view=False, description=description,
            playback=playback, loop=True, autoplay=True,
        )  # fmt: skip
    with right:
        latest = engine.page(filters, limit=LATEST_COUNT)
        latest["event_date"] = pd.to_datetime(latest["event_date"])
        st.markdown(
            f'<div class="wall-fresh">Data: {freshness}; read {loaded}; '
            f"refreshes every {REFRESH_SECONDS} s. Red bar: last {HIGHLIGHT_DAYS} days.</div>"
            + _latest_list(latest, recent_since),
            unsafe_allow_html=True,
        )


wall()
