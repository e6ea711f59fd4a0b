"""The code as it was before the scale work, checked out beside this one for side-by-side runs.

`checkout(commit)` makes a detached git worktree of `commit` in a temporary folder and removes
it afterwards; `run_env(path)` is the environment that makes this venv's Python import the
dashboard package from that folder instead of this checkout (PYTHONPATH comes before the
editable install on sys.path).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The last commit before the filter registry, the query engine and the new stores.
BEFORE = "bd34aa1"


@contextmanager
def checkout(commit: str = BEFORE) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="atlas-before-") as folder:
        path = Path(folder) / "repo"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(path), commit],
            cwd=REPO, check=True,
        )  # fmt: skip
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(path)], cwd=REPO, check=False
            )


def run_env(path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    return env
