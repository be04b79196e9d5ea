"""A draft confirmed goes to the bureau for review (待审核); the bureau approves it (its figures count)
or returns it with a reason (the township sends again). Every change of status of a month's versions
runs under their row locks, one at a time, and tells the listeners (notices) once it has committed."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_bureau
from common.errors import PortalError, refusal
from indicators.batch_write import Source
from indicators.models import Channel, Indicator
from indicators.services import ApplyResult, ValueEntry, figures_check, monthly_values_apply
from reporting.drafts import draft_file_store
from reporting.events import submission_event_listeners
from reporting.models import Submission, SubmissionValue

from .guards import require_bureau_over, require_may_report, require_status
from .locks import month_is_locked, reporting_calendar


def submission_confirm(*, submission: Submission, user: User, at: datetime | None = None) -> Submission:
    """The township confirms its previewed draft: it goes to the bureau for review and replaces the
    earlier drafts and the version still waiting for review (已被新版本替代). An earlier approved
    version keeps counting until this one is approved. `at` is when it was confirmed, for replaying
    a month's reporting that happened earlier (the demo's current year); no door passes it, and it
    may not lie in the future."""
    return submissions_confirm(submissions=[submission], user=user, at=at)[0]


@transaction.atomic
def submissions_confirm(
    *, submissions: list[Submission], user: User, at: datetime | None = None
) -> list[Submission]:
    """Confirm drafts together (the bureau's city-wide file: a draft per township), all or none: each
    as submission_confirm, their figures judged as one batch. Returned in the order given."""
    now = timezone.now()
    if at is not None and at > now:
        raise PortalError("提交时间不能晚于当前时间。")
    locked = _lock_all(submissions)
    for submission, newer in locked.values():
        require_may_report(user, submission.township)
        require_status(submission, Submission.Status.DRAFT)
        _refuse_if_newer_sent(submission=submission, newer=newer, action="再提交")
        if not is_bureau(user) and month_is_locked(
            township=submission.township, year=submission.year, month=submission.month, at=at
        ):
            raise PortalError(f"{submission.year}年{submission.month}月的月报已锁定,请联系局业务科室解锁。")
    sent = [submission for submission, _ in locked.values()]
    # The year's rules at the door the figures are sent through: a 核实 figure goes to review only
    # explained (the township's file column or the preview), a 强制 one never.
    check = figures_check(entries=_entries_of(sent), user=user, channel=Channel.UPLOAD)
    if check.problems:
        raise refusal(check.problems)
    for submission in sent:
        _supersede(submission, statuses=(Submission.Status.DRAFT, Submission.Status.PENDING))
        submission.status = Submission.Status.PENDING
        submission.submitted_at = at or now
        submission.is_late = reporting_calendar().is_late(
            submission.year, submission.month, timezone.localdate(submission.submitted_at)
        )
        stored = draft_file_store(submission)
        submission.save(update_fields=["status", "submitted_at", "is_late", *stored])
        _notify_after_commit(submission, "confirmed")
    return [locked[s.pk][0] for s in submissions]


def submission_approve(*, submission: Submission, user: User) -> ApplyResult:
    """The bureau approves the township's latest sent version: its figures become the township's
    monthly values (blank = not reported: an earlier value is removed), in the same transaction, the
    earlier versions are marked replaced, and the recompute is queued. Checked under the versions'
    locks, so of two reviewers approving two versions at once only the latest can win."""
    return submissions_approve(submissions=[submission], user=user)


@transaction.atomic
def submissions_approve(*, submissions: list[Submission], user: User) -> ApplyResult:
    """Approve reports together (the bureau's city-wide file), all or none: each as submission_approve,
    their figures judged and written as one batch (`ApplyResult.of_unit` tells each township's part)."""
    for submission in submissions:
        require_bureau_over(
            user=user, township=submission.township, refusal_message="只有局业务科室可以审核月报。"
        )
    locked = _lock_all(submissions)
    for submission, newer in locked.values():
        require_status(submission, Submission.Status.PENDING)
        _refuse_if_newer_sent(submission=submission, newer=newer, action="审核通过")
    approved = [submission for submission, _ in locked.values()]
    result = monthly_values_apply(
        entries=_entries_of(approved), user=user, channel=Channel.UPLOAD, source=_figures_of(approved)
    )
    statuses = (Submission.Status.DRAFT, Submission.Status.PENDING, Submission.Status.APPROVED)
    reviewed_at = timezone.now()
    for submission in approved:
        _supersede(submission, statuses=statuses)
        submission.status, submission.reviewed_by, submission.reviewed_at = (
            Submission.Status.APPROVED,
            user,
            reviewed_at,
        )
        submission.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        _notify_after_commit(submission, "approved")
    return result


@transaction.atomic
def submission_return(*, submission: Submission, user: User, reason: str) -> Submission:
    require_bureau_over(
        user=user, township=submission.township, refusal_message="只有局业务科室可以退回月报。"
    )
    if not reason.strip():
        raise PortalError("退回月报必须写明原因。", field="reason")
    submission, newer = _lock_versions(submission)
    require_status(submission, Submission.Status.PENDING)
    _refuse_if_newer_sent(submission=submission, newer=newer, action="退回")
    submission.status, submission.return_reason = Submission.Status.RETURNED, reason.strip()
    submission.reviewed_by, submission.reviewed_at = user, timezone.now()
    submission.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    _notify_after_commit(submission, "returned")
    return submission


def submission_entries(submission: Submission) -> list[ValueEntry]:
    """A report's figures as the write path takes them (with their 核实说明 and where they were in the
    file): what approval writes and what the rules judge."""
    return _entries_of([submission])


def _entries_of(submissions: list[Submission]) -> list[ValueEntry]:
    """The reports' figures, in file order: plain rows and one indicator lookup, whatever the number
    of reports (a city-wide file is 23 reports and 100,000 figures: reporting benchmark)."""
    indicators = Indicator.objects.filter(year__in={s.year for s in submissions}).in_bulk()
    by_pk = {s.pk: s for s in submissions}
    rows = (
        SubmissionValue.objects.filter(submission_id__in=by_pk)
        .order_by("submission_id", "id")
        .values_list("submission_id", "indicator_id", "value", "remark", "explanation", "sheet", "row")
        .iterator(chunk_size=5000)  # the rows are read a chunk at a time, never all kept beside the entries
    )
    return [
        ValueEntry(
            indicator=indicators[indicator_id],
            org_unit=by_pk[submission_id].township,
            year=by_pk[submission_id].year,
            month=by_pk[submission_id].month,
            value=value,
            remark=remark,
            explanation=explanation,
            sheet=sheet or None,
            row=row,
        )
        for submission_id, indicator_id, value, remark, explanation, sheet, row in rows
    ]


def _figures_of(submissions: list[Submission]) -> Source:
    """The reports' rows as the write path's source: the approval writes them from where they stand
    (indicators.batch_write), each history row naming its report. Their text is stored stripped."""
    quote = connection.ops.quote_name
    values, reports = quote(SubmissionValue._meta.db_table), quote(Submission._meta.db_table)
    marks = ", ".join(["%s"] * len(submissions))
    return Source(
        "SELECT sv.id AS seq, sv.indicator_id, r.township_id AS org_unit_id, r.year, r.month, sv.value,"
        " sv.remark, sv.explanation, '月报第' || r.version || '版(提交#' || r.id || ')' AS note,"
        f" r.id AS submission_pk FROM {values} sv JOIN {reports} r ON r.id = sv.submission_id"
        f" WHERE sv.submission_id IN ({marks})",
        tuple(s.pk for s in submissions),
    )


def _lock_all(submissions: list[Submission]) -> dict[int, tuple[Submission, list[Submission]]]:
    """_lock_versions for each report, a township and month at a time in one order (two batches
    never wait on each other crosswise), by the id given."""
    order = sorted(submissions, key=lambda s: (s.township_id, s.year, s.month, s.version))
    return {s.pk: _lock_versions(s) for s in order}


def _lock_versions(submission: Submission) -> tuple[Submission, list[Submission]]:
    """Lock every version of the submission's township and month, in version order, and return the
    submission as locked with the versions after it. Every change of status of one month's versions
    (confirm, approve, return) takes these locks first, so they run one at a time and each sees what
    the one before it did: two reviewers, or a reviewer and the township, can never both act on what
    they saw before the other's change."""
    versions = list(
        Submission.objects.select_for_update()
        .filter(township_id=submission.township_id, year=submission.year, month=submission.month)
        .order_by("version")
    )
    locked = next((v for v in versions if v.pk == submission.pk), None)
    if locked is None:  # a draft replaced by a later upload, or purged (reporting/drafts.py)
        raise PortalError(
            "这份月报预览已不存在:可能已被之后上传的文件替代,或超过保留时间已被清理。请重新上传文件并确认提交。"
        )
    return locked, [v for v in versions if v.version > locked.version]


def _refuse_if_newer_sent(*, submission: Submission, newer: list[Submission], action: str) -> None:
    """An older version must never be sent or approved over a newer one the township sent."""
    sent = [v for v in newer if v.status != Submission.Status.DRAFT]
    if sent:
        latest = sent[-1]
        raise PortalError(
            f"这份月报是第{submission.version}版,{submission.township.name}已提交了更新的"
            f"第{latest.version}版(“{latest.get_status_display()}”),旧版本不能{action}。请以最新版本为准。"
        )


def _supersede(submission: Submission, *, statuses: tuple[str, ...]) -> int:
    """Mark the earlier versions in the given statuses as replaced by this one (already locked)."""
    return Submission.objects.filter(
        township_id=submission.township_id,
        year=submission.year,
        month=submission.month,
        version__lt=submission.version,
        status__in=statuses,
    ).update(status=Submission.Status.SUPERSEDED, superseded_by=submission)


def _notify_after_commit(submission: Submission, event: str) -> None:
    """Tell the listeners (notices: the township or the bureau) once the change has committed: a rolled-back review
    tells nobody, and a notice that cannot be written never undoes the review (robust)."""

    for listener in submission_event_listeners():  # notices, subscribed in its ready() (reporting.events)
        transaction.on_commit(
            lambda listener=listener: listener(submission_id=submission.pk, event=event), robust=True
        )
