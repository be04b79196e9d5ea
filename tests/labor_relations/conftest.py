"""Records of the labour-relations registers for tests, saved one by one as the doors save them (so
the feeds recount), and an API client per role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from indicators.models import MonthlyValue
from labor_relations.models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase
from registers.services import record_create
from tests.registers.records import create_record

CITY = "429005"
_numbers = iter(range(1, 10**6))

# Valid unified social credit codes (check character computed by GB 32100-2015).
CODE_1, CODE_2 = "91429005MA4F0000XT", "91110108551385082Q"


@pytest.fixture
def make_case(indicators, orgs):
    def _make(
        received_on: date = date(2024, 3, 5),
        closed_on: date | None = None,
        closed_how: str = "",
        org: str = CITY,
        batch=None,
        **extra,
    ) -> DisputeCase:
        case = DisputeCase(
            case_number=extra.pop("case_number", f"潜劳人仲〔2024〕T{next(_numbers):04d}号"),
            org_unit=orgs[org],
            applicant=extra.pop("applicant", "张伟"),
            respondent=extra.pop("respondent", "潜江市荣盛建筑工程有限公司"),
            received_on=received_on,
            closed_on=closed_on,
            closed_how=closed_how or (DisputeCase.Closing.MEDIATED if closed_on else ""),
            amount=Decimal(str(extra.pop("amount", "12000"))),
            **extra,
        )
        case.full_clean()  # the model's own ValidationError, as the tests of its rules expect
        record_create(user=None, record=case, batch=batch)
        return case

    return _make


@pytest.fixture
def make_wage_case(indicators, orgs):
    def _make(
        opened_on: date = date(2024, 3, 5), closed_on: date | None = date(2024, 3, 20), **extra
    ) -> WageArrearsCase:
        case = WageArrearsCase(
            case_number=extra.pop("case_number", f"潜人社监〔2024〕T{next(_numbers):04d}号"),
            org_unit=orgs[extra.pop("org", "429005001")],
            employer=extra.pop("employer", "潜江市鑫源劳务有限公司"),
            source=extra.pop("source", WageArrearsCase.Source.COMPLAINT),
            opened_on=opened_on,
            closed_on=closed_on,
            workers=extra.pop("workers", 5),
            amount_recovered=Decimal(str(extra.pop("amount_recovered", "52000"))),
            **extra,
        )
        case.full_clean()  # the model's own ValidationError, as the tests of its rules expect
        record_create(user=None, record=case)
        return case

    return _make


@pytest.fixture
def make_rating(orgs):
    def _make(code: str = CODE_1, org: str = "429005001", grade: str = "A", year: int = 2024) -> CreditRating:
        return create_record(
            CreditRating,
            employer="潜江市华信商贸有限公司",
            credit_code=code,
            org_unit=orgs[org],
            year=year,
            grade=grade,
            rated_on=date(year, 6, 1),  # the file made (counted in June)
        )

    return _make


@pytest.fixture
def make_listing(orgs):
    def _make(code: str = CODE_1, org: str = "429005001", **dates) -> BlacklistEntry:
        return create_record(
            BlacklistEntry,
            employer="潜江市华信商贸有限公司",
            credit_code=code,
            org_unit=orgs[org],
            listed_on=dates.get("listed_on", date(2024, 5, 10)),
            removed_on=dates.get("removed_on"),
            reason="拖欠农民工工资,经责令限期支付逾期未支付",
        )

    return _make


def stored(code: str, month: int, org: str = CITY, year: int = 2024) -> Decimal | None:
    """The stored monthly value, or None when there is no row ("not reported")."""
    row = MonthlyValue.objects.filter(
        indicator__code=code, org_unit__code=org, year=year, month=month
    ).first()
    return None if row is None else row.value


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
