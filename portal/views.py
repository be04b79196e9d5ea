from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from common.errors import PortalError, ProblemKind
from completion.selectors import completion_freshness
from dashboard.scope import MonthNotOffered, dashboard_scope, month_choices
from dashboard.selectors import dashboard_cockpit, figures_stamp
from reporting.selectors import period_summary


def _period_params(request) -> dict[str, str]:
    """The landing page forgives a mistyped month (it falls back to the latest), unlike the dashboard's
    doors, which answer 400: this is where everyone arrives."""
    return {k: v for k in ("year", "month") if (v := request.GET.get(k, "").strip()).isdigit()}


@login_required
def home(request):
    """The completion of the user's scope for the latest month that has ended and been reported (as the
    cockpit): leaders and bureau staff see the city, a township user only its own township."""
    try:
        scope = dashboard_scope(request.user, _period_params(request))
    except MonthNotOffered as exc:
        messages.info(request, exc.message)
        return redirect(f"{request.path}?year={exc.fallback[0]}&month={exc.fallback[1]}")
    except PortalError as exc:
        if exc.kind == ProblemKind.PERMISSION:
            raise PermissionDenied(exc.message) from exc
        return redirect(request.path)
    context = {
        "scope": scope,
        "org": scope.org,
        "year": scope.year,
        "month": scope.month,
        "months": month_choices(scope.year),
        "period": period_summary(year=scope.year, month=scope.month),
        "cockpit": dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month),
        "freshness": completion_freshness(year=scope.year),
        "stamp": figures_stamp(),
    }
    return render(request, "portal/home.html", context)
