from __future__ import annotations

from django import forms

from .models import Kind, Outcome
from .selectors import EventSearch


class EventSearchForm(forms.Form):
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    username = forms.CharField(label="账号", required=False, max_length=150)
    kind = forms.ChoiceField(label="事件", required=False, choices=[("", "全部"), *Kind.choices])
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *Outcome.choices])
    source_ip = forms.GenericIPAddressField(label="来源地址", required=False)
    text = forms.CharField(label="对象或说明包含", required=False, max_length=100)

    def search(self) -> EventSearch:
        """An invalid form searches nothing more narrowly than what was valid in it."""
        if not self.is_bound:
            return EventSearch()
        self.is_valid()
        return EventSearch(**{name: value for name, value in self.cleaned_data.items() if value})
