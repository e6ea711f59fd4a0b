"""A progress line for long reads, validations and imports on the command line.

Readers and the store report `progress(stage, done, total)`; on a terminal the line is
rewritten in place, elsewhere (logs, CI) one line is printed per stage and per quarter of the
rows, so a log stays short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

# What each stage counts (formats and store say so where they report): only rows are worth
# printing as numbers; the rest is a share of the work.
UNITS = {"importing": "rows", "committing": "rows"}


class ProgressLine:
    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.interactive = self.stream.isatty()
        self.started = time.monotonic()
        self._last_stage: str | None = None
        self._last_quarter = -1
        self._open_line = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        text = self.describe(stage, done, total)
        if self.interactive:
            self.stream.write("\r\033[K" + text)
            self._open_line = True
        else:
            quarter = 4 * done // total if total else -1
            if stage == self._last_stage and quarter == self._last_quarter:
                return
            self._last_quarter = quarter
            self.stream.write(text + "\n")
        self._last_stage = stage
        self.stream.flush()

    def describe(self, stage: str, done: int, total: int | None) -> str:
        elapsed = time.monotonic() - self.started
        if not total:
            return f"{stage}..., {elapsed:.1f} s"
        unit = UNITS.get(stage)
        amount = f" ({done:,} of {total:,} {unit})" if unit else ""
        return f"{stage}: {100 * done // total}%{amount}, {elapsed:.1f} s"

    def finish(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False
