"""What an upload may leave behind (issue 23, point 1: any township could fill the disk). A preview's
file stays out of MEDIA_ROOT until it is confirmed, a township has one draft a month, what is never
confirmed is purged, and an account's uploads are bounded per hour at the web door."""

from __future__ import annotations

import io
import os
import time
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from reporting.models import Submission, SubmissionValue
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from tests.conftest import TOWNSHIP_A

pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"
NOW = "2024-12-05 10:00 +0800"


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel(NOW, tick=False):
        yield


def with_picture(data: bytes, megabytes: float) -> bytes:
    """The template carrying a picture nobody reads (xl/media/image1.png), stored, as PNGs do not shrink."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/image1.png", os.urandom(int(megabytes * 2**20)), zipfile.ZIP_STORED)
    return out.getvalue()


def disk(settings) -> int:
    return sum(p.stat().st_size for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def post(client, user, data: bytes, name: str = "月报.xlsx"):
    form = {"township": user.org_unit_id, "year": 2024, "month": 11, "file": SimpleUploadedFile(name, data)}
    return client.post("/reporting/upload/", form)


def upload(user, orgs, data: bytes):
    preview = submission_upload(
        user=user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=data, filename="月报.xlsx"
    )
    assert preview.ok, preview.problems
    return preview.submission


# --- a preview's file stays out of lasting storage ---


def test_twenty_previews_of_a_file_carrying_a_large_picture_leave_nothing_on_disk(
    client, township_a_user, report_file, settings
):
    """The reported attack, smaller: 20 uploads of a template with an unread 2 MB picture through the
    web door. Before: 20 drafts, each with the whole file in MEDIA_ROOT (and downloadable again)."""
    data = with_picture(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), 2)
    client.force_login(township_a_user)

    for _ in range(20):
        assert post(client, township_a_user, data).status_code == 200

    assert disk(settings) == 0
    [draft] = Submission.objects.all()
    assert len(bytes(draft.preview_file)) < 20_000  # the template's worth, not the picture


def test_confirming_writes_only_the_portals_copy_to_disk(township_a_user, orgs, report_file, settings):
    data = with_picture(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), 2)

    sent = submission_confirm(submission=upload(township_a_user, orgs, data), user=township_a_user)

    [stored] = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored.stat().st_size < 20_000 and stored.name == f"{TOWNSHIP_A}-202411-v1.xlsx"
    with zipfile.ZipFile(stored) as package:
        assert not [n for n in package.namelist() if n.startswith("xl/media")]
    assert sent.file.name.endswith(stored.name)


# --- purged when never confirmed ---


def test_a_draft_older_than_the_retention_is_purged_with_its_figures(
    township_a_user, orgs, report_file, settings
):
    from reporting.drafts import report_drafts_purge

    settings.REPORT_DRAFT_RETENTION_HOURS = 24
    upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}))
    now = timezone.now()

    kept = report_drafts_purge(now=now + timedelta(hours=23))
    purged = report_drafts_purge(now=now + timedelta(hours=25))

    assert (kept.drafts, purged.drafts) == (0, 1)
    assert not Submission.objects.exists() and not SubmissionValue.objects.exists()


def test_the_purge_never_touches_a_version_sent(township_a_user, orgs, report_file, settings):
    from reporting.drafts import report_drafts_purge

    sent = submission_confirm(
        submission=upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})),
        user=township_a_user,
    )

    result = report_drafts_purge(now=timezone.now() + timedelta(days=400))

    assert (result.drafts, result.files) == (0, 0)
    assert Submission.objects.get().pk == sent.pk and Path(sent.file.path).is_file()


def _stray(settings, name: str, hours_old: float) -> Path:
    path = Path(settings.MEDIA_ROOT) / "submissions" / "2024" / "11" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK stray")
    then = time.time() - hours_old * 3600
    os.utime(path, (then, then))
    return path


def test_files_no_row_points_at_are_purged_once_older_than_the_retention(settings):
    """A draft stored before issue 23, a confirmation rolled back after its file was written."""
    from reporting.drafts import report_drafts_purge

    old, fresh = _stray(settings, "old.xlsx", 30), _stray(settings, "fresh.xlsx", 1)

    result = report_drafts_purge()

    assert (result.files, old.exists(), fresh.exists()) == (1, False, True)


def test_a_file_whose_draft_a_run_purges_is_deleted_by_the_next_run(
    township_a_user, orgs, report_file, settings
):
    """A draft stored before issue 23 had its file on disk: the run that deletes the draft leaves the
    file, so a backup that read the rows just before still finds it; the next run takes it."""
    from reporting.drafts import report_drafts_purge

    draft = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}))
    path = _stray(settings, "legacy-draft.xlsx", 30)
    Submission.objects.filter(pk=draft.pk).update(
        file=str(path.relative_to(settings.MEDIA_ROOT)), preview_file=None, file_is_copy=False
    )
    later = timezone.now() + timedelta(hours=25)

    first = report_drafts_purge(now=later)
    exists_after_first = path.exists()
    second = report_drafts_purge(now=later + timedelta(hours=1))

    assert (first.drafts, first.files, exists_after_first) == (1, 0, True)
    assert (second.files, path.exists()) == (1, False)


def test_the_purge_runs_hourly_from_beat_as_a_task_and_as_a_command(township_a_user, orgs, report_file):
    from reporting.tasks import purge_report_drafts

    entry = current_app.conf.beat_schedule["purge-report-drafts"]
    assert entry["task"] == purge_report_drafts.name == "reporting.tasks.purge_report_drafts"
    assert entry["schedule"].minute == {40} and len(entry["schedule"].hour) == 24
    upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}))

    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert purge_report_drafts.apply().get() == {"drafts": 1, "files": 0, "upload_counts": 0}
        out = StringIO()
        call_command("purge_report_drafts", stdout=out)
    assert "草稿 0 份" in out.getvalue()


# --- bounded per account and hour ---


def test_an_account_past_its_hourly_uploads_is_answered_429_in_chinese_and_the_file_is_not_read(
    client, township_a_user, report_file, settings
):
    from reporting.models import UploadAttempt

    settings.REPORT_UPLOADS_PER_HOUR = 2
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})
    client.force_login(township_a_user)
    assert [post(client, township_a_user, data).status_code for _ in range(2)] == [200, 200]
    Submission.objects.all().delete()

    refused = post(client, township_a_user, data)

    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert (
        "一小时内已上传2次月报文件" in refused.content.decode()
        and "11:00之后再上传" in refused.content.decode()
    )
    assert not Submission.objects.exists() and UploadAttempt.objects.count() == 2


def test_the_hourly_bound_is_per_account(client, township_a_user, bureau_user, report_file, settings):
    settings.REPORT_UPLOADS_PER_HOUR = 1
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})
    client.force_login(township_a_user)
    assert post(client, township_a_user, data).status_code == 200
    client.force_login(bureau_user)

    assert post(client, township_a_user, data).status_code == 200


def test_the_hourly_bound_frees_an_hour_after_the_first_upload(
    client, township_a_user, report_file, settings
):
    settings.REPORT_UPLOADS_PER_HOUR = 1
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})
    client.force_login(township_a_user)
    assert post(client, township_a_user, data).status_code == 200
    with time_machine.travel("2024-12-05 10:59 +0800", tick=False):
        assert post(client, township_a_user, data).status_code == 429
    with time_machine.travel("2024-12-05 11:00:01 +0800", tick=False):
        assert post(client, township_a_user, data).status_code == 200


def test_an_upload_that_fails_while_its_draft_is_saved_leaves_the_earlier_draft_as_it_was(
    township_a_user, orgs, report_file, monkeypatch
):
    """The replacement is one transaction: the earlier draft goes only if the new one lands whole."""
    from reporting import drafts

    earlier = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}))

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(drafts, "kept_workbook", broken)
    with pytest.raises(OSError):
        submission_upload(
            user=township_a_user,
            township=orgs[TOWNSHIP_A],
            year=2024,
            month=11,
            data=report_file(TOWNSHIP_A, 2024, 11, {JOBS: 130}),
            filename="月报.xlsx",
        )

    assert list(Submission.objects.values_list("pk", "status")) == [(earlier.pk, "draft")]
    assert SubmissionValue.objects.get(submission=earlier, indicator__code=JOBS).value == 120
