"""A township's file, or the bureau's city-wide one (one sheet per township), read and checked into a
preview: every problem at once, in Chinese, each where it is in the file; with none, a draft per
township (reporting/drafts.py) for the sender to confirm (workflow.py). Parsing never touches the
database; the checks read the catalogue and the figures stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from accounts.models import User
from accounts.permissions import is_bureau, visible_org_units
from common.errors import PermissionDeniedError, Problem, ProblemKind
from indicators.models import Channel, Indicator, MonthlyValue
from indicators.services import ValueEntry, figures_check
from orgs.models import OrgUnit
from reporting.drafts import DraftUpload, drafts_save
from reporting.models import Submission
from reporting.parsing import UPLOAD_BUDGET, ParsedReport, ParsedRow, ReadBudget, parse_report
from reporting.parsing.layout import Found
from reporting.parsing.numbers import UnitError, to_indicator_unit

from .explanations import ToExplain, to_explain
from .guards import require_may_report
from .locks import month_is_locked, report_lock_date
from .versions import version_notes


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
    preview; see reporting/drafts.py). `budget` bounds the work of reading the file: the web
    door's by default; the import command passes IMPORT_BUDGET."""
    require_may_report(user, township)
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
    version_notices, version_warnings = version_notes(entries=entries, year=year, month=month, sha=sha)
    preview = Preview(
        warnings=check.notices + version_warnings,
        items=_preview_items(entries=entries, year=year, month=month),
        notices=list(report.notices) + version_notices,
        to_explain=[to_explain(f) for f in check.unexplained],
    )
    if not upload.dry_run:
        draft = DraftUpload(report=report, filename=upload.filename, original_sha256=sha, city=upload.city)
        preview.submissions = drafts_save(
            user=upload.user, year=year, month=month, upload=draft, entries=entries, warnings=preview.warnings
        )
    return preview


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
