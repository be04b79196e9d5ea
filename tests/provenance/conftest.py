"""Figures with a known origin for the provenance tests: typed at 市本级 and by townships, sent in a
township's report and approved, entered on the bureau's month sheet, counted from a register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine

from completion.services import completion_recompute
from employment.models import GuaranteeLoan
from indicators.models import Channel
from indicators.services import ValueEntry, monthly_values_apply
from registers.services import records_import
from reporting.models import Submission
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_approve, submission_confirm, submission_return
from reporting.templates_xlsx import template_workbook
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B, indicator_of
from tests.reporting.conftest import fill

JOBS = "employment.urban_new_jobs"
LOANS, LOAN_AMOUNT = "employment.guarantee_loans", "employment.guarantee_loan_amount"
RESIDENTS = "social_insurance.resident_population"
CITY, A, B = "429005", TOWNSHIP_A, TOWNSHIP_B


@pytest.fixture
def early_december():
    """Reporting November 2024 on 5 December, before the deadline."""
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def jobs(put, set_quota):
    """城镇新增就业人数 2024: 市本级 5 in March; 园林 (A) 50, 60, 70; 杨市 (B) 10, 10, 20. City to March: 225."""
    set_quota(JOBS, CITY, 2024, 1200)
    put(JOBS, CITY, 2024, 3, 5)
    for month, (a, b) in enumerate([(50, 10), (60, 10), (70, 20)], start=1):
        put(JOBS, A, 2024, month, a)
        put(JOBS, B, 2024, month, b)
    completion_recompute(year=2024)


def send(user, orgs, code: str, values: dict, *, year: int = 2024, month: int = 11, explanations=None):
    """A township's month report, uploaded and confirmed (version N, pending review)."""
    data = fill(
        template_workbook(township=orgs[code], year=year, month=month), values, explanations=explanations
    )
    preview = submission_upload(
        user=user, township=orgs[code], year=year, month=month, data=data, filename="月报.xlsx"
    )
    assert preview.ok, [str(p) for p in preview.problems]
    return submission_confirm(submission=preview.submission, user=user)


@pytest.fixture
def reported(early_december, orgs, indicators, township_a_user, bureau_user) -> dict[str, Submission]:
    """园林's November 2024: version 1 (1,200 new jobs) returned, version 2 (120) approved."""
    first = send(township_a_user, orgs, A, {JOBS: 1200})
    submission_return(submission=first, user=bureau_user, reason="城镇新增就业人数多填了一个0")
    second = send(township_a_user, orgs, A, {JOBS: 120})
    submission_approve(submission=second, user=bureau_user)
    return {"returned": first, "approved": Submission.objects.get(pk=second.pk)}


def loans(orgs, *when: tuple[str, date, str], user=None) -> list[GuaranteeLoan]:
    """Loan records (org code, issue date, amount in 万元) through the register's write service."""
    records = [
        GuaranteeLoan(
            loan_number=f"QJ-P-{n}",
            org_unit=orgs[code],
            borrower_name=f"借款人{n}",
            amount=D(amount),
            borrower_kind=GuaranteeLoan.BorrowerKind.INDIVIDUAL,
            issued_on=day,
            term_months=24,
        )
        for n, (code, day, amount) in enumerate(when, start=1)
    ]
    records_import(user=user, model=GuaranteeLoan, created=records)
    return records


def typed(
    orgs, code: str, org: str, year: int, month: int, value, *, user=None, channel=Channel.COMMAND, **extra
):
    entry = ValueEntry(
        indicator=indicator_of(code, year),
        org_unit=orgs[org],
        year=year,
        month=month,
        value=D(str(value)),
        **extra,
    )
    return monthly_values_apply(entries=[entry], user=user, channel=channel)
