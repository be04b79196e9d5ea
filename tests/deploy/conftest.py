"""Real gunicorn (the production WSGI application and settings) and real nginx (the project's own
config) started for the deployment tests, on the test database."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
NGINX_BIN = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def production_env(static_root: Path, database_url: str | None = None) -> dict[str, str]:
    db = connection.settings_dict
    keep = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    database_url = (
        database_url or f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "qianjiang_hrss.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_STATIC_ROOT": str(static_root),
    }


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """collectstatic once: the production settings serve hashed names from a manifest."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(
        root, database_url="postgres://unused@127.0.0.1:1/unused"
    )  # collectstatic reads no data
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@contextmanager
def gunicorn_running(env: dict[str, str], *, workers: int = 1) -> Iterator[tuple[int, subprocess.Popen]]:
    """qianjiang_hrss.wsgi:application under gunicorn with `env` (production_env), sync workers. Its
    output goes to a file, not a pipe nobody reads: a burst of logged errors must not block it."""
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "qianjiang_hrss.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_for_port(port)
            yield port, process
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.seek(0)
            print(log.read()[-4000:])


@pytest.fixture
def gunicorn(transactional_db, static_root):
    """The production WSGI application and settings on the test database, one sync worker."""
    with gunicorn_running(production_env(static_root)) as running:
        yield running


def worker_pids(master: subprocess.Popen, count: int = 1) -> list[int]:
    """The gunicorn workers under the master, once `count` of them are up."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        if len(children) >= count:
            return sorted(int(pid) for pid in children)
        time.sleep(0.1)
    raise TimeoutError("no gunicorn worker")


def worker_pid(master: subprocess.Popen) -> int:
    """The one gunicorn worker under the master."""
    return worker_pids(master)[0]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(pid)


@pytest.fixture
def nginx(gunicorn, tmp_path):
    """The project's nginx.conf, unchanged but for where it listens, where gunicorn is and where its
    files are; TLS with a certificate made for the test."""
    if not Path(NGINX_BIN).exists():
        pytest.fail("nginx is not installed (make test installs nginx-light)")
    upstream, _ = gunicorn
    http_port, https_port = free_port(), free_port()
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(tls / "portal.key"), "-out", str(tls / "portal.crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    shutil.copytree(ROOT / "deploy" / "nginx" / "errors", tmp_path / "errors")
    config = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    for old, new in (
        ("server web:8000;", f"server 127.0.0.1:{upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("/etc/nginx/tls/", f"{tls}/"),
        ("root /etc/nginx;", f"root {tmp_path};"),
    ):
        assert old in config, old
        config = config.replace(old, new)
    (tmp_path / "nginx.conf").write_text(config)
    for path in (tmp_path, tmp_path / "errors"):
        path.chmod(0o755)
    process = subprocess.Popen(
        [NGINX_BIN, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path),
         "-g", f"daemon off; user root; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_for_port(https_port)
        yield http_port, https_port
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(
            output[-2000:],
            (tmp_path / "error.log").read_text()[-2000:] if (tmp_path / "error.log").exists() else "",
        )
