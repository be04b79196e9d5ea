from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.permissions import home_unit
from completion.selectors import completion_for_month, completion_freshness
from indicators.selectors import latest_reported_month


def _int_param(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


@login_required
def home(request):
    """This month's completion for the user's scope, and how fresh the figures are.
    Everyone starts at their own unit: the city for its leaders and bureau staff, a prefecture for
    its own, a township user its township."""
    org = home_unit(request.user)
    if org is None:
        raise PermissionDenied("您的账号没有关联区镇街道,请联系局业务科室。")
    # The latest month anyone reported figures for, as the dashboard: not the latest computed month,
    # which in a year in progress is this month (its figures are not in yet, every flow looks behind).
    latest_year, latest_month = latest_reported_month() or (0, 0)
    year, month = _int_param(request, "year", latest_year), _int_param(request, "month", latest_month)
    context = {
        "org": org,
        "year": year,
        "month": month,
        "rows": completion_for_month(year=year, month=month, org_codes=[org.code]),
        "freshness": completion_freshness(year=year),
    }
    return render(request, "portal/home.html", context)
