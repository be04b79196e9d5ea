"""Request bodies are bounded before they are read, by gunicorn's Django and by nginx in front of it;
nginx's forwarded headers cannot be forged by a client. Real gunicorn, real nginx."""

from __future__ import annotations

import http.client
import socket
import ssl

from axes.models import AccessAttempt

from .conftest import rss_mb, worker_pid

MB = 1024 * 1024
BIG = 286 * MB  # the review's body


def _send_body(
    port: int, path: str, length: int, *, chunked: bool, tls: bool = False
) -> tuple[int, bytes, int]:
    """POST `length` bytes of a multipart body; returns (status, body, bytes the server let us send)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock = ssl._create_unverified_context().wrap_socket(raw) if tls else raw
    boundary = "qjboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    framing = "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {length + len(head)}\r\n"
    sock.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n{framing}Connection: close\r\n"
            # What nginx sends gunicorn; without it Django would redirect to https before reading anything.
            "X-Forwarded-Proto: https\r\nReferer: https://127.0.0.1/reporting/\r\n"
            # A well-formed CSRF cookie, so that Django gets as far as reading the form for the token.
            f"Cookie: csrftoken={'a' * 32}\r\n\r\n"
        ).encode()
    )
    sent, block = 0, b"\0" * MB
    try:
        payload = head
        while sent < length:
            chunk = payload + block
            payload = b""
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            sent += len(block)
    except OSError:  # the server stopped reading and closed: what we want
        pass
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        return response.status, response.read(), sent
    except OSError:
        return 0, b"", sent
    finally:
        sock.close()


def test_gunicorn_refuses_a_286_mb_post_by_its_length_without_reading_it(gunicorn):
    port, master = gunicorn
    worker = worker_pid(master)
    _send_body(port, "/reporting/upload/", 1 * MB, chunked=False)  # warm the worker up first
    before = rss_mb(worker)

    status, body, _ = _send_body(port, "/reporting/upload/", BIG, chunked=False)

    assert status == 413
    assert "上传" in body.decode() and "10MB" in body.decode()
    assert rss_mb(worker) - before < 20


def test_gunicorn_stops_a_chunked_body_at_the_cap(gunicorn):
    port, master = gunicorn
    worker = worker_pid(master)
    _send_body(port, "/reporting/upload/", 1 * MB, chunked=False)
    before = rss_mb(worker)

    status, _, sent = _send_body(port, "/reporting/upload/", BIG, chunked=True)

    # Django reads no body that comes without a length (the form is empty: 403, no CSRF token in it);
    # 413 if it ever did (common/wsgi.py stops at the cap); 0: closed on us mid-body, also a refusal.
    assert status in (403, 413, 0)
    assert sent < BIG
    assert rss_mb(worker) - before < 20


def test_nginx_refuses_a_body_past_the_limit_with_a_chinese_page(nginx):
    _, https_port = nginx

    status, body, _ = _send_body(https_port, "/reporting/upload/", 12 * MB, chunked=False, tls=True)

    assert status == 413
    assert "上传内容过大" in body.decode()


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port, context=ssl._create_unverified_context(), timeout=30
    )
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_a_client_cannot_make_the_portal_think_https_is_http_or_back(nginx):
    http_port, https_port = nginx

    plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
    plain.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    over_http = plain.getresponse()
    over_https = _get(https_port, "/accounts/login/", {"X-Forwarded-Proto": "http"})

    assert over_http.status == 301 and over_http.getheader("Location").startswith("https://")
    assert over_https.status == 200  # seen as https: no redirect loop, secure cookies set
    assert "Secure" in (over_https.getheader("Set-Cookie") or "")


def test_the_login_lock_counts_the_real_client_address_not_a_forged_one(nginx, bureau_user):
    _, https_port = nginx
    page = _get(https_port, "/accounts/login/", {})
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = cookie.split("=", 1)[1]
    connection = http.client.HTTPSConnection(
        "127.0.0.1", https_port, context=ssl._create_unverified_context()
    )

    connection.request(
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&username=bureau&password=guess",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"https://127.0.0.1:{https_port}/accounts/login/",
            "X-Real-IP": "6.6.6.6",
            "X-Forwarded-For": "6.6.6.6",
        },
    )
    assert connection.getresponse().status == 200  # the login page again, with the error

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]
