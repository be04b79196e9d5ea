"""Exactly once under real concurrency: the same day's schedule run at the same moment on two database
connections (threads), and on two real Celery workers with email through a real SMTP server that refuses
the first message (retried with backoff) — each township gets one reminder, each address one email."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from notices.models import Delivery, Notice
from notices.services import reminders_send_due
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B
from tests.processes import redis_at, wait_for

from .conftest import at
from .smtp import SmtpServer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_schedule_run_twice_at_once_on_two_connections_sends_once(people):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    barrier, results, errors = threading.Barrier(2), {}, []

    def run(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            results[name] = {n.township.code for n in reminders_send_due(now=moment)}
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not errors, errors
    assert len(results["one"] | results["two"]) == 23 and not results["one"] & results["two"]
    assert Notice.objects.filter(kind="due_today").count() == 23
    assert Delivery.objects.filter(recipient=people["b"]).count() == 2  # one portal, one email


@pytest.fixture
def own_redis(spare_redis):
    with redis_at(spare_redis.url):
        yield spare_redis


def _emails_settled() -> bool:
    return not Delivery.objects.filter(channel="email", status="pending").exists()


@pytest.mark.worker
def test_two_workers_running_the_schedule_send_each_reminder_and_email_once(
    celery_processes, own_redis, people, send_report
):
    from notices.tasks import send_scheduled_reminders

    with SmtpServer(refuse_first=1) as smtp:
        env = {**smtp.settings(), "NOTICE_EMAIL_RETRY_BACKOFF_SECONDS": "1", "NOTICE_EMAIL_MAX_RETRIES": "3"}
        celery_processes.worker(own_redis.url, name="one", **env)
        celery_processes.worker(own_redis.url, name="two", **env)

        # Beat fires twice (two beats by mistake, or a redelivery): two workers take one each.
        for _ in range(2):
            send_scheduled_reminders.delay(at="2026-12-07T09:00:00+08:00")
        assert wait_for(lambda: Notice.objects.count() == 23 and Delivery.objects.count() == 4, 60), (
            Notice.objects.count(),
            Delivery.objects.count(),
            celery_processes.logs(),
        )
        assert wait_for(_emails_settled, 60), celery_processes.logs()
        due_soon = sorted(m["To"] for m in smtp.received)

        with at("2026-12-10 15:00"):
            send_report(people["b"], TOWNSHIP_B)  # the bureau is told, by email too
        send_scheduled_reminders.delay(at="2026-12-11T09:00:00+08:00")
        assert wait_for(lambda: Notice.objects.filter(kind="overdue").count() == 22, 60)
        assert wait_for(lambda: _emails_settled() and len(smtp.received) == 4, 60), celery_processes.logs()

    assert due_soon == ["yangshi@example.cn", "yuanlin@example.cn"]
    assert sorted(m["To"] for m in smtp.received[2:]) == ["bureau@example.cn", "yuanlin@example.cn"]
    assert smtp.handler.refused == 1
    emails = Delivery.objects.filter(channel="email")
    assert set(emails.values_list("status", flat=True)) == {"sent"}
    assert sorted(emails.values_list("attempts", flat=True)) == [1, 1, 1, 2]  # the refused one, tried again
    assert Notice.objects.filter(township__code=TOWNSHIP_B, kind="overdue").count() == 0
    assert Notice.objects.filter(township__code=TOWNSHIP_A).count() == 2
