"""Admin forms for monthly values and quotas. They hold no rules of their own: clean() asks the same
service checks every other door uses, for the person at the keyboard, and puts each problem next to
the field it concerns."""

from __future__ import annotations

from django import forms
from import_export.forms import SelectableFieldsExportForm

from common.errors import Problem
from common.years import YEAR_MAX, YEAR_MIN

from .models import Indicator, MonthlyValue, Quota, ValidationRule
from .services import ValueEntry, monthly_values_check, quota_problems
from .sets import EDITABLE, RULE_FIELDS, indicator_problems, rule_problems


class _ServiceCheckedForm(forms.ModelForm):
    """A figure's key fields are read-only on the change form (a different cell is a new figure),
    so the key is taken from the form where it is editable and from the stored row where it is not."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _key_value(self, name: str):
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name)

    def _already_stored(self, key: dict, message: str) -> bool:
        """On the add form, a cell that already has a figure is refused: it is corrected on its own
        page, where the history shows what is being replaced. (The error sits on a key field, so
        Django's generic unique-constraint message is not shown as well.)"""
        if self.instance.pk is not None or not self._meta.model.objects.filter(**key).exists():
            return False
        self.add_error("indicator", message)
        return True

    def _attach(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)


class MonthlyValueForm(_ServiceCheckedForm):
    class Meta:
        model = MonthlyValue
        fields = ["indicator", "org_unit", "year", "month", "value", "remark", "explanation"]

    def clean(self) -> dict:
        cleaned = super().clean()
        key = {name: self._key_value(name) for name in ("indicator", "org_unit", "year", "month")}
        value = cleaned.get("value")
        if None in key.values() or value is None:
            return cleaned  # the field errors already say what is missing
        where = f"{key['org_unit'].name}{key['year']}年{key['month']}月的“{key['indicator'].name}”"
        if self._already_stored(key, f"{where}已有数据,如需更正请打开该条记录修改。"):
            return cleaned
        entry = ValueEntry(
            **key, value=value, remark=cleaned.get("remark", ""), explanation=cleaned.get("explanation", "")
        )
        self._attach(monthly_values_check(entries=[entry], user=self.user))
        return cleaned


class QuotaForm(_ServiceCheckedForm):
    class Meta:
        model = Quota
        fields = ["indicator", "org_unit", "year", "target", "note"]

    def clean(self) -> dict:
        cleaned = super().clean()
        key = {name: self._key_value(name) for name in ("indicator", "org_unit", "year")}
        if None in key.values() or "target" not in cleaned:
            return cleaned
        where = f"{key['org_unit'].name}{key['year']}年“{key['indicator'].name}”的年度目标"
        if self._already_stored(key, f"{where}已设定,如需更正请打开该条记录修改。"):
            return cleaned
        self._attach(quota_problems(**key, target=cleaned["target"], user=self.user))
        return cleaned


class _YearScopedForm(forms.ModelForm):
    """A form of one year's set: the indicators it may point at are that year's."""

    year_fields: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        year = self.instance.year if self.instance.pk else self.initial.get("year")
        for name in self.year_fields:
            if name in self.fields:
                self.fields[name].queryset = Indicator.objects.filter(year=year).order_by(
                    "sort_order", "code"
                )

    def _attach(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)


class IndicatorSetForm(_YearScopedForm):
    """An indicator of one year's set. The year comes from the set being kept (the add link carries it),
    the code is typed once and never changes; everything else follows the service's checks."""

    year_fields = ("parent", "numerator", "denominator")

    class Meta:
        model = Indicator
        fields = ["year", "code", *EDITABLE]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = self.instance if self.instance.pk else Indicator()
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        self._attach(indicator_problems(candidate, adding=self.instance.pk is None))
        return cleaned


class ValidationRuleForm(_YearScopedForm):
    year_fields = ("indicator", "right_indicator")

    class Meta:
        model = ValidationRule
        fields = ["year", *RULE_FIELDS]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = ValidationRule(pk=self.instance.pk, builtin=self.instance.builtin)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        self._attach(rule_problems(candidate))
        return cleaned


class CopyYearForm(forms.Form):
    from_year = forms.TypedChoiceField(label="复制哪一年的指标体系", coerce=int)
    to_year = forms.IntegerField(label="建立哪一年", min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(y, f"{y}年") for y in sorted(years, reverse=True)]
        if years:
            self.fields["from_year"].initial = max(years)
            self.fields["to_year"].initial = max(years) + 1


class ChineseExportForm(SelectableFieldsExportForm):
    """The export page lists the columns by their Chinese headers, not by the resource's field names."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else field_name
