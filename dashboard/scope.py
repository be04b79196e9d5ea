"""Who may look at what, and for which month: every dashboard door (pages, JSON, exports) resolves its
request here, on the server. Leaders and bureau staff see their unit and any unit under it (the city's
the whole city, a prefecture's its counties and townships); a township user sees only its own township,
whatever the URL asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.permissions import home_unit, sees_whole_portal, sees_whole_subtree, visible_org_units
from common.errors import PermissionDeniedError, PortalError
from indicators.selectors import latest_reported_month
from orgs.models import OrgUnit
from orgs.selectors import org_by_code

from .selectors import figures_stamp


@dataclass(frozen=True)
class DashboardScope:
    org: OrgUnit
    year: int
    month: int
    whole_city: bool  # leadership: the user sees every unit under its own (and their rankings)
    visible: QuerySet[OrgUnit]
    whole_portal: bool = False  # ... and its unit is the portal's own: no filter needed at all
    home: OrgUnit | None = None  # the user's own unit, the top of what it sees

    @property
    def ranked_townships(self) -> QuerySet[OrgUnit] | None:
        """Townships a ranking may show: all of them for the portal's own leadership, else those
        under the user's unit (a township user: its own)."""
        return None if self.whole_portal else self.visible

    @property
    def warning_orgs(self) -> QuerySet[OrgUnit] | None:
        return None if self.whole_portal else self.visible


def _whole_number(params, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise PortalError(f"参数“{name}”应为{low}至{high}之间的整数(收到的是“{raw}”)。", field=name)
    return int(raw)


def dashboard_period(params) -> tuple[int, int]:
    """The month asked for; by default the latest month anyone has reported figures for (else this
    month). Not the latest computed month: a past year's completion runs to December."""
    if (params.get("year") or "").strip() and (params.get("month") or "").strip():
        default_year, default_month = 0, 0  # both given: no need to look anything up
    else:
        today = timezone.localdate()
        default_year, default_month = _latest_reported_month() or (today.year, today.month)
    year = _whole_number(params, "year", default_year, 2000, 2100)
    month = _whole_number(params, "month", default_month if year == default_year else 12, 1, 12)
    return year, month


def _latest_reported_month() -> tuple[int, int] | None:
    """Cached per figures stamp: finding it sorts a year of monthly values, which a leader's page
    poll should not pay for every few seconds."""
    key = f"dashboard:latest-month:{figures_stamp()}"
    found = cache.get(key)
    if found is None:
        found = latest_reported_month() or ()
        cache.set(key, found, 300)
    return tuple(found) or None


def dashboard_scope(user, params, *, org_code: str | None = None) -> DashboardScope:
    """The unit asked for (by default the user's own), if it lies within the user's; 403 for a unit
    outside it, 404 for a code that names none."""
    if not (user and user.is_authenticated):
        raise PermissionDeniedError("请先登录。")
    whole_city, whole_portal = sees_whole_subtree(user), sees_whole_portal(user)
    visible = visible_org_units(user)
    code = org_code or (params.get("org") or "").strip()
    home = home_unit(user)  # None without a business role or a unit: nothing (fail closed)
    if whole_portal:
        org = org_by_code(code) if code else home  # every unit is in view: no subtree query
    elif home is not None:
        org = visible.filter(code=code).first() if code else home
        if org is None and OrgUnit.objects.filter(code=code).exists():
            raise PermissionDeniedError(
                "您只能查看本单位及下级单位的数据。" if whole_city else "您只能查看本区镇街道的数据。"
            )
    else:
        raise PermissionDeniedError("您的账号没有关联单位,请联系局业务科室。")
    if org is None:
        raise Http404(f"区划代码“{code}”不存在。")
    year, month = dashboard_period(params)
    return DashboardScope(
        org=org,
        year=year,
        month=month,
        whole_city=whole_city,
        visible=visible,
        whole_portal=whole_portal,
        home=home,
    )
