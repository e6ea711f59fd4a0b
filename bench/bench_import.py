"""Read + validate at 100,000 and 1,000,000 rows: this code beside the old code, in one run.

    python bench/bench_import.py [--sizes 100000,1000000] [--columns 500,1000,2000]
                                 [--old bd34aa1] [--timeout 900]
    python bench/bench_import.py --store [--sizes 1000000] [--old 2f4f68a]

Makes synthetic files with `dashboard.synthetic` (native CSV, the same as Parquet, and an
ACLED-layout CSV; made-up rows marked synthetic), then times `read_incidents` on each in a fresh
process, once with this worktree's code and once with the old commit's (checked out with
`git worktree add --detach` into a temporary folder, run with the same virtualenv, removed
afterwards). Then the same for 1,000-row files of 500 to 2,000 columns (time must grow with the
columns, not their square). Prints wall and CPU seconds and peak RSS side by side and writes
bench/results/import.json. Never fails on time; a run over --timeout is reported as such.

With --store: `atlas import` of the native and ACLED CSVs into a fresh local store (seeded with
the curated incidents, so matching against stored incidents runs) in a fresh process, this code
beside --old: wall seconds and peak RSS of the whole command (bench/results/import-store.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

# Runs in a child process whose working directory and PYTHONPATH are the code under test.
MEASURE = """
import json, resource, sys, time
import dashboard
from dashboard.formats import read_incidents
wall, cpu = time.perf_counter(), time.process_time()
try:
    rows, error = len(read_incidents(sys.argv[1])), None
except Exception as exc:  # the figure to print, whatever happened
    rows, error = None, f"{type(exc).__name__}: {str(exc)[:200]}"
usage = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({
    "seconds": round(time.perf_counter() - wall, 2),
    "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
    "peak_rss_mb": peak // 1024,
    "rows": rows, "error": error, "code": dashboard.__file__,
}))
"""


# `atlas import FILE` in a child whose code is the code under test; its figures go to a file
# (the command prints its own lines).
IMPORT = """
import json, resource, sys, time
import dashboard
from dashboard.__main__ import main
status = main(["import", sys.argv[1]])
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
with open(sys.argv[2], "w") as out:
    json.dump({
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": peak // 1024, "status": status, "code": dashboard.__file__,
    }, out)
"""


MAKE = """
import sys
from dashboard.formats.writers import write_incidents
from dashboard.synthetic import synthetic_acled, synthetic_incidents
size, native, parquet, acled = int(sys.argv[1]), *sys.argv[2:]
incidents = synthetic_incidents(size, seed=1, scattered=0.1)
write_incidents(incidents, native, formula_escape=False)
incidents.to_parquet(parquet)
del incidents
synthetic_acled(size, seed=1).to_csv(acled, index=False)
"""


def make_files(folder: Path, size: int) -> dict[str, Path]:
    """Made in a process of their own, so this one stays small while it measures."""
    files = {
        "native CSV": folder / f"native-{size}.csv",
        "Parquet": folder / f"native-{size}.parquet",
        "ACLED CSV": folder / f"acled-{size}.csv",
    }
    subprocess.run(
        [sys.executable, "-c", MAKE, str(size), *map(str, files.values())], cwd=ROOT, check=True
    )
    return files


def wide_file(folder: Path, columns: int, rows: int = 1000) -> Path:
    """A native CSV with `columns` columns: the canonical ones and extra text columns."""
    from dashboard.formats.writers import write_incidents
    from dashboard.synthetic import synthetic_incidents

    incidents = synthetic_incidents(rows, seed=2)
    extra = {f"extra_{i}": f"value {i}" for i in range(columns - len(incidents.columns))}
    path = folder / f"wide-{columns}.csv"
    write_incidents(incidents, path, formula_escape=False)
    frame = __import__("pandas").read_csv(path, dtype=str, keep_default_na=False)
    frame = frame.assign(**extra)
    frame.to_csv(path, index=False)
    return path


def measure(code: Path, path: Path, timeout: int) -> dict:
    environment = {
        **os.environ,
        "PYTHONPATH": str(code),
        "ATLAS_MAX_ROWS": "5000000",
        "ATLAS_MAX_COLUMNS": "100000",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(path)],
            cwd=code,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "error": f"over {timeout} s"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"seconds": None, "error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert str(code) in result.pop("code"), "the child imported the wrong code"
    return result


def measure_import(code: Path, path: Path, folder: Path, timeout: int) -> dict:
    """`atlas import path` into a fresh store under `folder`, with `code`."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=folder))
    figures = home / "figures.json"
    environment = {**os.environ, "PYTHONPATH": str(code), "ATLAS_HOME": str(home),
                   "ATLAS_MAX_ROWS": "5000000"}  # fmt: skip
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", IMPORT, str(path), str(figures)],
            cwd=code, env=environment, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"seconds": None, "error": f"over {timeout} s"}
    if not figures.exists():
        return {"seconds": None, "error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(figures.read_text())
    assert str(code) in result.pop("code"), "the child imported the wrong code"
    # The whole command as a user waits for it: the interpreter's start and exit included.
    result["seconds"] = round(time.perf_counter() - started, 2)
    if result["status"]:
        result["error"] = done.stderr.strip().splitlines()[-1:]
    subprocess.run(["rm", "-rf", str(home)], check=False)
    return result


def store_imports(args, folder: Path, old: Path) -> list[dict]:
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        files = make_files(folder, size)
        for kind in ("native CSV", "ACLED CSV"):
            path = files[kind]
            for run in range(args.runs):
                now = measure_import(ROOT, path, folder, args.timeout)
                before = measure_import(old, path, folder, args.timeout)
                print(f"{size:>9,} {kind:<10} run {run + 1} | now {shown(now)} | "
                      f"{args.old} {shown(before)}", flush=True)  # fmt: skip
                results.append({"rows": size, "format": kind, "now": now, "old": before})
        for path in files.values():
            path.unlink()
    return results


def old_worktree(commit: str, folder: Path) -> Path:
    target = folder / f"old-{commit}"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(target), commit],
        check=True,
        capture_output=True,
    )
    return target


def shown(result: dict) -> str:
    if result.get("seconds") is None:
        return f"{result.get('error')}"
    return (
        f"{result['seconds']:7.2f} s ({result['cpu_seconds']:6.2f} s CPU) "
        f"{result['peak_rss_mb']:6,} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--columns", default="500,1000,2000")
    parser.add_argument("--old", default="bd34aa1", help="commit of the old code")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per run")
    parser.add_argument("--store", action="store_true", help="time `atlas import` instead")
    parser.add_argument("--runs", type=int, default=2, help="runs per file with --store")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average at start: {os.getloadavg()}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        folder = Path(folder)
        old = old_worktree(args.old, folder)
        try:
            if args.store:
                results = store_imports(args, folder, old)
                sizes = []
                args.columns = ""
            for size in sizes:
                files = make_files(folder, size)
                for kind, path in files.items():
                    new_result = measure(ROOT, path, args.timeout)
                    old_result = measure(old, path, args.timeout)
                    mb = path.stat().st_size / 2**20
                    print(
                        f"{size:>9,} {kind:<10} {mb:6.0f} MB | now {shown(new_result)} | "
                        f"{args.old} {shown(old_result)}",
                        flush=True,
                    )
                    results.append(
                        {
                            "rows": size,
                            "format": kind,
                            "file_mb": round(mb, 1),
                            "now": new_result,
                            "old": old_result,
                        }  # fmt: skip
                    )
                for path in files.values():
                    path.unlink()
            for columns in [int(c) for c in args.columns.split(",") if c]:
                path = wide_file(folder, columns)
                new_result = measure(ROOT, path, args.timeout)
                old_result = measure(old, path, args.timeout)
                print(
                    f"    1,000 {columns:>5} columns     | now {shown(new_result)} | "
                    f"{args.old} {shown(old_result)}",
                    flush=True,
                )
                results.append(
                    {"rows": 1000, "columns": columns, "now": new_result, "old": old_result}
                )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                capture_output=True,
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("import-store.json" if args.store else "import.json")
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
