"""Numbers as people write them in a township report, read exactly (Decimal, never float).

What a cell may hold and still be a number: thousands separators (1,234 and 1，234), full-width digits
and signs (１２３, －５), spaces of any kind around or inside, a trailing unit (12367人, 3.9亿元, 95%),
and the multipliers 万 and 亿 (1.2万 = 12000).

Blank means "not reported", never zero. A cell holding only a dash or a slash (-, —, ——, /) is read
as blank too: that is how the bureau's paper forms mark a figure that is not reported. “无” is NOT
read as blank: it may mean zero or "not applicable", so the person is asked to write 0 or leave it empty.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation

# Excel error values, as Excel, WPS and LibreOffice write them into a cell or a CSV.
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)

# Unit -> (what it counts, power of ten). Units of the same kind convert into each other.
UNIT_SCALES: dict[str, tuple[str, int]] = {
    "元": ("元", 0),
    "万元": ("元", 4),
    "亿元": ("元", 8),
    "人": ("人", 0),
    "万人": ("人", 4),
    "人次": ("人次", 0),
    "万人次": ("人次", 4),
    "件": ("件", 0),
    "笔": ("笔", 0),
    "张": ("张", 0),
    "家": ("家", 0),
    "户": ("户", 0),
    "个": ("个", 0),
    "%": ("%", 0),
}
_MULTIPLIERS = {"万": 4, "亿": 8}
BLANK_MARKS = frozenset({"-", "--", "—", "——", "–", "―", "/"})

# A number held by Excel has 15 significant digits; anything past that is binary noise
# (0.1 + 0.2 = 0.30000000000000004), so floats are read at Excel's precision.
EXCEL_DIGITS = 15
# More integer digits than the database keeps (20 digits, 6 after the point) is never a real figure.
MAX_INTEGER_DIGITS = 14
_WIDE = Context(prec=60)

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_SHOWN_MAX = 30


class NumberError(ValueError):
    """The text is not a number. str(error) is the Chinese message for the person who wrote it."""


class UnitError(ValueError):
    """The written unit cannot be turned into the indicator's unit. str(error) is the Chinese message."""


def shown(text: str) -> str:
    """Text quoted back to the user, cut short so one bad cell cannot flood the message."""
    text = text.strip()
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…"


def plain_decimal(value: Decimal) -> Decimal:
    """12.000000 -> 12, 12.340 -> 12.34, -0 -> 0; never an exponent on a whole number (1.2E+4 -> 12000)."""
    if value.is_zero():
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_WIDE)
    return value.normalize(_WIDE)


def float_to_decimal(number: float) -> Decimal:
    """A spreadsheet number as Excel shows it: 12367.0 -> 12367, 0.1 -> 0.1, 0.30000000000000004 -> 0.3."""
    return plain_decimal(Decimal(f"{number:.{EXCEL_DIGITS}g}"))


def clean_text(text: str) -> str:
    """Full-width to half-width, every kind of space removed: what is left is what the person meant."""
    text = unicodedata.normalize("NFKC", text).replace("−", "-")
    return _INVISIBLE.sub("", text)


def parse_number(text: str) -> tuple[Decimal | None, str | None]:
    """Read a figure as written. Returns (value, unit): (None, None) for blank / not reported,
    (12000, None) for “1.2万”, (3.9, "亿元") for “3.9亿元”. Raises NumberError with a Chinese message."""
    cleaned = clean_text(text)
    if not cleaned or cleaned in BLANK_MARKS:
        return None, None
    if cleaned.upper() in EXCEL_ERRORS:
        raise NumberError(f"单元格是Excel错误值{cleaned.upper()},请检查公式。")
    match = _GROUPED.match(cleaned) or _PLAIN.match(cleaned)
    if match is None:
        raise NumberError(_not_a_number(text, cleaned))
    number, rest = match.group(), cleaned[match.end() :]
    if "," in rest or rest[:1] in {".", "。"}:
        raise NumberError(_not_a_number(text, cleaned))
    value, unit = _apply_suffix(Decimal(number.replace(",", "")), rest, text)
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise NumberError(f"“{shown(text)}”数值过大,请核对。")
    return plain_decimal(value), unit


def _apply_suffix(value: Decimal, rest: str, text: str) -> tuple[Decimal, str | None]:
    """万/亿 multiply unless they belong to a unit of their own (万元, 亿元, 万人 are kept as units)."""
    if not rest:
        return value, None
    if rest in UNIT_SCALES:
        return value, rest
    if rest[0] in _MULTIPLIERS and (rest[1:] in UNIT_SCALES or not rest[1:]):
        return value.scaleb(_MULTIPLIERS[rest[0]], _WIDE), rest[1:] or None
    units = "、".join(UNIT_SCALES)
    raise NumberError(f"“{shown(text)}”中的“{shown(rest)}”无法识别,请只填写数字,可带单位({units})。")


def _not_a_number(text: str, cleaned: str) -> str:
    if cleaned == "无":
        return "填写的是“无”,不是数值:本月为零请填0,不填报请留空。"
    if "。" in cleaned and any(c.isdigit() for c in cleaned):
        return f"“{shown(text)}”中的“。”是中文句号,小数点请用英文句点“.”。"
    if "," in cleaned and any(c.isdigit() for c in cleaned):
        return f"“{shown(text)}”中的逗号位置不对:千位分隔符应每三位一个(如“1,234”),也可以不写逗号。"
    return f"填写的是“{shown(text)}”,不是数值。请填写数字,不填报请留空。"


def to_indicator_unit(value: Decimal, written_unit: str | None, indicator_unit: str) -> Decimal:
    """The figure in the indicator's own unit: 3.9亿元 -> 39000 for a 万元 indicator, 1.2万人 -> 12000
    for a 人 indicator. No written unit means the indicator's unit. Raises UnitError for units that
    count different things (元 for a 人 indicator)."""
    if written_unit is None or written_unit == indicator_unit:
        return value
    written, wanted = UNIT_SCALES.get(written_unit), UNIT_SCALES.get(indicator_unit)
    if written is None or wanted is None or written[0] != wanted[0]:
        raise UnitError(
            f"填写的单位“{written_unit}”与指标的计量单位“{indicator_unit}”不符,"
            f"请按“{indicator_unit}”填写,或只填数字。"
        )
    try:
        return plain_decimal(value.scaleb(written[1] - wanted[1], _WIDE))
    except InvalidOperation:  # only for absurd exponents, which parse_number never returns
        raise UnitError(f"数值“{value}”无法换算为“{indicator_unit}”。") from None
