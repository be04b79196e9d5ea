"""Links from every figure to where it came from (追溯), for the dashboards' templates:

    {% load provenance %}
    <a href="{% provenance_url r.indicator.code r.org_code year month %}">{{ r.actual_display }}</a>

and the cockpit's notice when two figures of the same thing differ (核对)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from dashboard.selectors import dashboard_cockpit

from ..reconciliation import reconciliation_checks

register = template.Library()


def _url(name: str, code: str, org_code: str, year: int, month: int, **flags) -> str:
    params = {"org": org_code, "year": year, "month": month} | {k: 1 for k, v in flags.items() if v}
    return f"{reverse(name, args=[code])}?{urlencode(params)}"


@register.simple_tag
def provenance_url(code: str, org_code: str, year: int, month: int) -> str:
    """The figure's page: an indicator at a unit, year to date at the end of the month."""
    return _url("provenance:figure", code, org_code, year, month)


@register.simple_tag
def part_url(code: str, org_code: str, year: int, month: int, own: bool = False) -> str:
    """One part (a unit's own entries, or a unit with everything under it) in one month."""
    return _url("provenance:part", code, org_code, year, month, own=own)


@register.simple_tag
def records_url(code: str, org_code: str, year: int, month: int, own: bool = False, ytd: bool = False) -> str:
    """The register records counted in the month (or months 1..month) at a part."""
    return _url("provenance:records", code, org_code, year, month, own=own, ytd=ytd)


@register.inclusion_tag("provenance/_notice.html", takes_context=True)
def reconciliation_notice(context) -> dict:
    """On the city's cockpit: how many figures known twice differ this month, linked to the page."""
    scope = context.get("scope")
    if scope is None or not scope.whole_city or not scope.org.is_city:
        return {"checks": []}
    checks = reconciliation_checks(year=scope.year, month=scope.month, city=scope.org)
    return {
        "checks": checks,
        "flagged": sum(1 for c in checks if c.flagged),
        "year": scope.year,
        "month": scope.month,
    }


@register.inclusion_tag("provenance/_report_sources.html", takes_context=True)
def report_sources(context) -> dict:
    """Under the work report: every figure it may state, each linked to where it came from (the
    report's sentences are prose; the figures behind them are these, at the same unit and month)."""
    scope = context.get("scope")
    if scope is None:
        return {"rows": []}
    cockpit = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
    rows = [r for r in [*cockpit.rows, *cockpit.others] if r.actual is not None]
    return {"rows": rows, "year": scope.year, "month": scope.month}
