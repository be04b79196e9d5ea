"""Spreadsheet import of the registers (real .xlsx files made here): Chinese headers, the ugly cells
townships send, and all or nothing — one bad row, and the file writes no record and no figure."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import FigureChange, MonthlyValue
from labor_relations.models import CreditRating, DisputeCase, WageArrearsCase
from registers.admin import RegisterAdmin
from registers.resources import register_resource

from .conftest import CODE_1, CODE_2, stored

CreditRatingResource, DisputeCaseResource, WageArrearsCaseResource = (
    register_resource(m) for m in (CreditRating, DisputeCase, WageArrearsCase)
)

CASE_HEADERS = [
    "案号", "区划代码", "申请人", "被申请人(用人单位)", "受理日期", "办理阶段", "经批准延期",
    "审限届满日", "结案日期", "结案方式", "终局裁决", "涉案金额(元)", "备注",
]  # fmt: skip
WAGE_HEADERS = [
    "案号", "区划代码", "用人单位", "案件来源", "立案日期", "结案日期", "涉及劳动者人数",
    "追发工资待遇(元)", "移送公安", "申请法院强制执行", "备注",
]  # fmt: skip


def xlsx(headers: list[str], rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def case_row(number: str, **changes) -> list:
    row = {
        "案号": number,
        "区划代码": "429005",
        "申请人": "张伟",
        "被申请人(用人单位)": "潜江市荣盛建筑工程有限公司",
        "受理日期": date(2024, 3, 5),
        "办理阶段": "仲裁立案审理",
        "经批准延期": "否",
        "审限届满日": None,
        "结案日期": date(2024, 4, 10),
        "结案方式": "仲裁裁决",
        "终局裁决": "是",
        "涉案金额(元)": "12,000",
        "备注": "",
    }
    row.update(changes)
    return [row[h] for h in CASE_HEADERS]


def run(resource, content: bytes, user):
    dataset = tablib.Dataset().load(content, format="xlsx")
    return resource().import_data(dataset, dry_run=False, user=user)


def snapshot() -> tuple:
    return (
        sorted(DisputeCase.objects.values_list("case_number", "received_on", "closed_on")),
        sorted(MonthlyValue.objects.values_list("indicator__code", "month", "value")),
        FigureChange.objects.count(),
    )


def row_errors(result) -> str:
    found = [str(e.error) for e in result.base_errors]
    for _line, errors in result.row_errors():
        found += [str(e.error) for e in errors]
    for invalid in result.invalid_rows:
        found += [m for ms in invalid.error_dict.values() for m in ms]
    return ";".join(found)


def test_a_good_file_lands_every_case_and_counts_once(bureau_user, indicators, orgs):
    rows = [
        case_row("A-1"),
        case_row("A-2", 办理阶段="仲裁前调解", 结案方式="调解", 终局裁决="", 结案日期="2024/3/12"),
        case_row("A-3", 受理日期="2024年3月20日", 结案日期=None, 结案方式="", 终局裁决="否"),
    ]
    result = run(DisputeCaseResource, xlsx(CASE_HEADERS, rows), bureau_user)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    assert DisputeCase.objects.count() == 3
    assert DisputeCase.objects.get(case_number="A-1").amount == 12000
    assert DisputeCase.objects.get(case_number="A-3").deadline_on == date(2024, 5, 4)
    assert (stored("labor_relations.dispute_cases", 3), stored("labor_relations.cases_closed", 4)) == (3, 1)
    history = FigureChange.objects.filter(indicator__code="labor_relations.dispute_cases")
    assert [(h.new_value, h.changed_by) for h in history] == [(3, bureau_user)]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (case_row("B-2", 结案日期=date(2024, 3, 1)), "不能早于受理日期("),
        (case_row("B-2", 区划代码="429005999"), "区划代码“429005999”不存在,请核对。"),
        (case_row("B-2", **{"涉案金额(元)": "-300"}), "涉案金额不能为负数(填写的是"),
        (case_row("B-2", 结案方式="调解"), "只有以仲裁裁决结案的案件才能标记为终局裁决。"),
        (case_row("B-2", 办理阶段="仲裁前调解", 终局裁决="否"), "只有仲裁立案审理的案件才能以仲裁裁决结案。"),
        (case_row("B-2", 受理日期="2024-02-30"), "不是有效的日期"),
        (case_row("B-2", 结案方式="判决"), "结案方式“判决”无效"),
    ],
)
def test_one_bad_row_and_the_file_writes_nothing(bureau_user, make_case, bad_row, message):
    make_case(case_number="OLD-1", received_on=date(2024, 2, 1))
    before = snapshot()
    result = run(DisputeCaseResource, xlsx(CASE_HEADERS, [case_row("B-1"), bad_row]), bureau_user)
    assert result.has_errors() or result.has_validation_errors()
    assert message in row_errors(result)
    assert snapshot() == before


def test_a_case_number_already_registered_is_refused(bureau_user, make_case):
    make_case(case_number="OLD-1", received_on=date(2024, 2, 1))
    before = snapshot()
    result = run(DisputeCaseResource, xlsx(CASE_HEADERS, [case_row("B-1"), case_row("OLD-1")]), bureau_user)
    assert "该案号已登记,不能重复。" in row_errors(result)
    assert snapshot() == before


def test_a_case_number_repeated_in_the_file_is_refused(bureau_user, indicators, orgs):
    before = snapshot()
    result = run(DisputeCaseResource, xlsx(CASE_HEADERS, [case_row("C-1"), case_row("C-1")]), bureau_user)
    assert "案号“C-1”与第2行重复,一个文件中只能出现一次。" in row_errors(result)
    assert snapshot() == before


def test_an_exported_file_corrects_its_records_when_imported_again(bureau_user, make_case):
    case = make_case(case_number="D-1", received_on=date(2024, 3, 5))
    exported = DisputeCaseResource().export(queryset=DisputeCase.objects.all())
    assert exported.headers[:2] == ["系统编号", "案号"]
    row = dict(zip(exported.headers, exported[0], strict=True))
    row.update({"结案日期": "2024-03-25", "结案方式": "调解"})
    content = xlsx(list(row), [list(row.values())])
    result = run(DisputeCaseResource, content, bureau_user)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    case.refresh_from_db()
    assert (DisputeCase.objects.count(), case.closed_on) == (1, date(2024, 3, 25))
    assert stored("labor_relations.cases_mediated", 3) == 1


def test_wage_cases_with_full_width_digits_and_separators_import(bureau_user, indicators, orgs):
    rows = [
        ["W-1", "429005001", "潜江市鑫源劳务有限公司", "欠薪线索平台", "2024-03-05", "2024-03-20", "１２", "1,234,567.5", "是", "否", ""],
        ["W-2", 429005002, "潜江市恒通建筑工程有限公司", "投诉举报", "2024-03-06", "2024-03-28", 3, 8000, "", "是", ""],
    ]  # fmt: skip
    result = run(WageArrearsCaseResource, xlsx(WAGE_HEADERS, rows), bureau_user)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    w1 = WageArrearsCase.objects.get(case_number="W-1")
    assert (w1.workers, w1.amount_recovered, w1.referred_to_police) == (12, D("1234567.5"), True)
    assert stored("labor_relations.wages_recovered", 3, org="429005001") == D("123.4568")
    assert stored("labor_relations.wages_recovered", 3, org="429005002") == D("0.8")


def test_a_negative_wage_amount_in_a_file_writes_nothing(bureau_user, indicators, orgs):
    rows = [
        ["W-1", "429005001", "潜江市鑫源劳务有限公司", "投诉举报", "2024-03-05", "2024-03-20", 2, 500, "否", "否", ""],
        ["W-2", "429005001", "潜江市鑫源劳务有限公司", "投诉举报", "2024-03-05", "2024-03-20", 2, -5, "否", "否", ""],
    ]  # fmt: skip
    result = run(WageArrearsCaseResource, xlsx(WAGE_HEADERS, rows), bureau_user)
    assert "追发工资待遇金额不能为负数(填写的是" in row_errors(result)
    assert not WageArrearsCase.objects.exists()
    assert not MonthlyValue.objects.exists()


def test_credit_ratings_import_and_a_bad_code_refuses_the_file(bureau_user, orgs):
    headers = ["用人单位", "统一社会信用代码", "区划代码", "评价年度", "评价等级", "档案生成日期", "备注"]
    good = [["潜江市华信商贸有限公司", CODE_1, "429005001", 2024, "A级(守法诚信)", "2024-06-03", ""]]
    bad = [*good, ["潜江市广源物流有限公司", CODE_2[:-1] + "0", "429005002", 2024, "B", "2024-06-04", ""]]
    result = run(CreditRatingResource, xlsx(headers, bad), bureau_user)
    assert "统一社会信用代码校验位不正确" in row_errors(result)
    assert not CreditRating.objects.exists()
    assert not run(CreditRatingResource, xlsx(headers, good), bureau_user).has_validation_errors()
    assert CreditRating.objects.get().grade == "A"


def test_the_admin_import_view_refuses_a_bad_file_in_chinese(client, bureau_user, indicators, orgs):
    client.force_login(bureau_user)
    content = xlsx(CASE_HEADERS, [case_row("E-1"), case_row("E-2", 结案日期=date(2024, 3, 1))])
    fmt = str([f().get_title() for f in RegisterAdmin.formats].index("xlsx"))
    response = client.post(
        reverse("admin:labor_relations_disputecase_import"),
        {"import_file": SimpleUploadedFile("仲裁案件.xlsx", content), "format": fmt},
    )
    assert response.status_code == 200
    assert "不能早于受理日期(" in response.content.decode()
    assert not response.context.get("confirm_form")
    assert not DisputeCase.objects.exists()


def test_the_admin_import_view_lands_a_good_file_after_confirmation(client, bureau_user, indicators, orgs):
    client.force_login(bureau_user)
    content = xlsx(CASE_HEADERS, [case_row("F-1"), case_row("F-2")])
    fmt = str([f().get_title() for f in RegisterAdmin.formats].index("xlsx"))
    preview = client.post(
        reverse("admin:labor_relations_disputecase_import"),
        {"import_file": SimpleUploadedFile("仲裁案件.xlsx", content), "format": fmt},
    )
    assert preview.context.get("confirm_form"), preview.content.decode()
    assert not DisputeCase.objects.exists()  # the preview is a dry run
    client.post(
        reverse("admin:labor_relations_disputecase_process_import"), preview.context["confirm_form"].initial
    )
    assert DisputeCase.objects.count() == 2
    assert DisputeCase.objects.filter(updated_by=bureau_user).count() == 2
    assert stored("labor_relations.dispute_cases", 3) == 2
