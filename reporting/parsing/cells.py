"""A cell's content, the same whichever program wrote the file: None, str, int, float, bool, a date,
an ExcelError, or NO_CACHED_VALUE (a formula whose result was never calculated and saved)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from .numbers import (
    EXCEL_ERRORS,
    MAX_INTEGER_DIGITS,
    NumberError,
    clean_text,
    float_to_decimal,
    parse_number,
    plain_decimal,
)


@dataclass(frozen=True, slots=True)
class ExcelError:
    """An error value such as #DIV/0!, stored as the cell's result."""

    code: str


class _NoCachedValue:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_CACHED_VALUE"


NO_CACHED_VALUE = _NoCachedValue()

_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def cell_text(value: object) -> str:
    """The cell as the person sees it, stripped: 429005001.0 -> "429005001", None -> ""."""
    if value is None or value is NO_CACHED_VALUE:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(float_to_decimal(value), "f")
    if isinstance(value, int | Decimal):
        return format(plain_decimal(Decimal(value)), "f")
    if isinstance(value, ExcelError):
        return value.code
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, _DATES):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return str(value).strip()


def cell_code(value: object) -> str:
    """A code (指标代码, 区划代码) compared as the system stores it: half-width, no spaces anywhere."""
    return clean_text(cell_text(value))


def header_name(value: object) -> str:
    """A header cell as a name: "本月 数值", "本月\\n数值" and "本月数值" are the same column."""
    return clean_text(cell_text(value)) if isinstance(value, str) else ""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def has_content(value: object) -> bool:
    """Something a person put there. Formula leftovers (an error value, or a formula never calculated)
    in a row without an indicator code carry no figure and are not counted."""
    return not is_blank(value) and value is not NO_CACHED_VALUE and not isinstance(value, ExcelError)


def cell_number(value: object) -> tuple[Decimal | None, str | None]:
    """A value cell as (figure, written unit); (None, None) for blank. Raises NumberError."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, bool):
        raise NumberError(f"单元格是逻辑值{cell_text(value)},不是数值。")
    if isinstance(value, int | float | Decimal):
        return _stored_number(value), None
    if isinstance(value, ExcelError):
        code = value.code if value.code in EXCEL_ERRORS else value.code or "#错误"
        raise NumberError(f"单元格是Excel错误值{code},请检查公式。")
    if value is NO_CACHED_VALUE:
        raise NumberError(
            "单元格是公式,但文件中没有保存计算结果,请用Excel或WPS打开文件、确认数值后保存,再重新上传。"
        )
    if isinstance(value, _DATES):
        raise NumberError(
            f"单元格是日期或时间({cell_text(value)}),不是数值。请把单元格格式改为“常规”或“数值”后重新填写。"
        )
    raise NumberError(f"单元格内容“{cell_text(value)}”不是数值。")


def _stored_number(value: int | float | Decimal) -> Decimal:
    if isinstance(value, float) and not math.isfinite(value):
        raise NumberError("单元格中的数值无效。")
    if isinstance(value, float):
        number = float_to_decimal(value)
    else:
        number = Decimal(value) if isinstance(value, int) else plain_decimal(value)
    if number.adjusted() >= MAX_INTEGER_DIGITS:
        raise NumberError(f"“{number:f}”数值过大,请核对。")
    return number
