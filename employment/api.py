"""The employment registers under /api/v1/employment/…: read by anyone signed in within the org units
they may see, written by bureau staff only, with the models' own rules (RegisterSerializer)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import RecordScope
from registers.api import RegisterViewSet, register_serializer

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from .selectors import gig_station_year_totals

GuaranteeLoanSerializer = register_serializer(
    GuaranteeLoan,
    [
        "loan_number",
        "borrower_name",
        "borrower_kind",
        "org_unit",
        "issued_on",
        "amount",
        "term_months",
        "jobs_created",
    ],
)
TrainingClassSerializer = register_serializer(
    TrainingClass, ["name", "training_type", "org_unit", "start_on", "end_on", "trainees", "completions"]
)
ReturneeStartupSerializer = register_serializer(
    ReturneeStartup, ["founder_name", "business_name", "org_unit", "started_on", "jobs_created"]
)
GigStationSerializer = register_serializer(
    GigStation, ["kind", "name", "org_unit", "parent", "opened_on", "is_active"]
)
# A month belongs to its station's org unit (it has none of its own).
GigStationMonthSerializer = register_serializer(
    GigStationMonth, ["station", "year", "month", *GigStationMonth.COUNTS]
)


class GuaranteeLoanViewSet(RegisterViewSet):
    queryset = GuaranteeLoan.objects.all()
    serializer_class = GuaranteeLoanSerializer


class TrainingClassViewSet(RegisterViewSet):
    queryset = TrainingClass.objects.all()
    serializer_class = TrainingClassSerializer


class ReturneeStartupViewSet(RegisterViewSet):
    queryset = ReturneeStartup.objects.all()
    serializer_class = ReturneeStartupSerializer


class GigStationViewSet(RegisterViewSet):
    queryset = GigStation.objects.all()
    serializer_class = GigStationSerializer


class GigStationMonthViewSet(RegisterViewSet):
    queryset = GigStationMonth.objects.all()
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
