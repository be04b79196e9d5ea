"""API of the social insurance registers, the rate records and the contribution calculator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.errors import PortalError, Problem
from registers.api import register_viewset

from .models import CardIssuance, InsuredCount, LandRequisitionEstimate, UnemploymentInsuranceRate
from .services import UnemploymentContribution, unemployment_contribution_calculate


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


class RateCalculator:
    """GET calculate/?payroll=100000&date=2025-06-30: the contributions at the rate in force that day."""

    @action(detail=False, methods=["get"])
    def calculate(self, request: Request) -> Response:
        payroll, day = _query_params(request)
        return Response(_contribution_data(unemployment_contribution_calculate(payroll=payroll, on=day)))


# The rates are published policy, not any org unit's records: anyone signed in reads them (bureau
# staff write, through the register service like every register).
RATES = register_viewset(UnemploymentInsuranceRate, RateCalculator, public=True)

ROUTES = [
    ("social-insurance/insured-counts", register_viewset(InsuredCount), "insured-count"),
    ("social-insurance/card-issuance", register_viewset(CardIssuance), "card-issuance"),
    ("social-insurance/land-estimates", register_viewset(LandRequisitionEstimate), "land-estimate"),
    ("social-insurance/unemployment-rates", RATES, "unemployment-rate"),
]
