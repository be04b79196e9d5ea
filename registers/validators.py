"""The rules register records share, each in one wording: a day that has not come, a month that has
not come, an end before its start, a part larger than its whole, a negative or zero amount. Every
domain model's clean() states its rules with these, so the admin, the API and the import refuse the
same thing in the same Chinese words. "Today" is the bureau's (Asia/Shanghai, timezone.localdate).

Each rule returns its message, or None when the value is fine (or not filled in: the field's own
"required" check speaks then); RecordErrors collects them field by field and raises them at once.

The rules a CHECK can hold — a part within its whole (`within`), an end on or after its start
(`on_or_after`), an amount not negative or above 0, a month or year in range (`*_rule`) — are declared
once, in the model's Meta.constraints: each is the database's CHECK and the message clean() gives
(RecordErrors.of), in the same words. The rules that change with the day (a date after today, a record
at the wrong level of unit) are declared in the model's `register` (registers.declaration.Register:
`happened`, `counted_at`); a model's clean() adds only what is its own."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q
from django.utils import timezone

from common.years import YEAR_MAX, YEAR_MIN
from orgs.models import OrgUnit

NEGATIVE = "{label}不能为负数(填写的是{value})。"


class RecordErrors(dict):
    """A record's problems, field by field, raised together as one ValidationError."""

    @classmethod
    def of(cls, record: models.Model) -> RecordErrors:
        """A record's problems, starting with what its declared pair rules (`within`, `on_or_after`)
        say: asked here in Python, so a batch of records validates without a query per rule and row."""
        errors = cls()
        for rule in record._meta.constraints:
            if isinstance(rule, RecordRule):
                errors.add(rule.field, rule.problem(record))
        declared = getattr(type(record), "register", None)
        if declared is not None:
            if declared.counted_at:
                what = declared.counted_as or str(record._meta.verbose_name)
                errors.add("org_unit", registered_at(record, list(declared.counted_at), what))
            for name in declared.happened:
                errors.add(name, has_happened(record, name))
        return errors

    def add(self, field: str, message: str | None) -> None:
        if message:
            self.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _number(value: Decimal | int) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


# The org levels as a register names them: a unit above the township keeps records of its own (本级:
# the city's 市本级, a county's or a prefecture's own), named together when a register allows them all.
LEVEL_NAMES = {
    OrgUnit.Level.PROVINCE: "省本级",
    OrgUnit.Level.PREFECTURE: "市(州)本级",
    OrgUnit.Level.COUNTY: "县(市、区)本级",
    OrgUnit.Level.TOWNSHIP: "区镇街道",
    OrgUnit.Level.VILLAGE: "村(社区)",
}
UPPER_NAME = "县级及以上单位本级"
# Where records of a unit's own (本级) or a township's count.
AT_UPPER = list(OrgUnit.UPPER_LEVELS)
AT_UPPER_OR_TOWNSHIP = [*OrgUnit.UPPER_LEVELS, OrgUnit.Level.TOWNSHIP]


def registered_at(record, levels: list[str], what: str) -> str | None:
    """The level of org unit a record may count at (a loan at a township; a case at the city or a
    township). Not set yet (an import row with an unknown code): the field's own check speaks."""
    org = record.org_unit if record.org_unit_id else None
    if org is None or org.level in levels:
        return None
    upper = set(OrgUnit.UPPER_LEVELS) <= set(levels)
    names = [UPPER_NAME] if upper else []
    names += [LEVEL_NAMES[level] for level in levels if not (upper and level in OrgUnit.UPPER_LEVELS)]
    where = "或".join(names)
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


def has_happened(record: models.Model, name: str) -> str | None:
    """A date (or a year) of what has happened, as its field is named: not after today (this year)."""
    value, field = getattr(record, name), record._meta.get_field(name)
    label = str(field.verbose_name)
    if isinstance(field, models.DateField):
        return not_after_today(value, label)
    return year_not_after_this_year(value, label)


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


class RecordRule(models.CheckConstraint):
    """A rule of one record declared once, in the model's Meta.constraints: the table's CHECK and, in
    Python, the message users read (RecordErrors.of, full_clean), naming `field`: no query, the shared
    wording. NULL passes the CHECK, as an empty value passes the message: the field's own "required"
    check speaks then. Migrations store a plain CheckConstraint: the rule's wording is code, not schema."""

    field: str
    fields: tuple[str, ...]  # what the rule reads: a field full_clean already refused skips it

    def problem(self, record: models.Model) -> str | None:
        raise NotImplementedError

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS) -> None:
        if exclude and any(name in exclude for name in self.fields):
            return
        if message := self.problem(instance):
            raise ValidationError({self.field: message})

    def deconstruct(self):
        _, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    # Django clones constraints through deconstruct(), which names the plain CheckConstraint.
    def clone(self) -> RecordRule:
        return copy.copy(self)


class PairRule(RecordRule):
    """A rule between two fields of one record: the CHECK `field` <lookup> `other`, named
    %(class)s_<field>_<verb>_<other>, and the message naming both values, with the fields' verbose
    names (or `label` for the first)."""

    lookup: ClassVar[str]
    verb: ClassVar[str]

    def __init__(self, field: str, other: str, *, label: str = "") -> None:
        self.field, self.other, self.label = field, other, label
        self.fields = (field, other)
        super().__init__(
            condition=Q(**{f"{field}__{self.lookup}": F(other)}),
            name=f"%(class)s_{field}_{self.verb}_{other}",
        )

    def labels(self, model: type[models.Model]) -> tuple[str, str]:
        first, second = (str(model._meta.get_field(name).verbose_name) for name in (self.field, self.other))
        return self.label or first, second

    def values(self, record: models.Model) -> tuple:
        return getattr(record, self.field), getattr(record, self.other)


class Within(PairRule):
    lookup, verb = "lte", "within"

    def problem(self, record: models.Model) -> str | None:
        return at_most(*self.values(record), *self.labels(type(record)))


class OnOrAfter(PairRule):
    lookup, verb = "gte", "after"

    def problem(self, record: models.Model) -> str | None:
        return not_before(*self.values(record), *self.labels(type(record)))


def within(part: str, whole: str, *, label: str = "") -> Within:
    """A count within the count it is part of (hired within applicants): the CHECK and the message."""
    return Within(part, whole, label=label)


def on_or_after(later: str, earlier: str) -> OnOrAfter:
    """An end (closing, removal, course end) on or after its start: the CHECK and the message."""
    return OnOrAfter(later, earlier)


class FieldRule(RecordRule):
    """A rule on one field's value: the CHECK under the name the migrations know, with the database's
    message, and the message naming the value typed, by `label` or else the field's verbose name."""

    def __init__(self, field: str, condition: Q, *, name: str, message: str, label: str = "") -> None:
        self.field, self.label = field, label
        self.fields = (field,)
        super().__init__(condition=condition, name=name, violation_error_message=message)

    def named(self, record: models.Model) -> str:
        return self.label or str(record._meta.get_field(self.field).verbose_name)


class _NotNegative(FieldRule):
    def problem(self, record: models.Model) -> str | None:
        return not_negative(getattr(record, self.field), self.named(record))


class _Positive(FieldRule):
    def problem(self, record: models.Model) -> str | None:
        return positive(getattr(record, self.field), self.named(record))


class _InRange(FieldRule):
    def __init__(self, field: str, low: int, high: int, *, name: str, message: str) -> None:
        self.low, self.high = low, high
        condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
        super().__init__(field, condition, name=name, message=message)

    def problem(self, record: models.Model) -> str | None:
        value = getattr(record, self.field)
        if value is not None and not self.low <= value <= self.high:
            return self.violation_error_message
        return None


def not_negative_rule(field: str, label: str, *, name: str) -> FieldRule:
    """An amount of 0 or more: the CHECK ("<label>不能为负数。") and the message with the value typed."""
    return _NotNegative(
        field, Q(**{f"{field}__gte": 0}), name=name, message=f"{label}不能为负数。", label=label
    )


def positive_rule(field: str, label: str, *, name: str) -> FieldRule:
    """An amount above 0: the CHECK ("<label>须大于0。") and the message with the value typed."""
    return _Positive(field, Q(**{f"{field}__gt": 0}), name=name, message=f"{label}须大于0。", label=label)


def in_range_rule(field: str, low: int, high: int, message: str, *, name: str) -> FieldRule:
    """A whole number from `low` to `high` (a loan's term in months): the CHECK and `message`."""
    return _InRange(field, low, high, name=name, message=message)


def month_rule(name: str) -> FieldRule:
    """A month of 1 to 12 (the field `month`)."""
    return in_range_rule("month", 1, 12, "月份须在1至12之间。", name=name)


def year_rule(name: str, *, field: str = "year", label: str = "年度") -> FieldRule:
    """A year within the portal's range (common.years)."""
    return in_range_rule(field, YEAR_MIN, YEAR_MAX, f"{label}须在{YEAR_MIN}至{YEAR_MAX}之间。", name=name)
