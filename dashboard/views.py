"""Leadership pages: the cockpit, one indicator, one township, the warnings, and the downloads.
Thin: resolve the scope (dashboard/scope.py checks who may see what), call a selector, render."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from common.errors import PermissionDeniedError, PortalError, ProblemKind
from completion.selectors import completion_freshness
from indicators.models import Indicator
from reporting.selectors import period_summary

from .exports import cockpit_workbook, ranking_workbook, scorecard_workbook, warnings_workbook
from .scope import DashboardScope, MonthNotOffered, WarningFilters, dashboard_scope, month_choices
from .scorecard import SCORE_FORMULA, dashboard_scorecard
from .selectors import (
    dashboard_cockpit,
    dashboard_indicator,
    dashboard_reporting_record,
    dashboard_warnings,
    figures_stamp,
    unit_order,
    warning_choices,
    warnings_by_unit,
)
from .work_report import (
    TABLE_HEADER,
    TownshipStanding,
    township_standings,
    work_report_docx,
    work_report_sections,
    work_report_table,
    work_report_title,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def scoped(view=None, *, download: bool = False):
    """Sign-in required; the scope resolved from the request; refusals as 403/400 pages in Chinese. A
    page asked for a month that has not ended opens on the latest one that has, saying so; a download
    is refused (a file must hold the month its name says)."""
    if view is None:
        return lambda v: scoped(v, download=download)

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        org_code = kwargs.pop("org_code", None)
        try:
            scope = dashboard_scope(request.user, request.GET, org_code=org_code)
            return view(request, scope, *args, **kwargs)
        except MonthNotOffered as exc:
            if download:
                return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
            messages.info(request, exc.message)
            query = request.GET.copy()
            query["year"], query["month"] = exc.fallback
            return redirect(f"{request.path}?{query.urlencode()}")
        except PortalError as exc:
            if exc.kind == ProblemKind.PERMISSION:
                raise PermissionDenied(exc.message) from exc
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")

    return wrapper


def _context(scope: DashboardScope, **extra) -> dict:
    return {
        "scope": scope,
        "org": scope.org,
        "year": scope.year,
        "month": scope.month,
        "months": month_choices(scope.year),
        "period": period_summary(year=scope.year, month=scope.month),
        "freshness": completion_freshness(year=scope.year),
        "stamp": figures_stamp(),
        **extra,
    }


def _notice(scope: DashboardScope) -> str:
    """A download carries the page's notices: whether the month is still being reported (暂计) and
    whether the figures are fresh; it outlives the moment it was made."""
    notes = [period_summary(year=scope.year, month=scope.month).note, _freshness_notice(scope)]
    return ";".join(n.rstrip("。") for n in notes if n)


def _freshness_notice(scope: DashboardScope) -> str:
    return completion_freshness(year=scope.year).notice


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@scoped
def cockpit(request, scope: DashboardScope):
    """The city's cockpit. A township user lands on its own township's page instead."""
    if not scope.whole_city:
        return redirect(reverse("dashboard:township", args=[scope.org.code]) + _period_query(scope))
    data = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
    return render(request, "dashboard/cockpit.html", _context(scope, cockpit=data))


def _period_query(scope: DashboardScope) -> str:
    return f"?year={scope.year}&month={scope.month}"


@scoped
def township(request, scope: DashboardScope):
    data = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
    record = dashboard_reporting_record(township=scope.org, year=scope.year, today=timezone.localdate())
    return render(request, "dashboard/township.html", _context(scope, cockpit=data, record=record))


@scoped
def indicator(request, scope: DashboardScope, code: str):
    ind = get_object_or_404(Indicator, code=code, year=scope.year, is_active=True)
    detail = dashboard_indicator(
        indicator=ind, org=scope.org, year=scope.year, month=scope.month, townships=scope.ranked_townships
    )
    return render(request, "dashboard/indicator.html", _context(scope, indicator=ind, detail=detail))


def _warnings(scope: DashboardScope, params) -> tuple[WarningFilters, list, list | None]:
    filters = WarningFilters.of(scope, params)
    rows = dashboard_warnings(year=scope.year, month=scope.month, **filters.selector_kwargs())
    return filters, rows, warnings_by_unit(rows, unit_order()) if filters.grouped else None


# The warnings page shows this many rows at a time (worst first across the pages); the download has all.
WARNINGS_PAGE_SIZE = 100


def _row_links() -> dict[str, str]:
    """The start of a row's links, reversed once per page rather than once per row: the row adds its
    code and the query (a province's warnings ran to 118,688 reverses a page)."""
    return {
        "township": reverse("dashboard:township", args=["0"])[: -len("0/")],
        "indicator": reverse("dashboard:indicator", args=["0"])[: -len("0/")],
    }


@scoped
def warnings(request, scope: DashboardScope):
    filters = WarningFilters.of(scope, request.GET)
    found = dashboard_warnings(year=scope.year, month=scope.month, **filters.selector_kwargs())
    page = Paginator(found, WARNINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = _context(
        scope,
        rows=rows,
        total=page.paginator.count,
        page=page,
        links=_row_links(),
        groups=warnings_by_unit(rows, unit_order()) if filters.grouped else None,
        filters=filters,
        choices=warning_choices(
            year=scope.year,
            whole_city=scope.whole_city,
            visible=None if scope.whole_portal else scope.visible,
        ),
        query=query.urlencode(),
        far_behind_points=settings.COMPLETION_FAR_BEHIND_POINTS,
    )
    return render(request, "dashboard/warnings.html", context)


@scoped(download=True)
def warnings_xlsx(request, scope: DashboardScope):
    _filters, rows, groups = _warnings(scope, request.GET)
    unit = "" if scope.org.is_root else scope.org.name
    name = f"{unit}{scope.year}年1-{scope.month}月落后时序进度预警清单.xlsx"
    workbook = warnings_workbook(
        rows, groups=groups, year=scope.year, month=scope.month, title_unit=unit, notice=_notice(scope)
    )
    return _download(workbook, XLSX, name)


@scoped(download=True)
def cockpit_xlsx(request, scope: DashboardScope):
    data = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
    name = f"{scope.org.name}{scope.year}年{scope.month}月指标完成情况.xlsx"
    return _download(cockpit_workbook(data, notice=_notice(scope)), XLSX, name)


@scoped(download=True)
def ranking_xlsx(request, scope: DashboardScope, code: str):
    ind = get_object_or_404(Indicator, code=code, year=scope.year, is_active=True)
    detail = dashboard_indicator(
        indicator=ind, org=scope.org, year=scope.year, month=scope.month, townships=scope.ranked_townships
    )
    if detail.progress is None:
        return HttpResponseBadRequest(
            f"{scope.year}年{scope.month}月没有“{ind.name}”的完成情况。",
            content_type="text/plain; charset=utf-8",
        )
    name = f"{scope.year}年{scope.month}月{ind.name}区镇街道排名.xlsx"
    workbook = ranking_workbook(detail, year=scope.year, month=scope.month, notice=_notice(scope))
    return _download(workbook, XLSX, name)


def _standings(scope: DashboardScope) -> list[TownshipStanding] | None:
    """The city's report names the townships behind; only those who see the whole city read it."""
    if not (scope.whole_city and scope.org.is_upper):
        return None
    return township_standings(dashboard_scorecard(year=scope.year, month=scope.month, top=scope.org))


@scoped
def report(request, scope: DashboardScope):
    data = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
    sections = work_report_sections(data, standings=_standings(scope))
    context = _context(
        scope,
        title=work_report_title(data),
        sections=sections,
        table=work_report_table(data),
        table_header=TABLE_HEADER,
    )
    return render(request, "dashboard/report.html", context)


@scoped(download=True)
def report_docx(request, scope: DashboardScope):
    data = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
    docx = work_report_docx(data, notice=_notice(scope), standings=_standings(scope))
    return _download(docx, DOCX, work_report_title(data) + ".docx")


def _whole_city_only(scope: DashboardScope) -> None:
    """The scorecard ranks every township against the others: for leadership and bureau staff only. A
    township user is refused outright rather than shown a one-row table (fail closed)."""
    if not scope.whole_city:
        raise PermissionDeniedError("考核排名表含各区镇街道的数据,仅供局领导和局业务科室查看。")


def _scorecard(scope: DashboardScope):
    """The unit in view and the level below it (a province its prefectures, a county its townships):
    one level's rows, whatever the size of the tree under it."""
    return dashboard_scorecard(
        year=scope.year, month=scope.month, top=scope.org, level_below=scope.org.is_upper
    )


@scoped
def scorecard(request, scope: DashboardScope):
    _whole_city_only(scope)
    data = _scorecard(scope)
    context = _context(
        scope, scorecard=data, formula=SCORE_FORMULA, far_behind_points=settings.COMPLETION_FAR_BEHIND_POINTS
    )
    return render(request, "dashboard/scorecard.html", context)


@scoped(download=True)
def scorecard_xlsx(request, scope: DashboardScope):
    _whole_city_only(scope)
    data = _scorecard(scope)
    name = f"{scope.year}年1-{scope.month}月区镇街道考核排名表.xlsx"
    return _download(scorecard_workbook(data, notice=_notice(scope)), XLSX, name)
