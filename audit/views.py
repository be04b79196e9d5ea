"""The security log's pages: the audit administrator's alone (三员分立), searched and exported."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.permissions import is_audit_admin

from .exports import security_events_workbook
from .forms import EventSearchForm
from .selectors import security_events

PAGE_SIZE = 100
EXPORT_MAX_ROWS = 100_000
REFUSED = "安全审计日志只供审计管理员查看和导出。"


def _audit_admin_only(request: HttpRequest) -> None:
    if not is_audit_admin(request.user):
        raise PermissionDenied(REFUSED)


@login_required
def log(request: HttpRequest) -> HttpResponse:
    _audit_admin_only(request)
    form = EventSearchForm(request.GET or None)
    events = security_events(form.search())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "retention_days": settings.AUDIT_RETENTION_DAYS,
    }
    return render(request, "audit/log.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The search as a workbook (at most EXPORT_MAX_ROWS, newest first); the export is itself logged
    (audit.middleware)."""
    _audit_admin_only(request)
    events = security_events(EventSearchForm(request.GET or None).search())[:EXPORT_MAX_ROWS]
    data = security_events_workbook(events.iterator(chunk_size=2000))
    name = f"安全审计日志{timezone.localtime():%Y%m%d%H%M}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
