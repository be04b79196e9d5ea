"""What an upload leaves behind, and for how long (issue 23: any township could fill the disk).

- The file kept is the portal's own copy of the cells it read (kept_copy), never the upload's bytes: a
  template's worth, whatever the upload carried (a 9.5 MB picture, a macro, a thousand junk cells).
- A draft holds that copy in its row (`Submission.preview_file`), not on disk; confirming writes it
  to MEDIA_ROOT, where files are never changed or deleted after (backups rely on that). A replaced or
  purged draft takes its copy along in the same transaction, so nothing is left to clean up.
- A township has one draft per month: its next upload replaces it (the database holds it too,
  `submission_one_draft_per_period`). One draft rather than none: the preview page, the import
  command and the demo confirm a draft by its id, and the numbering of the versions sent stays
  gapless, since a draft takes the number after the last version sent.
- Drafts never confirmed are purged after REPORT_DRAFT_RETENTION_HOURS (beat, hourly; or the
  purge_report_drafts command), and so are files in the upload folder that no row points at.
- Every upload through the web door is counted, and an account gets REPORT_UPLOADS_PER_HOUR a
  rolling hour: reading a file is the expensive part, whether it passes or not."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from common.db import insert_rows
from common.errors import PortalError, Problem
from indicators.services import ValueEntry
from orgs.models import OrgUnit

from .kept_copy import kept_workbook
from .models import Submission, SubmissionValue, UploadAttempt
from .parsing import ParsedReport

HOUR = timedelta(hours=1)
UPLOAD_FOLDER = "submissions"  # Submission.file's upload_to, the only folder the purge looks in


@dataclass(frozen=True)
class DraftUpload:
    """An upload that passed every check, to be kept as a draft per township in it."""

    report: ParsedReport
    filename: str
    original_sha256: str
    city: bool  # the bureau's city-wide file: each township's copy holds its own rows only


@transaction.atomic
def drafts_save(
    *,
    user: User,
    year: int,
    month: int,
    upload: DraftUpload,
    entries: list[ValueEntry],
    warnings: list[Problem],
) -> list[Submission]:
    """One draft per township in the upload, replacing the township's earlier draft of the month."""
    by_township: dict[OrgUnit, list[ValueEntry]] = {}
    for e in entries:
        by_township.setdefault(e.org_unit, []).append(e)
    # The townships' rows locked: two uploads of one month run one after the other, the second
    # replacing the first's draft and numbering its own after the last version sent.
    list(OrgUnit.objects.select_for_update().filter(pk__in=[t.pk for t in by_township]).order_by("pk"))
    period = {"township__in": list(by_township), "year": year, "month": month}
    Submission.objects.filter(status=Submission.Status.DRAFT, **period).delete()
    latest = dict(
        Submission.objects.filter(**period)
        .values("township_id")
        .annotate(v=Max("version"))
        .values_list("township_id", "v")
    )
    return [
        _draft(
            user=user,
            township=township,
            entries=township_entries,
            version=latest.get(township.pk, 0) + 1,
            upload=upload,
            warnings=warnings,
        )
        for township, township_entries in by_township.items()
    ]


def _draft(
    *,
    user: User,
    township: OrgUnit,
    entries: list[ValueEntry],
    version: int,
    upload: DraftUpload,
    warnings: list[Problem],
) -> Submission:
    """The township's draft: its rows of the upload, its kept copy, and the warnings of its sheets."""
    copy = kept_workbook(
        report=upload.report,
        township=township,
        year=entries[0].year,
        month=entries[0].month,
        original_name=upload.filename,
        original_sha256=upload.original_sha256,
        whole_file=not upload.city,
    )
    sheets = {e.sheet for e in entries}
    submission = Submission.objects.create(
        township=township,
        year=entries[0].year,
        month=entries[0].month,
        version=version,
        created_by=user,
        original_filename=upload.filename[:255],
        original_sha256=upload.original_sha256,
        preview_file=copy,
        file_is_copy=True,
        is_city_file=upload.city,
        warnings=[str(w) for w in warnings if w.sheet in sheets],
    )
    insert_rows(
        SubmissionValue,
        ("submission_id", "indicator_id", "value", "remark", "explanation", "sheet", "row"),
        [
            (submission.pk, e.indicator.pk, e.value, e.remark, e.explanation, (e.sheet or "")[:64], e.row)
            for e in entries
        ],
    )
    return submission


def draft_file_store(submission: Submission) -> list[str]:
    """At confirmation, the draft's copy goes to MEDIA_ROOT under a name the portal gives it (never the
    township's); returns the fields to save. A draft stored before issue 23 has its file already.
    Should the confirmation roll back, the file written is one no row points at: the purge takes it."""
    if submission.preview_file is None:
        return []
    content = bytes(submission.preview_file)
    name = f"{submission.township.code}-{submission.year}{submission.month:02d}-v{submission.version}.xlsx"
    submission.file.save(name, ContentFile(content), save=False)
    submission.file_sha256, submission.preview_file = hashlib.sha256(content).hexdigest(), None
    return ["file", "file_sha256", "preview_file"]


class UploadLimitReached(PortalError):
    """More uploads by one account in the last hour than REPORT_UPLOADS_PER_HOUR: the web door
    answers 429 with Retry-After."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@transaction.atomic
def upload_attempt_record(*, user: User, at: datetime | None = None) -> None:
    """Count one upload by this account, or refuse it (UploadLimitReached) when the account has had
    REPORT_UPLOADS_PER_HOUR in the hour before. A refused upload is not counted."""
    now, limit = at or timezone.now(), settings.REPORT_UPLOADS_PER_HOUR
    # The account's row locked: two uploads at once are counted one after the other, so they cannot
    # both take the last one left.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    recent = list(
        UploadAttempt.objects.filter(user=user, at__gt=now - HOUR)
        .order_by("at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        free_at = recent[0] + HOUR
        raise UploadLimitReached(
            f"您在一小时内已上传{limit}次月报文件,达到了每小时{limit}次的上限,这次上传的文件没有读取。"
            f"请在{timezone.localtime(free_at):%H:%M}之后再上传;如确需更多次数,请联系局业务科室。",
            retry_after=max(1, math.ceil((free_at - now).total_seconds())),
        )
    UploadAttempt.objects.create(user=user, at=now)


@dataclass(frozen=True)
class PurgeResult:
    drafts: int
    files: int
    upload_counts: int


def report_drafts_purge(*, now: datetime | None = None) -> PurgeResult:
    """Delete what was uploaded and never confirmed, once older than REPORT_DRAFT_RETENTION_HOURS:
    drafts (their figures and copies with them), and files in the upload folder that no row points at
    (drafts stored before issue 23, a confirmation rolled back after its file was written). Then the
    upload counts older than the hour they bound. Safe to run twice, and at any time.

    Files go before drafts: a file whose draft this run deletes is left to the next run, an hour on,
    so a backup that has just read the rows still finds every file they point at."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.REPORT_DRAFT_RETENTION_HOURS)
    files = _unreferenced_files_delete(older_than=cutoff)
    _, deleted = Submission.objects.filter(status=Submission.Status.DRAFT, created_at__lt=cutoff).delete()
    upload_counts, _ = UploadAttempt.objects.filter(at__lte=now - HOUR).delete()
    return PurgeResult(
        drafts=deleted.get(Submission._meta.label, 0), files=files, upload_counts=upload_counts
    )


def _unreferenced_files_delete(*, older_than: datetime) -> int:
    storage = Submission._meta.get_field("file").storage
    referenced = set(Submission.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in _files_under(storage, UPLOAD_FOLDER):
        if name not in referenced and storage.get_modified_time(name) < older_than:
            storage.delete(name)
            deleted += 1
    return deleted


def _files_under(storage: Storage, folder: str) -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" for name in files]
    for sub in folders:
        names += _files_under(storage, f"{folder}/{sub}")
    return names
