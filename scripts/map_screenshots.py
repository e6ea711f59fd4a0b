#!/usr/bin/env python3
"""The README's map screenshots at 1,000 and 1,000,000 incidents (synthetic, generated here and
marked so), taken from the app as `make run` serves it, in headless Chromium, offline.

    python scripts/map_screenshots.py [--sizes 1000,1000000] [--out docs/screenshots]

Each size: the main page at 1600 x 1100 once the map has drawn its first answer; the page is
cropped to the headline numbers and the map. Loading 1,000,000 rows the first time (validation,
H3 cells, the snapshot) takes a few minutes on a small machine; the script waits.
The site dossier's screenshot comes from the browser tests (ATLAS_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.synthetic import synthetic_incidents  # noqa: E402
from tests.browser import CHROMIUM_FLAGS, RequestLog, chromium_path, running_app  # noqa: E402

LOAD_MS = 15 * 60 * 1000
READY = "() => !!(window.Atlas && Atlas.layers.legend && Atlas.state.bordersLoaded)"


def map_frame(page):
    for _ in range(LOAD_MS // 500):
        for frame in page.frames:
            try:
                if frame.evaluate(READY):
                    return frame
            except Exception:  # noqa: BLE001 - frames come and go while the page renders
                continue
        page.wait_for_timeout(500)
    raise SystemExit("the map never appeared")


def shoot(browser, url: str, count: int, path: Path) -> None:
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    requests = RequestLog()
    page.on("request", requests.record)
    page.goto(url)
    page.get_by_text(f"{count:,} incidents").first.wait_for(timeout=LOAD_MS)
    frame = map_frame(page)
    page.wait_for_timeout(4000)  # the view reported, refined and painted
    frame = map_frame(page)
    shown = frame.evaluate("() => document.querySelector('.ia-legend summary').innerText")
    iframe = page.locator("iframe[title*='st_folium']").first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    top = page.get_by_text("Incident Atlas").first.bounding_box()["y"]
    page.screenshot(
        path=str(path),
        clip={
            "x": box["x"] - 20,
            "y": max(top - 10, 0),
            "width": box["width"] + 40,
            "height": box["y"] + box["height"] - top + 20,
        },
    )
    outside = requests.outside()
    page.close()
    if outside:
        raise SystemExit(f"requests left the machine: {outside[:3]}")
    print(f"{path}: {count:,} incidents, legend '{shown}'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="atlas-shots-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for count in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"synthetic-{count}.parquet"
            frame = synthetic_incidents(count, seed=42, days=800, scattered=0.1)
            frame["location"] = frame["location"].fillna("synthetic scattered point")
            frame.to_parquet(data)
            env = {"ATLAS_HOME": str(Path(tmp) / f"home-{count}"), "ATLAS_DATA": str(data)}
            with running_app(env, Path(tmp) / f"app-{count}.log") as url:
                shoot(browser, url, count, out / f"map-{count}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
