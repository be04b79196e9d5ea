from django import forms

from orgs.models import OrgUnit
from reporting.forms import PeriodForm


class RemindForm(PeriodForm):
    townships = forms.ModelMultipleChoiceField(
        label="区镇街道",
        queryset=OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP, is_active=True),
        error_messages={"required": "请至少选择一个区镇街道。"},
    )
    note = forms.CharField(label="催报附言(可不填)", max_length=500, required=False)
