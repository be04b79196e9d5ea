"""剩余信息保护 / 个人信息保护: nothing that names a citizen reaches the application logs. A person's
name goes through every door the registers have — the admin's form (saved, and refused), its list and
search, its export, the API (created, refused, listed, read) — with every logger captured at DEBUG, and
the captured text must not contain it."""

from __future__ import annotations

import logging

import pytest
from rest_framework.test import APIClient

from employment.models import GuaranteeLoan
from registers.resources import register_resource
from tests.common.test_exports import _export

NAME = "欧阳娜娜"
LOANS = "/api/v1/employment/guarantee-loans/"


def _loan_form(number: str, name: str, org, amount: str = "20") -> dict:
    return {
        "loan_number": number,
        "borrower_name": name,
        "borrower_kind": "individual",
        "org_unit": org.pk,
        "issued_on": "2024-03-05",
        "amount": amount,
        "term_months": "24",
        "jobs_created": "0",
        "remark": "",
    }


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "axes", "celery", "import_export", "audit", "registers"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    return caplog


def test_a_citizens_name_never_reaches_the_application_logs(
    client, bureau_user, township_a_user, orgs, indicators, everything_logged
):
    client.force_login(bureau_user)
    town = orgs["429005001"]
    client.post("/admin/employment/guaranteeloan/add/", _loan_form("PI-LOG-1", NAME, town))
    client.post(
        "/admin/employment/guaranteeloan/add/", _loan_form("PI-LOG-2", NAME, town, amount="-5")
    )  # refused
    client.get("/admin/employment/guaranteeloan/", {"q": NAME})
    loan = GuaranteeLoan.objects.get(loan_number="PI-LOG-1")
    client.get(f"/admin/employment/guaranteeloan/{loan.pk}/change/")
    client.get(f"/admin/employment/guaranteeloan/{loan.pk}/history/")
    _export(client, "employment", "guaranteeloan", register_resource(GuaranteeLoan))
    api = APIClient()
    api.force_authenticate(bureau_user)
    api.post(LOANS, {**_loan_form("PI-LOG-3", NAME, town), "org_unit": "429005001"}, format="json")
    api.post(
        LOANS, {**_loan_form("PI-LOG-4", NAME, town, amount="-5"), "org_unit": "429005001"}, format="json"
    )
    api.get(LOANS, {"search": NAME})
    api.get(f"{LOANS}{loan.pk}/")
    township = APIClient()
    township.force_authenticate(township_a_user)
    township.get(f"{LOANS}{loan.pk}/")

    assert GuaranteeLoan.objects.filter(borrower_name=NAME).count() == 2  # the doors were really used
    assert everything_logged.records, "nothing was captured: the loggers are not reaching caplog"
    assert NAME not in everything_logged.text
