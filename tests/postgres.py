"""A throwaway PostgreSQL server: initdb + pg_ctl in a temporary folder, on 127.0.0.1 only.

Used by the tests (one server per test session, one fresh database per test) and by
bench/bench_store.py. PostgreSQL refuses to run as root, so when the tests run as root (CI on a
clean Debian) the server runs as the unprivileged `postgres` user (or `nobody`), which owns the
temporary folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from ensure_postgres import INSTALL_HINT, find_postgres  # noqa: E402

from tests.browser import free_port  # noqa: E402

SUPERUSER = "atlas"
DATABASE = "atlas"


class PostgresMissing(RuntimeError):
    pass


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The user the server runs as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresMissing("running as root and no 'postgres' or 'nobody' user to run the server")


class PostgresServer:
    """A private server; `url(database)` gives a SQLAlchemy URL, `new_database()` a fresh one."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.user = _unprivileged_user()
        self.folder = Path(tempfile.mkdtemp(prefix="atlas-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._atlas_database = False

    def _run(self, *args: str) -> None:
        as_user = {"user": self.user.pw_uid, "group": self.user.pw_gid} if self.user else {}
        result = subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            cwd=self.folder,
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
            **as_user,
        )
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}\n{tail}")

    def start(self) -> PostgresServer:
        if self.user:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "-N"
        )
        # A test server: durability off (fsync) for speed, loopback TCP and a private socket.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        url = self.url(database).replace("+psycopg", "")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(statement)

    def new_store_url(self) -> str:
        """A URL to an empty schema of its own (a schema is 100 times faster to make than a
        database, and as private: the store's tables resolve through search_path)."""
        if not self._atlas_database:
            self._admin(f"CREATE DATABASE {DATABASE}")
            self._atlas_database = True
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE SCHEMA {schema}", DATABASE)
        return f"{self.url(DATABASE)}?options=-csearch_path%3D{schema}"

    def drop_store(self, url: str) -> None:
        schema = url.rsplit("%3D", 1)[1]
        # Connections a test left in its stores' pools would otherwise pile up.
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{DATABASE}' AND pid <> pg_backend_pid()",
            DATABASE,
        )
        self._admin(f"DROP SCHEMA IF EXISTS {schema} CASCADE", DATABASE)


@contextmanager
def running_postgres():
    """Start a throwaway server, yield it, stop it and delete its folder."""
    bin_dir = find_postgres()
    if bin_dir is None:
        raise PostgresMissing(f"the PostgreSQL tests need a PostgreSQL server: {INSTALL_HINT}")
    server = PostgresServer(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()
