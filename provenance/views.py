"""Provenance (追溯) and reconciliation (核对) pages. Thin: the dashboards' own scope (dashboard.scope,
through dashboard.views.scoped: a township user reaches only its own units, anything else is a 403),
one or two selectors, render."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.permissions import RecordScope, is_bureau
from common.errors import PermissionDeniedError
from completion.selectors import completion_freshness
from dashboard.scope import DashboardScope, month_choices
from dashboard.views import scoped
from indicators.models import Indicator
from orgs.models import OrgUnit

from .reconciliation import reconciliation_checks
from .records import RECORDS_PER_PAGE, admin_records_url, records_page, records_summary
from .selectors import RATIO, figure_provenance, part_provenance


def _indicator(code: str, year: int) -> Indicator:
    found = Indicator.objects.select_related("numerator", "denominator")
    return get_object_or_404(found, code=code, year=year, is_active=True)


def _flag(request, name: str) -> bool:
    return request.GET.get(name) == "1"


def _context(scope: DashboardScope, **extra) -> dict:
    return {"scope": scope, "org": scope.org, "year": scope.year, "month": scope.month, **extra}


@scoped
def figure(request, scope: DashboardScope, code: str):
    """A figure and its parts, month by month; at the city, what differs about it (核对)."""
    indicator = _indicator(code, scope.year)
    data = figure_provenance(indicator=indicator, org=scope.org, year=scope.year, month=scope.month)
    checks = []
    if scope.whole_city and scope.org.is_city:
        codes = {c.indicator.code for c in data.components}
        checks = reconciliation_checks(year=scope.year, month=scope.month, codes=codes, city=scope.org)
    freshness = completion_freshness(year=scope.year)
    context = _context(scope, data=data, checks=checks, freshness=freshness)
    return render(request, "provenance/figure.html", context)


def _back_org(scope: DashboardScope, own: bool) -> str:
    """The figure a part belongs to: a unit with everything under it is a part of its parent's figure
    (for those who may see that), a unit's own entries are a part of its own."""
    if own or not scope.whole_city or not scope.org.parent_id:
        return scope.org.code
    return OrgUnit.objects.values_list("code", flat=True).get(pk=scope.org.parent_id)


@scoped
def part(request, scope: DashboardScope, code: str):
    """One part in one month: each stored value and the door it came through, the month's reports,
    the register's records counted."""
    indicator = _indicator(code, scope.year)
    if (
        indicator.kind == RATIO
    ):  # nothing is stored for a ratio: its parts are its numerator's and denominator's
        return redirect(reverse("provenance:figure", args=[code]) + f"?{request.GET.urlencode()}")
    own, bureau = _flag(request, "own"), is_bureau(request.user)
    where = {"unit": scope.org, "own": own, "year": scope.year}
    data = part_provenance(indicator=indicator, month=scope.month, **where)
    months = [scope.month]
    counted = records_summary(indicator=indicator, months=months, scope=RecordScope.of(request.user), **where)
    admin_url = admin_records_url(counted.feed, months=months, **where) if counted and bureau else None
    context = _context(
        scope, data=data, own=own, counted=counted, admin_url=admin_url, bureau=bureau,
        back_org=_back_org(scope, own),
    )  # fmt: skip
    return render(request, "provenance/part.html", context)


def _page(request) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() else 1


@scoped
def records(request, scope: DashboardScope, code: str):
    """The register records a figure counted: one month, or months 1..M (ytd=1), at a part."""
    indicator = _indicator(code, scope.year)
    own = _flag(request, "own")
    months = list(range(1, scope.month + 1)) if _flag(request, "ytd") else [scope.month]
    data = records_page(
        indicator=indicator, unit=scope.org, own=own, year=scope.year, months=months,
        scope=RecordScope.of(request.user), page=_page(request),
    )  # fmt: skip
    if data is None:
        return render(
            request, "provenance/no_register.html", _context(scope, indicator=indicator), status=404
        )
    admin_url = None
    if is_bureau(request.user):
        admin_url = admin_records_url(
            data.summary.feed, unit=scope.org, own=own, year=scope.year, months=months
        )
    paging = request.GET.copy()
    paging.pop("page", None)
    context = _context(
        scope, indicator=indicator, data=data, own=own, months=months, admin_url=admin_url,
        paging=paging.urlencode(), per_page=RECORDS_PER_PAGE,
    )  # fmt: skip
    return render(request, "provenance/records.html", context)


@scoped
def reconciliation(request, scope: DashboardScope):
    """Every figure known twice that differs, for those who see the whole city."""
    if not scope.whole_city:
        raise PermissionDeniedError("数据核对含各区镇街道的数据,仅供局领导和局业务科室查看。")
    checks = reconciliation_checks(year=scope.year, month=scope.month)
    context = _context(scope, checks=checks, period_months=month_choices(scope.year))
    return render(request, "provenance/reconciliation.html", context)
