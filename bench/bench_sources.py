"""What sources cost the store: import and snapshot read with and without them, in one run.

    python bench/bench_sources.py [SIZE]   (default 1,000,000; SQLite store in a temp folder)

Synthetic incidents (dashboard.synthetic) are imported into two fresh SQLite stores: one as
the code now does (every incident brings its source row), one with the source rows left out
(as before the sources table). Then the engine's snapshot input is read from the first:
`incidents_table()`, `sources_table()` and `nest_sources` (the list of sources per incident).
Prints wall and CPU seconds; never fails on time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dashboard import sources as sources_module  # noqa: E402
from dashboard.store import Store  # noqa: E402
from dashboard.synthetic import synthetic_incidents  # noqa: E402


def timed(label: str, work):
    began, cpu = time.perf_counter(), time.process_time()
    value = work()
    wall, used = time.perf_counter() - began, time.process_time() - cpu
    print(f"{label:<44} {wall:7.2f} s wall {used:7.2f} s CPU", flush=True)
    return value


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    incidents = synthetic_incidents(size, seed=5, scattered=0.1)
    with tempfile.TemporaryDirectory() as folder:
        with_sources = Store(f"sqlite:///{folder}/with.db", seed_csv=None)
        without = Store(f"sqlite:///{folder}/without.db", seed_csv=None)
        timed(f"import {size:,} with their sources",
              lambda: with_sources.import_incidents(incidents, name="with"))  # fmt: skip
        empty = sources_module._empty().iloc[:0]
        with mock.patch.object(sources_module, "own_sources", lambda *a, **k: empty):
            timed(f"import {size:,} without source rows",
                  lambda: without.import_incidents(incidents, name="without"))  # fmt: skip
        table = timed("incidents_table()", with_sources.incidents_table)
        found = timed("sources_table()", with_sources.sources_table)
        timed("nest_sources (a list per incident)",
              lambda: sources_module.nest_sources(table, found))  # fmt: skip
        for store in (with_sources, without):
            store.close()
        sizes = {p.name: p.stat().st_size for p in Path(folder).glob("*.db")}
        files = ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in sorted(sizes.items()))
        print(f"store files: {files}")


if __name__ == "__main__":
    main()
