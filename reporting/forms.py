from django import forms
from django.utils import timezone

from accounts.permissions import visible_org_units
from common.years import YEAR_MAX, YEAR_MIN
from orgs.models import OrgUnit


def default_period() -> tuple[int, int]:
    """The month being reported now: last month while it is still open, then this month."""
    from .services.locks import reporting_calendar

    return reporting_calendar().month_being_reported(timezone.localdate())


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=YEAR_MIN, max_value=YEAR_MAX)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, month = default_period()
        self.fields["year"].initial, self.fields["month"].initial = year, month


class UploadForm(PeriodForm):
    township = forms.ModelChoiceField(label="区镇街道", queryset=OrgUnit.objects.none(), empty_label=None)
    file = forms.FileField(label="月报文件", help_text="支持 .xlsx、.xls、.csv(UTF-8 或 GBK)")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = visible_org_units(user).filter(level=OrgUnit.Level.TOWNSHIP)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class UnlockForm(PeriodForm):
    township = forms.ModelChoiceField(label="区镇街道", queryset=OrgUnit.objects.none(), empty_label=None)
    days = forms.IntegerField(label="开放天数", min_value=1, max_value=31, initial=3)
    reason = forms.CharField(label="原因", max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The townships under the user's unit: another's is not offered (and lock_open refuses it).
        self.fields["township"].queryset = visible_org_units(user).filter(level=OrgUnit.Level.TOWNSHIP)
