"""Where things are in a report sheet: the header row and its columns, the visible 区划代码 and
报表期 cells above it, the hidden `_meta` sheet, and the sign-off rows below the figures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from common.errors import Problem

from .cells import cell_code, cell_text, has_content, header_name
from .numbers import clean_text, shown

HEADER_SCAN_ROWS = 15
CODE_HEADER = "指标代码"
VALUE_HEADERS = ("本月数值", "数值", "本月数", "填报数值")
ORG_HEADER = "区划代码"
REMARK_HEADER = "备注"
NAME_HEADER = "指标名称"
# Where a township explains a figure a 核实 rule flags (indicators.rules); older templates have none.
EXPLANATION_HEADERS = ("核实说明", "情况说明")
_ROLES = (
    {CODE_HEADER: "code", ORG_HEADER: "org", REMARK_HEADER: "remark"}
    | dict.fromkeys(VALUE_HEADERS, "value")
    | dict.fromkeys(EXPLANATION_HEADERS, "explanation")
)
META_SHEET = "_meta"
GUIDE_WORD = "说明"
META_MAX_ROWS = 50

# "区划代码:" / "报表期:" above the header, the value in the same cell after the colon or in the next
# non-empty cell to the right. The colon is required before text in the same cell, so a title such as
# “报表期间说明” is not taken for a label.
_LABEL = re.compile(r"^(区划代码|报表期|报告期)(?::(.*))?$")
_PERIOD = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月份?)?$|^(\d{4})(\d{2})$")
# Sign-off and note rows under the figures (统计报表 carry 单位负责人、填表人、联系电话、报出日期):
# they are not figures and are skipped, whichever column their label is in.
_SIGN_OFF = re.compile(
    r"^(单位负责人|统计负责人|负责人|填表人|填报人|审核人|制表人|联系人|联系电话|电话|"
    r"填表日期|填报日期|报出日期|注|说明)(?::|$)"
)
# A total row under (or between) the figures: a 合计 is no indicator of its own, and every indicator's
# figure is read from its own row, so the row is left out, not refused. Told by its label, whichever
# column it is in (“合计”, “合 计”, “本月合计”, “小计:”).
_TOTAL = re.compile(r"^(?:本月|本期|全部|各项)?(?:合计|总计|小计)数?:?$")


@dataclass(frozen=True)
class Columns:
    """0-based positions of the recognised columns in a sheet's header row."""

    header_row: int
    code: int
    value: int
    org: int | None
    remark: int | None
    value_name: str = VALUE_HEADERS[0]  # the value column's header as the file writes it
    name: int | None = None  # 指标名称: what the person reads on the row, quoted in its problems
    explanation: int | None = None

    @property
    def value_letter(self) -> str:
        return get_column_letter(self.value + 1)

    @property
    def code_letter(self) -> str:
        return get_column_letter(self.code + 1)


@dataclass(frozen=True)
class Found:
    """A township code or a period read from a visible cell, with where it was found."""

    value: object  # str for a township, (year, month) for a period
    sheet: str
    row: int
    column: str

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet}”第{self.row}行{self.column}列"


def is_skipped_sheet(name: str) -> bool:
    """`_meta`, and instructions (填报说明, and 填表说明 or 使用说明 in a hand-made file): their
    explanation of the 指标代码 column is not a table."""
    name = clean_text(name).lower()
    return name == META_SHEET or GUIDE_WORD in name


def is_meta_sheet(name: str) -> bool:
    return clean_text(name).lower() == META_SHEET


def is_header(values: Sequence[object]) -> bool:
    return any(header_name(v) == CODE_HEADER for v in values)


def header_columns(sheet: str, row: int, values: Sequence[object]) -> Columns | list[Problem]:
    """The recognised columns of a header row, or the problems that make the sheet unreadable."""
    found: dict[str, list[int]] = {}
    for index, value in enumerate(values):
        role = _ROLES.get(header_name(value))
        if role:
            found.setdefault(role, []).append(index)
    problems = []
    for indexes in found.values():
        if len(indexes) > 1:
            names = "、".join(f"{get_column_letter(i + 1)}列“{header_name(values[i])}”" for i in indexes)
            problems.append(
                Problem(
                    f"表头中有{len(indexes)}个同类的列({names}),系统无法确定用哪一列,请只保留一列。",
                    sheet=sheet,
                    row=row,
                    column=get_column_letter(indexes[1] + 1),
                )
            )
    if "value" not in found:
        others = "”“".join(VALUE_HEADERS[1:])
        problems.append(
            Problem(
                f"表头中没有数值列:请把填写本月数据的列命名为“{VALUE_HEADERS[0]}”(也可以叫“{others}”)。",
                sheet=sheet,
                row=row,
            )
        )
    if problems:
        return problems
    first = {role: indexes[0] for role, indexes in found.items()}
    value_name = header_name(values[first["value"]])
    # The name column only labels the row (several are harmless: the first is quoted).
    name = next((i for i, v in enumerate(values) if header_name(v) == NAME_HEADER), None)
    return Columns(
        row,
        first["code"],
        first["value"],
        first.get("org"),
        first.get("remark"),
        value_name,
        name,
        first.get("explanation"),
    )


def is_sign_off(values: Sequence[object]) -> bool:
    """A 填报人: / 联系电话: / 注: row, told by its first non-empty cell."""
    first = next((v for v in values if has_content(v)), None)
    return isinstance(first, str) and is_sign_off_label(clean_text(first))


def is_sign_off_label(text: str) -> bool:
    return _SIGN_OFF.match(text) is not None


def is_total_label(text: str) -> bool:
    return _TOTAL.match(text) is not None


def total_label(values: Sequence[object]) -> str | None:
    """The 合计/总计/小计 label of a total row, as written, or None."""
    for value in values:
        if isinstance(value, str) and is_total_label(clean_text(value)):
            return value.strip()
    return None


def visible_labels(
    sheet: str, rows: Iterable[tuple[int, Sequence[object]]], problems: list[Problem]
) -> tuple[Found | None, Found | None]:
    """(township, period) from the labelled cells above the header; a period that cannot be read is
    a problem. The first label of each kind counts."""
    township = period = None
    for row, values in rows:
        for index, value in enumerate(values):
            match = _LABEL.match(clean_text(value)) if isinstance(value, str) else None
            if match is None:
                continue
            target = _label_value(values, index, match.group(2))
            if target is None:
                continue
            text_index, content = target
            column = get_column_letter(text_index + 1)
            if match.group(1) == "区划代码":
                township = township or Found(cell_code(content), sheet, row, column)
            elif period is None:
                parsed = read_period(content)
                if parsed is None:
                    problems.append(_period_problem(content, sheet, row, column))
                else:
                    period = Found(parsed, sheet, row, column)
    return township, period


def _label_value(values: Sequence[object], index: int, rest: str | None) -> tuple[int, object] | None:
    if rest:
        return index, rest
    for right in range(index + 1, len(values)):
        value = values[right]
        if has_content(value):
            # "区划代码:" left empty, followed by the next label: no value, not the label as one.
            is_label = isinstance(value, str) and _LABEL.match(clean_text(value)) is not None
            return None if is_label else (right, value)
    return None


def read_period(value: object) -> tuple[int, int] | None:
    """(year, month) from 2024年12月, 2024-12, 2024/12, 2024.12, 202412, or a date cell."""
    if isinstance(value, dt.date):
        return value.year, value.month
    match = _PERIOD.match(clean_text(cell_text(value)))
    if match is None:
        return None
    year, month = (int(g) for g in match.groups() if g is not None)
    return (year, month) if 1 <= month <= 12 else None


def _period_problem(value: object, sheet: str, row: int, column: str) -> Problem:
    return Problem(
        f"报表期“{shown(cell_text(value))}”无法识别,请写成“2024年12月”或“2024-12”的形式。",
        sheet=sheet,
        row=row,
        column=column,
    )


@dataclass
class Meta:
    """What the template's hidden `_meta` sheet says about the file."""

    township_code: str | None = None
    year: int | None = None
    month: int | None = None
    template_version: int | None = None


_META_FIELDS = {"township_code": "区划代码", "year": "年份", "month": "月份", "template_version": "模板版本"}


def read_meta(sheet: str, rows: Iterable[tuple[int, Sequence[object]]], problems: list[Problem]) -> Meta:
    """Key in column A, value in column B. Unknown keys are ignored; a broken value is a problem."""
    meta = Meta()
    for row, values in rows:
        if row > META_MAX_ROWS:
            break
        key = cell_text(values[0]).lower() if values else ""
        value = values[1] if len(values) > 1 else None
        if key not in _META_FIELDS or not has_content(value):
            continue
        if key == "township_code":
            meta.township_code = cell_code(value)
            continue
        number = _whole_number(value)
        if number is None or (key == "month" and not 1 <= number <= 12):
            # No sheet, row or column: `_meta` is hidden, and pointing the person at it helps nobody.
            problems.append(
                Problem(
                    f"模板中隐藏保存的{_META_FIELDS[key]}已被改动(现在是“{shown(cell_text(value))}”),"
                    "系统无法确认这份文件属于哪个区镇街道和月份。"
                    "请重新下载本月的模板,把数据填入新模板后再上传。"
                )
            )
            continue
        setattr(meta, key, number)
    return meta


def _whole_number(value: object) -> int | None:
    text = clean_text(cell_text(value))
    return int(text) if text.isdigit() and len(text) <= 9 else None
