"""API of the social insurance registers, the rate records and the contribution calculator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.errors import PortalError, Problem
from registers.api import RegisterViewSet, register_serializer

from .models import CardIssuance, InsuredCount, UnemploymentInsuranceRate
from .services import UnemploymentContribution, unemployment_contribution_calculate

InsuredCountSerializer = register_serializer(
    InsuredCount, ["org_unit", "year", "month", "insurance_type", "insured"]
)
CardIssuanceSerializer = register_serializer(
    CardIssuance, ["org_unit", "year", "month", "physical_cards", "ecards_signed"]
)


class InsuredCountViewSet(RegisterViewSet):
    queryset = InsuredCount.objects.all()
    serializer_class = InsuredCountSerializer
    filterset_fields = ["year", "month", "insurance_type"]


class CardIssuanceViewSet(RegisterViewSet):
    queryset = CardIssuance.objects.all()
    serializer_class = CardIssuanceSerializer
    filterset_fields = ["year", "month"]


UnemploymentRateSerializer = register_serializer(
    UnemploymentInsuranceRate,
    ["valid_from", "valid_to", "employer_rate", "individual_rate", "policy_document"],
)


def _contribution_data(result: UnemploymentContribution) -> dict:
    def rate(r: UnemploymentInsuranceRate | None) -> dict | None:
        if r is None:
            return None
        return {
            "id": r.pk,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
            "employer_rate": str(r.employer_rate),
            "individual_rate": str(r.individual_rate),
            "policy_document": r.policy_document,
        }

    return {
        "payroll": str(result.payroll),
        "date": result.on,
        "rate": rate(result.rate),
        "employer": str(result.employer),
        "individual": str(result.individual),
        "total": str(result.total),
        "previous_rate": rate(result.previous_rate),
        "employer_saving": None if result.employer_saving is None else str(result.employer_saving),
    }


def _query_params(request: Request) -> tuple[Decimal, date]:
    problems = []
    payroll_text = request.query_params.get("payroll", "").replace(",", "").strip()
    date_text = request.query_params.get("date", "").strip()
    payroll = day = None
    try:
        payroll = Decimal(payroll_text)
        if not payroll.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(Problem(f"缴费工资总额“{payroll_text}”不是有效的数字(单位:元)。", field="payroll"))
    try:
        day = date.fromisoformat(date_text)
    except ValueError:
        problems.append(Problem(f"日期“{date_text}”无效,格式应为YYYY-MM-DD。", field="date"))
    if problems:
        raise PortalError(problems)
    return payroll, day


class UnemploymentRateViewSet(RegisterViewSet):
    """The dated rate records (policy: anyone signed in reads; bureau staff write, through the register
    service like every register) and the calculator: GET calculate/?payroll=100000&date=2025-06-30."""

    queryset = UnemploymentInsuranceRate.objects.all()
    serializer_class = UnemploymentRateSerializer
    org_field = None
    public = True  # the rates are published policy, not any org unit's records

    @action(detail=False, methods=["get"])
    def calculate(self, request: Request) -> Response:
        payroll, day = _query_params(request)
        return Response(_contribution_data(unemployment_contribution_calculate(payroll=payroll, on=day)))


ROUTES = [
    ("social-insurance/insured-counts", InsuredCountViewSet, "insured-count"),
    ("social-insurance/card-issuance", CardIssuanceViewSet, "card-issuance"),
    ("social-insurance/unemployment-rates", UnemploymentRateViewSet, "unemployment-rate"),
]
