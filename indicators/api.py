"""REST endpoints for indicators, quotas and monthly values. Writes go through the services."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from accounts.permissions import visible_org_units
from common.errors import PortalError
from common.permissions import IsBureauOrReadOnly
from orgs.models import OrgUnit

from .models import Channel, Indicator, MonthlyValue, Quota
from .services import monthly_value_set, monthly_values_delete, quota_delete, quota_set


class IndicatorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    numerator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    denominator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "area",
            "unit",
            "kind",
            "numerator",
            "denominator",
            "parent",
            "value_places",
            "rate_places",
            "township_reported",
            "is_active",
            "description",
        ]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """指标目录。"""

    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z_]+\.[a-z_]+"
    filterset_fields = ["area", "kind", "township_reported", "is_active"]
    queryset = Indicator.objects.select_related("parent", "numerator", "denominator").order_by("sort_order")


class _FigureSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    org_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())


class QuotaSerializer(_FigureSerializer):
    class Meta:
        model = Quota
        fields = ["id", "indicator", "org_unit", "year", "target", "note", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # uniqueness is an upsert in the service, not an error


class MonthlyValueSerializer(_FigureSerializer):
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=False)

    class Meta:
        model = MonthlyValue
        fields = ["id", "indicator", "org_unit", "year", "month", "value", "remark", "channel", "updated_at"]
        read_only_fields = ["channel", "updated_at"]
        validators = []


class _ScopedFilter(filters.FilterSet):
    indicator = filters.CharFilter(field_name="indicator__code")
    org_unit = filters.CharFilter(field_name="org_unit__code")
    area = filters.CharFilter(field_name="indicator__area")


class QuotaFilter(_ScopedFilter):
    class Meta:
        model = Quota
        fields = ["year", "indicator", "org_unit", "area"]


class MonthlyValueFilter(_ScopedFilter):
    class Meta:
        model = MonthlyValue
        fields = ["year", "month", "indicator", "org_unit", "area"]


class _ScopedViewSet(viewsets.ModelViewSet):
    permission_classes = [IsBureauOrReadOnly]
    key_fields: tuple[str, ...] = ()

    def scoped(self, qs: QuerySet) -> QuerySet:
        return qs.filter(org_unit__in=visible_org_units(self.request.user)).select_related(
            "indicator", "org_unit"
        )

    def merged(self, serializer) -> dict:
        """An update changes the figure, never which cell it belongs to (that would be a new figure)."""
        instance, data = serializer.instance, serializer.validated_data
        moved = [k for k in self.key_fields if k in data and data[k] != getattr(instance, k)]
        if moved:
            raise PortalError("不能修改指标、机构、年度或月份;请删除后重新填报。")
        editable = [
            f for f in serializer.Meta.fields if f not in serializer.Meta.read_only_fields and f != "id"
        ]
        return {f: data.get(f, getattr(instance, f)) for f in editable}


class QuotaViewSet(_ScopedViewSet):
    """年度目标任务(省级下达指标及分解到区镇街道的目标)。写入限局业务科室;同一指标、机构、年度再次提交即为修改。"""

    serializer_class = QuotaSerializer
    filterset_class = QuotaFilter

    def get_queryset(self):
        return self.scoped(Quota.objects.order_by("-year", "indicator__sort_order", "org_unit__sort_order"))

    key_fields = ("indicator", "org_unit", "year")

    def perform_create(self, serializer):
        serializer.instance = quota_set(
            user=self.request.user, channel=Channel.API, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = quota_set(
            user=self.request.user, channel=Channel.API, **self.merged(serializer)
        )

    def perform_destroy(self, instance):
        quota_delete(quota=instance, user=self.request.user, channel=Channel.API)


class MonthlyValueViewSet(_ScopedViewSet):
    """月度数据。累计型指标为当月发生数,时点型为月末数。未报送即没有记录(不是0)。写入限局业务科室。"""

    serializer_class = MonthlyValueSerializer
    filterset_class = MonthlyValueFilter

    def get_queryset(self):
        return self.scoped(
            MonthlyValue.objects.order_by("-year", "-month", "indicator__sort_order", "org_unit__sort_order")
        )

    key_fields = ("indicator", "org_unit", "year", "month")

    def perform_create(self, serializer):
        serializer.instance = monthly_value_set(
            user=self.request.user, channel=Channel.API, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = monthly_value_set(
            user=self.request.user, channel=Channel.API, **self.merged(serializer)
        )

    def perform_destroy(self, instance):
        monthly_values_delete(values=[instance], user=self.request.user, channel=Channel.API)
