"""The app under Streamlit's AppTest: one way to open a page with a link's parameters and
session state, and to read its one-line description as the reader sees it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.paths import PACKAGE_DIR
from tests.page_text import unescaped

APP = str(PACKAGE_DIR / "app.py")


def run_app(
    query: dict[str, str] | None = None, *, page: str | None = None, state: dict | None = None
) -> AppTest:
    """The app run once: on `page` (default the main page), with `query` as the link's
    parameters and `state` in the session."""
    at = AppTest.from_file(APP, default_timeout=90)
    if page:
        at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def description(at: AppTest) -> str:
    """The one-line description above the map (Markdown escapes undone)."""
    shown = next(m.value for m in at.markdown if m.value.startswith("**")).strip("*")
    return unescaped(shown)


def count_in(at: AppTest) -> int:
    """The number of incidents the description gives ('all' counts as 0)."""
    first = description(at).split(" ", 1)[0]
    return 0 if first == "all" else int(first.replace(",", ""))
