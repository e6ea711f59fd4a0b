"""What only the browser knows about a wall screen: its size, and the time.

One small inline component (Streamlit components v2: no iframe, no network) reports the
viewport's CSS size and device pixel ratio to the server, again after a resize, so the page can
size what CSS cannot reach: the map's symbols, legend and labels, drawn inside the map's own
frame (`map_scale`). It also keeps the clock on the page (`#wall-clock`) ticking every second.
The server hears of the size on the page's second run; until then, and where no browser runs
(tests, a screenshot tool with scripts off), `REFERENCE_HEIGHT` is assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import streamlit as st

REFERENCE_HEIGHT = 1080  # CSS px: 1080p at 100% scaling, or 4K at 200%

_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const report = () => {
    const size = {
      width: Math.round(window.innerWidth),
      height: Math.round(window.innerHeight),
      ratio: window.devicePixelRatio || 1,
    };
    const known = data || {};
    if (size.width !== known.width || size.height !== known.height || size.ratio !== known.ratio) {
      setStateValue("size", size);
    }
  };
  let timer;
  const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 400); };
  const tick = () => {
    const clock = document.getElementById("wall-clock");
    if (clock) {
      const now = new Date().toISOString();
      clock.textContent = now.slice(11, 19) + " UTC";
      clock.setAttribute("datetime", now);
    }
  };
  report();
  tick();
  const ticking = setInterval(tick, 1000);
  window.addEventListener("resize", onResize);
  return () => {
    clearInterval(ticking);
    clearTimeout(timer);
    window.removeEventListener("resize", onResize);
  };
}
"""


@lru_cache(maxsize=1)
def _component():
    """Registered on first use (importing this module registers nothing)."""
    return st.components.v2.component("atlas_screen", js=_JS, isolate_styles=False)


@dataclass(frozen=True)
class Screen:
    width: int
    height: int  # CSS px
    ratio: float  # device pixels per CSS px

    @property
    def measured(self) -> bool:
        return self.width > 0


ASSUMED = Screen(0, REFERENCE_HEIGHT, 1.0)


def screen(key: str = "screen") -> Screen:
    """The viewport as last reported (ASSUMED until the browser has said). Place it outside
    any fragment: a new size reruns the whole page."""
    known = st.session_state.get(f"_{key}_size")
    result = _component()(
        key=key, data=known, default={"size": None}, on_size_change=lambda: None,
        height="content", width="stretch",
    )  # fmt: skip
    size = getattr(result, "size", None) if result is not None else None
    if not isinstance(size, dict):
        return ASSUMED
    st.session_state[f"_{key}_size"] = size
    try:
        return Screen(int(size["width"]), int(size["height"]), float(size["ratio"]))
    except (KeyError, TypeError, ValueError):
        return ASSUMED
