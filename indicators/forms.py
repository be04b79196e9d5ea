"""Admin forms for monthly values and quotas. They hold no rules of their own: clean() asks the same
service checks every other door uses, for the person at the keyboard, and puts each problem next to
the field it concerns."""

from __future__ import annotations

from django import forms
from import_export.forms import SelectableFieldsExportForm

from common.errors import Problem

from .models import MonthlyValue, Quota
from .services import ValueEntry, monthly_values_check, quota_problems


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
        fields = ["indicator", "org_unit", "year", "month", "value", "remark"]

    def clean(self) -> dict:
        cleaned = super().clean()
        key = {name: self._key_value(name) for name in ("indicator", "org_unit", "year", "month")}
        value = cleaned.get("value")
        if None in key.values() or value is None:
            return cleaned  # the field errors already say what is missing
        where = f"{key['org_unit'].name}{key['year']}年{key['month']}月的“{key['indicator'].name}”"
        if self._already_stored(key, f"{where}已有数据,如需更正请打开该条记录修改。"):
            return cleaned
        entry = ValueEntry(**key, value=value, remark=cleaned.get("remark", ""))
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


class ChineseExportForm(SelectableFieldsExportForm):
    """The export page lists the columns by their Chinese headers, not by the resource's field names."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else field_name
