"""Request bodies are bounded before they are read, not after. An upload larger than the cap is refused
as its headers arrive (Content-Length) or, for a body sent without a length, as soon as the cap is
passed; nothing past the cap is read into memory or written to disk."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError


def too_large_message() -> str:
    return (
        f"上传的文件超过了{settings.REPORT_MAX_UPLOAD_MB}MB的上限,系统没有接收。"
        "请删除与月报无关的工作表、图片后重新保存,再上传。"
    )


class UploadTooLarge(MultiPartParserError):
    """Answered with 413 and the Chinese message by common.views.bad_request (handler400).

    A MultiPartParserError, not a SuspiciousOperation: Django answers a body it could not parse through
    handler400 whether DEBUG is on or not, and marks the body as read, so nothing parses the cut-off
    rest again. With DEBUG on (the quick start) a SuspiciousOperation gets Django's technical page
    instead, status 400, and that page reads request.POST again."""

    def __init__(self):
        super().__init__(too_large_message())


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts every byte of every file and stops at the cap. It stores
    nothing itself; the handlers after it keep the file (memory, or a temporary file past 2.5 MB)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.REQUEST_MAX_BODY_BYTES:
            raise UploadTooLarge()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.REPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise UploadTooLarge()
        return raw_data

    def file_complete(self, file_size):
        return None
