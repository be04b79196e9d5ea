"""Email through Django's SMTP backend to a real SMTP server on 127.0.0.1 (aiosmtpd): delivered, a
temporary failure retried, a server that keeps failing (or is not there) recorded as failed after the
last try, and nothing sent for a township that reported before its email went out."""

from __future__ import annotations

import pytest

from notices.models import Delivery
from notices.services import reminders_send_due
from notices.tasks import deliver
from tests.conftest import TOWNSHIP_B
from tests.processes import free_port

from .conftest import at
from .smtp import SmtpServer


@pytest.fixture(autouse=True)
def eager_retries_do_not_raise():
    """Run eagerly, each retry is a nested apply() that raises unless eager errors stay in the result
    (as they do in a worker): the retries then run one after the other, without the backoff's wait."""
    from celery import current_app

    current_app.conf.CELERY_TASK_EAGER_PROPAGATES = False
    yield
    current_app.conf.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def smtp_settings(settings):
    def _use(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5

    return _use


def _b_email() -> Delivery:
    return Delivery.objects.get(recipient__username="town_b", channel="email")


def _remind(captured) -> None:
    """The due-soon reminder, its email tasks captured (not yet run)."""
    with at("2026-12-07 09:00"), captured(execute=False) as callbacks:
        reminders_send_due()
    return callbacks


def _run_b_email() -> None:
    deliver.apply(args=[_b_email().pk], throw=False)


def test_a_reminder_is_emailed_to_the_townships_address(
    people, smtp_settings, django_capture_on_commit_callbacks
):
    with SmtpServer() as server:
        smtp_settings(server.port)
        _remind(django_capture_on_commit_callbacks)
        _run_b_email()

    delivery = _b_email()
    assert delivery.status == "sent" and delivery.attempts == 1 and delivery.sent_at is not None
    [mail] = server.received
    assert mail["To"] == "yangshi@example.cn"
    assert mail["Subject"].strip() == "【潜江人社数据门户】催报:2026年11月月报将于12月10日截止"
    assert "杨市街道" in mail.get_content() and "/notices/" in mail.get_content()


def test_a_temporary_failure_is_retried_and_then_delivered(
    people, smtp_settings, django_capture_on_commit_callbacks
):
    with SmtpServer(refuse_first=2) as server:
        smtp_settings(server.port)
        _remind(django_capture_on_commit_callbacks)
        _run_b_email()

    delivery = _b_email()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert "451" in delivery.last_error  # the last failure is kept with the delivery
    assert server.handler.refused == 2 and len(server.received) == 1


def test_an_email_that_keeps_failing_is_recorded_failed_after_the_last_try(
    people, smtp_settings, settings, django_capture_on_commit_callbacks
):
    with SmtpServer(refuse_first=100) as server:
        smtp_settings(server.port)
        _remind(django_capture_on_commit_callbacks)
        _run_b_email()

    delivery = _b_email()
    tries = settings.NOTICE_EMAIL_MAX_RETRIES + 1
    assert (delivery.status, delivery.attempts) == ("failed", tries)
    assert server.handler.refused == tries and server.received == []
    assert "SMTPDataError" in delivery.last_error and "451" in delivery.last_error


def test_no_smtp_server_is_a_failure_recorded_too(people, smtp_settings, django_capture_on_commit_callbacks):
    smtp_settings(free_port())  # nothing listens there
    _remind(django_capture_on_commit_callbacks)
    _run_b_email()

    delivery = _b_email()
    assert delivery.status == "failed" and "ConnectionRefusedError" in delivery.last_error


def test_nothing_is_emailed_to_a_township_that_reported_before_the_email_went_out(
    people, send_report, smtp_settings, django_capture_on_commit_callbacks
):
    with SmtpServer() as server:
        smtp_settings(server.port)
        callbacks = _remind(django_capture_on_commit_callbacks)
        with at("2026-12-07 09:01"):
            send_report(people["b"], TOWNSHIP_B)
        for queued in callbacks:  # the queued email tasks run now, after B has reported
            queued()

    assert _b_email().status == "cancelled"
    assert [m["To"] for m in server.received] == ["yuanlin@example.cn"]  # A still owes
