"""The insured-count and card registers feed their indicators; bad input is refused in Chinese at
every door (admin, API, import) and changes nothing."""

from decimal import Decimal as D
from io import BytesIO

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from common.errors import PortalError
from completion.models import Completion
from completion.services import completion_recompute
from indicators.models import Channel, MonthlyValue
from indicators.services import monthly_value_set
from registers.admin import RegisterAdmin
from registers.resources import register_resource
from social_insurance.models import CardIssuance, InsuredCount, UnemploymentInsuranceRate
from social_insurance.resources import UnemploymentRateResource
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B, admin_refused
from tests.registers.records import create_record, delete_record, update_record

CardIssuanceResource, InsuredCountResource = register_resource(CardIssuance), register_resource(InsuredCount)

PENSION, ECARDS, COVERAGE = (
    "social_insurance.pension_insured",
    "social_insurance.ecard_issued",
    "social_insurance.ecard_coverage",
)
CITY = "429005"
INSURED_URL = "/api/v1/social-insurance/insured-counts/"


@pytest.fixture(autouse=True)
def _catalogue(indicators, orgs):
    return indicators


def value(code: str, org: str, year: int, month: int):
    row = MonthlyValue.objects.filter(
        indicator__code=code, org_unit__code=org, year=year, month=month
    ).first()
    return row.value if row else None


def insured(org, month: int, count: int, kind: str = "pension", year: int = 2024) -> InsuredCount:
    return create_record(
        InsuredCount, org_unit=org, year=year, month=month, insurance_type=kind, insured=count
    )


def cards(org, year: int, month: int, ecards: int, physical: int = 0) -> CardIssuance:
    return create_record(
        CardIssuance, org_unit=org, year=year, month=month, ecards_signed=ecards, physical_cards=physical
    )


# --- feeds ---


def test_an_insured_count_becomes_that_months_stock_value(city, township_a):
    insured(city, 3, 540000)
    insured(township_a, 3, 2000)
    insured(city, 3, 50000, kind="injury")

    assert value(PENSION, CITY, 2024, 3) == 540000
    assert value(PENSION, TOWNSHIP_A, 2024, 3) == 2000
    assert value("social_insurance.injury_insured", CITY, 2024, 3) == 50000
    assert value("social_insurance.unemployment_insured", CITY, 2024, 3) is None  # not reported


def test_moving_an_insured_count_to_another_month_moves_its_value(city):
    record = insured(city, 3, 540000)

    record.month = 4
    update_record(record)

    assert value(PENSION, CITY, 2024, 3) is None
    assert value(PENSION, CITY, 2024, 4) == 540000


def test_deleting_an_insured_count_removes_its_value(city):
    delete_record(insured(city, 3, 540000))

    assert value(PENSION, CITY, 2024, 3) is None


def test_the_city_level_is_its_own_count_plus_the_townships_after_recompute(city, township_a):
    insured(city, 12, 540000)
    insured(township_a, 12, 11600)

    completion_recompute(year=2024)

    row = Completion.objects.get(indicator__code=PENSION, org_unit=city, year=2024, month=12)
    assert row.actual == 551600


def test_e_cards_are_a_running_total_from_the_opening_balance(city):
    cards(city, 2023, 12, 541500, physical=242800)
    cards(city, 2024, 1, 5000, physical=6000)
    cards(city, 2024, 3, 7000, physical=5000)

    assert value(ECARDS, CITY, 2023, 12) == 541500
    assert value(ECARDS, CITY, 2024, 1) == 546500
    assert value(ECARDS, CITY, 2024, 2) == 546500  # no cards signed in February: the level holds
    assert value(ECARDS, CITY, 2024, 3) == 553500
    # After the latest record nothing is reported yet; the completion engine carries the level forward.
    assert value(ECARDS, CITY, 2024, 4) is None


def test_correcting_an_early_month_moves_every_later_level(city):
    cards(city, 2024, 1, 5000)
    march = cards(city, 2024, 3, 7000)
    january = CardIssuance.objects.get(month=1)

    january.ecards_signed = 6000
    update_record(january)

    assert value(ECARDS, CITY, 2024, 3) == 13000
    delete_record(march)
    assert value(ECARDS, CITY, 2024, 3) == 6000


def test_e_card_coverage_follows_the_card_register(city, put, set_quota):
    put("social_insurance.resident_population", CITY, 2024, 12, 856000)
    set_quota(COVERAGE, CITY, 2024, 66)
    cards(city, 2023, 12, 541500)
    record = cards(city, 2024, 6, 62700)
    completion_recompute(year=2024)
    row = Completion.objects.get(indicator__code=COVERAGE, org_unit=city, year=2024, month=12)
    assert round(row.actual, 2) == D("70.58") and row.status == "ahead"

    delete_record(record)
    completion_recompute(year=2024)

    row = Completion.objects.get(indicator__code=COVERAGE, org_unit=city, year=2024, month=12)
    assert round(row.actual, 2) == D("63.26") and row.status != "ahead"


def test_typing_a_register_fed_insured_count_by_hand_is_refused(indicators, city, bureau_user):
    with pytest.raises(PortalError, match="由“参保人数月报”自动汇总"):
        monthly_value_set(
            indicator=indicators[PENSION],
            org_unit=city,
            year=2024,
            month=3,
            value=D(1),
            user=bureau_user,
            channel=Channel.ADMIN,
        )


# --- the admin ---


@pytest.fixture
def bureau_client(client, bureau_user):
    client.force_login(bureau_user)
    return client


def admin_add(client, model, data: dict):
    return client.post(reverse(f"admin:social_insurance_{model._meta.model_name}_add"), data)


def test_the_admin_adds_an_insured_count_and_feeds_it(bureau_client, city):
    response = admin_add(
        bureau_client,
        InsuredCount,
        {"org_unit": city.pk, "year": 2024, "month": 2, "insurance_type": "pension", "insured": 543000},
    )

    assert response.status_code == 302
    assert value(PENSION, CITY, 2024, 2) == 543000
    assert InsuredCount.objects.get().updated_by.username == "bureau"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"insured": -1}, "确保该值大于或等于0"),
        ({"org_unit": 987654}, "选择一个有效的选项"),
        ({"month": 13}, "月份“13”无效"),
        ({"year": 2099, "month": 1}, "尚未到来"),
    ],
)
def test_the_admin_refuses_bad_insured_counts_in_chinese(bureau_client, city, data, message):
    form = {"org_unit": city.pk, "year": 2024, "month": 2, "insurance_type": "pension", "insured": 1, **data}

    response = admin_add(bureau_client, InsuredCount, form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InsuredCount.objects.exists() and not MonthlyValue.objects.exists()


def test_the_admin_refuses_a_second_record_for_the_same_month_and_type(bureau_client, city):
    insured(city, 2, 1000)

    response = admin_add(
        bureau_client,
        InsuredCount,
        {"org_unit": city.pk, "year": 2024, "month": 2, "insurance_type": "pension", "insured": 2000},
    )

    assert "该单位该月该险种的参保人数已经登记过" in response.content.decode()
    assert InsuredCount.objects.get().insured == 1000


def test_a_leader_cannot_open_the_register_admin(client, leader_user):
    leader_user.is_staff = True
    update_record(leader_user)
    client.force_login(leader_user)

    response = client.get(reverse("admin:social_insurance_insuredcount_changelist"))

    assert admin_refused(response)


# --- the API ---


def test_the_api_writes_an_insured_count_by_division_code(client, bureau_user, city):
    client.force_login(bureau_user)

    response = client.post(
        INSURED_URL,
        {"org_unit": CITY, "year": 2024, "month": 4, "insurance_type": "pension", "insured": 545000},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    assert value(PENSION, CITY, 2024, 4) == 545000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"org_unit": "429005999"}, "区划代码“429005999”不存在"),
        ({"insured": -3}, "0"),
        ({"month": 2}, "已经登记过"),
    ],
)
def test_the_api_refuses_bad_insured_counts_in_chinese(client, bureau_user, city, data, message):
    insured(city, 2, 1000)
    client.force_login(bureau_user)
    body = {"org_unit": CITY, "year": 2024, "month": 5, "insurance_type": "pension", "insured": 1, **data}

    response = client.post(INSURED_URL, body, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]["message"]
    assert message in error and any("\u4e00" <= ch <= "\u9fff" for ch in error)
    assert InsuredCount.objects.count() == 1


def test_a_township_user_sees_only_its_own_townships_counts_and_cannot_write(
    client, township_a_user, township_a, township_b, city
):
    insured(township_a, 1, 100)
    insured(township_b, 1, 200)
    insured(city, 1, 300)
    client.force_login(township_a_user)

    listed = client.get(INSURED_URL).json()["results"]
    posted = client.post(
        INSURED_URL,
        {"org_unit": TOWNSHIP_A, "year": 2024, "month": 2, "insurance_type": "pension", "insured": 1},
        content_type="application/json",
    )

    assert [r["org_unit"] for r in listed] == [TOWNSHIP_A]
    assert posted.status_code == 403
    assert InsuredCount.objects.count() == 3


def test_a_leader_reads_every_count_but_cannot_write(client, leader_user, township_a, township_b):
    insured(township_a, 1, 100)
    insured(township_b, 1, 200)
    client.force_login(leader_user)

    assert len(client.get(INSURED_URL).json()["results"]) == 2
    response = client.post(
        INSURED_URL,
        {"org_unit": TOWNSHIP_B, "year": 2024, "month": 2, "insurance_type": "pension", "insured": 1},
        content_type="application/json",
    )
    assert response.status_code == 403


# --- spreadsheet import ---


def xlsx_dataset(headers: list[str], rows: list[list]) -> tablib.Dataset:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return tablib.Dataset().load(buffer.getvalue(), format="xlsx")


CARD_HEADERS = ["区划代码", "年度", "月份", "三代社保卡发放张数", "电子社保卡签发张数", "备注"]


def test_a_card_import_lands_every_row_and_feeds_the_running_total(bureau_user):
    dataset = xlsx_dataset(
        CARD_HEADERS, [[CITY, 2023, 12, 242800, 541500, "期初"], [CITY, 2024, 1, 6000, 5225, ""]]
    )

    result = CardIssuanceResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert value(ECARDS, CITY, 2024, 1) == 546725
    assert CardIssuance.objects.filter(updated_by=bureau_user).count() == 2


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ([TOWNSHIP_B[:-1] + "9", 2024, 2, 10, 10, ""], "区划代码“429005009”不存在"),
        ([TOWNSHIP_B, 2024, 2, -10, 10, ""], "三代社保卡发放(张)不能为负数(填写的是-10)。"),
        ([CITY, 2024, 13, 1, 1, ""], "月份“13”无效"),
    ],
)
def test_a_card_import_with_one_bad_row_writes_nothing(bureau_user, bad_row, message):
    dataset = xlsx_dataset(CARD_HEADERS, [[CITY, 2024, 1, 6000, 5225, ""], bad_row])

    result = CardIssuanceResource().import_data(dataset, dry_run=False, user=bureau_user)

    errors = [str(e.error) for row in result.rows for e in row.errors] + [
        str(m) for row in result.invalid_rows for ms in row.error_dict.values() for m in ms
    ]
    assert message in " ".join(errors) or any(message in str(e.error) for e in result.base_errors)
    assert not CardIssuance.objects.exists() and not MonthlyValue.objects.exists()


def test_an_insured_count_import_reads_chinese_type_names(bureau_user):
    dataset = xlsx_dataset(
        ["区划代码", "年度", "月份", "险种", "参保人数", "备注"],
        [[CITY, 2024, 6, "养老保险", 547000, ""], [CITY, 2024, 6, "工伤", 56000, ""]],
    )

    result = InsuredCountResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert value(PENSION, CITY, 2024, 6) == 547000
    assert value("social_insurance.injury_insured", CITY, 2024, 6) == 56000


def test_the_card_import_is_refused_in_the_admin_for_a_bad_row_too(bureau_client, city):
    book = Workbook()
    book.active.append(CARD_HEADERS)
    book.active.append([CITY, 2024, 1, 6000, 5225, ""])
    book.active.append(["429005999", 2024, 2, 1, 1, ""])
    buffer = BytesIO()
    book.save(buffer)
    formats = [f().get_title() for f in RegisterAdmin.formats]

    response = bureau_client.post(
        reverse("admin:social_insurance_cardissuance_import"),
        {
            "import_file": SimpleUploadedFile("社保卡.xlsx", buffer.getvalue()),
            "format": formats.index("xlsx"),
        },
    )

    assert response.status_code == 200
    assert "区划代码“429005999”不存在" in response.content.decode()
    assert not response.context.get("confirm_form")  # nothing to confirm
    assert not CardIssuance.objects.exists()


def test_a_card_import_naming_the_same_month_twice_writes_nothing(bureau_user):
    dataset = xlsx_dataset(CARD_HEADERS, [[CITY, 2024, 1, 6000, 5225, ""], [CITY, 2024, 1, 1, 1, ""]])

    result = CardIssuanceResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert invalid.error_dict["org_unit"] == [
        "区划代码、年度、月份“429005、2024、1”与第2行重复,一个文件中只能出现一次。"
    ]
    assert not CardIssuance.objects.exists() and not MonthlyValue.objects.exists()


def test_the_register_change_list_names_the_indicators_it_feeds(bureau_client, city):
    insured(city, 1, 540000)

    response = bureau_client.get(reverse("admin:social_insurance_insuredcount_changelist"))

    assert response.status_code == 200
    assert "养老保险参保人数" in response.content.decode()


def test_the_rate_change_list_opens_with_how_the_import_reads_a_sheet(bureau_client):
    response = bureau_client.get(reverse("admin:social_insurance_unemploymentinsurancerate_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "日期可写成2024-03-05、2024/3/5、2024年3月5日、2024.3.5" in page
    assert "是否列填是/否(也可填有/无、Y/N、1/0、TRUE/FALSE)" in page
    assert "阶段性降低失业保险费率政策" in response.content.decode()


def test_the_admin_refuses_a_rate_ending_before_it_starts(bureau_client):
    response = bureau_client.post(
        reverse("admin:social_insurance_unemploymentinsurancerate_add"),
        {
            "valid_from": "2027-02-01",
            "valid_to": "2027-01-01",
            "employer_rate": "0.5",
            "individual_rate": "0.5",
            "policy_document": "倒序",
        },
    )

    assert "不能早于执行起始日期(" in response.content.decode()
    assert UnemploymentInsuranceRate.objects.count() == 2


def test_a_rate_import_with_an_overlapping_row_writes_nothing(bureau_user):
    headers = ["执行起始日期", "执行截止日期", "单位费率(%)", "个人费率(%)", "政策文件", "备注"]
    dataset = xlsx_dataset(
        headers,
        [
            ["2026-01-01", "2026-12-31", "0.7", "0.3", "新政策", ""],
            ["2026-06-01", "", "0.5", "0.5", "重叠的政策", ""],
        ],
    )

    result = UnemploymentRateResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert result.has_validation_errors()
    assert UnemploymentInsuranceRate.objects.count() == 2


def test_land_estimates_count_projects_people_and_compensation_in_their_month(indicators, orgs):
    """被征地农民养老保险资金测算: each estimate a project, its people and its 万元, in the estimating
    month and unit; a change of date moves all three."""
    from datetime import date

    from social_insurance.models import LandRequisitionEstimate

    def estimate(project: str, day: date, people: int, amount: str):
        return create_record(
            LandRequisitionEstimate,
            org_unit=orgs[TOWNSHIP_A],
            project=project,
            estimated_on=day,
            people=people,
            amount=D(amount),
        )

    estimate("园林街道城南片区改造项目", date(2024, 5, 8), 120, "702.35")
    later = estimate("园林街道工业园扩区项目", date(2024, 5, 20), 95, "498.10")

    def month(code, m):
        row = MonthlyValue.objects.filter(
            indicator__code=f"social_insurance.{code}", org_unit__code=TOWNSHIP_A, year=2024, month=m
        ).first()
        return row and row.value

    assert (month("land_projects", 5), month("land_people", 5), month("land_compensation", 5)) == (
        2,
        215,
        D("1200.45"),
    )
    update_record(later, estimated_on=date(2024, 6, 2))
    assert (month("land_projects", 5), month("land_compensation", 5)) == (1, D("702.35"))
    assert (month("land_projects", 6), month("land_people", 6)) == (1, 95)
