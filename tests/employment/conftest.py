"""Records of the employment registers for tests, made the way the doors make them (saved one by one,
so the feeds recount), and clients for each role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from employment.models import GigStation, GuaranteeLoan, ReturneeStartup, TrainingClass
from tests.registers.records import create_record

_numbers = iter(range(1, 10**6))


@pytest.fixture
def make_loan(indicators, orgs):
    def _make(
        org: str = "429005001", issued_on: date = date(2024, 3, 5), amount="20", **extra
    ) -> GuaranteeLoan:
        return create_record(
            GuaranteeLoan,
            loan_number=extra.pop("loan_number", f"T2024{next(_numbers):05d}"),
            borrower_name=extra.pop("borrower_name", "张伟"),
            borrower_kind=extra.pop("borrower_kind", GuaranteeLoan.BorrowerKind.INDIVIDUAL),
            org_unit=orgs[org],
            issued_on=issued_on,
            amount=Decimal(str(amount)),
            term_months=extra.pop("term_months", 24),
            **extra,
        )

    return _make


@pytest.fixture
def make_class(indicators, orgs):
    def _make(
        org: str = "429005001",
        start_on: date = date(2024, 3, 1),
        end_on: date = date(2024, 3, 20),
        trainees: int = 40,
        **extra,
    ) -> TrainingClass:
        return create_record(
            TrainingClass,
            name=extra.pop("name", "龙虾加工培训班"),
            training_type=extra.pop("training_type", TrainingClass.Type.LOBSTER),
            org_unit=orgs[org],
            start_on=start_on,
            end_on=end_on,
            trainees=trainees,
            completions=extra.pop("completions", trainees),
            **extra,
        )

    return _make


@pytest.fixture
def make_startup(indicators, orgs):
    def _make(org: str = "429005001", started_on: date = date(2024, 3, 8), jobs: int = 3) -> ReturneeStartup:
        return create_record(
            ReturneeStartup,
            founder_name="李强",
            business_name="李强稻虾共作家庭农场",
            org_unit=orgs[org],
            started_on=started_on,
            jobs_created=jobs,
        )

    return _make


@pytest.fixture
def hub(city) -> GigStation:
    return create_record(
        GigStation, kind="hub", name="潜江市零工驿站总站", org_unit=city, opened_on=date(2024, 1, 2)
    )


@pytest.fixture
def micro_station(hub, township_a) -> GigStation:
    return create_record(
        GigStation,
        kind="township",
        name="园林街道零工驿站",
        org_unit=township_a,
        parent=hub,
        opened_on=date(2024, 1, 5),
    )


@pytest.fixture
def bureau_client(client, bureau_user, indicators, orgs):
    client.force_login(bureau_user)
    return client


def api_client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def bureau_api(bureau_user, indicators, orgs) -> APIClient:
    return api_client(bureau_user)


def api_problems(response) -> dict[str, str]:
    """The project's one error shape, {"error": {"problems": [{"field", "message"}]}}, as field -> messages."""
    found: dict[str, str] = {}
    for problem in response.json()["error"]["problems"]:
        found[problem.get("field", "")] = found.get(problem.get("field", ""), "") + problem["message"]
    return found
