"""Who may look at what, and for which month: every dashboard door (pages, JSON, exports) resolves its
request here, on the server. Leaders and bureau staff see their unit and any unit under it (the city's
the whole city, a prefecture's its counties and townships); a township user sees only its own township,
whatever the URL asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.permissions import home_unit, sees_whole_portal, sees_whole_subtree, visible_org_units
from common.errors import PermissionDeniedError, PortalError
from common.periods import period_from, period_given
from indicators.models import Area, Indicator
from indicators.selectors import latest_reported_month
from orgs.models import OrgUnit
from orgs.selectors import org_by_code
from reporting.calendar import Period, month_due
from reporting.services.locks import reporting_calendar

from .selectors import WARNING_SORTS, figures_stamp


@dataclass(frozen=True)
class DashboardScope:
    org: OrgUnit
    year: int
    month: int
    whole_city: bool  # leadership: the user sees every unit under its own (and their rankings)
    visible: QuerySet[OrgUnit]
    whole_portal: bool = False  # ... and its unit is the portal's own: no filter needed at all
    period: Period | None = None  # where the month stands (reporting.calendar): offered, 暂计 or closed

    @property
    def ranked_townships(self) -> QuerySet[OrgUnit] | None:
        """Townships a ranking may show: all of them for the portal's own leadership, else those
        under the user's unit (a township user: its own)."""
        return None if self.whole_portal else self.visible

    @property
    def warning_orgs(self) -> QuerySet[OrgUnit] | None:
        return None if self.whole_portal else self.visible


class MonthNotOffered(PortalError):
    """A month that has not ended has no figures to show (reporting.calendar.PeriodState): pages go to
    `fallback`, the latest month that has ended, and say why; downloads and the API answer 400."""

    def __init__(self, message: str, fallback: tuple[int, int]):
        super().__init__(message, field="month")
        self.fallback = fallback


def dashboard_period(params) -> tuple[int, int]:
    """The month asked for; by default the latest month anyone has reported figures for, but never one
    that has not ended (a register's record of today counts in this month). Not the latest computed
    month: a past year's completion runs to December. A month not yet ended is refused
    (MonthNotOffered), whatever door asks for it."""
    last_ended = month_due(timezone.localdate())
    default = (0, 0) if period_given(params) else min(_latest_reported_month() or last_ended, last_ended)
    year, month = period_from(params, default=default)
    if (year, month) > last_ended:
        period = reporting_calendar().period(year, month, timezone.localdate())
        raise MonthNotOffered(
            f"{period.label},还没有可看的完成情况(区镇街道在月末之后才报送)。"
            f"最近可查看的是{last_ended[0]}年{last_ended[1]}月。",
            fallback=last_ended,
        )
    return year, month


def month_choices(year: int) -> list[tuple[int, bool]]:
    """The period selector's months of `year`: (month, offered). A month that has not ended is listed,
    not offered (its option is disabled and says 未结束)."""
    last_ended = month_due(timezone.localdate())
    return [(m, (year, m) <= last_ended) for m in range(1, 13)]


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
    if whole_portal:
        org = org_by_code(code)  # every unit is in view (no subtree query); no code: the top, cached
    elif (home := home_unit(user)) is not None:  # none without a business role or a unit: fail closed
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
    period = reporting_calendar().period(year, month, timezone.localdate())
    return DashboardScope(
        org=org,
        year=year,
        month=month,
        whole_city=whole_city,
        visible=visible,
        whole_portal=whole_portal,
        period=period,
    )


@dataclass(frozen=True)
class WarningFilters:
    """The warnings list as asked (pages, download, API): which units (a township, else every unit the
    user sees), one indicator or area, the order and the grouping."""

    orgs: QuerySet[OrgUnit] | list[OrgUnit] | None
    indicator_code: str
    area: str
    sort: str
    grouped: bool

    @classmethod
    def of(cls, scope: DashboardScope, params) -> WarningFilters:
        code = (params.get("indicator") or "").strip()
        if code and not Indicator.objects.filter(year=scope.year, code=code).exists():
            raise PortalError(f"{scope.year}年的指标体系中没有指标“{code}”。", field="indicator")
        area = (params.get("area") or "").strip()
        if area and area not in Area.values:
            raise PortalError(f"没有“{area}”这个业务领域。", field="area")
        sort = (params.get("sort") or "shortfall").strip()
        if sort not in WARNING_SORTS:
            raise PortalError("排序方式应为 shortfall(还差数量)或 gap(与进度差)。", field="sort")
        grouped = (params.get("group") or "").strip() == "unit"
        return cls(orgs=_warning_units(scope), indicator_code=code, area=area, sort=sort, grouped=grouped)

    def selector_kwargs(self) -> dict:
        return {"orgs": self.orgs, "indicator_code": self.indicator_code or None, "area": self.area or None,
                "sort": self.sort}  # fmt: skip


def _warning_units(scope: DashboardScope):
    """A township user: its own units. Leadership: one township asked for; a unit above the townships,
    it and the level below it (a province its prefectures, the city its townships), one level's rows
    whatever the size of the tree under it. The unit is in the user's scope (dashboard_scope)."""
    if not scope.whole_city:
        return scope.visible
    if not scope.org.is_upper:
        return [scope.org]
    return OrgUnit.objects.filter(Q(pk=scope.org.pk) | Q(parent_id=scope.org.pk))
