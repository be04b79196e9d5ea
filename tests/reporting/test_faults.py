"""Redis stopped while a township uploads and confirms its report and while the bureau approves it: every
step succeeds, nothing is lost, and the figures catch up when Redis returns (the worker drains as it
reconnects) or at beat's next drain. Real processes: a redis-server of the test's own, a `celery
worker`, a `celery beat`, all on the test database."""

from __future__ import annotations

import time

import pytest
import time_machine

from common.redis_guard import redis_failed
from completion.models import Completion, CompletionRun, RecomputeRequest
from completion.services import completion_recompute
from indicators.models import FigureChange, MonthlyValue
from reporting.models import Submission
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_approve, submission_confirm
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B
from tests.processes import redis_at, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("typed_by_hand")]

JOBS, CERTS = "employment.urban_new_jobs", "talent.skill_certificates"


def _submitted(user, orgs, report_file, township: str, values: dict) -> Submission:
    """Upload and confirm November 2024 on 5 December, before the deadline."""
    with time_machine.travel("2024-12-05 10:00 +0800"):
        preview = submission_upload(
            user=user,
            township=orgs[township],
            year=2024,
            month=11,
            data=report_file(township, 2024, 11, values),
            filename="月报.xlsx",
        )
        assert preview.ok, [str(p) for p in preview.problems]
        return submission_confirm(submission=preview.submission, user=user)


def _computed(township: str, code: str = JOBS):
    cell = Completion.objects.filter(
        indicator__code=code, org_unit__code=township, year=2024, month=11
    ).first()
    return cell.actual if cell else None


def _cells() -> list[tuple]:
    fields = [f.attname for f in Completion._meta.concrete_fields if f.attname not in {"id", "computed_at"}]
    return list(
        Completion.objects.order_by("year", "month", "indicator_id", "org_unit_id").values_list(*fields)
    )


def _matches_a_from_scratch_recompute() -> bool:
    caught_up = _cells()
    Completion.objects.all().delete()
    completion_recompute(year=2024)
    return _cells() == caught_up


@pytest.fixture
def own_redis(spare_redis):
    with redis_at(spare_redis.url):
        yield spare_redis


def test_with_redis_stopped_an_upload_and_its_approval_succeed_and_catch_up_when_it_returns(
    celery_processes, own_redis, township_a_user, township_b_user, bureau_user, orgs, report_file
):
    celery_processes.worker(own_redis.url)
    early = _submitted(township_b_user, orgs, report_file, TOWNSHIP_B, {JOBS: 30})
    submission_approve(submission=early, user=bureau_user)  # with Redis up: computed at once
    assert wait_for(lambda: _computed(TOWNSHIP_B) == 30)

    own_redis.stop()  # the worker loses its broker and keeps trying to reconnect
    submitted = _submitted(township_a_user, orgs, report_file, TOWNSHIP_A, {JOBS: 120, CERTS: 7})
    started = time.monotonic()
    submission_approve(submission=submitted, user=bureau_user)
    approval_seconds = time.monotonic() - started

    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.APPROVED
    assert MonthlyValue.objects.get(indicator__code=JOBS, org_unit__code=TOWNSHIP_A).value == 120
    assert FigureChange.objects.filter(org_unit__code=TOWNSHIP_A, year=2024, month=11).count() == 2
    assert RecomputeRequest.objects.filter(year=2024).exists()  # the need is on record in PostgreSQL
    assert approval_seconds < 2, approval_seconds  # no waiting on the dead broker
    time.sleep(3)
    assert _computed(TOWNSHIP_A) is None  # nobody can compute while the queue is gone

    own_redis.start()  # an empty Redis: the old marker and any queued task are gone
    assert wait_for(lambda: _computed(TOWNSHIP_A) == 120 and not RecomputeRequest.objects.exists(), 90), (
        "the figures did not catch up after Redis returned"
    )
    assert _computed(TOWNSHIP_A, CERTS) == 7 and _computed("429005") == 150
    assert Submission.objects.filter(status=Submission.Status.APPROVED).count() == 2
    assert _matches_a_from_scratch_recompute()


def test_a_request_the_queue_never_got_is_computed_at_beats_next_drain(
    celery_processes, own_redis, township_a_user, bureau_user, orgs, report_file, settings
):
    """The web process has just seen Redis fail (a network blip) and queues nothing for a while; the
    worker never lost its connection, so only beat's periodic drain can catch the approval up."""
    celery_processes.worker(own_redis.url)
    submitted = _submitted(township_a_user, orgs, report_file, TOWNSHIP_A, {JOBS: 80})
    settings.REDIS_RETRY_SECONDS = 60
    redis_failed(own_redis.url, "a blip seen by the web process", ConnectionError("test"))
    submission_approve(submission=submitted, user=bureau_user)
    time.sleep(3)
    assert _computed(TOWNSHIP_A) is None and RecomputeRequest.objects.exists()

    celery_processes.beat(own_redis.url, every_seconds=2)
    assert wait_for(lambda: _computed(TOWNSHIP_A) == 80 and not RecomputeRequest.objects.exists(), 60)
    assert CompletionRun.objects.get(year=2024).trigger == CompletionRun.Trigger.CATCH_UP
    assert _matches_a_from_scratch_recompute()
