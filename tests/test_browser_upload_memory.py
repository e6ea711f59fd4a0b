"""The real server after rejected uploads, driven by headless Chromium: memory goes back to its
baseline, and a million-column header costs no lasting CPU once the browser is gone.

The server's resident memory is read from /proc. The bound is generous (baseline + 300 MB, after
the page hands memory back) so a busy machine does not make it flaky; without the release the
three 90 MB files would take it up by gigabytes (1.75, 3.1, 3.5 GB at 150 MB each before).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from dashboard.formats.writers import write_incidents
from dashboard.synthetic import synthetic_incidents
from tests.browser import ARTIFACTS, running_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WAIT = 180_000
BOUND_MB = 300


def server_pid(base_url: str) -> int:
    """The server process serving `base_url` (a child of `make run`: `python -m dashboard.serve`,
    or `streamlit run` started by hand)."""
    port = base_url.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        launcher = b" ".join(command[:3])
        serves = b"streamlit" in launcher or b"dashboard.serve" in launcher
        if serves and port.encode() in command:
            return int(entry.name)
    raise AssertionError(f"no streamlit process on port {port}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def large_invalid_csv(folder: Path) -> Path:
    """About 90 MB of valid synthetic rows and one impossible date in the very last row, so
    the whole file must be read and validated before it is refused."""
    path = folder / "large-0.csv"
    write_incidents(synthetic_incidents(300_000, seed=9, scattered=0.1), path)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("x-last,2023-02-30,,attack,,,,Erbil,,IQ,,,,,,,,synthetic,,,synthetic\n")
    return path


def upload(page, path: Path) -> None:
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(f"{path.name}: ", exact=False).first.wait_for(timeout=WAIT)


def settle(pid: int, bound: float) -> float:
    """RSS once it is under `bound`, or after 30 s (memory is handed back asynchronously)."""
    deadline = time.monotonic() + 30
    while True:
        current = rss_mb(pid)
        if current <= bound or time.monotonic() > deadline:
            return current
        time.sleep(0.5)


def test_memory_returns_to_baseline_after_three_rejected_large_uploads(browser, tmp_path):
    first = large_invalid_csv(tmp_path)
    files = [first] + [shutil.copy(first, tmp_path / f"large-{i}.csv") for i in (1, 2)]
    home = tmp_path / "home"
    with running_app({"ATLAS_HOME": str(home)}, ARTIFACTS / "upload-memory.log") as url:
        pid = server_pid(url)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/upload")
        page.locator("input[type=file]").wait_for(state="attached", timeout=WAIT)
        time.sleep(1)  # the page's first run finishes importing what it needs
        baseline = rss_mb(pid)
        peaks = []
        for path in files:
            upload(page, Path(path))
            page.get_by_text("there is no such day").first.wait_for(state="attached", timeout=WAIT)
            peaks.append(rss_mb(pid))
        after = settle(pid, baseline + BOUND_MB)
        context.close()
    print(f"baseline {baseline:.0f} MB, after each upload {peaks}, settled {after:.0f} MB")
    assert after <= baseline + BOUND_MB


def test_a_million_column_header_is_refused_and_leaves_no_busy_core(browser, tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n1,2\n", encoding="utf-8")
    with running_app({"ATLAS_HOME": str(tmp_path / "home")}, ARTIFACTS / "upload-wide.log") as url:
        pid = server_pid(url)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/upload")
        page.locator("input[type=file]").wait_for(state="attached", timeout=WAIT)
        upload(page, wide)
        refused = page.get_by_text("more than the 1,000 a file may have").first
        refused.wait_for(state="attached", timeout=WAIT)
        context.close()  # the browser goes away
        time.sleep(1)
        start = cpu_seconds(pid)
        time.sleep(5)
        busy = cpu_seconds(pid) - start
    assert busy < 2.5, f"the server used {busy:.1f} s of CPU in 5 s after the browser left"
