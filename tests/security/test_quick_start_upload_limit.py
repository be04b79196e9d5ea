"""The quick start (`make run`: runserver, settings.local, DEBUG on) refuses an upload past the cap the
way production does: 413 and the Chinese message. With DEBUG, Django answers a SuspiciousOperation
with its technical page (400) whatever handler400 says, and runserver's wsgiref refuses the WSGI
guard's hop-by-hop header (500), so the person saw a debug page, a server error or nothing at all.

A real runserver process, as a newcomer starts it, on the test database; the requests are sent whole
by http.client, as a browser sends a form."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


@pytest.fixture
def quick_start(transactional_db, tmp_path):
    """`manage.py runserver` with the local settings (DEBUG on) on the test database."""
    db = connection.settings_dict
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "qianjiang_hrss.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for(lambda: _answers(port) or process.poll() is not None, 60), log.read_text()[-3000:]
        assert process.poll() is None, log.read_text()[-3000:]
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(log.read_text()[-3000:])


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/accounts/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _csrf(port: int) -> str:
    """The sign-in page's CSRF cookie: the form's token goes in the body, so Django must read it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie") or ""
    return re.search(r"csrftoken=([^;]+)", cookie).group(1)


def _post_file(port: int, size: int) -> tuple[int, str]:
    token, boundary = _csrf(port), uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="月报.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + b"PK" + b"\0" * (size - 2) + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/reporting/upload/",
        body=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"csrftoken={token}",
            "Referer": f"http://127.0.0.1:{port}/reporting/",
        },
    )
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("size_mb", "stopped_by"),
    [(10.5, "the upload handler"), (12, "the WSGI guard, from Content-Length")],
)
def test_the_quick_start_answers_an_upload_past_the_cap_with_413_in_chinese(quick_start, size_mb, stopped_by):
    started = time.monotonic()

    status, page = _post_file(quick_start, int(size_mb * MB))

    assert status == 413, f"{stopped_by}: {status} {page[:300]}"
    assert f"超过了{settings.REPORT_MAX_UPLOAD_MB}MB的上限" in page
    assert time.monotonic() - started < 30
