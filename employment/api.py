"""The employment registers under /api/v1/employment/…: read by anyone signed in within the org units
they may see, written by bureau staff only, with the models' own rules (RegisterSerializer)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import RecordScope
from registers.api import register_viewset

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from .selectors import gig_station_year_totals


class StationYearTotals:
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
    ("employment/guarantee-loans", register_viewset(GuaranteeLoan), "employment-guarantee-loan"),
    ("employment/training-classes", register_viewset(TrainingClass), "employment-training-class"),
    ("employment/returnee-startups", register_viewset(ReturneeStartup), "employment-returnee-startup"),
    ("employment/gig-stations", register_viewset(GigStation), "employment-gig-station"),
    (
        "employment/gig-station-months",
        register_viewset(GigStationMonth, StationYearTotals),
        "employment-gig-station-month",
    ),
]
