"""REST endpoints for indicators, quotas and monthly values. Writes go through the services."""

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import visible_org_units
from common.errors import PortalError
from common.periods import whole_number
from common.permissions import IsBureauOrReadOnly, PortalBureauOrReadOnly, SeesWholeCity
from common.years import YEAR_MAX, YEAR_MIN
from orgs.models import OrgUnit

from .models import Channel, Indicator, MonthlyValue, Quota, SetChange, ValidationRule
from .rules import rule_describe
from .services import monthly_value_set, monthly_values_delete, quota_delete, quota_set
from .sets import (
    EDITABLE,
    RULE_FIELDS,
    indicator_add,
    indicator_delete,
    indicator_restore,
    indicator_retire,
    indicator_set_copy,
    indicator_update,
    rule_delete,
    rule_save,
)


def _year_asked(request) -> int:
    """The year whose set a request reads or keeps: ?year= (or the body's year), else the newest set."""
    if request is None:  # the schema generator describes the view without a request
        return timezone.localdate().year
    raw = request.query_params.get("year") or (request.data.get("year") if hasattr(request, "data") else None)
    if raw in (None, ""):
        newest = Indicator.objects.order_by("-year").values_list("year", flat=True).first()
        return newest or timezone.localdate().year
    return whole_number({"year": str(raw)}, "year", 0, YEAR_MIN, YEAR_MAX)  # common.periods, as every door


class _SameYearCode(serializers.SlugRelatedField):
    """Another indicator of the same year's set, by its code."""

    def __init__(self, **kwargs):
        super().__init__(
            slug_field="code", allow_null=True, required=False, queryset=Indicator.objects.all(), **kwargs
        )

    def get_queryset(self):
        return Indicator.objects.filter(year=self.parent.context["year"])


class IndicatorSerializer(serializers.ModelSerializer):
    parent = _SameYearCode()
    numerator = _SameYearCode()
    denominator = _SameYearCode()

    class Meta:
        model = Indicator
        fields = ["year", "code", *EDITABLE, "fed_by", "is_active"]
        read_only_fields = ["year", "fed_by", "is_active"]
        validators = []  # the service checks (code once a year, same-year references) in Chinese


class CopyYearSerializer(serializers.Serializer):
    from_year = serializers.IntegerField()
    to_year = serializers.IntegerField()


class IndicatorViewSet(viewsets.ModelViewSet):
    """年度指标体系。`?year=2027` 列出该年度的指标(不填为最新年度);局业务科室可新增、修改、停用、恢复,
    与管理后台同一套规则。指标代码跨年度不变,建立后不能修改。"""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()  # the schema's model; get_queryset reads the year asked
    permission_classes = [PortalBureauOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = r"[a-z_]+\.[a-z0-9_]+"
    filterset_fields = ["area", "kind", "source", "is_active"]

    def get_queryset(self):
        return (
            Indicator.objects.filter(year=_year_asked(self.request))
            .select_related("parent", "numerator", "denominator")
            .order_by("sort_order", "code")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "year": _year_asked(self.request)}

    def perform_create(self, serializer):
        indicator = Indicator(year=_year_asked(self.request), **serializer.validated_data)
        serializer.instance = indicator_add(indicator=indicator, user=self.request.user, channel=Channel.API)

    def perform_update(self, serializer):
        changes = {k: v for k, v in serializer.validated_data.items() if k != "code"}
        if (
            "code" in serializer.validated_data
            and serializer.validated_data["code"] != serializer.instance.code
        ):
            raise PortalError("指标代码建立后不能修改。", field="code")
        serializer.instance = indicator_update(
            indicator=serializer.instance, changes=changes, user=self.request.user, channel=Channel.API
        )

    def perform_destroy(self, instance):
        indicator_delete(indicator=instance, user=self.request.user, channel=Channel.API)

    @extend_schema(
        request=None, parameters=[OpenApiParameter("confirmed", bool, description="已有数据时须为true")]
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, code=None):
        """从本年度指标体系中停用(已有数据保留;有数据时须 confirmed=true)。"""
        confirmed = str(request.data.get("confirmed", request.query_params.get("confirmed", ""))).lower()
        indicator = indicator_retire(
            indicator=self.get_object(),
            user=request.user,
            channel=Channel.API,
            confirmed=confirmed in ("true", "1"),
        )
        return Response(self.get_serializer(indicator).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, code=None):
        """恢复启用。"""
        indicator = indicator_restore(indicator=self.get_object(), user=request.user, channel=Channel.API)
        return Response(self.get_serializer(indicator).data)

    @extend_schema(request=CopyYearSerializer)
    @action(detail=False, methods=["post"], url_path="copy-year")
    def copy_year(self, request):
        """复制上年指标体系:以 from_year 的在用指标和校验规则建立 to_year(目标任务不复制)。"""
        form = CopyYearSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = indicator_set_copy(user=request.user, channel=Channel.API, **form.validated_data)
        return Response(
            {"indicators": result.indicators, "rules": result.rules, "left_out": result.left_out},
            status=201,
        )


class ValidationRuleSerializer(serializers.ModelSerializer):
    indicator = _SameYearCode()
    right_indicator = _SameYearCode()
    description = serializers.SerializerMethodField()

    class Meta:
        model = ValidationRule
        fields = ["id", "year", *RULE_FIELDS, "builtin", "description"]
        read_only_fields = ["year", "builtin"]

    def get_description(self, rule: ValidationRule) -> str:
        return rule_describe(rule)


class ValidationRuleViewSet(viewsets.ModelViewSet):
    """校验规则(按年度):强制(拒收)、核实(须填写核实说明)、提示。`?year=` 选择年度。"""

    serializer_class = ValidationRuleSerializer
    queryset = ValidationRule.objects.none()  # the schema's model; get_queryset reads the year asked
    permission_classes = [PortalBureauOrReadOnly]

    def get_queryset(self):
        rules = ValidationRule.objects.select_related("indicator", "right_indicator").order_by(
            "sort_order", "id"
        )
        # A rule is found by its id whatever its year; the list is one year's.
        return rules.filter(year=_year_asked(self.request)) if self.action == "list" else rules

    def get_serializer_context(self):
        rule = self.get_object() if self.action in ("update", "partial_update") else None
        return {**super().get_serializer_context(), "year": rule.year if rule else _year_asked(self.request)}

    def perform_create(self, serializer):
        rule = ValidationRule(year=_year_asked(self.request), **serializer.validated_data)
        serializer.instance = rule_save(rule=rule, user=self.request.user, channel=Channel.API)

    def perform_update(self, serializer):
        rule = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(rule, name, value)
        serializer.instance = rule_save(rule=rule, user=self.request.user, channel=Channel.API)

    def perform_destroy(self, instance):
        rule_delete(rule=instance, user=self.request.user, channel=Channel.API)


class SetChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SetChange
        fields = [
            "id",
            "year",
            "subject",
            "code",
            "object_repr",
            "action",
            "field",
            "old_value",
            "new_value",
            "note",
            "changed_at",
            "changed_by_name",
            "channel",
        ]


class SetChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """指标体系修改记录(谁、何时、改了什么、原值、新值、渠道)。局业务科室和领导可查。"""

    serializer_class = SetChangeSerializer
    permission_classes = [SeesWholeCity]
    filterset_fields = ["year", "subject", "code", "action"]

    def get_queryset(self):
        return SetChange.objects.order_by("-changed_at", "-id")


@extend_schema_field(OpenApiTypes.STR)
class IndicatorCodeField(serializers.Field):
    """An indicator by its code, within the figure's year: a code names one indicator in each year's
    set, so the serializer resolves it once it knows the year (`_FigureSerializer.validate`)."""

    def to_representation(self, value: Indicator) -> str:
        return value.code

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError("请填写指标代码。")
        return data.strip()


class _FigureSerializer(serializers.ModelSerializer):
    indicator = IndicatorCodeField()
    org_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())

    def validate(self, attrs: dict) -> dict:
        instance = self.instance
        year = attrs.get("year", instance.year if instance else None)
        code = attrs.get("indicator", instance.indicator.code if instance else None)
        if isinstance(code, Indicator):
            return attrs
        indicator = Indicator.objects.filter(code=code, year=year).first()
        if indicator is None:
            raise serializers.ValidationError({"indicator": f"{year}年的指标体系中没有指标“{code}”。"})
        if "indicator" in attrs or instance is None:
            attrs["indicator"] = indicator
        return attrs


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
        fields = [
            "id",
            "indicator",
            "org_unit",
            "year",
            "month",
            "value",
            "remark",
            "explanation",
            "channel",
            "updated_at",
        ]
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
