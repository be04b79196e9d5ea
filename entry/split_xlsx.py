"""The quota split as a workbook to edit in Excel or WPS, and read back.

Written through `common.xlsx` (the portal's one workbook writer: no formula from a name). Read with
the township reports' reader (reporting/parsing): bytes sniffed, not trusted by name, and metered
against the web door's budget, so an edited file can cost no more than a township's upload. Reading
only turns cells into figures and problems; the figures then go through the same checks as typed
ones (entry.services.quota_split_check) when the clerk saves."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

from common.xlsx import new_workbook, number_format, print_setup, put, put_text, workbook_bytes
from reporting.parsing import UPLOAD_BUDGET, NumberError, UnitError
from reporting.parsing.budget import Meter
from reporting.parsing.cells import cell_text
from reporting.parsing.readers import read_sheets
from reporting.parsing.report import DEFAULT_MAX_BYTES
from reporting.parsing.sniff import FileProblem, size_problem, sniff

from .selectors import SplitTable
from .services import read_figure

SHEET = "目标任务分解"
HEADERS = ["指标代码", "指标名称", "计量单位", "全市目标", "区划代码", "单位名称", "上年实绩", "分解目标"]
CODE, ORG, PART = 0, 4, 7


def split_workbook(*, year: int, tables: list[SplitTable]) -> bytes:
    """One row per indicator × part (市本级 first); the clerk edits column H and imports it back."""
    book = new_workbook()
    sheet = book.active
    sheet.title = SHEET
    put_text(
        sheet.cell(1, 1),
        f"{year}年目标任务分解(修改“分解目标”列后导入;市本级一行为全市目标减去各区镇街道之和)",
    )
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    for col, header in enumerate(HEADERS, start=1):
        cell = put_text(sheet.cell(2, col), header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    row = 3
    for t in tables:
        ind = t.indicator
        fmt = number_format(ind.value_places)
        for p in t.parts:
            for col, text in (
                (1, ind.code),
                (2, ind.name),
                (3, ind.unit),
                (5, p.org_unit.code),
                (6, p.org_unit.name),
            ):
                put_text(sheet.cell(row, col), text)
            for col, value in ((4, t.city_quota), (7, p.last_year), (8, p.quota)):
                if value is not None:
                    put(sheet.cell(row, col), value).number_format = fmt
            sheet.cell(row, 8).fill = PatternFill("solid", fgColor="FFF2CC")
            row += 1
    for col, width in zip("ABCDEFGH", (30, 28, 8, 12, 12, 14, 12, 12), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A3"
    sheet.cell(1, 1).alignment = Alignment(vertical="center")
    print_setup(sheet, title=f"{year}年年度目标任务分解", header_rows="2:2")
    return workbook_bytes(book)


def read_split_workbook(data: bytes, filename: str, *, year: int, tables: list[SplitTable]):
    """(typed, rest, problems) for the split page: the file's figures by indicator and org code as
    text, every indicator whose 市本级 row is left blank taken as "remainder at 市本级", and every
    problem by "code:org" (or "" for the file). Rows for indicators or units not on the page are
    named, not guessed."""
    wanted = {t.indicator.code: t for t in tables}
    typed = {code: {p.org_unit.code: "" for p in t.parts} for code, t in wanted.items()}
    problems: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    try:
        rows = _rows(data, filename)
        for number, cells in rows:
            code, org = cell_text(_at(cells, CODE)), cell_text(_at(cells, ORG))
            if number <= 2 or not code or code == HEADERS[0]:
                continue
            where = f"第{number}行"
            if code not in wanted or org not in typed[code]:
                problems.setdefault("", []).append(f"{where}:指标“{code}”、单位“{org}”不在本页的分解表中。")
                continue
            if (code, org) in seen:
                problems.setdefault(f"{code}:{org}", []).append(f"{where}重复,请只保留一行。")
            seen.add((code, org))
            text = cell_text(_at(cells, PART))
            try:
                read_figure(text, wanted[code].indicator)
            except (NumberError, UnitError) as error:
                problems.setdefault(f"{code}:{org}", []).append(f"{where}:{error}")
            typed[code][org] = text
    except FileProblem as error:
        return {}, set(wanted), {"": [str(error)]}
    rest = {code for code, t in wanted.items() if not typed[code].get(t.parts[0].org_unit.code)}
    if not seen and "" not in problems:
        problems[""] = [
            f"文件中没有找到分解数据:请使用本页“导出Excel”得到的文件,第2行为表头({'、'.join(HEADERS)})。"
        ]
    return typed, rest, problems


def _rows(data: bytes, filename: str):
    problem = size_problem(len(data), DEFAULT_MAX_BYTES)
    if problem:
        raise FileProblem(problem)
    meter = Meter(UPLOAD_BUDGET)
    kind = sniff(data, max_unpacked_bytes=UPLOAD_BUDGET.max_unpacked_bytes)
    for sheet in read_sheets(kind, data, filename, meter):
        if sheet.hidden:
            continue
        for row in sheet.rows:
            meter.check_time()
            yield row
        return


def _at(cells, index: int):
    return cells[index] if index < len(cells) else None
