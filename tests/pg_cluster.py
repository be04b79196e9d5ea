"""The PostgreSQL programs of the test cluster (the ones scripts/services.sh started it with), and a
throwaway cluster of its own for a test that must stop and start PostgreSQL without disturbing the
shared one (initdb in a temporary directory, a free port; as scripts/services.sh does)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2


def pg_bin() -> Path:
    """QJ_PG_BIN as scripts/services.sh exports it; else its own rule (15, or the newest installed)."""
    if os.environ.get("QJ_PG_BIN"):
        return Path(os.environ["QJ_PG_BIN"])
    if Path("/usr/lib/postgresql/15/bin/initdb").exists():
        return Path("/usr/lib/postgresql/15/bin")
    return sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: as root they run as the postgres OS user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL server of its own: `start()`, `stop()` (fast shutdown), `start()` again on the same
    port and data, `remove()`. Superuser `qianjiang`, database `qianjiang`."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="qj-pg-"))
        self.root.chmod(0o755)
        self.data, self.port = self.root / "data", _free_port()
        self.url = f"postgres://qianjiang:qianjiang@127.0.0.1:{self.port}/qianjiang"

    def _pg(self, program: str, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            as_postgres([str(pg_bin() / program), *args]), check=True, capture_output=True, timeout=timeout
        )

    def create(self) -> Cluster:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.data}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        self.start()
        conn = self.connect("postgres", user="postgres")
        conn.autocommit = True  # CREATE DATABASE runs outside a transaction
        with conn.cursor() as cursor:
            cursor.execute("CREATE ROLE qianjiang LOGIN SUPERUSER PASSWORD 'qianjiang'")
            cursor.execute("CREATE DATABASE qianjiang OWNER qianjiang")
        conn.close()
        return self

    def start(self) -> None:
        self._pg(
            "pg_ctl", "start", "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-w", "-t", "60"
        )

    def stop(self) -> None:
        """Fast shutdown: open transactions are rolled back, every connection is cut."""
        self._pg("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60")

    def connect(self, dbname: str = "qianjiang", user: str = "qianjiang"):
        deadline = time.monotonic() + 30
        while True:
            try:
                return psycopg2.connect(host="127.0.0.1", port=self.port, user=user, dbname=dbname)
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres([str(pg_bin() / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.root, ignore_errors=True)
