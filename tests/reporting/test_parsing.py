"""The report parser: what townships upload, read into rows and Chinese problems. Pure: no database.

Files are written by the tests with openpyxl and csv, or are the small committed fixtures made by
LibreOffice (see fixtures/README.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from common.errors import Problem
from reporting.parsing import (
    UPLOAD_BUDGET,
    NumberError,
    ParsedReport,
    ParsedRow,
    UnitError,
    parse_number,
    parse_report,
    to_indicator_unit,
)
from reporting.parsing import report as report_module
from reporting.parsing import sniff as sniff_module
from reporting.parsing.cells import cell_number

FIXTURES = Path(__file__).parent / "fixtures"
TOWNSHIP = "429005001"
JOBS, REEMPLOYED, LOANS = (
    "employment.urban_new_jobs",
    "employment.unemployed_reemployed",
    "employment.guarantee_loan_amount",
)
TITLE = ["潜江市人力资源和社会保障局 区镇街道人社数据月报"]
LABELS = ["区镇街道:", "园林街道", "区划代码:", TOWNSHIP, "报表期:", "2024年12月"]
NOTE = ["请只填写白色的“本月数值”和“备注”列。"]
HEADER = ["指标代码", "指标名称", "单位", "本月数值", "备注"]
META = {"township_code": TOWNSHIP, "year": 2024, "month": 12, "template_version": 1}


# --- building files ---


def xlsx(*sheets: tuple[str, list[list]], meta: dict | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if meta is not None:
        sheet = book.create_sheet("_meta")
        for key, value in meta.items():
            sheet.append([key, value])
        sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_rows(*data: list, header: list | None = None, labels: list | None = None) -> list[list]:
    """The template's layout: title, labels in row 2, a note, the header in row 4, figures from row 5."""
    return [TITLE, LABELS if labels is None else labels, NOTE, header or HEADER, *data]


def parse_sheet(*data: list, **layout) -> ParsedReport:
    return parse_report(xlsx(("月报", report_rows(*data, **layout))), "月报.xlsx")


def csv_bytes(rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def row(number: int, code: str, value: str | None, raw: str, **fields) -> ParsedRow:
    defaults = {"sheet": "月报", "org_code": TOWNSHIP, "value_unit": None, "remark": "", "value_column": "D"}
    return ParsedRow(
        row=number,
        indicator_code=code,
        value=None if value is None else Decimal(value),
        raw_value=raw,
        **(defaults | fields),
    )


def only_problem(report: ParsedReport) -> Problem:
    assert len(report.problems) == 1, report.problems
    return report.problems[0]


# --- numbers as people write them ---


@pytest.mark.parametrize("text", ["1,234", "1，234", "１，２３４", "1234"])
def test_parse_number_reads_thousands_separators(text):
    assert parse_number(text) == (Decimal("1234"), None)


@pytest.mark.parametrize(
    ("text", "expected"), [("１２３", "123"), ("－５", "-5"), ("＋７", "7"), ("−5", "-5")]
)
def test_parse_number_reads_full_width_digits_and_signs(text, expected):
    assert parse_number(text) == (Decimal(expected), None)


@pytest.mark.parametrize("text", [" 12367 ", "\u00a012367\u00a0", "\u300012367\t", "12 367"])
def test_parse_number_ignores_spaces_of_every_kind(text):
    assert parse_number(text) == (Decimal("12367"), None)


UNITS_WRITTEN = ("人", "人次", "件", "笔", "张", "家", "元", "万元", "亿元", "%", "万人")


@pytest.mark.parametrize(
    ("text", "unit"), [*((f"12{unit}", unit) for unit in UNITS_WRITTEN), ("12 人次", "人次"), ("12％", "%")]
)
def test_parse_number_keeps_the_unit_written_after_the_number(text, unit):
    assert parse_number(text) == (Decimal("12"), unit)


@pytest.mark.parametrize(("text", "expected"), [("1.2万", ("12000", None)), ("3亿", ("300000000", None))])
def test_parse_number_multiplies_wan_and_yi(text, expected):
    assert parse_number(text) == (Decimal(expected[0]), expected[1])


def test_parse_number_multiplies_wan_before_a_counting_unit():
    assert parse_number("1.2万件") == (Decimal("12000"), "件")


def test_parse_number_keeps_yi_yuan_as_the_unit_not_a_multiplier():
    assert parse_number("3.9亿元") == (Decimal("3.9"), "亿元")


@pytest.mark.parametrize(
    ("text", "expected"), [("0.1", "0.1"), ("1545.7482", "1545.7482"), ("12.50", "12.5")]
)
def test_parse_number_is_exact(text, expected):
    value, _ = parse_number(text)
    assert value == Decimal(expected) and str(value) == expected


def test_parse_number_reads_negative_numbers_for_the_rules_to_refuse():
    assert parse_number("-5") == (Decimal("-5"), None)


@pytest.mark.parametrize("text", ["", "   ", "-", "—", "——", "/", "－", "\u00a0"])
def test_parse_number_reads_blank_dash_and_slash_as_not_reported(text):
    assert parse_number(text) == (None, None)


def test_parse_number_refuses_wu_asking_for_zero_or_blank():
    with pytest.raises(NumberError) as error:
        parse_number("无")
    assert str(error.value) == "填写的是“无”,不是数值:本月为零请填0,不填报请留空。"


@pytest.mark.parametrize("code", ["#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!"])
def test_parse_number_refuses_excel_error_values(code):
    with pytest.raises(NumberError) as error:
        parse_number(code)
    assert str(error.value) == f"单元格是Excel错误值{code},请检查公式。"


def test_parse_number_refuses_text_naming_what_was_found():
    with pytest.raises(NumberError) as error:
        parse_number("约1200")
    assert str(error.value) == "填写的是“约1200”,不是数值。请填写数字,不填报请留空。"


def test_parse_number_refuses_an_unknown_unit_naming_it():
    with pytest.raises(NumberError) as error:
        parse_number("12头")
    assert str(error.value) == (
        "“12头”中的“头”无法识别,请只填写数字,可带单位(元、万元、亿元、人、万人、人次、万人次、件、笔、张、家、户、个、%)。"
    )


def test_parse_number_refuses_a_misplaced_thousands_separator():
    with pytest.raises(NumberError) as error:
        parse_number("1,23")
    assert str(error.value) == "“1,23”中的逗号位置不对:千位分隔符应每三位一个(如“1,234”),也可以不写逗号。"


def test_parse_number_refuses_a_chinese_full_stop_as_decimal_point():
    with pytest.raises(NumberError) as error:
        parse_number("12。5")
    assert str(error.value) == "“12。5”中的“。”是中文句号,小数点请用英文句点“.”。"


def test_parse_number_refuses_a_number_too_large_to_be_a_figure():
    with pytest.raises(NumberError) as error:
        parse_number("123456789012345")
    assert str(error.value) == "“123456789012345”数值过大,请核对。"


@pytest.mark.parametrize(
    ("stored", "expected"), [(12367.0, "12367"), (0.1, "0.1"), (0.1 + 0.2, "0.3"), (1545.7482, "1545.7482")]
)
def test_float_cells_read_as_excel_shows_them(stored, expected):
    value, unit = cell_number(stored)
    assert (str(value), unit) == (expected, None)


# --- units ---


def test_to_indicator_unit_turns_yi_yuan_into_wan_yuan():
    assert to_indicator_unit(Decimal("3.9"), "亿元", "万元") == Decimal("39000")


def test_to_indicator_unit_turns_yuan_into_wan_yuan_exactly():
    assert str(to_indicator_unit(Decimal("12367"), "元", "万元")) == "1.2367"


def test_to_indicator_unit_turns_wan_ren_into_ren():
    assert to_indicator_unit(Decimal("1.2"), "万人", "人") == Decimal("12000")


def test_to_indicator_unit_keeps_a_value_written_without_unit():
    assert to_indicator_unit(Decimal("12"), None, "万元") == Decimal("12")


def test_to_indicator_unit_refuses_yuan_for_a_person_indicator():
    with pytest.raises(UnitError) as error:
        to_indicator_unit(Decimal("12"), "元", "人")
    assert str(error.value) == "填写的单位“元”与指标的计量单位“人”不符,请按“人”填写,或只填数字。"


# --- the template's layout ---


def test_template_layout_is_read_into_rows_with_their_place():
    report = parse_sheet(
        [JOBS, "城镇新增就业人数", "人", 1234, "含灵活就业"],
        [LOANS, "创业担保贷款发放金额", "万元", 1545.7482],
        [REEMPLOYED, "失业人员再就业人数", "人", None],
    )
    assert report.problems == []
    assert report.rows == [
        row(5, JOBS, "1234", "1234", remark="含灵活就业"),
        row(6, LOANS, "1545.7482", "1545.7482"),
        row(7, REEMPLOYED, None, ""),
    ]


def test_meta_sheet_gives_township_period_and_template_version():
    data = xlsx(("月报", report_rows([JOBS, "", "", 1], labels=[])), meta=META)
    report = parse_report(data, "月报.xlsx")
    assert (report.township_code, report.year, report.month, report.template_version) == (
        TOWNSHIP,
        2024,
        12,
        1,
    )


def test_visible_labels_give_township_and_period_without_meta():
    labels = ["区划代码：", None, TOWNSHIP, "报表期：", "2024-11"]
    report = parse_sheet([JOBS, "", "", 1], labels=labels)
    assert (report.township_code, report.year, report.month, report.template_version) == (
        TOWNSHIP,
        2024,
        11,
        None,
    )


def test_a_label_may_hold_its_value_after_the_colon_in_the_same_cell():
    report = parse_sheet([JOBS, "", "", 1], labels=["区划代码:429005001", "报表期:2024年9月"])
    assert (report.township_code, report.year, report.month) == (TOWNSHIP, 2024, 9)


def test_a_file_without_metadata_leaves_township_and_period_to_the_form():
    report = parse_report(xlsx(("Sheet1", [HEADER, [JOBS, "", "", 1]])), "自制.xlsx")
    assert (report.township_code, report.year, report.month) == (None, None, None)
    assert report.rows == [row(2, JOBS, "1", "1", sheet="Sheet1", org_code=None)]


def test_a_period_label_that_disagrees_with_the_template_says_which_to_change_not_the_hidden_sheet():
    data = xlsx(("月报", report_rows([JOBS, "", "", 1])), meta=META | {"month": 11})
    problem = only_problem(parse_report(data, "月报.xlsx"))
    assert problem == Problem(
        "报表期“2024年12月”与这份模板所属的月份(2024年11月,下载模板时选定)不一致,一个文件只能填报一个月的数据。"
        "如果填的是2024年11月的数据,请把报表期改回“2024年11月”;"
        "如果填的是2024年12月的数据,请下载2024年12月的模板重新填写。",
        sheet="月报",
        row=2,
        column="F",
    )
    assert "_meta" not in problem.message


def test_two_period_labels_that_disagree_say_where_the_first_one_is():
    data = xlsx(
        ("月报", report_rows([JOBS, "", "", 1])),
        ("杨市", report_rows([JOBS, "", "", 2], labels=["报表期:", "2024年11月"])),
    )
    problem = only_problem(parse_report(data, "月报.xlsx"))
    assert problem == Problem(
        "报表期“2024年11月”与工作表“月报”第2行F列的报表期“2024年12月”不一致,一个文件只能填报一个月的数据。"
        "请把各处的报表期改成同一个月。",
        sheet="杨市",
        row=2,
        column="B",
    )


def test_an_unreadable_period_label_is_a_problem():
    labels = ["区划代码:", TOWNSHIP, "报表期:", "2024年第四季度"]
    problem = only_problem(parse_sheet([JOBS, "", "", 1], labels=labels))
    assert problem == Problem(
        "报表期“2024年第四季度”无法识别,请写成“2024年12月”或“2024-12”的形式。",
        sheet="月报",
        row=2,
        column="D",
    )


def test_a_broken_template_value_says_what_to_do_without_pointing_at_the_hidden_sheet():
    data = xlsx(("月报", report_rows([JOBS, "", "", 1])), meta=META | {"year": "二〇二四"})
    problem = only_problem(parse_report(data, "月报.xlsx"))
    assert problem == Problem(
        "模板中隐藏保存的年份已被改动(现在是“二〇二四”),系统无法确认这份文件属于哪个区镇街道和月份。"
        "请重新下载本月的模板,把数据填入新模板后再上传。"
    )


# --- headers ---


@pytest.mark.parametrize("name", ["数值", "本月数值", "本月数", "填报数值", " 本月 数值 ", "本月\n数值"])
def test_every_value_column_name_is_recognised(name):
    report = parse_sheet([JOBS, "", "", 7], header=["指标代码", "指标名称", "单位", name])
    assert [r.value for r in report.rows] == [Decimal(7)]


def test_the_header_is_found_in_row_15_but_not_in_row_16():
    padding = [["说明"]] * 14
    found = parse_report(xlsx(("a", [*padding, HEADER, [JOBS, "", "", 1]])), "a.xlsx")
    missed = parse_report(xlsx(("a", [*padding, ["x"], HEADER, [JOBS, "", "", 1]])), "a.xlsx")
    assert [r.row for r in found.rows] == [16]
    assert missed.rows == [] and len(missed.problems) == 1


def test_a_missing_value_column_is_a_problem():
    problem = only_problem(
        parse_sheet([JOBS, "", "", 1], header=["指标代码", "指标名称", "单位", "上月数值"])
    )
    assert problem == Problem(
        "表头中没有数值列:请把填写本月数据的列命名为“本月数值”(也可以叫“数值”“本月数”“填报数值”)。",
        sheet="月报",
        row=4,
    )


def test_two_value_columns_are_a_problem():
    problem = only_problem(parse_sheet([JOBS, "", 1, 2], header=["指标代码", "指标名称", "数值", "本月数值"]))
    assert problem == Problem(
        "表头中有2个同类的列(C列“数值”、D列“本月数值”),系统无法确定用哪一列,请只保留一列。",
        sheet="月报",
        row=4,
        column="D",
    )


def test_the_value_column_letter_follows_the_header():
    report = parse_sheet(
        [TOWNSHIP, JOBS, "x", "人", "备注", 5],
        header=["区划代码", "指标代码", "指标名称", "单位", "备注", "数值"],
    )
    assert report.rows[0].value_column == "F"


def test_the_guide_sheet_is_skipped_although_it_names_the_code_column():
    guide = [["填报说明"], ["指标代码", "系统识别指标用的代码,不得修改。"]]
    report = parse_report(xlsx(("月报", report_rows([JOBS, "", "", 1])), ("填报说明", guide)), "月报.xlsx")
    assert report.problems == [] and len(report.rows) == 1


def test_a_hand_made_instructions_sheet_is_skipped_too():
    notes = [["指标代码", "按市局下发的代码填写"]]
    report = parse_report(xlsx(("填表说明", notes), ("月报", report_rows([JOBS, "", "", 1]))), "a.xlsx")
    assert report.problems == [] and len(report.rows) == 1


def test_a_sheet_without_the_header_is_not_a_data_sheet():
    report = parse_report(
        xlsx(("图表数据", [["合计", 100]]), ("月报", report_rows([JOBS, "", "", 1]))), "a.xlsx"
    )
    assert report.problems == [] and [r.sheet for r in report.rows] == ["月报"]


# --- townships ---


def test_the_township_column_gives_each_row_its_township():
    header = ["区划代码", "指标代码", "本月数值"]
    rows = [header, [429005001, JOBS, 10], ["429005002", JOBS, 20]]
    report = parse_report(xlsx(("全市", rows)), "全市.xlsx")
    assert [(r.org_code, r.value) for r in report.rows] == [("429005001", 10), ("429005002", 20)]
    assert report.township_code is None


def test_a_city_file_gives_each_sheet_its_own_township():
    other = ["区镇街道:", "杨市街道", "区划代码:", "429005002", "报表期:", "2024年12月"]
    data = xlsx(
        ("园林街道", report_rows([JOBS, "", "", 10])),
        ("杨市街道", report_rows([JOBS, "", "", 20], labels=other)),
        meta=META | {"township_code": "429005"},
    )
    report = parse_report(data, "全市.xlsx")
    assert report.township_code == "429005"
    assert [(r.sheet, r.org_code, r.value) for r in report.rows] == [
        ("园林街道", TOWNSHIP, 10),
        ("杨市街道", "429005002", 20),
    ]


# --- rows ---


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers():
    report = parse_sheet([JOBS, "", "", 1], [], [None, "  ", None], [REEMPLOYED, "", "", 2])
    assert [r.row for r in report.rows] == [5, 8]


def test_a_row_with_content_but_no_code_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "", "", 1], [None, "其他就业", "人", 100]))
    assert problem == Problem(
        "这一行没有填指标代码,但有内容(B列“其他就业”)。请补上指标代码,或删除这一行。",
        sheet="月报",
        row=6,
        column="A",
    )


def test_sign_off_rows_under_the_figures_are_skipped():
    report = parse_sheet(
        [JOBS, "", "", 1], [], ["填报人:", "张三"], ["联系电话：", "0728-1234567"], ["注:本表为月报"]
    )
    assert report.problems == [] and len(report.rows) == 1


def test_a_repeated_header_row_is_skipped():
    report = parse_sheet([JOBS, "", "", 1], HEADER, [REEMPLOYED, "", "", 2])
    assert report.problems == [] and [r.row for r in report.rows] == [5, 7]


def test_formula_leftovers_without_a_code_count_as_a_blank_row():
    report = parse_sheet([JOBS, "", "", 1], [None, "#N/A", "#N/A"])
    assert report.problems == [] and len(report.rows) == 1


def test_an_error_value_in_the_code_column_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "", "", 1], ["#N/A", "x", "", 2]))
    assert problem == Problem(
        "指标代码单元格是Excel错误值#N/A,请填写正确的指标代码。", sheet="月报", row=6, column="A"
    )


def test_codes_are_read_half_width_without_spaces():
    report = parse_sheet([" ｅｍｐｌｏｙｍｅｎｔ.urban_new_jobs ", "", "", 1])
    assert report.rows[0].indicator_code == JOBS


def test_a_number_stored_as_text_is_read():
    assert parse_sheet([JOBS, "", "", "12367"]).rows[0].value == Decimal(12367)


def test_a_unit_written_in_the_cell_is_kept_with_the_raw_text():
    parsed = parse_sheet([LOANS, "", "", "3.9亿元"]).rows[0]
    assert (parsed.value, parsed.value_unit, parsed.raw_value) == (Decimal("3.9"), "亿元", "3.9亿元")


def test_an_excel_error_in_a_value_cell_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "", "", "#DIV/0!"]))
    assert problem == Problem(
        "指标“employment.urban_new_jobs”的本月数值:单元格是Excel错误值#DIV/0!,请检查公式。",
        sheet="月报",
        row=5,
        column="D",
    )


def test_a_formula_without_a_saved_result_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "城镇新增就业人数", "人", "=1+1"]))
    assert problem == Problem(
        "“城镇新增就业人数”的本月数值:单元格是公式,但文件中没有保存计算结果,请用Excel或WPS打开文件、确认数值后保存,再重新上传。",
        sheet="月报",
        row=5,
        column="D",
    )


def test_a_date_in_a_value_cell_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "城镇新增就业人数", "人", dt.datetime(2024, 1, 2)]))
    assert problem == Problem(
        "“城镇新增就业人数”的本月数值:单元格是日期或时间(2024-01-02),不是数值。请把单元格格式改为“常规”或“数值”后重新填写。",
        sheet="月报",
        row=5,
        column="D",
    )


def test_a_boolean_in_a_value_cell_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "城镇新增就业人数", "人", True]))
    assert problem == Problem(
        "“城镇新增就业人数”的本月数值:单元格是逻辑值TRUE,不是数值。", sheet="月报", row=5, column="D"
    )


def test_text_in_a_number_cell_names_the_indicator_as_its_row_does():
    problem = only_problem(parse_sheet([JOBS, "城镇新增就业人数", "人", "十二"]))
    assert problem == Problem(
        "“城镇新增就业人数”的本月数值:填写的是“十二”,不是数值。请填写数字,不填报请留空。",
        sheet="月报",
        row=5,
        column="D",
    )


def test_every_problem_in_the_file_is_reported_not_just_the_first():
    report = parse_sheet([JOBS, "", "", "无"], [REEMPLOYED, "", "", 3], [LOANS, "", "", "#REF!"], [None, "x"])
    assert [(p.row, p.column) for p in report.problems] == [(5, "D"), (7, "D"), (8, "A")]
    assert [r.row for r in report.rows] == [6]


def test_a_file_with_no_data_sheet_is_a_problem():
    problem = only_problem(parse_report(xlsx(("Sheet1", [["姓名", "金额"], ["张三", 1]])), "a.xlsx"))
    assert problem == Problem(
        "文件中没有找到数据表:各工作表的前15行都没有“指标代码”表头。"
        "请使用市人社局下发的模板填写,或在表头中写明“指标代码”和“本月数值”列。"
    )


def test_a_header_without_rows_under_it_is_a_problem():
    problem = only_problem(parse_sheet())
    assert problem == Problem("文件中没有数据行:表头下面是空的。请填写数据后再上传。")


def test_a_file_whose_values_are_all_blank_is_a_problem():
    problem = only_problem(parse_sheet([JOBS, "", "", None], [REEMPLOYED, "", "", "—"]))
    assert problem == Problem("所有指标的本月数值都是空的,文件中没有可导入的数据。请填写数值后再上传。")


def test_reading_stops_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(report_module, "MAX_DATA_ROWS", 2)
    report = parse_sheet([JOBS, "", "", 1], [REEMPLOYED, "", "", 2], [LOANS, "", "", 3])
    assert only_problem(report) == Problem("数据超过2行的上限,后面的行没有读取。", sheet="月报", row=7)


# --- real files from an office program ---

LIBREOFFICE_ROWS = [
    row(5, JOBS, "1234", "1234"),
    row(6, REEMPLOYED, "234", "234", remark="公式计算"),
    row(7, LOANS, "1545.7482", "1545.7482"),
    row(8, "employment.graduates_employed", None, "", remark="本月未统计"),
]
LIBREOFFICE_PROBLEM = Problem(
    "“职业技能提升培训人数”的本月数值:单元格是Excel错误值#DIV/0!,请检查公式。",
    sheet="月报",
    row=9,
    column="D",
)


@pytest.mark.parametrize("name", ["libreoffice_report.xls", "libreoffice_report.xlsx"])
def test_a_libreoffice_file_is_read_with_calculated_formulas(name):
    report = parse_report((FIXTURES / name).read_bytes(), name)
    assert (report.township_code, report.year, report.month, report.template_version) == (
        TOWNSHIP,
        2024,
        12,
        1,
    )
    assert report.rows == LIBREOFFICE_ROWS
    assert report.problems == [LIBREOFFICE_PROBLEM]


def test_numbers_typed_the_wps_way_are_read():
    report = parse_report((FIXTURES / "wps_style_report.xlsx").read_bytes(), "wps_style_report.xlsx")
    assert (report.township_code, report.year, report.month) == (TOWNSHIP, 2024, 12)
    assert [(r.row, r.value, r.value_unit) for r in report.rows] == [
        (5, Decimal(1234), "人"),
        (6, Decimal(1234), None),
        (7, Decimal("3.9"), "亿元"),
        (8, None, None),
        (9, Decimal(56), None),
        (10, Decimal(12000), None),
    ]
    assert report.problems == [
        Problem(
            "“返乡创业带动就业人数”的填报数值:填写的是“约100”,不是数值。请填写数字,不填报请留空。",
            sheet="月报",
            row=11,
            column="D",
        )
    ]


CSV_ROWS = [
    row(2, JOBS, "1234", "1,234", org_code=None, remark="含灵活就业"),
    row(3, LOANS, "1545.7482", "1545.7482", org_code=None),
    row(4, "employment.graduates_employed", None, "", org_code=None),
]


@pytest.mark.parametrize("name", ["gbk_report.csv", "utf8_bom_report.csv"])
def test_a_csv_file_is_read_as_one_sheet_named_after_the_file(name):
    report = parse_report((FIXTURES / name).read_bytes(), name)
    sheet = name.removesuffix(".csv")
    assert report.problems == []
    assert report.rows == [replace(r, sheet=sheet) for r in CSV_ROWS]


def test_a_utf8_csv_without_bom_is_read():
    data = csv_bytes([["指标代码", "本月数值"], [JOBS, "1,234"]])
    assert [r.value for r in parse_report(data, "a.csv").rows] == [Decimal(1234)]


def test_a_tab_separated_text_file_is_read():
    data = csv_bytes([["指标代码", "本月数值"], [JOBS, "1,234"]], delimiter="\t")
    assert [r.value for r in parse_report(data, "a.txt").rows] == [Decimal(1234)]


def test_a_unicode_text_file_saved_by_excel_is_read():
    data = csv_bytes([["指标代码", "本月数值"], [JOBS, "１２"]], encoding="utf-16", delimiter="\t")
    assert [r.value for r in parse_report(data, "a.txt").rows] == [Decimal(12)]


# --- files that are not what they seem ---


def test_a_web_page_saved_as_xls_is_a_problem():
    data = (FIXTURES / "html_saved_as.xls").read_bytes()
    assert only_problem(parse_report(data, "html_saved_as.xls")) == Problem(
        "文件是网页(HTML)格式,不是真正的电子表格(有些系统导出的.xls文件其实是网页)。"
        "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
    )


def test_an_excel_2003_xml_file_is_a_problem():
    data = (
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    assert only_problem(parse_report(data, "a.xls")) == Problem(
        "文件是“XML表格”(Excel 2003 XML)格式,不是真正的Excel工作簿。"
        "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
    )


def test_a_password_protected_xlsx_is_a_problem():
    data = (FIXTURES / "encrypted_report.xlsx").read_bytes()
    assert only_problem(parse_report(data, "encrypted_report.xlsx")) == Problem(
        "文件已加密(设置了打开密码),请取消密码后重新上传。"
    )


def test_a_password_protected_xls_is_a_problem(monkeypatch):
    import xlrd

    def encrypted(**kwargs):
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    data = (FIXTURES / "libreoffice_report.xls").read_bytes()
    assert only_problem(parse_report(data, "a.xls")) == Problem(
        "文件已加密(设置了打开密码),请取消密码后重新上传。"
    )


def test_an_xls_renamed_to_xlsx_is_a_problem_and_still_read():
    data = (FIXTURES / "libreoffice_report.xls").read_bytes()
    report = parse_report(data, "月报.xlsx")
    assert report.problems == [
        Problem(
            "文件名的扩展名是.xlsx,但文件内容其实是Excel 97-2003工作簿(.xls)格式(可能是直接改了扩展名)。"
            "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
        ),
        LIBREOFFICE_PROBLEM,
    ]
    assert report.rows == LIBREOFFICE_ROWS


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n", "PDF文件"),
        (b"\x89PNG\r\n\x1a\n", "图片"),
        (b"\xff\xd8\xff\xe0", "图片"),
        (b"Rar!\x1a\x07", "压缩包"),
    ],
)
def test_a_known_other_file_type_is_named(data, what):
    assert only_problem(parse_report(data + bytes(100), "月报.xlsx")) == Problem(
        f"上传的是{what},不是电子表格文件。请上传Excel文件(.xlsx或.xls)或CSV文件。"
    )


def test_random_bytes_are_not_a_spreadsheet():
    data = bytes(range(256)) * 4
    assert only_problem(parse_report(data, "月报.xlsx")) == Problem(
        "不是电子表格文件,无法识别其内容。请上传Excel文件(.xlsx或.xls)或CSV文件。"
    )


def test_an_empty_file_is_a_problem():
    assert only_problem(parse_report(b"", "月报.xlsx")) == Problem("文件是空的(0字节),请检查后重新上传。")


def test_a_file_over_the_size_limit_is_a_problem_naming_the_limit():
    data = b"x" * (3 * 1024 * 1024)
    assert only_problem(parse_report(data, "月报.xlsx", max_bytes=2 * 1024 * 1024)) == Problem(
        "文件大小为3.0MB,超过了2MB的上限。请删除与月报无关的工作表、图片后重新保存,再上传。"
    )


CORRUPT = "文件已损坏,无法打开(可能没有完整保存或下载)。请用Excel或WPS打开确认内容无误后重新保存,再上传。"


def test_a_truncated_xlsx_is_a_problem():
    data = xlsx(("月报", report_rows([JOBS, "", "", 1])))
    assert only_problem(parse_report(data[: len(data) // 2], "月报.xlsx")) == Problem(CORRUPT)


def test_a_damaged_xls_is_a_problem():
    data = sniff_module.OLE2_MAGIC + bytes(600)
    assert only_problem(parse_report(data, "月报.xls")) == Problem(CORRUPT)


def test_a_damaged_sheet_is_a_problem_saying_where_reading_stopped():
    good = xlsx(("月报", report_rows([JOBS, "", "", 1], [REEMPLOYED, "", "", 2])))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet[: sheet.index(b'<row r="6"')] + b"<row r=6 <<broken"
    report = parse_report(zip_bytes(members), "月报.xlsx")
    assert report.problems == [
        Problem(
            "工作表已损坏,读到第5行后无法继续读取。请用Excel或WPS打开文件后重新保存,再上传。", sheet="月报"
        )
    ]


def test_an_ods_file_is_a_problem():
    data = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    assert only_problem(parse_report(data, "月报.ods")) == Problem(
        "文件是OpenDocument(.ods)格式,系统不能读取。"
        "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
    )


def test_a_zip_holding_spreadsheets_is_a_problem():
    data = zip_bytes({"园林街道.xlsx": xlsx(("月报", report_rows([JOBS, "", "", 1])))})
    assert only_problem(parse_report(data, "月报.zip")) == Problem(
        "上传的是压缩包,请解压后上传其中的电子表格文件。"
    )


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    data = zip_bytes({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"<a/>" * 1_000_000})
    assert only_problem(parse_report(data, "月报.xlsx")) == Problem(
        "文件内部的压缩比异常(超过100:1),可能是恶意构造的文件,系统拒绝处理。"
        "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
    )


def test_a_zip_bomb_is_refused_by_its_total_size():
    budget = replace(UPLOAD_BUDGET, max_unpacked_bytes=2 * 1024 * 1024)
    members = {"[Content_Types].xml": b"<x/>"} | {
        f"xl/media/{n}.bin": bytes(range(256)) * 4096 for n in range(3)
    }
    assert only_problem(parse_report(zip_bytes(members), "月报.xlsx", budget=budget)) == Problem(
        "文件解压后超过2MB的上限,系统拒绝处理。请删除与月报无关的工作表、图片后重新保存,再上传。"
    )


def test_a_zip_with_too_many_members_is_refused():
    members = {"[Content_Types].xml": b"<x/>"} | {f"xl/{n}.xml": b"<x/>" for n in range(1000)}
    assert only_problem(parse_report(zip_bytes(members), "月报.xlsx")) == Problem(
        "文件内部包含1001个部件,超过1000个的上限,结构异常,系统拒绝处理。"
        "请用Excel或WPS打开它,点“另存为”,保存类型选“Excel工作簿(*.xlsx)”,再上传新文件。"
    )


def test_an_unexpected_failure_becomes_a_problem_not_an_exception(monkeypatch):
    def broken(data):
        raise RuntimeError("bug")

    monkeypatch.setattr(report_module, "sniff", broken)
    report = parse_report(b"anything", "月报.xlsx")
    assert (
        report.problems
        == [Problem("文件无法读取。请用Excel或WPS打开文件,确认内容无误后另存为.xlsx文件,再上传。")]
        and report.rows == []
    )


# --- what no template produces, said for what it is (issue 23) ---


@pytest.mark.parametrize("name", ["说明.txt", "月报", "月报.2024.11"])
def test_a_text_file_is_told_it_is_not_a_spreadsheet(name):
    data = "各位同事:本月数据见附件,谢谢。\n城镇新增就业 120 人\n".encode()
    problem = only_problem(parse_report(data, name))
    assert problem == Problem(
        f"上传的“{name}”是纯文本文件,不是电子表格。"
        "请用Excel或WPS打开市人社局下发的月报模板,填写后保存为.xlsx文件,再上传。"
    )


def test_a_tab_separated_text_saved_from_the_template_is_still_read():
    data = csv_bytes([["指标代码", "本月数值"], [JOBS, "12"]], delimiter="\t")
    report = parse_report(data, "月报.txt")
    assert report.problems == [] and [(r.indicator_code, r.value) for r in report.rows] == [(JOBS, 12)]


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><text>1</text></svg>', "SVG图片"),
        (b"<svg><script>alert(1)</script></svg>", "SVG图片"),
        (b"<report><row>1</row></report>", "网页或XML格式的文本"),
    ],
)
def test_markup_is_refused_for_what_it_is(data, what):
    problem = only_problem(parse_report(data, "月报.csv"))
    assert problem.message.startswith(f"上传的是{what},不是电子表格文件。")


# --- a 合计 row is left out, with a notice ---


def test_a_total_row_labelled_under_the_table_is_left_out_with_a_notice():
    report = parse_sheet(
        [JOBS, "城镇新增就业人数", "人", 120],
        [REEMPLOYED, "失业人员再就业人数", "人", 30],
        [None, "合 计", None, 150],
    )
    assert report.problems == []
    assert [(r.indicator_code, r.value) for r in report.rows] == [(JOBS, 120), (REEMPLOYED, 30)]
    assert report.notices == [
        Problem(
            "这一行是合计行(“合 计”),合计不是单独的指标,系统没有读取这一行;各指标的数值按各自的行读取,无需修改。",
            sheet="月报",
            row=7,
            column="D",
        )
    ]


def test_a_total_row_typed_in_the_code_column_is_left_out():
    report = parse_sheet([JOBS, "城镇新增就业人数", "人", 120], ["合计", None, None, 120])
    assert report.problems == [] and [r.row for r in report.rows] == [5]
    assert [(n.row, n.column) for n in report.notices] == [(6, "D")]


def test_a_sum_formula_row_without_a_label_is_left_out_with_a_notice():
    """What the clerk adds under the table: =SUM(D5:D6), no label, no code (openpyxl saves no result)."""
    report = parse_sheet([JOBS, "", "", 120], [REEMPLOYED, "", "", 30], [None, None, None, "=SUM(D5:D6)"])
    assert report.problems == [] and [r.row for r in report.rows] == [5, 6]
    assert [n.message for n in report.notices] == [
        "这一行是合计行(求和公式“=SUM(D5:D6)”),合计不是单独的指标,系统没有读取这一行;"
        "各指标的数值按各自的行读取,无需修改。"
    ]


def test_a_sum_formula_with_its_saved_result_is_left_out_too():
    """As Excel or WPS save it: the formula and its result (written here as the XML they write)."""
    from benchmarks.hostile_files import inline, package, report_rows, sheet_xml

    rows = report_rows({JOBS: 120, REEMPLOYED: 30})
    rows.append('<row r="4"><c r="D4"><f>SUM(D2:D3)</f><v>150</v></c></row>')
    report = parse_report(package([("月报", sheet_xml(rows))]), "月报.xlsx")
    assert report.problems == [] and [r.row for r in report.rows] == [2, 3]
    assert [(n.row, "“=SUM(D2:D3)”" in n.message) for n in report.notices] == [(4, True)]
    assert inline  # the helper the rows above are written with


def test_a_sum_formula_typed_in_a_csv_is_left_out():
    data = csv_bytes([["指标代码", "本月数值"], [JOBS, "120"], ["", "=SUM(B2:B2)"]])
    report = parse_report(data, "月报.csv")
    assert report.problems == [] and [r.row for r in report.rows] == [2]
    assert [n.row for n in report.notices] == [3]


def test_a_row_without_a_code_that_is_no_total_is_still_a_problem():
    report = parse_sheet([JOBS, "", "", 120], [None, "其中:女性", None, "=AVERAGE(D5:D5)"])
    assert [(p.row, p.column) for p in report.problems] == [(6, "A")] and report.notices == []
