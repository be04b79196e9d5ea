"""个人信息保护: the register fields that identify a person are declared on the register and masked in
every list (admin and API) whoever reads it; one record shows them whole only to the bureau staff who
keep the registers, and each such opening is in the security log (without the name itself)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from audit.models import Kind, SecurityEvent
from employment.models import GuaranteeLoan
from registers.personal import Personal, masked
from tests.registers.records import create_record

LOANS = "/api/v1/employment/guarantee-loans/"


@pytest.fixture
def loan(indicators, orgs) -> GuaranteeLoan:
    return create_record(
        GuaranteeLoan,
        loan_number="T2024-PI-1",
        borrower_name="欧阳娜娜",
        borrower_kind=GuaranteeLoan.BorrowerKind.INDIVIDUAL,
        org_unit=orgs["429005001"],
        issued_on=date(2024, 3, 5),
        amount=Decimal("20"),
        term_months=24,
    )


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _viewed() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEWED))


@pytest.mark.parametrize(
    "kind, value, shown",
    [
        (Personal.NAME, "欧阳娜娜", "欧***"),
        (Personal.NAME, "张伟", "张*"),
        (Personal.ID_CARD, "429005199001011234", "429***********1234"),
        (Personal.PHONE, "13812345678", "138****5678"),
        (Personal.NAME, "", ""),
    ],
)
def test_each_kind_of_personal_field_is_masked_as_people_expect(kind, value, shown):
    assert masked(kind, value) == shown


def test_the_registers_declare_the_fields_that_name_a_person():
    declared = {
        (model._meta.label, name)
        for model in apps.get_models()
        if hasattr(model, "register")
        for name in model.register.personal
    }

    assert declared == {
        ("employment.GuaranteeLoan", "borrower_name"),
        ("employment.ReturneeStartup", "founder_name"),
        ("talent.SkillCertificate", "holder_name"),
        ("talent.CompetitionAward", "winner"),
        ("labor_relations.DisputeCase", "applicant"),
        ("labor_relations.InspectionComplaint", "complainant"),
    }


def test_api_lists_show_names_masked_even_to_bureau_staff(loan, bureau_user, township_a_user):
    for user in (bureau_user, township_a_user):
        rows = _api(user).get(LOANS).json()["results"]
        assert [r["borrower_name"] for r in rows] == ["欧***"]
    assert _viewed() == []


def test_one_record_is_whole_for_bureau_staff_and_the_opening_is_logged(loan, bureau_user):
    record = _api(bureau_user).get(f"{LOANS}{loan.pk}/").json()

    assert record["borrower_name"] == "欧阳娜娜"
    (event,) = _viewed()
    assert (event.username, event.object, event.detail) == ("bureau", f"创业担保贷款 #{loan.pk}", "接口")
    assert "欧阳" not in event.object + event.detail  # the log names the record, not the person


@pytest.mark.parametrize("reader", ["township_a_user", "leader_user"])
def test_one_record_stays_masked_for_roles_that_do_not_keep_the_registers(loan, request, reader):
    record = _api(request.getfixturevalue(reader)).get(f"{LOANS}{loan.pk}/").json()

    assert record["borrower_name"] == "欧***"
    assert _viewed() == []


def test_the_admin_list_masks_and_the_record_page_is_whole_and_logged(client, loan, bureau_user):
    client.force_login(bureau_user)

    listed = client.get("/admin/employment/guaranteeloan/").content.decode()
    found = client.get("/admin/employment/guaranteeloan/", {"q": "欧阳娜娜"}).content.decode()
    opened = client.get(f"/admin/employment/guaranteeloan/{loan.pk}/change/").content.decode()

    assert "欧***" in listed and "欧阳娜娜" not in listed.split("<table", 1)[1]
    assert "欧***" in found  # staff still find a person by the whole name
    assert 'value="欧阳娜娜"' in opened
    assert [e.detail for e in _viewed()] == ["管理后台"]
