"""The outermost bound on a request body, in front of Django (see qianjiang_hrss/wsgi.py). nginx refuses
longer bodies first in production; this holds for any other way gunicorn is reached, and for bodies sent
without a Content-Length (chunked), which Django would otherwise read whole when it reads request.body."""

from __future__ import annotations

from .uploads import UploadTooLarge

PAGE = (
    "<!doctype html><html lang='zh-Hans'><meta charset='utf-8'><title>上传内容过大</title>"
    "<body style='font-family:sans-serif;margin:3em'><h1>上传内容过大</h1><p>{message}</p>"
    "<p><a href='javascript:history.back()'>返回</a></p></body></html>"
)


class BodyTooLarge(UploadTooLarge):
    """Raised while Django reads the body: Django answers it as an UploadTooLarge (413, Chinese page)."""


class _BoundedInput:
    """wsgi.input that raises once more than `limit` bytes have been read from it."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.read_bytes = stream, limit, 0

    def _count(self, data: bytes) -> bytes:
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise BodyTooLarge()
        return data

    def read(self, size: int = -1) -> bytes:
        return self._count(self.stream.read(size) if size is not None and size >= 0 else self.stream.read())

    def readline(self, size: int = -1) -> bytes:
        return self._count(self.stream.readline(size))

    def __iter__(self):
        for line in self.stream:
            yield self._count(line)


class BodyLimit:
    def __init__(self, app, *, limit: int, message: str):
        self.app, self.limit = app, limit
        self.page = PAGE.format(message=message).encode("utf-8")

    def __call__(self, environ, start_response):
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > self.limit:
            return self._refuse(start_response)
        environ["wsgi.input"] = _BoundedInput(environ["wsgi.input"], self.limit)
        return self.app(environ, start_response)

    def _refuse(self, start_response):
        # No Connection header: it is hop-by-hop, which PEP 3333 leaves to the server (runserver's
        # wsgiref refuses it with a 500; gunicorn drops it and decides itself whether to keep the
        # connection).
        start_response(
            "413 Request Entity Too Large",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(self.page)))],
        )
        return [self.page]
