#!/usr/bin/env python3
"""Reproduce dashboard/static/vendor/ (and the licence texts) from the npm registry.

The map must work with no internet, so every JavaScript/CSS file folium would load from a CDN is
copied here, pinned, from the package's npm tarball (`npm pack`, which checks the registry's
integrity hash; no install scripts run). Only the files the app loads are kept. The heat-map
script is folium's own bundled copy (Leaflet.heat 0.2.0 with the weights fix folium applies).

    python scripts/vendor_assets.py            # rewrites dashboard/static/vendor + licences
    python scripts/vendor_assets.py --check    # only verifies files against vendor/MANIFEST.json

Needs node/npm with access to the npm registry (or a mirror set in ~/.npmrc) and folium
installed in the running Python. The basemap is built separately by scripts/build_basemap.py.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "dashboard" / "static"
VENDOR = STATIC / "vendor"
LICENSES = STATIC / "licenses"

# name, version, licence (SPDX), licence file in the tarball, {tarball path: vendor path}
PACKAGES: list[dict] = [
    {
        "name": "leaflet", "version": "1.9.4", "license": "BSD-2-Clause",
        "license_file": "LICENSE",
        "files": {
            "dist/leaflet.js": "leaflet/leaflet.js",
            "dist/leaflet.css": "leaflet/leaflet.css",
            "dist/images/layers.png": "leaflet/images/layers.png",
            "dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
            "dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
        },
    },
    {
        "name": "leaflet.markercluster", "version": "1.5.3", "license": "MIT",
        "license_file": "MIT-LICENCE.txt",
        "files": {
            "dist/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
            "dist/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
            "dist/MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
        },
    },
    {
        "name": "leaflet.fullscreen", "version": "3.0.0", "license": "MIT",
        "license_file": "LICENSE",
        "files": {
            "Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
            "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
            "icon-fullscreen.svg": "leaflet.fullscreen/icon-fullscreen.svg",
        },
    },
    {
        "name": "leaflet-draw", "version": "1.0.4", "license": "MIT",
        # The npm tarball has no licence file: LEAFLET_DRAW_LICENSE is the project's
        # MIT-LICENSE.md at the same release (github.com/Leaflet/Leaflet.draw).
        "license_file": None, "license_text": "LEAFLET_DRAW_LICENSE",
        "files": {
            "dist/leaflet.draw.js": "leaflet-draw/leaflet.draw.js",
            "dist/leaflet.draw.css": "leaflet-draw/leaflet.draw.css",
            "dist/images/spritesheet.png": "leaflet-draw/images/spritesheet.png",
            "dist/images/spritesheet-2x.png": "leaflet-draw/images/spritesheet-2x.png",
            "dist/images/spritesheet.svg": "leaflet-draw/images/spritesheet.svg",
        },
    },
    {
        "name": "html-to-image", "version": "1.11.13", "license": "MIT",
        "license_file": "LICENSE",
        "files": {"dist/html-to-image.js": "html-to-image/html-to-image.js"},
    },
    # Licence texts only: the heat script comes from folium's wheel (below), built from these.
    {"name": "leaflet.heat", "version": "0.2.0", "license": "BSD-2-Clause",
     "license_file": "LICENSE", "files": {},
     "note": "inside `leaflet.heat/leaflet-heat.min.js` (folium's copy)"},
    {"name": "simpleheat", "version": "0.4.0", "license": "BSD-2-Clause",
     "license_file": "LICENSE", "files": {},
     "note": "inside `leaflet.heat/leaflet-heat.min.js` (folium's copy)"},
    # The offline basemap's source (converted by scripts/build_basemap.py).
    {"name": "world-atlas", "version": "2.0.2",
     "license": "ISC (package); data: Natural Earth, public domain",
     "license_file": "LICENSE", "files": {}},
    {"name": "topojson-client", "version": "3.1.0", "license": "ISC",
     "license_file": "LICENSE", "files": {}, "note": "build tool only (topo2geo); not shipped"},
]  # fmt: skip

HEAT_TARGET = "leaflet.heat/leaflet-heat.min.js"

NATURAL_EARTH_NOTE = """\
Natural Earth (https://www.naturalearthdata.com/) vector data, as packaged by world-atlas.
"All versions of Natural Earth raster + vector map data found on this website are in the
public domain. You may use the maps in any manner, including modifying the content and design,
electronic dissemination, and offset printing." (naturalearthdata.com/about/terms-of-use/)
Country boundaries follow Natural Earth's de facto convention and are not an endorsement.
"""


LEAFLET_DRAW_LICENSE = """\
Copyright 2012-2017 Jon West, Jacob Toye, and Leaflet

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def license_name(pkg: str) -> str:
    return pkg.replace("@", "").replace("/", "-") + ".txt"


def npm_pack(spec: str, dest: Path) -> dict:
    """Download spec's tarball with `npm pack` (integrity-checked) and return npm's record."""
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
        check=True, capture_output=True, text=True, cwd=dest,
    )  # fmt: skip
    return json.loads(out.stdout)[0]


def extract(tarball: Path, dest: Path) -> Path:
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def write_license(pkg: dict, src: Path) -> None:
    target = LICENSES / license_name(pkg["name"])
    if pkg["license_file"]:
        shutil.copyfile(src / pkg["license_file"], target)
    else:
        target.write_text(globals()[pkg["license_text"]], encoding="utf-8")


def vendor() -> None:
    manifest: dict = {"packages": [], "files": {}}
    shutil.rmtree(VENDOR, ignore_errors=True)
    shutil.rmtree(LICENSES, ignore_errors=True)
    VENDOR.mkdir(parents=True)
    LICENSES.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="atlas-vendor-") as tmp:
        tmpdir = Path(tmp)
        for pkg in PACKAGES:
            spec = f"{pkg['name']}@{pkg['version']}"
            record = npm_pack(spec, tmpdir)
            if record["version"] != pkg["version"]:
                raise SystemExit(f"{spec}: npm returned version {record['version']}")
            tarball = tmpdir / record["filename"]
            src = extract(tarball, tmpdir / tarball.name.removesuffix(".tgz"))
            write_license(pkg, src)
            for inner, target in pkg["files"].items():
                dest = VENDOR / target
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src / inner, dest)
                manifest["files"][target] = {"package": spec, "from": inner, "sha256": sha256(dest)}
            manifest["packages"].append(
                {"name": pkg["name"], "version": pkg["version"], "license": pkg["license"],
                 "integrity": record["integrity"], "note": pkg.get("note", "")}
            )  # fmt: skip
            print(f"vendored {spec} ({len(pkg['files'])} files)")

    import folium  # the running interpreter's folium provides the patched heat script

    folium_version = importlib.metadata.version("folium")
    heat_src = Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js"
    (VENDOR / HEAT_TARGET).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(heat_src, VENDOR / HEAT_TARGET)
    manifest["files"][HEAT_TARGET] = {
        "package": f"folium@{folium_version} (PyPI)",
        "from": "folium/templates/leaflet_heat.min.js",
        "sha256": sha256(VENDOR / HEAT_TARGET),
    }
    folium_license = importlib.metadata.distribution("folium").read_text("licenses/LICENSE.txt")
    if not folium_license:
        raise SystemExit("folium's LICENSE.txt not found in its dist-info")
    (LICENSES / "folium.txt").write_text(folium_license, encoding="utf-8")
    manifest["packages"].append(
        {"name": "folium", "version": folium_version, "license": "MIT", "integrity": "",
         "note": "leaflet_heat.min.js only: Leaflet.heat 0.2.0 + simpleheat with weights fix"}
    )  # fmt: skip
    (LICENSES / "natural-earth.txt").write_text(NATURAL_EARTH_NOTE, encoding="utf-8")

    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    write_licenses_md(manifest)


def write_licenses_md(manifest: dict) -> None:
    shipped: dict[str, list[str]] = {}
    for target, info in manifest["files"].items():
        shipped.setdefault(info["package"].split(" ")[0], []).append(target)
    lines = [
        "# Third-party assets served from dashboard/static/",
        "",
        "Generated by `scripts/vendor_assets.py` (do not edit by hand). Every file comes",
        "unmodified from the package's npm tarball, except `leaflet.heat/leaflet-heat.min.js`,",
        "which is folium's bundled copy. Licence texts are in `licenses/`.",
        "",
        "| package | version | licence | files under vendor/ | licence text |",
        "|---|---|---|---|---|",
    ]
    for pkg in manifest["packages"]:
        spec = f"{pkg['name']}@{pkg['version']}"
        files = shipped.get(spec, [])
        what = ", ".join(f"`{f}`" for f in files) if files else (pkg["note"] or "licence only")
        lines.append(
            f"| {pkg['name']} | {pkg['version']} | {pkg['license']} | {what} "
            f"| [licenses/{license_name(pkg['name'])}](licenses/{license_name(pkg['name'])}) |"
        )
    lines += [
        "",
        "## Offline basemap",
        "",
        "`basemap/middle-east.geojson` and `basemap/country-bbox.json` are derived by",
        "`scripts/build_basemap.py` from world-atlas 2.0.2 `countries-10m.json` (Natural Earth",
        "1:10m Admin 0 countries, public domain; see",
        "[licenses/natural-earth.txt](licenses/natural-earth.txt)), converted with",
        "topojson-client 3.1.0 `topo2geo`.",
        "",
    ]
    (STATIC / "LICENSES.md").write_text("\n".join(lines), encoding="utf-8")


def check() -> int:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    bad = [
        target
        for target, info in manifest["files"].items()
        if not (VENDOR / target).is_file() or sha256(VENDOR / target) != info["sha256"]
    ]
    for target in bad:
        print(f"vendor/{target}: missing or changed", file=sys.stderr)
    print(f"{len(manifest['files']) - len(bad)} of {len(manifest['files'])} vendored files OK")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify against MANIFEST.json only")
    args = parser.parse_args()
    if args.check:
        return check()
    vendor()
    return 0


if __name__ == "__main__":
    sys.exit(main())
