"""The monthly report template a township downloads, fills in Excel or WPS and uploads. The upload parser
relies on its layout, so these tests pin the contract: cells, sheets, metadata, protection, validation."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.errors import PortalError
from indicators.models import Channel, Indicator
from indicators.services import ValueEntry, monthly_values_apply
from orgs.models import OrgUnit
from orgs.reference import TOWNSHIPS
from reporting.templates_xlsx import (
    FIRST_DATA_ROW,
    HEADERS,
    SIGN_OFF_LABELS,
    TEMPLATE_VERSION,
    TITLE,
    city_template_workbook,
    template_workbook,
)
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

# These tests are about typed figures: the catalogue as declared, no register feeding it.
pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS, TRAINING = "employment.urban_new_jobs", "employment.skills_training"
CERTIFICATES, SENIOR = "talent.skill_certificates", "talent.senior_workers"
# What the catalogue asks townships for, in its order: no ratio, no city-only indicator.
TOWNSHIP_CODES = [
    "employment.urban_new_jobs",
    "employment.unemployed_reemployed",
    "employment.hardship_reemployed",
    "employment.graduates_employed",
    "employment.returnee_startups",
    "employment.returnee_jobs_created",
    "employment.skills_training",
    "employment.returned_workers",
    "social_insurance.flexible_new_insured",
    "talent.skill_certificates",
    "talent.senior_workers",
    "talent.technicians",
]


def load(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(content))


def template(orgs, year: int = 2024, month: int = 12, code: str = TOWNSHIP_A) -> openpyxl.Workbook:
    return load(template_workbook(township=orgs[code], year=year, month=month))


def rows_by_code(sheet) -> dict[str, int]:
    codes = {}
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        code = sheet[f"A{row}"].value
        if code is None:
            break
        codes[code] = row
    return codes


def write(indicator: Indicator, org: OrgUnit, year: int, month: int, value: str, remark: str = "") -> None:
    entry = ValueEntry(
        indicator=indicator, org_unit=org, year=year, month=month, value=Decimal(value), remark=remark
    )
    monthly_values_apply(entries=[entry], user=None, channel=Channel.COMMAND)


@pytest.fixture
def money(indicators) -> Indicator:
    """A township-reported amount in 万元 (the catalogue has none yet; the template must handle it)."""
    return Indicator.objects.create(
        code="employment.township_subsidy",
        name="稳岗返还金额",
        area="employment",
        unit="万元",
        kind=Indicator.Kind.FLOW,
        value_places=4,
        sort_order=10_000,
        year=2024,
    )


def test_title_and_period_cells_name_the_township_and_month(orgs, indicators):
    sheet = template(orgs)["月报"]
    assert sheet["A1"].value == TITLE
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet[c].value for c in ("A2", "B2", "C2", "D2", "E2", "F2")] == [
        "区镇街道:",
        "园林街道",
        "区划代码:",
        TOWNSHIP_A,
        "报表期:",
        "2024年12月",
    ]
    assert sheet["D2"].data_type == "s"


def test_meta_sheet_is_hidden_and_names_township_period_and_version(orgs, indicators):
    book = template(orgs, month=3)
    meta = book["_meta"]
    assert meta.sheet_state == "hidden"
    assert {meta[f"A{r}"].value: meta[f"B{r}"].value for r in range(1, 5)} == {
        "township_code": TOWNSHIP_A,
        "year": 2024,
        "month": 3,
        "template_version": TEMPLATE_VERSION,
    }
    assert TEMPLATE_VERSION == 2


def test_header_row_has_the_contract_texts_in_order(orgs, indicators):
    sheet = template(orgs)["月报"]
    assert [c.value for c in sheet[4]] == [
        "指标代码",
        "指标名称",
        "单位",
        "本月数值",
        "备注",
        "上月数值",
        "去年同月",
        "核实说明",
    ]
    assert list(HEADERS) == [c.value for c in sheet[4]]
    assert sheet.freeze_panes == "A5"


def test_one_row_per_township_reported_indicator_in_catalogue_order(orgs, indicators):
    sheet = template(orgs)["月报"]
    assert list(rows_by_code(sheet)) == TOWNSHIP_CODES
    row = rows_by_code(sheet)[SENIOR]
    assert [sheet[f"{c}{row}"].value for c in "BC"] == ["其中:高级工", "人"]
    assert sheet[f"B{row}"].alignment.indent > 0
    assert sheet[f"B{row - 1}"].alignment.indent == 0


def test_inactive_indicator_is_left_out(orgs, indicators):
    Indicator.objects.filter(code=TRAINING).update(is_active=False)
    assert TRAINING not in rows_by_code(template(orgs)["月报"])


def test_sign_off_cells_follow_the_rows_with_input_cells_beside_them(orgs, indicators):
    sheet = template(orgs)["月报"]
    first = FIRST_DATA_ROW + len(TOWNSHIP_CODES) + 1
    assert sheet[f"A{first - 1}"].value is None
    for row, label in enumerate(SIGN_OFF_LABELS, start=first):
        assert sheet[f"A{row}"].value == label
        assert sheet[f"B{row}"].protection.locked is False
    assert list(SIGN_OFF_LABELS) == ["填报人:", "联系电话:", "审核人:", "填报日期:"]


def test_last_month_and_last_year_sit_beside_their_indicator(orgs, indicators, put):
    put(JOBS, TOWNSHIP_A, 2024, 11, "120")
    put(JOBS, TOWNSHIP_A, 2023, 12, "95")
    put(TRAINING, TOWNSHIP_A, 2024, 11, "30")
    put(JOBS, TOWNSHIP_B, 2024, 11, "999")  # another township's figure stays off this sheet
    put(JOBS, TOWNSHIP_A, 2024, 10, "777")  # and so does any other month
    sheet = template(orgs)["月报"]
    rows = rows_by_code(sheet)
    assert [sheet[f"{c}{rows[JOBS]}"].value for c in "DFG"] == [None, 120, 95]
    assert [sheet[f"{c}{rows[TRAINING]}"].value for c in "DFG"] == [None, 30, None]
    assert sheet[f"F{rows[JOBS]}"].number_format == "#,##0"


def test_january_template_reads_last_december(orgs, indicators, put):
    put(JOBS, TOWNSHIP_A, 2023, 12, "88")
    put(JOBS, TOWNSHIP_A, 2023, 1, "61")
    sheet = template(orgs, year=2024, month=1)["月报"]
    row = rows_by_code(sheet)[JOBS]
    assert sheet["F2"].value == "2024年1月"
    assert [sheet[f"{c}{row}"].value for c in "FG"] == [88, 61]


def test_value_already_stored_is_prefilled_with_its_remark(orgs, indicators):
    write(indicators[JOBS], orgs[TOWNSHIP_A], 2024, 12, "130", remark="含公益性岗位")
    sheet = template(orgs)["月报"]
    row = rows_by_code(sheet)[JOBS]
    assert [sheet[f"{c}{row}"].value for c in "DE"] == [130, "含公益性岗位"]
    assert isinstance(sheet[f"D{row}"].value, int)


def test_money_is_written_exactly_with_four_decimal_format(orgs, money):
    write(money, orgs[TOWNSHIP_A], 2024, 11, "1545.7482")
    content = template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=12)
    sheet = load(content)["月报"]
    row = rows_by_code(sheet)[money.code]
    assert sheet[f"F{row}"].value == pytest.approx(1545.7482)
    assert sheet[f"D{row}"].number_format == sheet[f"F{row}"].number_format == "#,##0.0000"
    # The file holds the decimal text itself, not a binary float's approximation.
    with zipfile.ZipFile(BytesIO(content)) as archive:
        assert "<v>1545.7482</v>" in archive.read("xl/worksheets/sheet1.xml").decode()


def test_sheet_is_protected_with_only_input_cells_unlocked(orgs, indicators):
    sheet = template(orgs)["月报"]
    assert sheet.protection.sheet is True
    assert not sheet.protection.password
    assert sheet.protection.insertRows and sheet.protection.deleteRows  # still forbidden
    for row in rows_by_code(sheet).values():
        assert sheet[f"D{row}"].protection.locked is False
        assert sheet[f"E{row}"].protection.locked is False
        for column in "ABCFG":
            assert sheet[f"{column}{row}"].protection.locked is True
    assert sheet["D2"].protection.locked is True


def test_reference_columns_are_greyed(orgs, indicators):
    sheet = template(orgs)["月报"]
    row = FIRST_DATA_ROW
    assert sheet[f"F{row}"].fill.fgColor.rgb == sheet[f"G{row}"].fill.fgColor.rgb != "00000000"
    assert sheet[f"F{row}"].fill.fgColor.rgb != sheet[f"D{row}"].fill.fgColor.rgb


def test_value_cells_accept_only_non_negative_whole_numbers_for_counts(orgs, indicators):
    sheet = template(orgs)["月报"]
    validations = sheet.data_validations.dataValidation
    for row in rows_by_code(sheet).values():
        covering = [dv for dv in validations if f"D{row}" in dv.sqref]
        assert len(covering) == 1
        dv = covering[0]
        assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert dv.allow_blank and dv.showErrorMessage and dv.showInputMessage
        assert "不要填0" in dv.error and "整数" in dv.error
        assert dv.prompt
    assert not [dv for dv in validations if "A5" in dv.sqref or "F5" in dv.sqref]


def test_money_cells_accept_non_negative_decimals(orgs, money):
    sheet = template(orgs)["月报"]
    row = rows_by_code(sheet)[money.code]
    (dv,) = [dv for dv in sheet.data_validations.dataValidation if f"D{row}" in dv.sqref]
    assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "4位小数" in dv.error


def test_print_setup_is_landscape_fit_to_width_repeating_the_header(orgs, indicators):
    sheet = template(orgs)["月报"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows.replace("$", "") == "4:4"


def test_instructions_sheet_is_present_and_visible(orgs, indicators):
    book = template(orgs)
    assert book.sheetnames == ["月报", "填报说明", "_meta"]
    guide = book["填报说明"]
    assert guide.sheet_state == "visible"
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for words in (
        "留空",
        "不要用0",
        "整数",
        "万元",
        "4位小数",
        "其中",
        "不能大于",
        "指标代码",
        ".xlsx",
        "上传",
    ):
        assert words in text


def test_text_with_a_leading_equals_is_not_written_as_a_formula(orgs, indicators):
    remark = '=HYPERLINK("http://evil.example","点击")'
    write(indicators[JOBS], orgs[TOWNSHIP_A], 2024, 12, "5", remark=remark)
    content = template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=12)
    cell = load(content)["月报"][f"E{FIRST_DATA_ROW}"]
    assert (cell.value, cell.data_type) == (remark, "s")
    assert cell.quotePrefix
    with zipfile.ZipFile(BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_text_with_a_leading_minus_keeps_its_quote_prefix(orgs, indicators):
    write(indicators[JOBS], orgs[TOWNSHIP_A], 2024, 12, "5", remark="-1+2")
    cell = template(orgs)["月报"][f"E{FIRST_DATA_ROW}"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("-1+2", "s", True)


def test_template_for_a_non_township_is_refused(orgs, indicators):
    with pytest.raises(PortalError, match="不是区镇街道"):
        template_workbook(township=orgs["429005"], year=2024, month=12)


def test_template_for_an_invalid_month_is_refused(orgs, indicators):
    with pytest.raises(PortalError, match="月份"):
        template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=13)


def test_city_file_has_one_sheet_per_township_with_its_code(orgs, indicators):
    book = load(city_template_workbook(year=2024, month=12))
    assert book.sheetnames == [name for _, name, _ in TOWNSHIPS] + ["填报说明", "_meta"]
    for code, name, _ in TOWNSHIPS:
        sheet = book[name]
        assert [sheet["B2"].value, sheet["D2"].value, sheet["F2"].value] == [name, code, "2024年12月"]
        assert [c.value for c in sheet[4]] == list(HEADERS)
        assert list(rows_by_code(sheet)) == TOWNSHIP_CODES
        assert sheet.protection.sheet is True
    assert book["_meta"]["B1"].value == "429005"
    assert book["_meta"].sheet_state == "hidden"


def test_city_file_puts_each_township_figures_on_its_own_sheet(orgs, indicators, put):
    put(JOBS, TOWNSHIP_A, 2024, 11, "120")
    put(JOBS, TOWNSHIP_B, 2024, 11, "45")
    put(JOBS, TOWNSHIP_B, 2024, 12, "50")
    book = load(city_template_workbook(year=2024, month=12))
    row = rows_by_code(book["园林街道"])[JOBS]
    assert [book["园林街道"][f"{c}{row}"].value for c in "DF"] == [None, 120]
    assert [book["杨市街道"][f"{c}{row}"].value for c in "DF"] == [50, 45]
    assert book["周矶街道"][f"F{row}"].value is None


def test_township_template_reads_in_three_queries(orgs, indicators, put, django_assert_max_num_queries):
    """The indicators, the figures, and the township's latest report of the month (to prefill)."""
    for month in (11, 12):
        put(JOBS, TOWNSHIP_A, 2024, month, "10")
        put(TRAINING, TOWNSHIP_A, 2024, month, "10")
    with django_assert_max_num_queries(3):
        template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=12)


def test_city_file_queries_do_not_grow_with_the_townships(
    orgs, indicators, put, django_assert_max_num_queries
):
    for code, _, _ in TOWNSHIPS:
        put(JOBS, code, 2024, 11, "10")
    with django_assert_max_num_queries(3):
        city_template_workbook(year=2024, month=12)
    with django_queries() as all_townships:
        city_template_workbook(year=2024, month=12)
    OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP).exclude(code=TOWNSHIP_A).update(is_active=False)
    with django_queries() as one_township:
        assert load(city_template_workbook(year=2024, month=12)).sheetnames[0] == "园林街道"
    assert len(all_townships) == len(one_township)


def django_queries() -> CaptureQueriesContext:
    return CaptureQueriesContext(connection)
