"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), that can refuse the first N messages with a
temporary failure (451), or every one."""

from __future__ import annotations

import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.processes import free_port


class Handler:
    def __init__(self, refuse_first: int = 0):
        self.refuse_first = refuse_first
        self.refused = 0
        self.received: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        with self.lock:
            if self.refused < self.refuse_first:
                self.refused += 1
                return "451 4.3.0 Temporary failure, try again later"
            self.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self, refuse_first: int = 0):
        self.handler = Handler(refuse_first)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def settings(self) -> dict[str, str]:
        """The environment a worker needs to send through this server."""
        return {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
        }
