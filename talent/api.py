"""API of the talent registers. Certificates, recruitment plans and campus events are scoped to the
org units a user may see (RegisterViewSet); bodies, competitions and awards belong to the city itself,
and only those who see the whole city read them. Only bureau staff write. Year summaries
(GET .../summary/?year=2024) add up exactly the records the same user's list shows."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import RecordScope
from common.errors import PortalError
from registers.api import RegisterViewSet, register_serializer

from . import selectors
from .models import (
    CampusRecruitment,
    CertificationBody,
    CompetitionAward,
    RecruitmentPlan,
    SkillCertificate,
    SkillCompetition,
)


def _year(request: Request) -> int:
    text = request.query_params.get("year") or str(timezone.localdate().year)
    if not text.isdigit():
        raise PortalError(f"年度“{text}”无效。", field="year")
    return int(text)


class SummaryMixin:
    summary_selector = None

    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        year = _year(request)
        summary = type(self).summary_selector(year=year, scope=RecordScope.of(request.user))
        return Response({"year": year, **summary})


class CityRecordViewSet(RegisterViewSet):
    """Records of the city itself (no org unit): for those who see the whole city."""

    org_field = None


class RecruitmentPlanViewSet(SummaryMixin, RegisterViewSet):
    queryset = RecruitmentPlan.objects.all()
    serializer_class = register_serializer(
        RecruitmentPlan, ["org_unit", "year", "employer", "posts", "applicants", "hired"]
    )
    filterset_fields = ["year"]
    summary_selector = selectors.recruitment_year_summary


class CampusRecruitmentViewSet(SummaryMixin, RegisterViewSet):
    queryset = CampusRecruitment.objects.all()
    serializer_class = register_serializer(
        CampusRecruitment, ["org_unit", "university", "held_on", "applicants", "signed", "masters"]
    )
    filterset_fields = {"held_on": ["gte", "lte"]}
    summary_selector = selectors.campus_recruitment_year_summary


class SkillCertificateViewSet(SummaryMixin, RegisterViewSet):
    queryset = SkillCertificate.objects.select_related("body")
    serializer_class = register_serializer(
        SkillCertificate, ["number", "holder_name", "org_unit", "issued_on", "occupation", "level", "body"]
    )
    filterset_fields = {"issued_on": ["gte", "lte"], "level": ["exact"], "number": ["exact"]}
    summary_selector = selectors.certificate_year_summary


class CertificationBodyViewSet(CityRecordViewSet):
    queryset = CertificationBody.objects.all()
    serializer_class = register_serializer(CertificationBody, ["name", "kind", "recognised_on"])


class SkillCompetitionViewSet(SummaryMixin, CityRecordViewSet):
    queryset = SkillCompetition.objects.all()
    serializer_class = register_serializer(
        SkillCompetition,
        ["name", "level", "held_on", "hosted", "contestants", "regions"],
    )
    filterset_fields = ["level", "hosted"]
    summary_selector = selectors.competition_year_summary


class CompetitionAwardViewSet(CityRecordViewSet):
    queryset = CompetitionAward.objects.select_related("competition")
    serializer_class = register_serializer(CompetitionAward, ["competition", "winner", "prize"])
    filterset_fields = ["competition", "prize"]


ROUTES = [
    ("talent/recruitment-plans", RecruitmentPlanViewSet, "recruitment-plan"),
    ("talent/campus-recruitment", CampusRecruitmentViewSet, "campus-recruitment"),
    ("talent/certificates", SkillCertificateViewSet, "skill-certificate"),
    ("talent/certification-bodies", CertificationBodyViewSet, "certification-body"),
    ("talent/competitions", SkillCompetitionViewSet, "skill-competition"),
    ("talent/competition-awards", CompetitionAwardViewSet, "competition-award"),
]
