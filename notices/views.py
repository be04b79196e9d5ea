"""Notice pages. Thin: a person's own notices only; 一键催报 for bureau staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import is_bureau
from common.errors import PortalError

from . import services
from .forms import RemindForm
from .selectors import inbox

PAGE_SIZE = 200


@login_required
def notice_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = list(inbox(user=request.user, unread_only=unread_only)[:PAGE_SIZE])
    return render(request, "notices/list.html", {"rows": rows, "unread_only": unread_only})


@login_required
@require_POST
def mark_read(request, pk: int):
    if not services.notice_mark_read(user=request.user, delivery_id=pk):
        raise Http404("没有这条通知。")
    return redirect("notices:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notices_mark_all_read(user=request.user)
    messages.success(request, f"已将{count}条通知标为已读。")
    return redirect("notices:list")


@login_required
@require_POST
def remind(request):
    """一键催报 from the reporting status page."""
    if not is_bureau(request.user):
        raise PermissionDenied("只有局业务科室可以催报。")
    form = RemindForm(request.POST)
    back = reverse("reporting:status")
    try:
        if not form.is_valid():
            raise PortalError("".join(e for errors in form.errors.values() for e in errors))
        data = form.cleaned_data
        result = services.reminders_send_manual(
            user=request.user,
            townships=list(data["townships"]),
            year=data["year"],
            month=data["month"],
            note=data["note"],
        )
        back += f"?year={data['year']}&month={data['month']}"
        messages.success(request, result.message)
    except PortalError as exc:
        messages.error(request, exc.message)
    return redirect(back)
