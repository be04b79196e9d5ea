"""Files that lose or hide a figure without anyone meaning it: a value cell merged across two indicator
rows, a hidden stale copy of the sheet. Real .xlsx files written by openpyxl, real .xls written by
LibreOffice (fixtures/README.md). Pure: no database."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl

from common.errors import Problem
from reporting.parsing import parse_report

FIXTURES = Path(__file__).parent / "fixtures"
JOBS, REEMPLOYED, LOANS = (
    "employment.urban_new_jobs",
    "employment.unemployed_reemployed",
    "employment.guarantee_loan_amount",
)
HEADER = ["指标代码", "指标名称", "单位", "本月数值", "备注"]
ROWS = [
    ["潜江市人力资源和社会保障局 区镇街道人社数据月报"],
    ["区镇街道:", "园林街道", "区划代码:", "429005001", "报表期:", "2024年12月"],
    ["请只填写白色的“本月数值”和“备注”列。"],
    HEADER,
    [JOBS, "城镇新增就业人数", "人", 120],
    [REEMPLOYED, "失业人员再就业人数", "人", 45],
    [LOANS, "创业担保贷款发放金额", "万元", 300],
    [],
    ["填报人:", "张三"],
]


def book(*, merge: str | None = None, sheets=("月报",), hidden: dict[str, str] | None = None) -> bytes:
    """The report on each named sheet; `hidden` maps a sheet name to its state. openpyxl clears the
    cells a merge covers except the first, as Excel does."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in sheets:
        sheet = workbook.create_sheet(name)
        for row in ROWS:
            sheet.append(row)
        if merge and name == "月报":
            sheet.merge_cells(merge)
        sheet.sheet_state = (hidden or {}).get(name, "visible")
    meta = workbook.create_sheet("_meta")
    for key, value in (("township_code", "429005001"), ("year", 2024), ("month", 12)):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    workbook.active = list(sheets).index("月报")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def figures(report) -> dict[str, Decimal | None]:
    return {r.indicator_code: r.value for r in report.rows}


# --- merged value cells ---


def test_a_value_merged_across_two_indicator_rows_is_refused_naming_the_rows():
    report = parse_report(book(merge="D5:D6"), "月报.xlsx")
    assert report.problems == [
        Problem("第5-6行『本月数值』为合并单元格,请取消合并后逐行填写。", sheet="月报", row=5, column="D")
    ]
    assert str(report.problems[0]) == (
        "工作表“月报”第5行D列:第5-6行『本月数值』为合并单元格,请取消合并后逐行填写。"
    )


def test_a_value_merged_across_three_rows_and_two_columns_is_refused():
    report = parse_report(book(merge="D5:E7"), "月报.xlsx")
    assert [str(p) for p in report.problems] == [
        "工作表“月报”第5行D列:第5-7行『本月数值』为合并单元格,请取消合并后逐行填写。"
    ]


def test_a_value_merged_with_the_cell_to_its_left_is_refused():
    report = parse_report(book(merge="C6:D6"), "月报.xlsx")
    assert [str(p) for p in report.problems] == [
        "工作表“月报”第6行D列:第6行『本月数值』与左边的单元格合并在了一起(C6:D6),数值不在本列,"
        "请取消合并后填写。"
    ]


def test_a_value_merged_with_its_remark_keeps_its_figure_and_is_read():
    report = parse_report(book(merge="D6:E6"), "月报.xlsx")
    assert report.problems == []
    assert figures(report)[REEMPLOYED] == 45


def test_merged_cells_outside_the_figures_are_fine():
    """The template's own title (A1:G1) and note (A3:G3), a signature block below the figures."""
    workbook = openpyxl.load_workbook(io.BytesIO(book(merge="A1:G1")))
    workbook["月报"].merge_cells("A3:G3")
    workbook["月报"].merge_cells("B9:D10")
    out = io.BytesIO()
    workbook.save(out)
    report = parse_report(out.getvalue(), "月报.xlsx")
    assert report.problems == []
    assert figures(report) == {JOBS: 120, REEMPLOYED: 45, LOANS: 300}


def test_a_value_merged_across_two_rows_in_an_xls_from_libreoffice_is_refused():
    name = "libreoffice_merged_value.xls"
    report = parse_report((FIXTURES / name).read_bytes(), name)
    assert [str(p) for p in report.problems] == [
        "工作表“月报”第5行D列:第5-6行『本月数值』为合并单元格,请取消合并后逐行填写。"
    ]


def test_a_merged_value_is_named_by_the_header_the_file_uses():
    workbook = openpyxl.load_workbook(io.BytesIO(book(merge="D5:D6")))
    workbook["月报"]["D4"] = "填报数值"
    out = io.BytesIO()
    workbook.save(out)
    report = parse_report(out.getvalue(), "月报.xlsx")
    assert "第5-6行『填报数值』为合并单元格" in report.problems[0].message


# --- hidden sheets ---


def test_a_hidden_stale_copy_before_the_real_sheet_is_ignored_and_named_in_a_notice():
    """The reported case: every row came back as 重复填报, pointing at the visible sheet."""
    data = book(sheets=("旧版数据", "月报"), hidden={"旧版数据": "hidden"})
    report = parse_report(data, "月报.xlsx")
    assert report.problems == []
    assert figures(report) == {JOBS: 120, REEMPLOYED: 45, LOANS: 300}
    assert {r.sheet for r in report.rows} == {"月报"}
    assert [str(n) for n in report.notices] == [
        "文件中的隐藏工作表“旧版数据”没有读取:系统只读取显示出来的工作表。"
        "如果要上报的数据在隐藏的工作表中,请在Excel或WPS中取消隐藏后重新上传。"
    ]


def test_a_very_hidden_sheet_is_ignored_too():
    data = book(sheets=("月报", "备份"), hidden={"备份": "veryHidden"})
    report = parse_report(data, "月报.xlsx")
    assert report.problems == [] and {r.sheet for r in report.rows} == {"月报"}
    assert "隐藏工作表“备份”没有读取" in report.notices[0].message


def test_the_templates_hidden_meta_sheet_is_still_read():
    report = parse_report(book(sheets=("旧版数据", "月报"), hidden={"旧版数据": "hidden"}), "月报.xlsx")
    assert (report.township_code, report.year, report.month) == ("429005001", 2024, 12)
    assert "_meta" not in report.notices[0].message


def test_a_file_whose_only_report_sheet_is_hidden_says_so():
    workbook = openpyxl.load_workbook(io.BytesIO(book()))
    workbook.create_sheet("说明页").append(["见月报"])
    workbook.active = 1
    workbook["月报"].sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    report = parse_report(out.getvalue(), "月报.xlsx")
    assert report.rows == [] and "没有找到数据表" in report.problems[0].message
    assert "隐藏工作表“月报”没有读取" in report.notices[0].message


def test_a_hidden_stale_sheet_in_an_xls_from_libreoffice_is_ignored():
    name = "libreoffice_hidden_sheet.xls"
    report = parse_report((FIXTURES / name).read_bytes(), name)
    assert report.problems == []
    assert figures(report)[JOBS] == 1234  # the visible sheet's, not the stale copy's 999
    assert {r.sheet for r in report.rows} == {"月报"}
    assert "隐藏工作表“旧版数据”没有读取" in report.notices[0].message
