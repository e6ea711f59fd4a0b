"""Find or install the Chromium the browser tests drive, and say what was done.

Order: $ATLAS_CHROMIUM, then Debian's `chromium` on PATH, then (as root with apt-get) install
Debian's package, then Playwright's own download where the network allows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def find_chromium() -> str | None:
    configured = os.environ.get("ATLAS_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def playwright_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
        return path if path and os.path.exists(path) else None
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return None


def main() -> int:
    path = find_chromium()
    if path:
        print(f"browser tests: using {path}")
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("browser tests: installing Debian's chromium with apt-get (root, one time)...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        result = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env)
        if result.returncode == 0 and find_chromium():
            print(f"browser tests: using {find_chromium()}")
            return 0
    if playwright_chromium():
        print(f"browser tests: using Playwright's Chromium at {playwright_chromium()}")
        return 0
    print("browser tests: downloading Playwright's Chromium (needs the network)...")
    result = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"])
    if result.returncode == 0 and playwright_chromium():
        return 0
    print(
        "browser tests: no Chromium found. Install one (Debian: apt-get install chromium) "
        "or set ATLAS_CHROMIUM=/path/to/chromium, then run make test again.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
