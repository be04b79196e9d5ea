"""The township monthly report workflow: upload → preview → confirm (待审核) → approve (the values
count) or return with a reason (the township resubmits). Every version sent is kept with its file: the
portal's copy of the cells read, not the upload's bytes (drafts.py, kept_copy.py). Parsing never
touches the database; writing never parses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import (
    can_see_org,
    can_write_figures,
    is_bureau,
    sees_whole_subtree,
    visible_org_units,
)
from common.errors import PermissionDeniedError, PortalError, Problem, ProblemKind, refusal
from indicators.models import EXPLANATION_MAX_CHARS, Channel, Indicator, MonthlyValue
from indicators.rules import Finding
from indicators.services import ApplyResult, ValueEntry, figures_check, monthly_values_apply
from orgs.models import OrgUnit

from .calendar import ReportingCalendar
from .drafts import DraftUpload, draft_file_store, drafts_save
from .events import submission_event_listeners
from .kept_copy import kept_workbook
from .models import LockOverride, Submission, SubmissionValue
from .parsing import IMPORT_BUDGET, UPLOAD_BUDGET, ParsedReport, ParsedRow, ReadBudget, parse_report
from .parsing.layout import Found
from .parsing.numbers import UnitError, to_indicator_unit
from .templates_xlsx import template_workbook


def reporting_calendar() -> ReportingCalendar:
    """The bureau's reporting calendar (reporting/calendar.py) with its days from settings."""
    return ReportingCalendar(
        deadline_day=settings.REPORT_DEADLINE_DAY, lock_after_days=settings.REPORT_LOCK_AFTER_DAYS
    )


def report_deadline(year: int, month: int) -> date:
    """A month's report is due on REPORT_DEADLINE_DAY of the next month."""
    return reporting_calendar().deadline(year, month)


def report_lock_date(year: int, month: int) -> date:
    """The last day a township can still send the month without the bureau opening it."""
    return reporting_calendar().lock_date(year, month)


def month_is_locked(*, township: OrgUnit, year: int, month: int, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    if not reporting_calendar().is_past_lock(year, month, timezone.localdate(at)):
        return False
    opened = LockOverride.objects.filter(township=township, year=year, month=month, open_until__gte=at)
    return not opened.exists()


@transaction.atomic
def lock_open(
    *, township: OrgUnit, year: int, month: int, days: int, reason: str, user: User
) -> LockOverride:
    """Bureau staff open a locked month for one township (under their unit) for a number of days."""
    _require_bureau_over(user=user, township=township, refusal_message="只有局业务科室可以解锁月报。")
    if not reason.strip():
        raise PortalError("请填写解锁原因。", field="reason")
    return LockOverride.objects.create(
        township=township,
        year=year,
        month=month,
        open_until=timezone.now() + timedelta(days=days),
        reason=reason.strip(),
        opened_by=user,
    )


@dataclass
class PreviewItem:
    township: OrgUnit
    indicator: Indicator
    old: Decimal | None
    new: Decimal | None
    remark: str
    sheet: str
    row: int

    @property
    def change(self) -> str:
        if self.old == self.new:
            return "unchanged"
        if self.old is None:
            return "new"
        return "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class ToExplain:
    """A figure a 核实 rule flags that nobody has explained yet: the township explains it in the
    preview (or in the file's 核实说明 column) before it can confirm."""

    indicator_id: int
    indicator_name: str
    problem: Problem
    explanation: str = ""


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # to check before confirming
    items: list[PreviewItem] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # for information: hidden sheets, versions
    to_explain: list[ToExplain] = field(default_factory=list)  # 核实 figures to explain before confirming

    @property
    def submission(self) -> Submission | None:
        """The draft of a one-township upload."""
        return self.submissions[0] if self.submissions else None

    @property
    def ok(self) -> bool:
        return not self.problems


def _require_bureau_over(*, user: User, township: OrgUnit, refusal_message: str) -> None:
    """Reviewing, returning and unlocking are the bureau's, for the townships under its unit."""
    if not is_bureau(user):
        raise PermissionDeniedError(refusal_message)
    if not can_write_figures(user, township.pk):
        raise PermissionDeniedError(f"“{township.name}”不在您所属单位的辖区内。")


def _check_scope(user: User, township: OrgUnit) -> None:
    if township.level != OrgUnit.Level.TOWNSHIP:
        raise PortalError(f"“{township.name}”不是区镇街道,不能上报月报。")
    if not can_write_figures(user, township.pk):
        raise PermissionDeniedError(f"您没有上报“{township.name}”月报的权限。")


def _where(found: Found | None) -> dict[str, str | int]:
    """The sheet, row and column of a visible label the parser found (parsing.layout.Found), if any."""
    return {"sheet": found.sheet, "row": found.row, "column": found.column} if found else {}


def _period_problems(*, report: ParsedReport, township: OrgUnit, year: int, month: int) -> list[Problem]:
    problems: list[Problem] = []
    if report.township_code and report.township_code != township.code:
        other = OrgUnit.objects.filter(code=report.township_code).values_list("name", flat=True).first()
        problems.append(
            Problem(
                f"文件是“{other or report.township_code}”({report.township_code})的报表,"
                f"不是“{township.name}”({township.code})的。请下载本区镇街道的模板重新填写。",
                **_where(report.township_found),
            )
        )
    return problems + _month_problems(report=report, year=year, month=month)


def _month_problems(*, report: ParsedReport, year: int, month: int) -> list[Problem]:
    if (report.year, report.month) in ((None, None), (year, month)):
        return []
    theirs = f"{report.year}年{report.month}月"
    return [
        Problem(
            f"文件是{theirs}的报表,不是{year}年{month}月的。如果要报送{year}年{month}月的数据,"
            f"请下载{year}年{month}月的模板填写后上传;如果文件里就是{theirs}的数据,请在上传页面把月份选为{theirs}。",
            **_where(report.period_found),
        )
    ]


def _parse(*, data: bytes, filename: str, budget: ReadBudget) -> ParsedReport:
    return parse_report(data, filename, max_bytes=settings.REPORT_MAX_UPLOAD_MB * 1024 * 1024, budget=budget)


def _entries(
    *,
    rows: list[ParsedRow],
    townships: dict[str, OrgUnit],
    default: OrgUnit | None,
    year: int,
    month: int,
    refused_code: str | None = None,
) -> tuple[list[ValueEntry], list[Problem]]:
    """Turn parsed rows into figures, each for the township its row or sheet names (or the upload's
    township), collecting every problem. Rows of `refused_code`, a township the whole file was
    already refused for (another township's template), are not refused once more, row by row."""
    # The year's set as it stands: a retired indicator is named as such by the write path's check.
    indicators = {i.code: i for i in Indicator.objects.filter(year=year)}
    entries: list[ValueEntry] = []
    problems: list[Problem] = []
    seen: dict[tuple[int, int], ParsedRow] = {}
    for row in rows:
        code = row.org_code or (default.code if default else None)
        township, indicator = townships.get(code or ""), indicators.get(row.indicator_code)
        if township is None and refused_code is not None and code == refused_code:
            continue
        problem = _row_problem(
            row=row,
            code=code,
            township=township,
            indicator=indicator,
            default=default,
            year=year,
            month=month,
        )
        if problem is None and seen.setdefault((township.pk, indicator.pk), row) is not row:
            problem = _twice(indicator=indicator, first=seen[(township.pk, indicator.pk)], again=row)
        if problem is not None:
            problems.append(problem)
            continue
        entries.append(
            ValueEntry(
                indicator=indicator,
                org_unit=township,
                year=year,
                month=month,
                value=_in_indicator_unit(row=row, indicator=indicator, problems=problems),
                remark=row.remark[:200],
                explanation=row.explanation,
                sheet=row.sheet,
                row=row.row,
                column=row.value_column,
            )
        )
    return entries, problems


def _row_problem(
    *,
    row: ParsedRow,
    code: str | None,
    township: OrgUnit | None,
    indicator: Indicator | None,
    default: OrgUnit | None,
    year: int,
    month: int,
) -> Problem | None:
    where = {"sheet": row.sheet, "row": row.row}
    if township is None:
        return Problem(_org_message(code, default), **where)
    if indicator is None:
        return Problem(
            f"指标代码“{row.indicator_code}”不在{year}年的指标体系中,请勿修改模板中的指标代码。"
            f"如果是自己加的行,请删除;如果改动了代码,请从{year}年{month}月的模板中复制正确的代码。",
            column="A",
            **where,
        )
    if not indicator.township_reported:
        return Problem(f"“{indicator.name}”由市本级统计,区镇街道不填报,请删除这一行。", column="A", **where)
    return None


def _org_message(code: str | None, default: OrgUnit | None) -> str:
    if code is None:
        return (
            "缺少区划代码:全市合一的报表每个工作表须写明区镇街道的区划代码,请在表头上方的“区划代码:”后填写。"
        )
    if default is not None:
        return (
            f"区划代码“{code}”不是本区镇街道({default.code})的,这一行可能是从别的区镇街道的报表复制来的。"
            f"请核对后把区划代码改为{default.code},或删除这一行。"
        )
    return f"区划代码“{code}”不是潜江市的区镇街道。请按全市合一模板中各区镇街道的区划代码填写。"


def _twice(*, indicator: Indicator, first: ParsedRow, again: ParsedRow) -> Problem:
    """The same indicator on two rows, both named: the person must choose which figure is right."""
    there = f"第{first.row}行" if first.sheet == again.sheet else f"工作表“{first.sheet}”第{first.row}行"
    return Problem(
        f"“{indicator.name}”填了两行:{there}和这一行(第{again.row}行)。同一指标只能填一行,"
        "请核对哪一行的数值正确,删除另一行后重新上传。",
        sheet=again.sheet,
        row=again.row,
        column="A",
    )


def _in_indicator_unit(*, row: ParsedRow, indicator: Indicator, problems: list[Problem]) -> Decimal | None:
    if row.value is None:
        return None
    try:
        return to_indicator_unit(row.value, row.value_unit, indicator.unit)
    except UnitError as exc:
        problems.append(
            Problem(f"“{indicator.name}”:{exc}", sheet=row.sheet, row=row.row, column=row.value_column)
        )
        return None


def _stored(*, entries: list[ValueEntry], year: int, month: int) -> dict[tuple[int, int], Decimal]:
    """Stored values of the entries' townships for a month, by (township id, indicator id): one query."""
    rows = MonthlyValue.objects.filter(
        org_unit_id__in={e.org_unit.pk for e in entries}, year=year, month=month
    )
    return {(org, ind): value for org, ind, value in rows.values_list("org_unit_id", "indicator_id", "value")}


def _preview_items(*, entries: list[ValueEntry], year: int, month: int) -> list[PreviewItem]:
    current = _stored(entries=entries, year=year, month=month)
    return [
        PreviewItem(
            township=e.org_unit,
            indicator=e.indicator,
            old=current.get((e.org_unit.pk, e.indicator.pk)),
            new=e.value,
            remark=e.remark,
            sheet=e.sheet or "",
            row=e.row or 0,
        )
        for e in entries
    ]


def submission_upload(
    *,
    user: User,
    township: OrgUnit,
    year: int,
    month: int,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    budget: ReadBudget = UPLOAD_BUDGET,
) -> Preview:
    """Read and check a township's file. With any problem nothing is saved and every problem is
    returned; otherwise a draft submission (its values, and the kept copy of the file in its row)
    replaces the township's draft of the month, for the user to confirm (unless dry_run: then only the
    preview; see drafts.py). `budget` bounds the work of reading the file: the web
    door's by default; the import command passes IMPORT_BUDGET."""
    _check_scope(user, township)
    report = _parse(data=data, filename=filename, budget=budget)
    problems = list(report.problems) + _period_problems(
        report=report, township=township, year=year, month=month
    )
    if not is_bureau(user) and month_is_locked(township=township, year=year, month=month):
        lock = report_lock_date(year, month)
        problems.append(
            Problem(
                f"{year}年{month}月的月报已于{lock:%Y年%m月%d日}锁定,如需补报或更正请联系局业务科室解锁。"
            )
        )
    entries, entry_problems = _entries(
        rows=report.rows,
        townships={township.code: township},
        default=township,
        year=year,
        month=month,
        refused_code=report.township_code if report.township_code != township.code else None,
    )
    upload = _Upload(
        user=user, year=year, month=month, data=data, filename=filename, city=False, dry_run=dry_run
    )
    return _finish(upload=upload, report=report, entries=entries, problems=problems + entry_problems)


def city_report_upload(
    *,
    user: User,
    year: int,
    month: int,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    budget: ReadBudget = UPLOAD_BUDGET,
) -> Preview:
    """Bureau staff send a city-wide file (one sheet per township, as the city-wide template): one
    draft submission per township, all or none. A whole city's file needs IMPORT_BUDGET."""
    if not is_bureau(user):
        raise PermissionDeniedError("只有局业务科室可以上传全市合一的月报。")
    report = _parse(data=data, filename=filename, budget=budget)
    problems = list(report.problems) + _month_problems(report=report, year=year, month=month)
    # The townships under the bureau's unit: a sheet of any other is an unknown township (fail closed).
    visible = visible_org_units(user).filter(level=OrgUnit.Level.TOWNSHIP, is_active=True)
    townships = {t.code: t for t in visible}
    entries, entry_problems = _entries(
        rows=report.rows, townships=townships, default=None, year=year, month=month
    )
    upload = _Upload(
        user=user, year=year, month=month, data=data, filename=filename, city=True, dry_run=dry_run
    )
    return _finish(upload=upload, report=report, entries=entries, problems=problems + entry_problems)


@dataclass(frozen=True)
class _Upload:
    """A file as its door hands it over, with who sent it and for which month: what the checks, the
    version notes and the drafts need of it besides the rows read from it."""

    user: User
    year: int
    month: int
    data: bytes
    filename: str
    city: bool  # the bureau's city-wide file, one sheet per township
    dry_run: bool  # only the preview: no draft is kept


def _finish(
    *, upload: _Upload, report: ParsedReport, entries: list[ValueEntry], problems: list[Problem]
) -> Preview:
    # Every problem at once: the rows that were read are checked even when others were not. The
    # year's validation rules are judged here as at every door (indicators.rules).
    check = figures_check(entries=entries, user=upload.user, channel=Channel.UPLOAD)
    problems = problems + check.problems
    # A file whose only problems are 核实 figures nobody explained is kept as a draft: the township
    # explains them in the preview. Anything else wrong, and nothing is kept.
    if any(p.kind != ProblemKind.EXPLAIN for p in problems):
        return Preview(problems=problems, notices=list(report.notices))
    if not entries:
        return Preview(
            problems=[Problem("文件中没有任何指标数据。请在模板的“本月数值”列填写本月的数据后再上传。")],
            notices=list(report.notices),
        )
    year, month = upload.year, upload.month
    sha = hashlib.sha256(upload.data).hexdigest()
    version_notices, version_warnings = _version_notes(entries=entries, year=year, month=month, sha=sha)
    preview = Preview(
        warnings=check.notices + version_warnings,
        items=_preview_items(entries=entries, year=year, month=month),
        notices=list(report.notices) + version_notices,
        to_explain=[_to_explain(f) for f in check.unexplained],
    )
    if not upload.dry_run:
        draft = DraftUpload(report=report, filename=upload.filename, original_sha256=sha, city=upload.city)
        preview.submissions = drafts_save(
            user=upload.user, year=year, month=month, upload=draft, entries=entries, warnings=preview.warnings
        )
    return preview


def _to_explain(finding: Finding) -> ToExplain:
    entry = finding.entry
    return ToExplain(entry.indicator.pk, entry.indicator.name, finding.problem(), entry.explanation)


def submission_unexplained(*, submission: Submission) -> list[ToExplain]:
    """The 核实 figures of a draft still waiting for an explanation, judged now by the year's rules."""
    check = figures_check(entries=submission_entries(submission), user=None, channel=Channel.UPLOAD)
    return [_to_explain(f) for f in check.unexplained]


@transaction.atomic
def submission_explain(*, submission: Submission, user: User, explanations: dict[int, str]) -> int:
    """The township's 核实说明 typed in the preview, kept with its draft's figures (by indicator id) before
    it confirms; only a draft's, only by whoever may send it. Returns how many figures it explains."""
    _check_scope(user, submission.township)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(locked, Submission.Status.DRAFT)
    changed = 0
    for indicator_id, text in explanations.items():
        changed += locked.values.filter(indicator_id=indicator_id).update(
            explanation=" ".join(text.split())[:EXPLANATION_MAX_CHARS]
        )
    return changed


@dataclass(frozen=True)
class _Sent:
    """A version the township sent (confirmed): drafts, sent or not replaced, never count as one."""

    pk: int
    version: int
    status: str
    sha: str


def _sent_versions(*, townships: dict[int, OrgUnit], year: int, month: int) -> dict[int, list[_Sent]]:
    """Every version confirmed for the townships' month, in version order, by township: one query."""
    sent: dict[int, list[_Sent]] = {}
    rows = (
        Submission.objects.filter(
            township_id__in=townships, year=year, month=month, submitted_at__isnull=False
        )
        .order_by("version")
        .values_list("township_id", "pk", "version", "status", "original_sha256")
    )
    for township_id, pk, version, status, sha in rows:
        sent.setdefault(township_id, []).append(_Sent(pk, version, status, sha))
    return sent


def _version_notes(
    *, entries: list[ValueEntry], year: int, month: int, sha: str
) -> tuple[list[Problem], list[Problem]]:
    """What confirming this upload does to the versions already sent (notices), and a warning only
    when it would really put older figures over newer ones: the file is byte for byte a version that
    a later one with other figures has replaced (the wrong file picked from the downloads folder).
    The newer version is the latest sent one the bureau has not returned (a returned one's figures
    never counted); the older one cited is the latest sent with these bytes, never a draft."""
    townships = {e.org_unit.pk: e.org_unit for e in entries}
    notices: list[Problem] = []
    warnings: list[Problem] = []
    for township_id, versions in _sent_versions(townships=townships, year=year, month=month).items():
        name = townships[township_id].name
        pending = [v.version for v in versions if v.status == Submission.Status.PENDING]
        if pending:
            notices.append(
                Problem(
                    f"{name}{year}年{month}月已有第{pending[0]}版在等待审核;确认提交本文件后,"
                    f"第{pending[0]}版将被替代(已被新版本替代),不再审核。"
                )
            )
        kept = [v for v in versions if v.status != Submission.Status.RETURNED] or versions
        newest, same = kept[-1], [v for v in versions if v.sha == sha]
        if newest.sha == sha:
            notices.append(Problem(f"本文件与{name}已提交的第{newest.version}版完全相同,数据没有变化。"))
        elif (
            same
            and same[-1].version < newest.version
            and _figures_differ(sent=newest, entries=entries, township_id=township_id)
        ):
            old = same[-1].version
            warnings.append(
                Problem(
                    f"本文件与{name}已提交的第{old}版完全相同,而之后已提交了第{newest.version}版,两版的数据不同。"
                    f"请确认没有选错文件:确认提交会用第{old}版的旧数据替代第{newest.version}版。"
                )
            )
    return notices, warnings


def _figures_differ(*, sent: _Sent, entries: list[ValueEntry], township_id: int) -> bool:
    """Whether the upload's figures (value and remark of each indicator) are not the sent version's."""
    theirs = {
        indicator: (value, remark)
        for indicator, value, remark in SubmissionValue.objects.filter(submission_id=sent.pk).values_list(
            "indicator_id", "value", "remark"
        )
    }
    ours = {e.indicator.pk: (e.value, e.remark[:200]) for e in entries if e.org_unit.pk == township_id}
    return ours != theirs


@dataclass(frozen=True)
class SubmissionFile:
    content: bytes
    filename: str


def submission_file(*, submission: Submission, user: User) -> SubmissionFile:
    """The file behind a sent submission, as this user may have it: always the portal's copy of what
    was read (kept_copy), an .xlsx under a name the portal gives it. A draft has none to give (its copy
    waits in its row until it is confirmed). A township is never given a copy from the bureau's
    city-wide file: instead its own template for the month, filled with exactly the figures this
    submission holds for it."""
    if not can_see_org(user, submission.township_id):
        raise PermissionDeniedError("您只能下载本区镇街道的月报文件。")
    if submission.status == Submission.Status.DRAFT:
        raise PortalError("这份月报还没有确认提交,系统没有保存它的文件。")
    name = f"{submission.township.name}{submission.year}年{submission.month}月人社数据月报"
    version = f"第{submission.version}版"
    # A city-wide file's copy holds only this township's rows (kept_copy): whole for the leadership
    # over it (can_see_org above), the township's own template for the township.
    if not submission.is_city_file or sees_whole_subtree(user):
        with submission.file.open("rb") as stored:
            content = stored.read()
        return SubmissionFile(
            content if submission.file_is_copy else _copy_of_upload(submission, content),
            f"{name}({version}).xlsx",
        )
    figures = {
        indicator_id: (value, remark)
        for indicator_id, value, remark in submission.values.values_list("indicator_id", "value", "remark")
    }
    content = template_workbook(
        township=submission.township, year=submission.year, month=submission.month, this_month=figures
    )
    return SubmissionFile(content, f"{name}({version},摘自全市合一报表).xlsx")


def _copy_of_upload(submission: Submission, content: bytes) -> bytes:
    """A submission stored before issue 23 kept the upload's own bytes (an .xlsm with its macros, a
    file named .html): it is read again and served as the copy it would be kept as today."""
    report = parse_report(
        content, submission.original_filename, max_bytes=len(content) + 1, budget=IMPORT_BUDGET
    )
    return kept_workbook(
        report=report,
        township=submission.township,
        year=submission.year,
        month=submission.month,
        original_name=submission.original_filename,
        original_sha256=submission.original_sha256,
        whole_file=not submission.is_city_file,
    )


def _notify_after_commit(submission: Submission, event: str) -> None:
    """Tell the listeners (notices: the township or the bureau) once the change has committed: a rolled-back review
    tells nobody, and a notice that cannot be written never undoes the review (robust)."""

    for listener in submission_event_listeners():  # notices, subscribed in its ready() (reporting.events)
        transaction.on_commit(
            lambda listener=listener: listener(submission_id=submission.pk, event=event), robust=True
        )


def _require(submission: Submission, *statuses: str) -> None:
    if submission.status == Submission.Status.SUPERSEDED:
        raise PortalError(
            f"这份月报(第{submission.version}版)已被第{submission.superseded_by.version}版替代,"
            "不能再进行此操作。请以最新版本为准。"
        )
    if submission.status not in statuses:
        raise PortalError(f"这份月报当前状态是“{submission.get_status_display()}”,不能进行此操作。")


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
    if locked is None:  # a draft replaced by a later upload, or purged (drafts.py)
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


@transaction.atomic
def submission_confirm(*, submission: Submission, user: User, at: datetime | None = None) -> Submission:
    """The township confirms its previewed draft: it goes to the bureau for review and replaces the
    earlier drafts and the version still waiting for review (已被新版本替代). An earlier approved
    version keeps counting until this one is approved. `at` is when it was confirmed, for replaying
    a month's reporting that happened earlier (the demo's current year); no door passes it, and it
    may not lie in the future."""
    now = timezone.now()
    if at is not None and at > now:
        raise PortalError("提交时间不能晚于当前时间。")
    submission, newer = _lock_versions(submission)
    _check_scope(user, submission.township)
    _require(submission, Submission.Status.DRAFT)
    _refuse_if_newer_sent(submission=submission, newer=newer, action="再提交")
    if not is_bureau(user) and month_is_locked(
        township=submission.township, year=submission.year, month=submission.month, at=at
    ):
        raise PortalError(f"{submission.year}年{submission.month}月的月报已锁定,请联系局业务科室解锁。")
    # The year's rules at the door the figures are sent through: a 核实 figure goes to review only
    # explained (the township's file column or the preview), a 强制 one never.
    check = figures_check(entries=submission_entries(submission), user=user, channel=Channel.UPLOAD)
    if check.problems:
        raise refusal(check.problems)
    _supersede(submission, statuses=(Submission.Status.DRAFT, Submission.Status.PENDING))
    submission.status = Submission.Status.PENDING
    submission.submitted_at = at or now
    submission.is_late = reporting_calendar().is_late(
        submission.year, submission.month, timezone.localdate(submission.submitted_at)
    )
    stored = draft_file_store(submission)
    submission.save(update_fields=["status", "submitted_at", "is_late", *stored])
    _notify_after_commit(submission, "confirmed")
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user: User) -> ApplyResult:
    """The bureau approves the township's latest sent version: its figures become the township's
    monthly values (blank = not reported: an earlier value is removed), in the same transaction, the
    earlier versions are marked replaced, and the recompute is queued. Checked under the versions'
    locks, so of two reviewers approving two versions at once only the latest can win."""
    _require_bureau_over(
        user=user, township=submission.township, refusal_message="只有局业务科室可以审核月报。"
    )
    submission, newer = _lock_versions(submission)
    _require(submission, Submission.Status.PENDING)
    _refuse_if_newer_sent(submission=submission, newer=newer, action="审核通过")
    result = monthly_values_apply(
        entries=submission_entries(submission),
        user=user,
        channel=Channel.UPLOAD,
        note=f"月报第{submission.version}版(提交#{submission.pk})",
        submission_pk=submission.pk,
    )
    statuses = (Submission.Status.DRAFT, Submission.Status.PENDING, Submission.Status.APPROVED)
    _supersede(submission, statuses=statuses)
    submission.status, submission.reviewed_by, submission.reviewed_at = (
        Submission.Status.APPROVED,
        user,
        timezone.now(),
    )
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _notify_after_commit(submission, "approved")
    return result


def submission_entries(submission: Submission) -> list[ValueEntry]:
    """A report's figures as the write path takes them (with their 核实说明 and where they were in the
    file): what approval writes and what the rules judge."""
    # Plain rows and one indicator lookup: a city-wide report is 100,000 values (benchmark).
    indicators = Indicator.objects.filter(year=submission.year).in_bulk()
    return [
        ValueEntry(
            indicator=indicators[indicator_id],
            org_unit=submission.township,
            year=submission.year,
            month=submission.month,
            value=value,
            remark=remark,
            explanation=explanation,
            sheet=sheet or None,
            row=row,
        )
        for indicator_id, value, remark, explanation, sheet, row in submission.values.values_list(
            "indicator_id", "value", "remark", "explanation", "sheet", "row"
        )
    ]


@transaction.atomic
def submission_return(*, submission: Submission, user: User, reason: str) -> Submission:
    _require_bureau_over(
        user=user, township=submission.township, refusal_message="只有局业务科室可以退回月报。"
    )
    if not reason.strip():
        raise PortalError("退回月报必须写明原因。", field="reason")
    submission, newer = _lock_versions(submission)
    _require(submission, Submission.Status.PENDING)
    _refuse_if_newer_sent(submission=submission, newer=newer, action="退回")
    submission.status, submission.return_reason = Submission.Status.RETURNED, reason.strip()
    submission.reviewed_by, submission.reviewed_at = user, timezone.now()
    submission.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    _notify_after_commit(submission, "returned")
    return submission
