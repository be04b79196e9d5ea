"""The rules register records share, each in one wording: a day that has not come, a month that has
not come, an end before its start, a part larger than its whole, a negative or zero amount. Every
domain model's clean() states its rules with these, so the admin, the API and the import refuse the
same thing in the same Chinese words. "Today" is the bureau's (Asia/Shanghai, timezone.localdate).

Each rule returns its message, or None when the value is fine (or not filled in: the field's own
"required" check speaks then); RecordErrors collects them field by field and raises them at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone

from orgs.models import OrgUnit

NEGATIVE = "{label}不能为负数(填写的是{value})。"


class RecordErrors(dict):
    """A record's problems, field by field, raised together as one ValidationError."""

    def add(self, field: str, message: str | None) -> None:
        if message:
            self.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _number(value: Decimal | int) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


# The org levels as a register names them (the city's own records are 市本级).
LEVEL_NAMES = {
    OrgUnit.Level.CITY: "市本级",
    OrgUnit.Level.TOWNSHIP: "区镇街道",
    OrgUnit.Level.VILLAGE: "村(社区)",
}


def registered_at(record, levels: list[str], what: str) -> str | None:
    """The level of org unit a record may count at (a loan at a township; a case at the city or a
    township). Not set yet (an import row with an unknown code): the field's own check speaks."""
    org = record.org_unit if record.org_unit_id else None
    if org is None or org.level in levels:
        return None
    where = "或".join(LEVEL_NAMES[level] for level in levels)
    return f"{what}须登记在{where},“{org.name}”是{LEVEL_NAMES[org.level]}。"


def not_after_today(day: date | None, label: str) -> str | None:
    """Registers record what has happened: a date after today is a typing error."""
    if day is not None and day > timezone.localdate():
        return f"{label}({day:%Y-%m-%d})晚于今天,不能登记未发生的事项。"
    return None


def year_not_after_this_year(year: int | None, label: str) -> str | None:
    if year is not None and year > timezone.localdate().year:
        return f"{label}({year}年)晚于今年,不能登记未发生的事项。"
    return None


def month_has_come(year: int | None, month: int | None) -> str | None:
    """A monthly figure's month, once it has begun (the month in progress counts)."""
    if year is None or month is None:
        return None
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        return f"{year}年{month}月尚未到来,不能登记。"
    return None


def not_before(later: date | None, earlier: date | None, later_label: str, earlier_label: str) -> str | None:
    """An end (closing, removal, course end) on or after its start."""
    if later is not None and earlier is not None and later < earlier:
        return f"{later_label}({later:%Y-%m-%d})不能早于{earlier_label}({earlier:%Y-%m-%d})。"
    return None


def at_most(part: int | None, whole: int | None, part_label: str, whole_label: str) -> str | None:
    """A count within the count it is part of (hired within applicants)."""
    if part is not None and whole is not None and part > whole:
        return f"{part_label}({part})不能大于{whole_label}({whole})。"
    return None


def not_negative(amount: Decimal | int | None, label: str) -> str | None:
    if amount is not None and amount < 0:
        return NEGATIVE.format(label=label, value=_number(amount))
    return None


class NotNegative(MinValueValidator):
    """The same rule as a field's validator (counts: checked by full_clean and the API field by field)."""

    def __init__(self, label: str):
        super().__init__(0, message=NEGATIVE.format(label=label, value="%(show_value)s"))


def positive(amount: Decimal | int | None, label: str) -> str | None:
    if amount is not None and amount <= 0:
        return f"{label}须大于0(填写的是{_number(amount)})。"
    return None
