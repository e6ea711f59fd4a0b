"""`streamlit run dashboard/app.py`, started by hand without `make run`, listens on this machine
only: the project's .streamlit/config.toml says server.address = 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil

from tests.browser import ARTIFACTS, REPO, free_port, wait_healthy


def listening_addresses(port: int) -> set[str]:
    return {
        c.laddr.ip
        for c in psutil.net_connections(kind="tcp")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    }


def test_streamlit_run_by_hand_listens_on_localhost_only(tmp_path):
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
        "--server.port", str(port), "--server.headless", "true",
    ]  # fmt: skip
    log = ARTIFACTS / "listen-address.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, "ATLAS_HOME": str(tmp_path / "home")},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}", process)
            assert listening_addresses(port) == {"127.0.0.1"}
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
