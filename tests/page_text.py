"""Page text as a reader sees it: the app writes data into Markdown escaped (dashboard.views.
safe), so a message's `.value` holds backslashes the page never shows."""

from __future__ import annotations

import re


def unescaped(text: str) -> str:
    """Markdown backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", text)
