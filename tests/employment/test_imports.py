"""Spreadsheet import of the registers: Chinese column headers; a good file lands every row and the
figures follow; any bad row (the issue's bad inputs) is named in Chinese and the file writes nothing."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employment.models import GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from indicators.models import FigureChange, MonthlyValue
from registers.admin import RegisterAdmin
from registers.resources import register_resource

GigStationMonthResource, GuaranteeLoanResource, ReturneeStartupResource, TrainingClassResource = (
    register_resource(m) for m in (GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass)
)

LOAN_HEADERS = [
    "贷款编号",
    "借款人",
    "借款人类型",
    "区划代码",
    "发放日期",
    "贷款金额(万元)",
    "贷款期限(月)",
    "带动就业人数",
]
CLASS_HEADERS = ["培训班名称", "培训类型", "区划代码", "开班日期", "结业日期", "培训人数", "结业人数"]


def xlsx(headers: list[str], rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(resource, headers: list[str], rows: list[list], user):
    dataset = tablib.Dataset().load(xlsx(headers, rows), format="xlsx")
    return resource.import_data(dataset, dry_run=False, user=user)


def messages(result) -> str:
    found = [str(e.error) for e in result.base_errors]
    for row in result.invalid_rows:
        found += [f"第{row.number}行:{m}" for msgs in row.error_dict.values() for m in msgs]
    for number, errors in result.row_errors():
        found += [f"第{number}行:{e.error}" for e in errors]
    return ";".join(found)


def snapshot() -> tuple:
    return (
        sorted(GuaranteeLoan.objects.values_list("loan_number", "amount")),
        sorted(TrainingClass.objects.values_list("name", "trainees")),
        sorted(MonthlyValue.objects.values_list("indicator__code", "org_unit__code", "month", "value")),
        FigureChange.objects.count(),
    )


def loan_row(
    number: str = "QJCD202400001", org="429005001", issued=date(2024, 3, 5), amount=20, **kw
) -> list:
    return [
        number,
        kw.get("name", "张伟"),
        kw.get("kind", "个人"),
        org,
        issued,
        amount,
        kw.get("term", 24),
        2,
    ]


def test_a_loan_file_lands_every_row_and_the_figures_follow(bureau_user, indicators, orgs):
    rows = [
        loan_row("QJCD202400001", 429005001, date(2024, 3, 5), 20),
        loan_row("QJCD202400002", "429005001", "2024年3月28日", "12.3456"),
        loan_row("QJCD202400003", "429005002", "2024/4/1", "1,230", kind="小微企业"),
    ]
    result = run(GuaranteeLoanResource(), LOAN_HEADERS, rows, bureau_user)
    assert not result.has_errors() and not result.has_validation_errors(), messages(result)
    assert GuaranteeLoan.objects.get(loan_number="QJCD202400003").borrower_kind == "small_business"
    amounts = dict(
        MonthlyValue.objects.filter(indicator__code="employment.guarantee_loan_amount").values_list(
            "org_unit__code", "value"
        )
    )
    assert amounts == {"429005001": D("32.3456"), "429005002": 1230}
    assert GuaranteeLoan.objects.get(loan_number="QJCD202400001").updated_by == bureau_user


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (loan_row("QJCD202400002", org="429005999"), "区划代码“429005999”不存在"),
        (loan_row("QJCD202400002", amount=-3), "贷款金额须大于0"),
        (loan_row("QJCD202400001"), "贷款编号“QJCD202400001”与第2行重复"),  # the same number as the first row
        (loan_row("QJCD202400002", issued="2024-13-01"), "不是有效的日期"),
        (loan_row("QJCD202400002", kind="公司"), "借款人类型“公司”无效"),
    ],
)
def test_a_bad_loan_row_is_named_and_the_file_writes_nothing(
    bureau_user, indicators, orgs, make_loan, bad_row, message
):
    make_loan(loan_number="QJCD202300001", issued_on=date(2024, 1, 9))
    before = snapshot()
    result = run(GuaranteeLoanResource(), LOAN_HEADERS, [loan_row("QJCD202400001"), bad_row], bureau_user)
    assert message in messages(result)
    assert snapshot() == before


def test_a_loan_number_already_in_the_register_is_refused(bureau_user, make_loan):
    make_loan(loan_number="QJCD202400001")
    before = snapshot()
    result = run(GuaranteeLoanResource(), LOAN_HEADERS, [loan_row("QJCD202400001")], bureau_user)
    assert "贷款编号已存在" in messages(result)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["缝纫培训班", "缝纫", "429005001", "2024-03-10", "2024-03-01", 40, 40], "不能早于开班日期"),
        (
            ["缝纫培训班", "缝纫", "429005001", "2024-03-01", "2024-03-10", 40, 41],
            "结业人数(41)不能大于培训人数(40)",
        ),
        (
            ["缝纫培训班", "缝纫", "429005888", "2024-03-01", "2024-03-10", 40, 40],
            "区划代码“429005888”不存在",
        ),
    ],
)
def test_a_bad_class_row_is_named_and_the_file_writes_nothing(
    bureau_user, indicators, orgs, bad_row, message
):
    good = ["龙虾加工培训班", "龙虾加工", "429005003", "2024-04-01", "2024-04-15", 50, 48]
    result = run(TrainingClassResource(), CLASS_HEADERS, [good, bad_row], bureau_user)
    assert message in messages(result)
    assert not TrainingClass.objects.exists() and not MonthlyValue.objects.exists()


def test_a_class_file_counts_trainees_in_the_month_each_class_ends(bureau_user, indicators, orgs):
    rows = [
        ["监狱服刑人员培训班", "监狱服刑人员培训", "429005", "2024-05-20", "2024-06-18", 60, 60],
        ["缝纫培训班", "缝纫", "429005001", "2024-06-01", "2024-06-20", 40, 39],
    ]
    result = run(TrainingClassResource(), CLASS_HEADERS, rows, bureau_user)
    assert not result.has_validation_errors(), messages(result)
    values = MonthlyValue.objects.filter(indicator__code="employment.skills_training")
    assert sorted(values.values_list("org_unit__code", "month", "value")) == [
        ("429005", 6, 60),
        ("429005001", 6, 40),
    ]


def test_a_start_up_file_feeds_start_ups_and_jobs(bureau_user, indicators, orgs):
    headers = ["创业人", "创业项目名称", "区划代码", "创业日期", "带动就业人数"]
    rows = [
        ["李强", "李强家庭农场", "429005100", "2024-08-08", 4],
        ["王芳", "王芳电商服务部", "429005100", "2024-08-09", 1],
    ]
    result = run(ReturneeStartupResource(), headers, rows, bureau_user)
    assert not result.has_validation_errors(), messages(result)
    values = dict(MonthlyValue.objects.filter(month=8).values_list("indicator__code", "value"))
    assert values == {"employment.returnee_startups": 2, "employment.returnee_jobs_created": 5}


def test_a_station_month_file_names_an_unknown_station(bureau_user, micro_station):
    headers = [
        "驿站名称",
        "年度",
        "月份",
        "服务人次",
        "零工登记人数",
        "发布岗位数",
        "政策咨询人次",
        "成功对接就业人数",
    ]
    rows = [["园林街道零工驿站", 2024, 3, 80, 6, 12, 10, 2], ["不存在的驿站", 2024, 3, 1, 0, 0, 0, 0]]
    result = run(GigStationMonthResource(), headers, rows, bureau_user)
    assert "驿站名称“不存在的驿站”不存在" in messages(result)
    assert not GigStationMonth.objects.exists()


def test_an_exported_loan_file_imports_back_unchanged(bureau_user, make_loan):
    make_loan(loan_number="QJCD202400001", amount="12.5")
    make_loan(loan_number="QJCD202400002", org="429005002")
    exported = GuaranteeLoanResource().export()
    assert exported.headers[:3] == ["系统编号", "贷款编号", "借款人"]
    before = snapshot()
    result = GuaranteeLoanResource().import_data(exported, dry_run=False, user=bureau_user)
    assert not result.has_errors() and not result.has_validation_errors(), messages(result)
    assert snapshot() == before


def format_index(title: str) -> str:
    return str([f().get_title() for f in RegisterAdmin.formats].index(title))


def test_the_admin_import_refuses_a_bad_file_whole(bureau_client):
    content = xlsx(LOAN_HEADERS, [loan_row("QJCD202400001"), loan_row("QJCD202400002", amount=-1)])
    data = {"import_file": SimpleUploadedFile("贷款台账.xlsx", content), "format": format_index("xlsx")}
    response = bureau_client.post(reverse("admin:employment_guaranteeloan_import"), data)
    assert "贷款金额须大于0" in response.content.decode()
    assert not response.context.get("confirm_form")
    assert not GuaranteeLoan.objects.exists()


def test_the_admin_import_lands_a_good_file_after_confirmation(bureau_client, bureau_user):
    content = xlsx(LOAN_HEADERS, [loan_row("QJCD202400001"), loan_row("QJCD202400002", amount=5)])
    data = {"import_file": SimpleUploadedFile("贷款台账.xlsx", content), "format": format_index("xlsx")}
    preview = bureau_client.post(reverse("admin:employment_guaranteeloan_import"), data)
    assert preview.context.get("confirm_form"), preview.content.decode()[:2000]
    assert not GuaranteeLoan.objects.exists()  # the preview writes nothing
    bureau_client.post(
        reverse("admin:employment_guaranteeloan_process_import"), preview.context["confirm_form"].initial
    )
    assert GuaranteeLoan.objects.count() == 2
    stored = MonthlyValue.objects.get(indicator__code="employment.guarantee_loans", month=3)
    assert stored.value == 2 and stored.updated_by == bureau_user
