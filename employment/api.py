"""The employment registers under /api/v1/employment/…: read by anyone signed in within the org units
they may see, written by bureau staff only, with the models' own rules (RegisterSerializer)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import RecordScope
from registers.api import RegisterSerializer, RegisterViewSet

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from .selectors import gig_station_year_totals

READ_ONLY = ["id", "created_at", "updated_at", "updated_by"]


class GuaranteeLoanSerializer(RegisterSerializer):
    class Meta:
        model = GuaranteeLoan
        fields = [
            "id", "loan_number", "borrower_name", "borrower_kind", "org_unit", "issued_on", "amount",
            "term_months", "jobs_created", "remark", "created_at", "updated_at", "updated_by",
        ]  # fmt: skip
        read_only_fields = READ_ONLY


class TrainingClassSerializer(RegisterSerializer):
    class Meta:
        model = TrainingClass
        fields = [
            "id", "name", "training_type", "org_unit", "start_on", "end_on", "trainees", "completions",
            "remark", "created_at", "updated_at", "updated_by",
        ]  # fmt: skip
        read_only_fields = READ_ONLY


class ReturneeStartupSerializer(RegisterSerializer):
    class Meta:
        model = ReturneeStartup
        fields = [
            "id", "founder_name", "business_name", "org_unit", "started_on", "jobs_created", "remark",
            "created_at", "updated_at", "updated_by",
        ]  # fmt: skip
        read_only_fields = READ_ONLY


class GigStationSerializer(RegisterSerializer):
    class Meta:
        model = GigStation
        fields = [
            "id", "kind", "name", "org_unit", "parent", "opened_on", "is_active", "remark",
            "created_at", "updated_at", "updated_by",
        ]  # fmt: skip
        read_only_fields = READ_ONLY


class GigStationMonthSerializer(RegisterSerializer):
    """A month belongs to its station's org unit (it has none of its own)."""

    class Meta:
        model = GigStationMonth
        fields = ["id", "station", "year", "month", *GigStationMonth.COUNTS, "remark", *READ_ONLY[1:]]
        read_only_fields = READ_ONLY


class GuaranteeLoanViewSet(RegisterViewSet):
    queryset = GuaranteeLoan.objects.select_related("org_unit", "updated_by")
    serializer_class = GuaranteeLoanSerializer


class TrainingClassViewSet(RegisterViewSet):
    queryset = TrainingClass.objects.select_related("org_unit", "updated_by")
    serializer_class = TrainingClassSerializer


class ReturneeStartupViewSet(RegisterViewSet):
    queryset = ReturneeStartup.objects.select_related("org_unit", "updated_by")
    serializer_class = ReturneeStartupSerializer


class GigStationViewSet(RegisterViewSet):
    queryset = GigStation.objects.select_related("org_unit", "updated_by")
    serializer_class = GigStationSerializer


class GigStationMonthViewSet(RegisterViewSet):
    queryset = GigStationMonth.objects.select_related("station__org_unit", "updated_by")
    serializer_class = GigStationMonthSerializer
    org_field = "station__org_unit"

    @action(detail=False, url_path="year-totals")
    def year_totals(self, request: Request) -> Response:
        """A year's counts by township (市本级 for the hub and branches) and network level."""
        try:
            year = int(request.query_params.get("year", ""))
        except ValueError:
            raise serializers.ValidationError({"year": "请用 ?year=2024 指定年度。"}) from None
        totals = gig_station_year_totals(year=year, scope=RecordScope.of(request.user))
        return Response([row.__dict__ for row in totals])


ROUTES = [
    ("employment/guarantee-loans", GuaranteeLoanViewSet, "employment-guarantee-loan"),
    ("employment/training-classes", TrainingClassViewSet, "employment-training-class"),
    ("employment/returnee-startups", ReturneeStartupViewSet, "employment-returnee-startup"),
    ("employment/gig-stations", GigStationViewSet, "employment-gig-station"),
    ("employment/gig-station-months", GigStationMonthViewSet, "employment-gig-station-month"),
]
