"""The spreadsheet cells of every register, read as bureau staff and the townships type them and written
back the same way: one widget a kind of cell, used by all the domain apps' resources (and the
indicator imports), so a date, a 是/否 or a choice is read by the same rule on every sheet.

Each widget is given the column's Chinese name, and a cell it cannot read is refused with a message
naming the column, the value and what may be written instead (import-export adds the row). Nothing
is guessed: an unknown 是/否 or choice is refused, never read as 否 or left blank. Numbers are exact
Decimals (never floats); each `render` writes what `clean` reads back, so an exported file imports
again unchanged."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import models
from import_export import widgets

from reporting.parsing.numbers import plain_decimal


def cell_text(value, *, normalize: bool = True) -> str:
    """A cell as text. Excel turns 429005001 into 429005001.0; WPS users type full-width digits and
    punctuation (１２３，2024－3－5), folded to plain ones unless `normalize` is off (names keep theirs)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return (unicodedata.normalize("NFKC", text) if normalize else text).strip()


def _native(kwargs) -> bool:
    """xlsx keeps numbers and dates as such; csv and the preview want text."""
    return bool(kwargs.get("force_native_type"))


class CellWidget(widgets.Widget):
    """A widget that knows its column's Chinese name, for its messages."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label


class TextWidget(CellWidget):
    """Text as typed (names keep their full-width brackets); a number Excel stored for a case or loan
    number (2024001.0) comes back as 2024001."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value, normalize=False)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------- dates

_DAY = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
# Excel's 1900 date system (serial 45356 is 2024-03-05). Serials are read from 10000 (1927-05-18) on:
# a smaller number in a date column is a year or a day typed alone (2024, 5), not a date cell.
_EXCEL_DAY_ZERO = date(1899, 12, 30)
_EXCEL_FIRST, _EXCEL_LAST = 10000, 2958465  # 9999-12-31
DAY_FORMS = "2024-03-05、2024/3/5、2024年3月5日、2024.3.5,或Excel的日期单元格"


def excel_serial_day(serial: int) -> date | None:
    """The day an Excel serial number stands for (45356 → 2024-03-05), None if it stands for none."""
    if not _EXCEL_FIRST <= serial <= _EXCEL_LAST:
        return None
    return _EXCEL_DAY_ZERO + timedelta(days=serial)


class DayWidget(CellWidget):
    """A date: a date cell, an Excel serial number (a date cell formatted as a number), or typed as
    2024-03-05, 2024/3/5, 2024年3月5日 or 2024.3.5. Exported as 2024-03-05 (a date cell in xlsx)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        if not text:
            return None
        day = None
        if re.fullmatch(r"\d{1,7}", text):
            day = excel_serial_day(int(text))
        elif found := _DAY.fullmatch(text):
            try:
                day = date(*(int(part) for part in found.groups()))
            except ValueError:
                day = None  # 2024-02-30
        if day is None:
            raise ValueError(f"{self.label}“{text}”不是有效的日期,请写成{DAY_FORMS}。")
        return day

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if _native(kwargs) else ""
        return value if _native(kwargs) else value.isoformat()


# ---------------------------------------------------------------------------------------- yes/no

YES_NO_FORMS = "是/否(也可填有/无、Y/N、1/0、TRUE/FALSE)"

_YES = {"是", "有", "y", "1", "true"}
_NO = {"否", "无", "n", "0", "false"}


class YesNoWidget(CellWidget):
    """是/否, 有/无, Y/N, 1/0 or TRUE/FALSE (any case, full-width too); anything else is refused, never
    read as 否. `blank` is what an empty cell means (the field's default); None: the cell is required."""

    def __init__(self, label: str, *, blank: bool | None = None):
        super().__init__(label)
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value)
        if not text and self.blank is not None:
            return self.blank
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        shown = f"“{text}”无效" if text else "不能为空"
        raise ValueError(f"{self.label}{shown},请填{YES_NO_FORMS}。")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("是" if value else "否")


# ---------------------------------------------------------------------------------------- choices


class ChoiceWidget(CellWidget):
    """A choice by the label users read (个人, 高级工), as exported; its stored value, and the start of a
    label that begins no other (养老 for 养老保险, not 高级 for 高级工 or 高级技师), are accepted too.
    `choices`: a TextChoices class or (value, label) pairs. A blank cell is "" (the model says whether
    the field may be blank)."""

    def __init__(self, label: str, choices):
        super().__init__(label)
        self.choices = dict(getattr(choices, "choices", choices))

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value, normalize=False)
        if not text:
            return ""
        for stored, shown in self.choices.items():
            if text in (stored, shown):
                return stored
        # The short name people write (养老 for 养老保险), when it begins one label only.
        begun = [
            stored for stored, shown in self.choices.items() if len(text) >= 2 and shown.startswith(text)
        ]
        if len(begun) == 1:
            return begun[0]
        raise ValueError(f"{self.label}“{text}”无效,须为:{'、'.join(self.choices.values())}。")

    def render(self, value, obj=None, **kwargs):
        return self.choices.get(value, value or "")


# ---------------------------------------------------------------------------------------- numbers

# 12367, 12,367 or 1,234.5 (separators only in threes); no exponents, no words.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def _number(value, label: str) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError(f"{label}“{value}”不是有效的数字。")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)  # the shortest text that is this float: what the cell shows
    text = cell_text(value).replace(" ", "")
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"{label}“{text}”不是有效的数字。")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{label}“{text}”不是有效的数字。") from None


class DecimalWidget(CellWidget):
    """Money, rates and figures: exact decimals in (12,367.5 and full-width digits as people write
    them), plain numbers out (12, not 12.000000)."""

    def clean(self, value, row=None, **kwargs):
        return _number(value, self.label)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if _native(kwargs) else ""
        plain = plain_decimal(Decimal(value))
        return plain if _native(kwargs) else format(plain, "f")


class WholeNumberWidget(CellWidget):
    """Counts, years and months. Excel may hand over 2024 as 2024.0 or "2024.0"; 3.5 or 三月 is refused
    (a negative count is the model's to refuse, in its words)."""

    def clean(self, value, row=None, **kwargs):
        try:
            number = _number(value, self.label)
        except ValueError:
            number = Decimal("NaN")
        if number is None:
            return None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"{self.label}“{cell_text(value)}”须为整数。")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if _native(kwargs) else ""
        return value if _native(kwargs) else str(value)


# ---------------------------------------------------------------------------------------- related records


class LookupWidget(widgets.ForeignKeyWidget):
    """A related record by one of its fields (an org unit or indicator by its code, a station or a
    certification body by its name), with a Chinese message when there is none. One lookup per value
    per file, not per row."""

    def __init__(self, label: str, model, *, field: str = "code", missing: str = "请核对。"):
        super().__init__(model, field=field)
        self.label, self.missing = label, missing
        self._found: dict[str, object] = {}

    def clean(self, value, row=None, **kwargs):
        key = cell_text(value, normalize=self.field == "code")
        if not key:
            return None
        if key not in self._found:
            self._found[key] = self.get_queryset(value, row, **kwargs).filter(**{self.field: key}).first()
        if self._found[key] is None:
            raise ValueError(f"{self.label}“{key}”不存在,{self.missing}")
        return self._found[key]


# ---------------------------------------------------------------------------------------- by field type


def widget_for(field: models.Field, label: str) -> widgets.Widget:
    """The widget that reads a model field's cells, by the field's type. A related record is found by
    what its register is named by (a station by its name, registers.declaration.Register.named_by),
    anything else (an org unit) by its code; 是/否 left blank means the field's default."""
    if field.many_to_one:
        register = getattr(field.related_model, "register", None)
        if register is None:
            return LookupWidget(label, field.related_model)
        return LookupWidget(label, field.related_model, field=register.named_by, missing=register.unknown)
    if field.choices:
        return ChoiceWidget(label, field.choices)
    if isinstance(field, models.BooleanField):
        return YesNoWidget(label, blank=field.default if field.has_default() else None)
    kinds = [
        (models.DateField, DayWidget),
        (models.DecimalField, DecimalWidget),
        (models.IntegerField, WholeNumberWidget),
    ]
    return next((widget(label) for kind, widget in kinds if isinstance(field, kind)), TextWidget(label))
