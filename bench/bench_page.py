"""Page open to map painted, and bytes sent to the browser, with ATLAS_DATA at N synthetic rows.

Starts the app on a free port with generated (synthetic, marked) incidents, opens it in headless
Chromium, and measures: seconds until the map's incident layer is drawn, HTTP bytes, websocket
bytes. Prints a table and writes bench/results/page.json. Sizes: 1,000 / 10,000 / 100,000.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from dashboard.synthetic import synthetic_incidents  # noqa: E402
from tests.browser import CHROMIUM_FLAGS, RequestLog, chromium_path, running_app  # noqa: E402

SIZES = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
MAP_DRAWN = """() => Object.keys(window).some(k => k.startsWith("incident_layer_"))"""


def measure(rows: int, folder: Path, browser) -> dict:
    data = folder / f"synthetic-{rows}.parquet"
    synthetic_incidents(rows, seed=1).to_parquet(data)
    env = {"ATLAS_DATA": str(data), "ATLAS_HOME": str(folder / "home")}
    with running_app(env, folder / f"app-{rows}.log") as url:
        results = []
        for attempt in ("cold", "warm"):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            log = RequestLog()
            counted = {"http": 0, "websocket": 0}

            def finished(request, counted=counted):
                counted["http"] += request.sizes()["responseBodySize"]

            def websocket(ws, counted=counted):
                def received(payload, counted=counted):
                    counted["websocket"] += len(payload)

                ws.on("framereceived", received)

            page.on("request", log.record)
            page.on("requestfinished", finished)
            page.on("websocket", websocket)
            started = time.monotonic()
            page.goto(url)
            painted = None
            deadline = started + 120
            while painted is None and time.monotonic() < deadline:
                for frame in page.frames:
                    try:
                        if frame.evaluate(MAP_DRAWN):
                            painted = time.monotonic() - started
                            break
                    except Exception:  # noqa: BLE001 - frames come and go while loading
                        pass
                page.wait_for_timeout(50)
            page.wait_for_timeout(1000)
            results.append({
                "rows": rows, "load": attempt,
                "map_painted_s": None if painted is None else round(painted, 2),
                "http_mb": round(counted["http"] / 1e6, 2),
                "websocket_mb": round(counted["websocket"] / 1e6, 2),
                "requests_off_machine": log.outside(),
            })  # fmt: skip
            page.close()
        return results


def main() -> None:
    rows_out = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for rows in SIZES:
            rows_out += measure(rows, Path(folder), browser)
        browser.close()
    print(f"{'rows':>9} {'load':>5} {'map painted':>12} {'HTTP MB':>8} {'websocket MB':>13} off")
    for r in rows_out:
        outside = r["requests_off_machine"]
        print(
            f"{r['rows']:>9,} {r['load']:>5} {r['map_painted_s']!s:>11}s {r['http_mb']:>8} "
            f"{r['websocket_mb']:>13} {len(outside)} {outside[:3]}"
        )
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "page.json").write_text(json.dumps(rows_out, indent=2))


if __name__ == "__main__":
    main()
