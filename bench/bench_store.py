"""The store at scale: import and read times and peak memory, SQLite and PostgreSQL, new code
side by side with the code before the store rewrite (commit bd34aa1), in the same run.

For each size (default 100,000 and 1,000,000 synthetic incidents from dashboard.synthetic) and
each store, a fresh process loads the same validated frame from Parquet, imports it as one
batch into an empty store, then reads every incident back: `incidents_table()` (Arrow, new
code only) and `incidents()` (pandas, both). Peak RSS is the whole process's, frame included;
"loaded" is the RSS with only the frame in memory. Times are wall clock, with the CPU seconds of
the measuring process and its children beside them (the PostgreSQL server's are not counted):
on a shared machine the CPU figure is the steadier one. PostgreSQL is a throwaway local server
(tests/postgres.py); the old code runs from a temporary `git worktree` of bd34aa1 with the same
virtualenv. Old runs slower than OLD_TIMEOUT seconds are reported as such.

    python bench/bench_store.py [SIZE ...] [--no-old] [--no-postgres]

Prints a table and writes bench/results/store.json.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OLD_COMMIT = "bd34aa1"
OLD_TIMEOUT = 900
RESULTS = REPO / "bench" / "results" / "store.json"

MEASURE = r"""
import json, resource, sys, time
import pandas as pd
import dashboard
from dashboard.schema import coerce_dtypes
from dashboard.store import Store

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def cpu_s():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

def timed(result, key, work):
    wall, cpu = time.perf_counter(), cpu_s()
    value = work()
    result[key + "_s"] = time.perf_counter() - wall
    result[key + "_cpu_s"] = cpu_s() - cpu
    return value

parquet, url = sys.argv[1], sys.argv[2]
frame = coerce_dtypes(pd.read_parquet(parquet))
loaded = rss_mb()
store = Store(url, seed_csv=None)
result = {"code": dashboard.__file__}
timed(result, "import", lambda: store.import_incidents(frame, name="bench"))
del frame
if hasattr(store, "incidents_table"):
    table = timed(result, "read_arrow", store.incidents_table)
    assert table.num_rows == int(sys.argv[3])
    del table
incidents = timed(result, "read_pandas", store.incidents)
assert len(incidents) == int(sys.argv[3])
result.update(loaded_mb=loaded, peak_mb=rss_mb())
print(json.dumps(result))
"""


def measure(code_dir: Path, parquet: Path, url: str, rows: int, timeout: float | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code_dir), "ATLAS_HOME": str(parquet.parent / "home")}
    try:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(parquet), url, str(rows)],
            cwd=code_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1][:200]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    expected = code_dir / "dashboard"
    if not result.pop("code").startswith(str(expected)):
        raise RuntimeError(f"the measurement did not run the code in {code_dir}")
    return result


def old_worktree(folder: Path) -> Path:
    path = folder / "old"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(path), OLD_COMMIT],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return path


def cell(result: dict, key: str, unit: str) -> str:
    if "error" in result:
        return result["error"] if key == "import_s" else ""
    value = result.get(key)
    if value is None:
        return "-"
    cpu = result.get(key[:-2] + "_cpu_s") if key.endswith("_s") else None
    return f"{value:,.1f}{unit}" + (f" ({cpu:,.1f} CPU)" if cpu is not None else "")


def print_table(results: list[dict]) -> None:
    header = ("rows", "store", "code", "import", "incidents_table", "incidents()", "peak RSS")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in results:
        m = r["result"]
        print(
            f"{r['rows']:,} | {r['store']} | {r['code']} | {cell(m, 'import_s', ' s')} | "
            f"{cell(m, 'read_arrow_s', ' s')} | {cell(m, 'read_pandas_s', ' s')} | "
            f"{cell(m, 'peak_mb', ' MB')} (loaded {cell(m, 'loaded_mb', ' MB')})"
        )


def run_all(folder: Path, sizes: list[int], codes: dict[str, Path], server) -> list[dict]:
    from dashboard.synthetic import synthetic_incidents

    results = []
    for rows in sizes:
        parquet = folder / f"synthetic-{rows}.parquet"
        synthetic_incidents(rows, seed=1, scattered=0.1).to_parquet(parquet)
        for code, code_dir in codes.items():
            stores = ["sqlite", "postgresql"] if server else ["sqlite"]
            for store in stores:
                if store == "sqlite":
                    url = f"sqlite:///{folder}/{code[:3]}-{rows}.db"
                else:
                    url = server.new_store_url()
                timeout = OLD_TIMEOUT if code != "new" else None
                result = measure(code_dir, parquet, url, rows, timeout)
                row = {"rows": rows, "store": store, "code": code, "result": result}
                results.append(row)
                print(json.dumps(row), flush=True)
                if store == "sqlite":
                    Path(url.split("///", 1)[1]).unlink(missing_ok=True)
                else:
                    server.drop_store(url)
    return results


def main(argv: list[str]) -> int:
    from tests.postgres import running_postgres

    # Stopped from outside: still remove the worktree and stop the server (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sizes = [int(a) for a in argv if a.isdigit()] or [100_000, 1_000_000]
    with_old = "--no-old" not in argv
    folder = Path(tempfile.mkdtemp(prefix="atlas-bench-store-"))
    codes = {"new": REPO}
    try:
        if with_old:
            codes["old " + OLD_COMMIT] = old_worktree(folder)
        if "--no-postgres" in argv:
            results = run_all(folder, sizes, codes, None)
        else:
            with running_postgres() as server:
                results = run_all(folder, sizes, codes, server)
    finally:
        if with_old:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(folder / "old")],
                cwd=REPO,
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)
    print()
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
