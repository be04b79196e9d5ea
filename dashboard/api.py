"""JSON endpoints for each dashboard panel (in the OpenAPI schema). The pages draw their charts and
notice new figures through these; anyone may build on them. Scope is checked here, on the server:
leaders and bureau staff may ask for any org unit, a township user only for its own township."""

from __future__ import annotations

import time
from collections import OrderedDict
from functools import lru_cache

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from common.permissions import HasPortalRole
from completion.selectors import completion_freshness, completion_service_unavailable
from indicators.models import Indicator
from reporting.selectors import period_summary

from .scope import DashboardScope, dashboard_scope
from .selectors import dashboard_cockpit, dashboard_indicator, dashboard_warnings, figures_state

CACHE_SECONDS = 300
# Part of every cache key: raise it when the cached payload's shape changes, so a deploy never serves
# what an older release cached.
PAYLOAD_VERSION = 4


class IndicatorInfoSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    area_label = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    indicator = IndicatorInfoSerializer()
    org_code = serializers.CharField()
    org_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    actual = serializers.DecimalField(max_digits=26, decimal_places=6, allow_null=True)
    actual_display = serializers.CharField()
    quota = serializers.DecimalField(max_digits=26, decimal_places=6, allow_null=True)
    quota_display = serializers.CharField()
    completion_rate = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    rate_display = serializers.CharField(help_text="完成率,按指标自身的小数位(书面报告的写法)")
    rate_shown = serializers.CharField(help_text="完成率,统一保留一位小数(页面表格的写法)")
    time_progress = serializers.DecimalField(max_digits=7, decimal_places=4)
    gap = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    gap_display = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    projected_actual = serializers.DecimalField(max_digits=26, decimal_places=6, allow_null=True)
    projected_display = serializers.CharField()
    projected_rate = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    projected_rate_display = serializers.CharField()
    will_miss = serializers.BooleanField()
    trend = serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    )


class FreshnessSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True)
    is_stale = serializers.BooleanField(help_text="有新数据尚未计入完成率,或计算服务暂时不可用")
    pending_since = serializers.DateTimeField(allow_null=True, help_text="最早一笔尚未计算的数据变更")
    service_unavailable = serializers.BooleanField(help_text="计算服务(Redis 队列或后台任务)暂时不可用")


class PeriodSerializer(serializers.Serializer):
    """Where the month stands (reporting.calendar.Period): only an ended month is served; from its end to
    its deadline its figures are provisional (暂计), townships still reporting it."""

    state = serializers.ChoiceField(
        choices=["reporting", "closed"],
        source="period.state",
        help_text="reporting:报送中(暂计);closed:已截止",
    )
    provisional = serializers.BooleanField(source="period.provisional", help_text="数据为暂计,尚不完整")
    deadline = serializers.DateField(source="period.deadline", help_text="本月月报报送截止日")
    time_progress_rule = serializers.CharField(
        source="period.time_progress_text", help_text="时序进度的算法:已结束的月份 ÷ 12"
    )
    label = serializers.CharField(source="period.label")
    note = serializers.CharField(help_text="报送中时的说明;已截止时为空")
    counted = serializers.IntegerField(help_text="报送中时:数据已计入(已通过或局代录)的区镇街道数")
    pending = serializers.IntegerField(help_text="报送中时:待审核的区镇街道数")
    owing = serializers.IntegerField(help_text="报送中时:未报送或被退回的区镇街道数")


class AreaGroupSerializer(serializers.Serializer):
    area = serializers.CharField()
    label = serializers.CharField()
    rows = ProgressSerializer(many=True)


class CockpitSerializer(serializers.Serializer):
    org_code = serializers.CharField()
    org_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    time_progress = serializers.DecimalField(max_digits=7, decimal_places=4)
    ahead = serializers.IntegerField()
    behind = serializers.IntegerField()
    far_behind = serializers.IntegerField()
    will_miss = serializers.IntegerField()
    areas = AreaGroupSerializer(many=True)
    others = ProgressSerializer(many=True)
    freshness = FreshnessSerializer(read_only=True, required=False)
    period = PeriodSerializer(read_only=True, required=False)
    stamp = serializers.CharField(
        read_only=True, required=False, help_text="数据版本:有新数据或重新计算后改变"
    )


class MonthPointSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    actual = serializers.DecimalField(max_digits=26, decimal_places=6, allow_null=True)
    last_year_actual = serializers.DecimalField(max_digits=26, decimal_places=6, allow_null=True)
    completion_rate = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    time_progress = serializers.DecimalField(max_digits=7, decimal_places=4)


class IndicatorDetailSerializer(serializers.Serializer):
    progress = ProgressSerializer(allow_null=True)
    series = MonthPointSerializer(many=True)
    ranking = ProgressSerializer(many=True)
    freshness = FreshnessSerializer(read_only=True, required=False)
    period = PeriodSerializer(read_only=True, required=False)


class WarningsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    rows = ProgressSerializer(many=True)
    freshness = FreshnessSerializer(read_only=True, required=False)
    period = PeriodSerializer(read_only=True, required=False)


PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度,缺省为有数据的最近月份(已结束的月份)"),
    OpenApiParameter("month", OpenApiTypes.INT, description="月份 1-12;尚未结束的月份返回400"),
    OpenApiParameter("org", OpenApiTypes.STR, description="区划代码,缺省为全市(区镇用户为本区镇)"),
]


def _freshness(scope: DashboardScope) -> dict:
    return FreshnessSerializer(completion_freshness(year=scope.year)).data


def _period(scope: DashboardScope) -> dict:
    return PeriodSerializer(period_summary(year=scope.year, month=scope.month)).data


class _PanelView(APIView):
    permission_classes = [HasPortalRole]

    def scope(self, request) -> DashboardScope:
        return dashboard_scope(request.user, request.query_params)


class CockpitView(_PanelView):
    """驾驶舱:某单位某月全部有目标任务指标的完成率、时序进度、差距、状态、趋势和预计全年完成。"""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=CockpitSerializer)
    def get(self, request):
        scope = self.scope(request)
        return HttpResponse(cockpit_json(scope), content_type="application/json")


class _RecentBodies(OrderedDict):
    """The last few rendered panels of this process. Their keys hold the figures stamp, read from the
    database on every request, so a hit is never out of date."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key):
        body = super().get(key)
        if body is not None:
            self.move_to_end(key)
        return body

    def put(self, key, body: bytes) -> None:
        self[key] = body
        while len(self) > self.size:
            self.popitem(last=False)


_recent = _RecentBodies(64)

# The month's standing for the polls: read at most every STANDING_SECONDS per process (two queries while
# a month is being reported), so a page polling every 5 s mostly costs the stamp's one query.
STANDING_SECONDS = 30


def _standing(year: int, month: int, stamp: str):
    """Kept per figures stamp and day too: an approval changes figures, the deadline passes at midnight."""
    window = int(time.monotonic() // STANDING_SECONDS)
    return _kept_standing(year, month, stamp, timezone.localdate(), window)


@lru_cache(maxsize=2)
def _kept_standing(year: int, month: int, stamp: str, day, window: int):
    """The standing as read once in the STANDING_SECONDS `window`, keyed by what it depends on (a later
    window, stamp or day reads again); the latest keys are all that is kept (`.cache_clear()`)."""
    return period_summary(year=year, month=month)


def cockpit_json(scope: DashboardScope) -> bytes:
    """The cockpit as rendered JSON, cached per org, month and figures stamp: a leader's poll costs one
    small query while nothing changes; a saved figure or a finished computation makes a new key.
    The bytes are kept, not the data: unpickling and re-encoding 75 kB cost more than the rest; in the
    process first (no round trip), then in the shared cache (the other workers' work)."""
    state = figures_state()
    stamp = state.stamp
    # The body says whether the service works, so that is part of its key (and of no stamp: a page
    # does not reload for it, it only shows the notice).
    service = "down" if completion_service_unavailable(stalled=state.stalled) else "up"
    # The month's standing moves with the calendar (its deadline passes) and with reports sent, which
    # are no figure change: part of the key, as the service is.
    standing = _standing(scope.year, scope.month, stamp)
    counts = f"{standing.period.state}-{standing.counted}-{standing.pending}-{standing.owing}"
    key = (
        f"dashboard:cockpit:v{PAYLOAD_VERSION}:{scope.org.code}:{scope.year}:{scope.month}:{stamp}:{service}"
        f":{counts}"
    )
    body = _recent.get(key) or cache.get(key)
    if body is not None:
        _recent.put(key, body)
    else:
        cockpit = dashboard_cockpit(org=scope.org, year=scope.year, month=scope.month)
        payload = {
            **CockpitSerializer(cockpit).data,
            "freshness": _freshness(scope),
            "period": PeriodSerializer(standing).data,
            "stamp": stamp,
        }
        body = JSONRenderer().render(payload)
        cache.set(key, body, CACHE_SECONDS)
        _recent.put(key, body)
    return body


class IndicatorPanelView(_PanelView):
    """单项指标:全年逐月累计(对照目标和时序进度线)、上年同期,以及各区镇街道完成率排名。"""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=IndicatorDetailSerializer)
    def get(self, request, code: str):
        scope = self.scope(request)
        indicator = Indicator.objects.filter(code=code, year=scope.year, is_active=True).first()
        if indicator is None:
            raise NotFound(f"{scope.year}年的指标体系中没有指标“{code}”。")
        detail = dashboard_indicator(
            indicator=indicator,
            org=scope.org,
            year=scope.year,
            month=scope.month,
            townships=scope.ranked_townships,
        )
        data = IndicatorDetailSerializer(detail).data
        return Response({**data, "freshness": _freshness(scope), "period": _period(scope)})


class WarningsView(_PanelView):
    """预警:落后时序进度的指标 × 单位,差距最大的在前。"""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=WarningsSerializer)
    def get(self, request):
        scope = self.scope(request)
        rows = dashboard_warnings(year=scope.year, month=scope.month, orgs=scope.warning_orgs)
        data = WarningsSerializer({"year": scope.year, "month": scope.month, "rows": rows}).data
        return Response({**data, "freshness": _freshness(scope), "period": _period(scope)})
