"""Find or install the PostgreSQL server programs the tests start a throwaway server with.

Order: $ATLAS_PG_BIN, then `initdb` on PATH, then Debian's /usr/lib/postgresql/<version>/bin
(newest first), then (as root with apt-get) install Debian's `postgresql`. PostgreSQL is only
needed by the tests and by shared deployments; `make run` uses the embedded SQLite store.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

INSTALL_HINT = (
    "install Debian's PostgreSQL server (as root: apt-get install postgresql), or set "
    "ATLAS_PG_BIN to the folder holding initdb and pg_ctl (e.g. /usr/lib/postgresql/15/bin); "
    "`make test` installs it itself when run as root"
)


def _has_server(folder: Path) -> bool:
    return (folder / "initdb").is_file() and (folder / "pg_ctl").is_file()


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name)) or (0,)


def find_postgres() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    configured = os.environ.get("ATLAS_PG_BIN")
    if configured:
        return Path(configured) if _has_server(Path(configured)) else None
    on_path = shutil.which("initdb")
    if on_path and _has_server(Path(on_path).resolve().parent):
        return Path(on_path).resolve().parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    return next((folder for folder in debian if _has_server(folder)), None)


def main() -> int:
    found = find_postgres()
    if found:
        print(f"PostgreSQL tests: using {found}")
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("PostgreSQL tests: installing Debian's postgresql with apt-get (root, one time)...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], env=env, check=False)
        found = find_postgres()
        if found:
            print(f"PostgreSQL tests: using {found}")
            return 0
    print(f"PostgreSQL tests: no PostgreSQL server found; {INSTALL_HINT}.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
