"""The certificate register feeds the three provincial-quota indicators, counted by issue date at
the holder's township; bad certificates are refused in Chinese at every door and change nothing."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.permissions import RecordScope
from common.errors import PortalError
from completion.models import Completion
from completion.services import completion_recompute
from indicators.models import Channel, MonthlyValue
from indicators.services import monthly_value_set
from registers.admin import RegisterAdmin
from registers.resources import register_resource
from talent.models import SkillCertificate
from talent.selectors import certificate_year_summary
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B
from tests.registers.records import delete_record, update_record
from tests.talent.conftest import xlsx_bytes, xlsx_dataset

SkillCertificateResource = register_resource(SkillCertificate)

WHOLE_CITY = RecordScope.whole_city()

CERTS, SENIOR, TECH = "talent.skill_certificates", "talent.senior_workers", "talent.technicians"
URL = "/api/v1/talent/certificates/"
HEADERS = ["证书编号", "持证人姓名", "区划代码", "发证日期", "职业(工种)", "等级", "评价机构", "备注"]


@pytest.fixture(autouse=True)
def _catalogue(indicators, orgs):
    return indicators


def value(code: str, org: str, month: int, year: int = 2024):
    row = MonthlyValue.objects.filter(
        indicator__code=code, org_unit__code=org, year=year, month=month
    ).first()
    return row.value if row else None


def test_certificates_are_counted_by_level_in_the_month_issued(township_a, township_b, certify):
    certify(township_a, date(2024, 3, 1), "senior")
    certify(township_a, date(2024, 3, 31), "technician")
    certify(township_a, date(2024, 3, 15), "junior")
    certify(township_b, date(2024, 3, 15), "senior")
    certify(township_a, date(2024, 4, 1), "intermediate")

    assert (value(CERTS, TOWNSHIP_A, 3), value(SENIOR, TOWNSHIP_A, 3), value(TECH, TOWNSHIP_A, 3)) == (
        3,
        1,
        1,
    )
    assert (value(CERTS, TOWNSHIP_B, 3), value(SENIOR, TOWNSHIP_B, 3), value(TECH, TOWNSHIP_B, 3)) == (
        1,
        1,
        0,
    )
    assert (value(CERTS, TOWNSHIP_A, 4), value(SENIOR, TOWNSHIP_A, 4)) == (1, 0)
    assert value(CERTS, TOWNSHIP_A, 5) is None  # no certificate: not reported, not zero
    assert certificate_year_summary(year=2024, scope=WHOLE_CITY) | {"new_bodies": 0} == {
        "total": 5,
        "junior": 1,
        "intermediate": 1,
        "senior": 2,
        "technician": 1,
        "senior_technician": 0,
        "new_bodies": 0,
    }


def test_moving_a_certificate_to_another_month_recounts_both(township_a, certify):
    record = certify(township_a, date(2024, 3, 10), "senior")
    certify(township_a, date(2024, 3, 11), "junior")

    record.issued_on = date(2024, 5, 2)
    update_record(record)

    assert (value(CERTS, TOWNSHIP_A, 3), value(SENIOR, TOWNSHIP_A, 3)) == (1, 0)
    assert (value(CERTS, TOWNSHIP_A, 5), value(SENIOR, TOWNSHIP_A, 5)) == (1, 1)


def test_deleting_the_last_certificate_of_a_month_removes_its_values(township_a, certify):
    delete_record(certify(township_a, date(2024, 3, 10), "senior"))

    assert value(CERTS, TOWNSHIP_A, 3) is None and value(SENIOR, TOWNSHIP_A, 3) is None


def test_completion_follows_the_certificates(city, township_a, certify, set_quota):
    set_quota(CERTS, "429005", 2024, 4)
    set_quota(TECH, "429005", 2024, 1)
    for day in (1, 2, 3):
        certify(township_a, date(2024, 2, day))
    tech = certify(township_a, date(2024, 2, 9), "technician")
    completion_recompute(year=2024)
    row = Completion.objects.get(indicator__code=CERTS, org_unit=city, year=2024, month=12)
    assert (row.actual, row.completion_rate) == (4, 100)

    delete_record(tech)
    completion_recompute(year=2024)

    assert Completion.objects.get(indicator__code=CERTS, org_unit=city, year=2024, month=12).actual == 3
    assert (
        Completion.objects.get(indicator__code=TECH, org_unit=city, year=2024, month=12).completion_rate == 0
    )


def test_typing_certificates_by_hand_is_refused_with_the_register_named(indicators, township_a, bureau_user):
    with pytest.raises(PortalError, match="由“职业技能等级证书发放登记”自动汇总"):
        monthly_value_set(
            indicator=indicators[SENIOR],
            org_unit=township_a,
            year=2024,
            month=3,
            value=D(5),
            user=bureau_user,
            channel=Channel.ADMIN,
        )


def test_a_certificate_before_its_body_was_recognised_is_refused(township_a, certify):
    with pytest.raises(Exception, match="早于评价机构"):
        certify(township_a, date(2020, 8, 1)).full_clean()


# --- admin ---


def admin_form(org_pk, body_pk, **extra) -> dict:
    return {
        "number": "S2024000001",
        "holder_name": "李四",
        "org_unit": org_pk,
        "issued_on": "2024-06-01",
        "occupation": "焊工",
        "level": "senior",
        "body": body_pk,
        **extra,
    }


def test_the_admin_adds_a_certificate_and_feeds_it(bureau_client, township_a, body):
    response = bureau_client.post(
        reverse("admin:talent_skillcertificate_add"), admin_form(township_a.pk, body.pk)
    )

    assert response.status_code == 302
    assert value(SENIOR, TOWNSHIP_A, 6) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"number": "DUP"}, "证书编号已经登记过"),
        ({"org_unit": 999999}, "选择一个有效的选项"),
        ({"issued_on": "2099-01-01"}, "晚于今天"),
        ({"level": "master"}, "选择一个有效的选项"),
    ],
)
def test_the_admin_refuses_bad_certificates_in_chinese(
    bureau_client, township_a, body, certify, extra, message
):
    certify(township_a, date(2024, 1, 5), number="DUP")

    response = bureau_client.post(
        reverse("admin:talent_skillcertificate_add"), admin_form(township_a.pk, body.pk, **extra)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert SkillCertificate.objects.count() == 1
    assert value(CERTS, TOWNSHIP_A, 6) is None


def test_the_certificate_change_list_names_the_indicators_it_feeds(bureau_client, township_a, certify):
    certify(township_a, date(2024, 1, 5))

    response = bureau_client.get(reverse("admin:talent_skillcertificate_changelist"))

    assert response.status_code == 200
    assert "其中:高级工" in response.content.decode()


# --- API ---


def api_body(**extra) -> dict:
    return {
        "number": "S2024000009",
        "holder_name": "王五",
        "org_unit": TOWNSHIP_A,
        "issued_on": "2024-07-01",
        "occupation": "育婴员",
        "level": "technician",
        **extra,
    }


def test_the_api_registers_a_certificate(client, bureau_user, body):
    client.force_login(bureau_user)

    response = client.post(URL, api_body(body=body.pk), content_type="application/json")

    assert response.status_code == 201, response.json()
    assert value(TECH, TOWNSHIP_A, 7) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"org_unit": "429005777"}, "区划代码“429005777”不存在"),
        ({"number": "DUP"}, "证书编号已经登记过"),
        ({"issued_on": "2099-01-01"}, "晚于今天"),
    ],
)
def test_the_api_refuses_bad_certificates_in_chinese(
    client, bureau_user, township_a, body, certify, extra, message
):
    certify(township_a, date(2024, 1, 5), number="DUP")
    client.force_login(bureau_user)

    response = client.post(URL, api_body(body=body.pk, **extra), content_type="application/json")

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert SkillCertificate.objects.count() == 1


def test_a_township_user_sees_only_its_own_certificates_and_cannot_write(
    client, township_a_user, township_a, township_b, body, certify
):
    certify(township_a, date(2024, 1, 5))
    certify(township_b, date(2024, 1, 5))
    client.force_login(township_a_user)

    listed = client.get(URL).json()["results"]
    posted = client.post(URL, api_body(body=body.pk), content_type="application/json")

    assert [r["org_unit"] for r in listed] == [TOWNSHIP_A]
    assert posted.status_code == 403
    assert SkillCertificate.objects.count() == 2


def test_a_leader_cannot_register_a_certificate(client, leader_user, body):
    client.force_login(leader_user)

    response = client.post(URL, api_body(body=body.pk), content_type="application/json")

    assert response.status_code == 403
    assert not SkillCertificate.objects.exists()


def test_the_api_summarises_a_years_certificates(client, leader_user, township_a, certify):
    certify(township_a, date(2024, 1, 5), "senior")
    client.force_login(leader_user)

    body = client.get(URL + "summary/", {"year": 2024}).json()

    assert (body["year"], body["total"], body["senior"]) == (2024, 1, 1)


# --- import ---


def good_row(number: str = "S2024100001", org: str = TOWNSHIP_A) -> list:
    return [number, "赵六", org, "2024-08-08", "茶艺师", "高级工", "潜江市技工学校", ""]


def test_an_import_registers_certificates_and_feeds_them(bureau_user, body):
    dataset = xlsx_dataset(HEADERS, [good_row("A1"), good_row("A2", TOWNSHIP_B)])

    result = SkillCertificateResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert value(SENIOR, TOWNSHIP_A, 8) == 1 and value(SENIOR, TOWNSHIP_B, 8) == 1
    assert set(SkillCertificate.objects.values_list("updated_by__username", flat=True)) == {"bureau"}


@pytest.mark.parametrize("id_column", ["系统编号", "记录ID"])  # 记录ID: the files exported before
def test_an_exported_file_corrects_its_records_when_imported_again(bureau_user, body, id_column):
    SkillCertificateResource().import_data(
        xlsx_dataset(HEADERS, [good_row("A1")]), dry_run=False, user=bureau_user
    )
    exported = SkillCertificateResource().export()
    assert exported.headers[0] == "系统编号"
    exported.headers = [id_column, *exported.headers[1:]]
    row = dict(zip(exported.headers, exported[0], strict=True))
    row["持证人姓名"] = "赵六一"
    dataset = xlsx_dataset(list(row), [list(row.values())])

    result = SkillCertificateResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert list(SkillCertificate.objects.values_list("number", "holder_name")) == [("A1", "赵六一")]
    assert value(SENIOR, TOWNSHIP_A, 8) == 1


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (good_row("A2", "429005888"), "区划代码“429005888”不存在"),
        (good_row("A1"), "证书编号“A1”与第2行重复"),  # the same number as the first row
        (good_row("DUP"), "证书编号已经登记过"),
        ([*good_row("A2")[:5], "大师", "潜江市技工学校", ""], "等级“大师”无效"),
        ([*good_row("A2")[:6], "无此机构", ""], "评价机构“无此机构”不存在"),
    ],
)
def test_an_import_with_one_bad_row_writes_nothing(bureau_user, township_a, certify, bad_row, message):
    certify(township_a, date(2024, 1, 5), number="DUP")
    before = sorted(MonthlyValue.objects.values_list("indicator__code", "org_unit__code", "month", "value"))
    dataset = xlsx_dataset(HEADERS, [good_row("A1"), bad_row])

    result = SkillCertificateResource().import_data(dataset, dry_run=False, user=bureau_user)

    messages = [str(e.error) for _, errors in result.row_errors() for e in errors]
    messages += [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert any(message in m for m in messages), messages
    assert list(SkillCertificate.objects.values_list("number", flat=True)) == ["DUP"]
    assert (
        sorted(MonthlyValue.objects.values_list("indicator__code", "org_unit__code", "month", "value"))
        == before
    )


def test_the_admin_import_shows_the_bad_row_and_offers_nothing_to_confirm(bureau_client, body):
    content = xlsx_bytes(HEADERS, [good_row("A1"), good_row("A2", "429005888")])
    formats = [f().get_title() for f in RegisterAdmin.formats]

    response = bureau_client.post(
        reverse("admin:talent_skillcertificate_import"),
        {"import_file": SimpleUploadedFile("证书.xlsx", content), "format": formats.index("xlsx")},
    )

    assert response.status_code == 200
    assert "区划代码“429005888”不存在" in response.content.decode()
    assert not response.context.get("confirm_form")
    assert not SkillCertificate.objects.exists()
