"""API of the talent registers. Certificates, recruitment plans and campus events are scoped to the
org units a user may see (RegisterViewSet); bodies, competitions and awards belong to the city itself,
and only those who see the whole city read them. Only bureau staff write. Year summaries
(GET .../summary/?year=2024) add up exactly the records the same user's list shows."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.utils import timezone
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import RecordScope
from common.periods import whole_number
from common.years import YEAR_MAX, YEAR_MIN
from registers.api import RegisterViewSet, register_viewset

from . import models as talent
from . import selectors


def _year(request: Request) -> int:
    return whole_number(request.query_params, "year", timezone.localdate().year, YEAR_MIN, YEAR_MAX)


class SummaryMixin:
    summary_selector = None

    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        year = _year(request)
        summary = type(self).summary_selector(year=year, scope=RecordScope.of(request.user))
        return Response({"year": year, **summary})


def _summarised(model: type[Model], selector: Callable[..., dict]) -> type[RegisterViewSet]:
    return register_viewset(model, SummaryMixin, summary_selector=selector)


ROUTES = [
    (
        "talent/recruitment-plans",
        _summarised(talent.RecruitmentPlan, selectors.recruitment_year_summary),
        "recruitment-plan",
    ),
    (
        "talent/campus-recruitment",
        _summarised(talent.CampusRecruitment, selectors.campus_recruitment_year_summary),
        "campus-recruitment",
    ),
    (
        "talent/certificates",
        _summarised(talent.SkillCertificate, selectors.certificate_year_summary),
        "skill-certificate",
    ),
    ("talent/certification-bodies", register_viewset(talent.CertificationBody), "certification-body"),
    (
        "talent/competitions",
        _summarised(talent.SkillCompetition, selectors.competition_year_summary),
        "skill-competition",
    ),
    ("talent/competition-awards", register_viewset(talent.CompetitionAward), "competition-award"),
]
