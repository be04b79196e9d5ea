"""How a notice reaches a person. A channel is a small class registered here: its code (in
settings.NOTICE_CHANNELS), whether it is delivered when the notice is written (the portal's inbox) or
by a Celery task that may fail and be retried (email), the person's address on it, and send().

An SMS or government-messaging gateway is one more class with @register and its code in
NOTICE_CHANNELS; the rules (who owes, when, exactly once, the record) do not change."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .models import Notice

CHANNELS: dict[str, type[NoticeChannel]] = {}


def register(cls: type[NoticeChannel]) -> type[NoticeChannel]:
    CHANNELS[cls.code] = cls
    return cls


class NoticeChannel:
    code: ClassVar[str]
    label: ClassVar[str]
    # True: the notice is delivered by being written (nothing can fail later). False: a task sends it.
    immediate: ClassVar[bool] = False

    def address(self, recipient) -> str | None:
        """Where this person is reached on the channel; None = not at all (no email address given)."""
        raise NotImplementedError

    def send(self, notice: Notice, recipient, address: str) -> None:
        """Deliver, or raise (an OSError or the channel's own error, retried by the task)."""
        raise NotImplementedError


@register
class PortalChannel(NoticeChannel):
    """The inbox in the portal (the badge in the top bar, /notices/)."""

    code, label, immediate = "portal", "站内通知", True

    def address(self, recipient) -> str | None:
        return ""

    def send(self, notice: Notice, recipient, address: str) -> None:
        """Written is delivered."""


@register
class EmailChannel(NoticeChannel):
    """Django's email backend: SMTP in production, the console in the quick start."""

    code, label = "email", "电子邮件"

    def address(self, recipient) -> str | None:
        return recipient.email.strip() or None

    def send(self, notice: Notice, recipient, address: str) -> None:
        link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("notices:list")
        send_mail(
            subject=f"【潜江人社数据门户】{notice.title}",
            message=f"{notice.body}\n\n在门户中查看:{link}\n(本邮件由系统自动发送,请勿直接回复。)",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
            fail_silently=False,
        )


def channel(code: str) -> NoticeChannel:
    return CHANNELS[code]()


def active_channels() -> list[NoticeChannel]:
    return [CHANNELS[code]() for code in settings.NOTICE_CHANNELS]
