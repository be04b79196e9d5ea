"""Township reporting pages. Thin: check the scope, call one service or selector, answer."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import can_see_org, is_bureau, sees_whole_subtree
from audit.models import Kind
from audit.services import security_event_record
from common.errors import PortalError, ProblemKind
from common.periods import period_from
from notices.selectors import NO_REMINDER, reminder_records
from orgs.models import OrgUnit

from .batch import submission_findings, submissions_approve_unflagged
from .drafts import UploadLimitReached, upload_attempt_record
from .exports import reporting_status_workbook
from .forms import ReturnForm, UnlockForm, UploadForm, default_period
from .review import next_to_review, submission_review
from .selectors import reporting_status, submissions_visible, township_report_state
from .services.explanations import submission_explain, submission_unexplained
from .services.files import submission_file
from .services.locks import lock_open, report_deadline, report_lock_date, reporting_calendar
from .services.upload import Preview, submission_upload
from .services.workflow import submission_approve, submission_confirm, submission_return
from .templates_xlsx import city_template_workbook, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _period(request) -> tuple[int, int]:
    """The month asked for, else the one now due (reporting.forms); asked wrong: a 400 page naming
    the parameter (common.periods, as every page)."""
    try:
        return period_from(request.GET, default=default_period())
    except PortalError as error:
        raise BadRequest(error.message) from error


def _index_context(form, submissions, user=None) -> dict:
    max_mb = settings.REPORT_MAX_UPLOAD_MB
    return {
        "form": form,
        "submissions": submissions,
        "max_upload_mb": max_mb,
        "max_upload_bytes": max_mb * 1048576,
        "due": _due(user) if user is not None else None,
    }


def _due(user) -> dict:
    """The month being reported, its deadline and lock, and (for a township) where its month stands:
    the township sees what it owes and, for a report sent back, why."""
    year, month = reporting_calendar().month_being_reported(timezone.localdate())
    township = user.org_unit if not sees_whole_subtree(user) and user.org_unit_id else None
    return {
        "year": year,
        "month": month,
        "deadline": report_deadline(year, month),
        "lock_date": report_lock_date(year, month),
        "days_left": (report_deadline(year, month) - timezone.localdate()).days,
        "state": township_report_state(township=township, year=year, month=month) if township else None,
    }


@login_required
def index(request):
    form = UploadForm(user=request.user)
    submissions = submissions_visible(request.user).exclude(status="draft")[:50]
    return render(request, "reporting/index.html", _index_context(form, submissions, request.user))


@login_required
def template_download(request, code: str, year: int, month: int):
    unit = get_object_or_404(OrgUnit, code=code)
    if unit.is_upper and not is_bureau(request.user):
        raise PermissionDenied("只有局业务科室可以下载全市模板。")
    if not can_see_org(request.user, unit.pk):
        raise PermissionDenied("您只能下载本区镇街道的模板。")
    try:
        data = (
            city_template_workbook(year=year, month=month, unit=unit)
            if unit.is_upper
            else template_workbook(township=unit, year=year, month=month)
        )
    except PortalError as exc:
        raise PermissionDenied(exc.message) from exc
    return _xlsx(data, f"{unit.name}{year}年{month}月人社数据月报.xlsx")


@login_required
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "reporting/index.html", _index_context(form, [], request.user), status=400)
    try:
        upload_attempt_record(user=request.user)
    except UploadLimitReached as exc:
        form.add_error(None, exc.message)
        response = render(request, "reporting/index.html", _index_context(form, [], request.user), status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    upload_file = form.cleaned_data["file"]
    try:
        preview = submission_upload(
            user=request.user,
            township=form.cleaned_data["township"],
            year=form.cleaned_data["year"],
            month=form.cleaned_data["month"],
            data=upload_file.read(),
            filename=upload_file.name,
        )
    except PortalError as exc:
        preview = Preview(problems=exc.problems)
    context = {"preview": preview, "data": form.cleaned_data, "filename": upload_file.name}
    return render(request, "reporting/preview.html", context, status=200 if preview.ok else 400)


def _named(submission) -> str:
    """Whose report, for the security log (who took or reviewed which township's file)."""
    return f"{submission.township.name}{submission.year}年{submission.month}月月报第{submission.version}版"


def _submission(request, pk: int):
    submission = submissions_visible(request.user).filter(pk=pk).first()
    if submission is None:
        # The same answer for another township's id as for a draft replaced or purged (drafts.py).
        raise Http404("这份月报不存在:可能是预览已被之后上传的文件替代或已过期,请回到月报上报页面重新上传。")
    return submission


@login_required
@require_POST
def confirm(request, pk: int):
    submission = _submission(request, pk)
    explanations = {
        int(key[2:]): text for key, text in request.POST.items() if key.startswith("x-") and key[2:].isdigit()
    }
    try:
        if explanations:  # kept with the draft even if the confirmation is refused: nothing typed is lost
            submission_explain(submission=submission, user=request.user, explanations=explanations)
        submission_confirm(submission=submission, user=request.user)
        messages.success(request, "月报已提交,等待局业务科室审核。")
    except PortalError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:detail", pk=pk)


@login_required
def detail(request, pk: int):
    submission = _submission(request, pk)
    values = submission.values.select_related("indicator").order_by("indicator__sort_order")
    draft = submission.status == submission.Status.DRAFT
    reviewing = is_bureau(request.user) and submission.status == submission.Status.PENDING
    context = {
        "submission": submission,
        "values": values,
        "return_form": ReturnForm(),
        "can_review": is_bureau(request.user),
        # The reviewer judges each figure beside its history, the quota and the rules (review.py).
        "review": submission_review(submission=submission) if reviewing else None,
        "to_explain": submission_unexplained(submission=submission) if draft else [],
    }
    return render(request, "reporting/detail.html", context)


@login_required
def original_file(request, pk: int):
    submission = _submission(request, pk)
    try:
        found = submission_file(submission=submission, user=request.user)
    except PortalError as exc:
        if exc.kind != ProblemKind.PERMISSION:
            raise Http404(exc.message) from exc  # a draft: no file is kept for it yet
        raise PermissionDenied(exc.message) from exc
    security_event_record(
        kind=Kind.DOWNLOAD, request=request, object=_named(submission), detail=found.filename
    )
    # Always the portal's own .xlsx (kept_copy), so always this type, whatever was uploaded.
    response = HttpResponse(found.content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return response


@login_required
@require_POST
def approve(request, pk: int):
    """审核通过; with `next`, 通过并打开下一份: on to the next report waiting (the same month first)."""
    submission = _submission(request, pk)
    try:
        result = submission_approve(submission=submission, user=request.user)
        security_event_record(kind=Kind.APPROVED, request=request, object=_named(submission))
    except PortalError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:detail", pk=pk)
    messages.success(
        request,
        f"已审核通过{submission.township.name}{submission.year}年{submission.month}月月报:"
        f"新增{result.created}项,修改{result.updated}项,删除{result.deleted}项。",
    )
    if request.POST.get("next"):
        following = next_to_review(user=request.user, after=submission)
        if following is None:
            messages.info(request, "没有其他待审核的月报了。")
            return redirect(f"{reverse('reporting:status')}?year={submission.year}&month={submission.month}")
        return redirect("reporting:detail", pk=following.pk)
    return redirect("reporting:detail", pk=pk)


@login_required
@require_POST
def approve_unflagged(request):
    """批量通过 from the status page: the reports listed there as waiting with no rule flag."""
    ids = [int(i) for i in request.POST.getlist("submissions") if i.isdigit()]
    back = reverse("reporting:status")
    if request.POST.get("year", "").isdigit() and request.POST.get("month", "").isdigit():
        back += f"?year={request.POST['year']}&month={request.POST['month']}"
    try:
        visible = list(submissions_visible(request.user).filter(pk__in=ids).values_list("pk", flat=True))
        result = submissions_approve_unflagged(user=request.user, submission_ids=visible)
    except PortalError as exc:
        if exc.kind == ProblemKind.PERMISSION:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        for submission in result.approved:  # each approval in the security log, as one at a time is
            security_event_record(
                kind=Kind.APPROVED, request=request, object=_named(submission), detail="批量通过"
            )
        messages.success(request, result.message)
    return redirect(back)


@login_required
@require_POST
def return_submission(request, pk: int):
    submission = _submission(request, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise PortalError("退回月报必须写明原因。")
        submission_return(submission=submission, user=request.user, reason=form.cleaned_data["reason"])
        security_event_record(kind=Kind.RETURNED, request=request, object=_named(submission))
        messages.success(request, "已退回,区镇街道可修改后重新上报。")
    except PortalError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:detail", pk=pk)


@login_required
def status(request):
    if not sees_whole_subtree(request.user):
        raise PermissionDenied("报送情况仅供局业务科室和领导查看。")
    year, month = _period(request)
    month_status = reporting_status(year=year, month=month, user=request.user)
    reminders = reminder_records(year=year, month=month)
    waiting = [r.submission for r in month_status.rows if r.state == "pending"]
    context = {
        "status": month_status,
        "rows": [(row, reminders.get(row.township.pk, NO_REMINDER)) for row in month_status.rows],
        "unlock_form": UnlockForm(user=request.user),
        # Reports waiting with no rule flag, which the bureau may approve at once (batch.py).
        "unflagged": [s for s in waiting if not submission_findings(s)] if is_bureau(request.user) else [],
        "waiting": waiting,
    }
    return render(request, "reporting/status.html", context)


@login_required
def status_export(request):
    if not sees_whole_subtree(request.user):
        raise PermissionDenied("报送情况仅供局业务科室和领导查看。")
    year, month = _period(request)
    data = reporting_status_workbook(
        reporting_status(year=year, month=month, user=request.user),
        reminders=reminder_records(year=year, month=month),
    )
    return _xlsx(data, f"{year}年{month}月区镇街道月报报送情况.xlsx")


@login_required
@require_POST
def unlock(request):
    form = UnlockForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise PortalError("请完整填写解锁的区镇街道、月份、天数和原因。")
        data = form.cleaned_data
        lock_open(
            township=data["township"],
            year=data["year"],
            month=data["month"],
            days=data["days"],
            reason=data["reason"],
            user=request.user,
        )
        security_event_record(
            kind=Kind.REPORT_UNLOCKED,
            request=request,
            object=f"{data['township'].name}{data['year']}年{data['month']}月月报",
            detail=f"开放{data['days']}天。",
        )
        messages.success(
            request,
            f"已为{data['township'].name}开放{data['year']}年{data['month']}月月报 {data['days']} 天。",
        )
    except PortalError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:status")
