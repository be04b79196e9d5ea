"""The admin pages of the bureau's data entry. Thin: read the period and the unit, ask the scope, call
one selector or service, render. Wrapped in the admin site's `admin_view` (entry/urls.py): the same
sign-in, the same role check (common.admin.PortalAdminSite), CSRF and no caching."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import is_portal_bureau
from common.errors import PortalError
from common.periods import period_from, whole_number
from common.years import YEAR_MAX, YEAR_MIN
from completion.selectors import completion_freshness
from indicators.models import Indicator
from orgs.models import OrgUnit
from reporting.calendar import month_due
from reporting.models import Submission
from reporting.parsing import NumberError, UnitError
from reporting.services.locks import report_deadline, report_lock_date

from . import split_xlsx
from .selectors import (
    CELL_STATES,
    month_overview,
    month_sheet,
    quota_split_tables,
    sheet_org_units,
)
from .services import (
    month_sheet_preview,
    month_sheet_save,
    quota_split_apply,
    read_figure,
    splittable,
)
from .split import split_equally, split_largest_remainder
from .templatetags.entry_tags import rate_text

MONTHS = range(1, 13)


def _period(request: HttpRequest) -> tuple[int, int]:
    """The month asked for, else the month before this one (what clerks enter in the first days); a
    month not yet begun has nothing to enter. Asked wrong: a 400 page naming the parameter."""
    today = timezone.localdate()
    try:
        year, month = period_from(request.GET, default=month_due(today))
    except PortalError as error:
        raise BadRequest(error.message) from error
    if (year, month) > (today.year, today.month):
        raise BadRequest(f"{year}年{month}月尚未到来,不能填报。")
    return year, month


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _sheet_url(org: OrgUnit, year: int, month: int) -> str:
    return f"{reverse('entry:sheet')}?org={org.code}&year={year}&month={month}"


def _sheet_unit(request: HttpRequest) -> tuple[list[OrgUnit], OrgUnit, int, int]:
    """The units the user may fill, the one asked for (?org=, else the first) and the period; a unit
    that is not the user's, or none at all, fails closed."""
    units = sheet_org_units(request.user)
    year, month = _period(request)
    code = request.GET.get("org") or (units[0].code if units else "")
    org = next((u for u in units if u.code == code), None)
    if org is None:
        raise PermissionDenied("您没有填报该单位数据的权限。")
    return units, org, year, month


def _fields(request: HttpRequest, prefix: str) -> dict[str, str]:
    """The form's cells by indicator code: v- what is typed, o- what the page showed, x- 核实说明."""
    return {k[len(prefix) :]: v for k, v in request.POST.items() if k.startswith(prefix)}


@require_POST
def sheet_rates_view(request: HttpRequest) -> JsonResponse:
    """What the typed cells would give if saved now (entry.services.month_sheet_preview), for the
    sheet's script: the rate in the page's own words, why the save would refuse a cell, whether it
    changed. A POST of the sheet's own form (its CSRF token), nothing written."""
    _units, org, year, month = _sheet_unit(request)
    preview = month_sheet_preview(
        org_unit=org,
        year=year,
        month=month,
        typed=_fields(request, "v-"),
        shown_before=_fields(request, "o-"),
    )
    cells = {
        code: {"rate": rate_text(cell.rate), "problem": cell.problem, "changed": cell.changed}
        for code, cell in preview.items()
    }
    return JsonResponse({"cells": cells})


def sheet_view(request: HttpRequest) -> HttpResponse:
    units, org, year, month = _sheet_unit(request)
    outcome, typed, before, explained = None, {}, {}, {}
    if request.method == "POST":
        typed, before = _fields(request, "v-"), _fields(request, "o-")
        explained = _fields(request, "x-")
        try:
            outcome = month_sheet_save(
                org_unit=org, year=year, month=month, typed=typed, shown_before=before,
                user=request.user, explanations=explained,
            )  # fmt: skip
        except PortalError as error:
            messages.error(request, f"未保存:{error.message}")
            return HttpResponseRedirect(_sheet_url(org, year, month))
        if outcome.saved:
            r = outcome.result
            messages.success(
                request,
                f"已保存{org.name}{year}年{month}月:新增{r.created}项,修改{r.updated}项,删除{r.deleted}项,"
                f"未变{r.unchanged}项。完成率随即重新计算。",
            )
            for notes in outcome.notes.values():
                for note in notes:
                    messages.info(request, note)
            return HttpResponseRedirect(_sheet_url(org, year, month))
    sheet = month_sheet(org_unit=org, year=year, month=month)
    return render(request, "entry/sheet.html", _context(request, f"月度数据填报 · {org.name} {year}年{month}月",
        sheet=sheet, units=units, org=org, year=year, month=month, months=MONTHS,
        outcome=outcome, typed=typed, originals=before, explained=explained, notes=_sheet_notes(org, year, month),
        previous=_shift(year, month, -1), following=_shift(year, month, 1),
        freshness=completion_freshness(year=year),
    ), status=200)  # fmt: skip


def _shift(year: int, month: int, by: int) -> tuple[int, int] | None:
    index = year * 12 + month - 1 + by
    y, m = index // 12, index % 12 + 1
    today = timezone.localdate()
    return (y, m) if (y, m) <= (today.year, today.month) and y >= 2000 else None


def _sheet_notes(org: OrgUnit, year: int, month: int) -> list[str]:
    """What the clerk should know before typing: the township's lock, a report waiting for review."""
    if org.is_upper:
        return []
    notes = []
    lock = report_lock_date(year, month)
    if timezone.localdate() > lock:
        notes.append(
            f"{org.name}{year}年{month}月的区镇填报已于{lock:%Y年%m月%d日}锁定(报送截止{report_deadline(year, month):%m月%d日})。"
            "局业务科室的更正不受锁定限制,每项修改都记入修改记录。"
        )
    latest = (
        Submission.objects.filter(township=org, year=year, month=month)
        .exclude(status__in=[Submission.Status.DRAFT, Submission.Status.SUPERSEDED])
        .order_by("-version")
        .first()
    )
    if latest and latest.status == Submission.Status.PENDING:
        notes.append(
            f"{org.name}有一份待审核的月报(第{latest.version}版):审核通过时,月报中的数值将覆盖这里的数值。"
        )
    elif latest and latest.status == Submission.Status.RETURNED:
        notes.append(f"{org.name}的月报(第{latest.version}版)已退回:{latest.return_reason}")
    return notes


def overview_view(request: HttpRequest) -> HttpResponse:
    year, month = _period(request)
    overview = month_overview(year=year, month=month, user=request.user)
    totals = {state: sum(r.counts[state] for r in overview.rows) for state in CELL_STATES}
    return render(request, "entry/overview.html", _context(request, f"月度报送总览 · {year}年{month}月",
        overview=overview, year=year, month=month, months=MONTHS, states=CELL_STATES, totals=totals,
        previous=_shift(year, month, -1), following=_shift(year, month, 1),
    ))  # fmt: skip


# --- the quota split ---

METHODS = {"stored": "当前目标", "share": "按上年实绩占比", "equal": "平均分配"}


def _split_year(request) -> int:
    params = request.GET if request.GET.get("year") else request.POST
    try:
        return whole_number(params, "year", timezone.localdate().year, YEAR_MIN, YEAR_MAX)
    except PortalError as error:
        raise BadRequest(error.message) from error


def _splittable(year: int) -> list[Indicator]:
    """The year's indicators whose quota may be split."""
    return [
        i
        for i in Indicator.objects.filter(year=year, is_active=True).order_by("sort_order", "code")
        if splittable(i)
    ]


def _split_indicators(request, year: int) -> tuple[list[Indicator], str]:
    chosen = request.GET.get("indicator") or request.POST.get("indicator") or "all"
    shown_ = [i for i in _splittable(year) if chosen in ("all", i.code)]
    return shown_, chosen


def _proposed(table, method: str, year: int) -> tuple[dict[str, Decimal | None], str]:
    """Each part's figure as the method gives it (stored: the quotas as they are), and what the clerk
    must know about it: a method that cannot work says so and proposes nothing, never falling back to
    another silently."""
    places = table.indicator.value_places
    stored = {p.org_unit.code: p.quota for p in table.parts}
    if method == "stored" or table.city_quota is None:
        return stored, ""
    total = table.city_quota.quantize(Decimal(1).scaleb(-places))
    if method == "equal":  # among the townships; 市本级 keeps what they leave (nothing)
        city, *townships = table.parts
        figures = split_equally(total, len(townships), places)
        proposed = {city.org_unit.code: Decimal(0)} | {
            p.org_unit.code: f for p, f in zip(townships, figures, strict=True)
        }
        return (
            proposed,
            f"平均分配到{len(townships)}个区镇街道,市本级为0;市本级承担任务的,请在其行填写并相应调减。",
        )
    weights = [p.last_year or Decimal(0) for p in table.parts]
    if not any(weights):
        return stored, (
            f"{year - 1}年各单位都没有“{table.indicator.name}”的实绩,无法按上年实绩占比分解,下表未作改动;"
            "可改用平均分配,或逐个填写。"
        )
    figures = split_largest_remainder(total, weights, places)
    proposed = {p.org_unit.code: f for p, f in zip(table.parts, figures, strict=True)}
    none = [("市本级" if p.org_unit.is_city else p.org_unit.name) for p in table.parts if not p.last_year]
    if not none:
        return proposed, ""
    named = "、".join(none[:5]) + (f"等{len(none)}个单位" if len(none) > 5 else "")
    return proposed, f"{named}{year - 1}年没有实绩,按占比分得0;如应承担任务,请逐个填写。"


def split_view(request: HttpRequest) -> HttpResponse:
    if not is_portal_bureau(request.user):
        raise PermissionDenied("只有局业务科室可以分解年度目标。")
    year = _split_year(request)
    indicators, chosen = _split_indicators(request, year)
    catalogue = _splittable(year)
    tables = quota_split_tables(year=year, indicators=indicators)
    method = request.GET.get("method") if request.GET.get("method") in METHODS else "stored"
    problems: dict[str, list[str]] = {}
    proposals = {t.indicator.code: _proposed(t, method, year) for t in tables}
    figures = {code: figures for code, (figures, _) in proposals.items()}
    notices = {code: notice for code, (_, notice) in proposals.items() if notice}
    typed: dict[str, dict[str, str]] = {}
    rest: set[str] = set()  # "remainder at 市本级" is never assumed: the clerk ticks it
    if request.method == "POST":
        typed, rest, problems, splits = _read_split_form(request.POST, tables)
        if not problems:
            try:
                outcome = quota_split_apply(
                    year=year, splits=splits, user=request.user, note=request.POST.get("note", "")[:200]
                )
            except PortalError as error:
                outcome = None
                problems = {"": [error.message]}
            if outcome is not None and outcome.ok:
                messages.success(
                    request,
                    f"已保存{year}年目标任务分解:{outcome.changed}个区镇街道的目标有变化,均记入修改记录。",
                )
                return HttpResponseRedirect(f"{reverse('entry:split')}?year={year}&indicator={chosen}")
            if outcome is not None:
                problems = outcome.problems
    imported = getattr(request, "_imported", None)
    if imported:
        typed, rest, problems = imported
    return render(request, "entry/split.html", _context(request, f"目标任务分解 · {year}年",
        year=year, tables=tables, chosen=chosen, catalogue=catalogue, method=method, methods=METHODS,
        figures=figures, notices=notices, typed=typed, rest=rest, problems=problems, posted=request.method == "POST" or bool(imported),
    ))  # fmt: skip


def _read_split_form(data, tables):
    """The typed parts of every table as figures; problems for what is not a number."""
    typed, rest, problems, splits = {}, set(), {}, {}
    for t in tables:
        code = t.indicator.code
        typed[code] = {p.org_unit.code: data.get(f"q-{code}-{p.org_unit.code}", "") for p in t.parts}
        if data.get(f"rest-{code}"):
            rest.add(code)
        parts = {}
        for org, text in typed[code].items():
            try:
                parts[org] = read_figure(text, t.indicator)
            except (NumberError, UnitError) as error:
                problems.setdefault(f"{code}:{org}", []).append(str(error))
        splits[t.indicator] = (parts, code in rest)
    return typed, rest, problems, splits


def split_export_view(request: HttpRequest) -> HttpResponse:
    if not is_portal_bureau(request.user):
        raise PermissionDenied("只有局业务科室可以分解年度目标。")
    year = _split_year(request)
    indicators, _ = _split_indicators(request, year)
    data = split_xlsx.split_workbook(year=year, tables=quota_split_tables(year=year, indicators=indicators))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = quote(f"{year}年年度目标任务分解.xlsx")  # Chinese, as every download of the portal
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@require_POST
def split_import_view(request: HttpRequest) -> HttpResponse:
    """The edited workbook fills the split page (nothing is saved yet): the clerk sees the figures and
    every problem, and saves through the same checks as typed figures."""
    if not is_portal_bureau(request.user):
        raise PermissionDenied("只有局业务科室可以分解年度目标。")
    upload = request.FILES.get("file")
    year = _split_year(request)
    indicators, _ = _split_indicators(request, year)
    tables = quota_split_tables(year=year, indicators=indicators)
    if upload is None:
        request._imported = ({}, {t.indicator.code for t in tables}, {"": ["请选择要导入的Excel文件。"]})
    else:
        request._imported = split_xlsx.read_split_workbook(
            upload.read(), upload.name, year=year, tables=tables
        )
    request.method = "GET"  # shown as a form to review, not saved
    return split_view(request)
