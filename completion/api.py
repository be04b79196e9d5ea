from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from accounts.permissions import visible_org_units

from .models import Completion


class CompletionSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Completion
        fields = [
            "indicator",
            "indicator_name",
            "unit",
            "org_unit",
            "org_unit_name",
            "year",
            "month",
            "actual",
            "numerator",
            "denominator",
            "quota",
            "completion_rate",
            "time_progress",
            "gap",
            "status",
            "computed_at",
        ]


class CompletionFilter(filters.FilterSet):
    indicator = filters.CharFilter(field_name="indicator__code")
    org_unit = filters.CharFilter(field_name="org_unit__code")
    area = filters.CharFilter(field_name="indicator__area")

    class Meta:
        model = Completion
        fields = ["year", "month", "indicator", "org_unit", "area", "status"]


class CompletionViewSet(viewsets.ReadOnlyModelViewSet):
    """指标完成情况(由系统计算,只读):累计完成、年度目标、完成率、时序进度、与进度差(百分点)和状态。"""

    serializer_class = CompletionSerializer
    filterset_class = CompletionFilter

    def get_queryset(self):
        return (
            Completion.objects.filter(org_unit__in=visible_org_units(self.request.user))
            .select_related("indicator", "org_unit")
            .order_by("-year", "-month", "indicator__sort_order", "org_unit__sort_order")
        )
