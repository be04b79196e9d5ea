"""The bureau's back office for the facts: entry and correction of monthly values and quotas, one at a
time or by spreadsheet, and the history of every change. Every save and delete goes through the
services, so the admin applies the same rules and leaves the same history as every other door."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportModelAdmin

from common.admin import BureauOnlyAdminMixin, ReadOnlyAdminMixin, ServiceWriteAdminMixin
from common.export_formats import SAFE_FORMATS
from common.numbers import format_figure

from . import set_admin  # noqa: F401  (registers the year sets' admin)
from .forms import ChineseExportForm, MonthlyValueForm, QuotaForm
from .models import VALUE_PLACES, Channel, FigureChange, MonthlyValue, Quota
from .resources import MonthlyValueResource, QuotaResource
from .services import monthly_value_set, monthly_values_delete, quota_delete, quota_set

HISTORY_SHOWN = 10


def shown(value: Decimal | None) -> str:
    """A stored figure as people write it: 12,367 or 12.34; '—' when there is none (never 0)."""
    return format_figure(value, VALUE_PLACES)


def remark_change(change: FigureChange) -> str:
    """The remark (a quota's note) before → after, when the change touched it; else what it stayed."""
    if change.old_remark == change.new_remark:
        return change.new_remark
    return f"“{change.old_remark}” → “{change.new_remark}”"


class _FigureAdmin(ServiceWriteAdminMixin, BureauOnlyAdminMixin, ImportExportModelAdmin):
    """What monthly values and quotas share: key fields fixed once a row exists, the cell's history on
    its page, import and export of xlsx and csv, every write through the services."""

    key_fields: tuple[str, ...] = ()
    subject = ""
    list_select_related = ["indicator", "org_unit", "updated_by"]
    search_fields = ["indicator__code", "indicator__name", "org_unit__name", "org_unit__code"]
    autocomplete_fields = ["indicator"]
    audit_fields = ("channel", "updated_by", "updated_at", "figure_history")
    formats = SAFE_FORMATS
    export_form_class = ChineseExportForm
    import_template_name = "admin/indicators/import.html"
    # The FigureChange history records every imported figure; admin LogEntries would also point at
    # rows import-export never saved itself.
    skip_admin_log = True

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.key_fields, *self.audit_fields)

    def get_changeform_initial_data(self, request) -> dict:
        today = timezone.localdate()
        return {"year": today.year, "month": today.month, **super().get_changeform_initial_data(request)}

    @admin.display(description="单位")
    def unit(self, obj) -> str:
        return obj.indicator.unit

    @admin.display(description="修改记录")
    def figure_history(self, obj) -> str:
        cell = {
            "subject": self.subject,
            "indicator__id__exact": obj.indicator_id,
            "org_unit__id__exact": obj.org_unit_id,
            "year": obj.year,
        }
        if getattr(obj, "month", None):
            cell["month"] = obj.month
        changes = FigureChange.objects.filter(**cell).order_by("-changed_at", "-id")[:HISTORY_SHOWN]
        url = reverse("admin:indicators_figurechange_changelist") + "?" + urlencode(cell)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(c.changed_at).strftime("%Y-%m-%d %H:%M"),
                    c.changed_by_name,
                    shown(c.old_value),
                    shown(c.new_value),
                    remark_change(c),
                    c.get_channel_display(),
                    c.note,
                )
                for c in changes
            ),
        )
        if not changes:
            return format_html("暂无修改记录。")
        return format_html(
            "<table><thead><tr><th>修改时间</th><th>修改人</th><th>原值 → 新值</th><th>备注</th><th>渠道</th>"
            '<th>说明</th></tr></thead><tbody>{}</tbody></table><p><a href="{}">查看全部修改记录</a></p>',
            rows,
            url,
        )

    def process_result(self, result, request):
        """The confirmed run re-checks the file; if the data changed in between and a row no longer
        passes, nothing was written, and the person must hear so (not "import finished")."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        problems = [str(e.error) for e in result.base_errors]
        for row in result.invalid_rows:
            for column, errors in row.error_dict.items():
                problems += [f"第{row.number + 1}行 {column}:{e}" for e in errors]
        self.message_user(request, "导入未完成,没有写入任何数据:" + ";".join(problems), messages.ERROR)
        return HttpResponseRedirect(reverse(f"admin:indicators_{self.opts.model_name}_import"))


@admin.register(MonthlyValue)
class MonthlyValueAdmin(_FigureAdmin):
    form = MonthlyValueForm
    resource_classes = [MonthlyValueResource]
    key_fields = ("indicator", "org_unit", "year", "month")
    subject = FigureChange.Subject.VALUE
    list_display = [
        "indicator",
        "org_unit",
        "year",
        "month",
        "figure",
        "unit",
        "remark",
        "channel",
        "updated_by",
        "updated_at",
    ]
    list_filter = [
        "year",
        "month",
        ("org_unit", admin.RelatedOnlyFieldListFilter),
        "indicator__area",
        "channel",
    ]
    fieldsets = [
        (None, {"fields": ["indicator", "org_unit", ("year", "month"), "value", "remark", "explanation"]}),
        ("来源与修改记录", {"fields": ["channel", ("updated_by", "updated_at"), "figure_history"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.fieldsets[:1]

    @admin.display(description="数值", ordering="value")
    def figure(self, obj: MonthlyValue) -> str:
        return format_figure(obj.value, obj.indicator.value_places)

    def save_model(self, request, obj: MonthlyValue, form, change: bool) -> None:
        stored = monthly_value_set(
            indicator=obj.indicator,
            org_unit=obj.org_unit,
            year=obj.year,
            month=obj.month,
            value=obj.value,
            remark=obj.remark,
            explanation=obj.explanation,
            user=request.user,
            channel=Channel.ADMIN,
        )
        obj.pk = stored.pk  # the admin's messages and redirect name the stored row

    def delete_model(self, request, obj: MonthlyValue) -> None:
        monthly_values_delete(values=[obj], user=request.user, channel=Channel.ADMIN)

    def delete_queryset(self, request, queryset) -> None:
        values = list(queryset.select_related("indicator", "org_unit"))
        monthly_values_delete(values=values, user=request.user, channel=Channel.ADMIN)


@admin.register(Quota)
class QuotaAdmin(_FigureAdmin):
    form = QuotaForm
    resource_classes = [QuotaResource]
    key_fields = ("indicator", "org_unit", "year")
    subject = FigureChange.Subject.QUOTA
    list_display = [
        "indicator",
        "org_unit",
        "year",
        "figure",
        "unit",
        "note",
        "channel",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["year", ("org_unit", admin.RelatedOnlyFieldListFilter), "indicator__area"]
    fieldsets = [
        (None, {"fields": ["indicator", "org_unit", "year", "target", "note"]}),
        ("来源与修改记录", {"fields": [("updated_by", "updated_at"), "figure_history"]}),
    ]
    audit_fields = ("updated_by", "updated_at", "figure_history")

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.fieldsets[:1]

    @admin.display(description="年度目标", ordering="target")
    def figure(self, obj: Quota) -> str:
        return shown(obj.target)

    def get_queryset(self, request):
        # Quotas keep no channel of their own: the cell's latest change in the history says where the
        # figure came from (one subquery on the figurechange_cell index, not a query per row).
        latest = FigureChange.objects.filter(
            subject=FigureChange.Subject.QUOTA,
            indicator_id=OuterRef("indicator_id"),
            org_unit_id=OuterRef("org_unit_id"),
            year=OuterRef("year"),
        ).order_by("-changed_at", "-id")
        return super().get_queryset(request).annotate(last_channel=Subquery(latest.values("channel")[:1]))

    @admin.display(description="来源")
    def channel(self, obj: Quota) -> str:
        return Channel(obj.last_channel).label if obj.last_channel else "—"

    def save_model(self, request, obj: Quota, form, change: bool) -> None:
        stored = quota_set(
            indicator=obj.indicator,
            org_unit=obj.org_unit,
            year=obj.year,
            target=obj.target,
            note=obj.note,
            user=request.user,
            channel=Channel.ADMIN,
        )
        obj.pk = stored.pk

    def delete_model(self, request, obj: Quota) -> None:
        quota_delete(quota=obj, user=request.user, channel=Channel.ADMIN)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for quota in queryset.select_related("indicator", "org_unit"):
            quota_delete(quota=quota, user=request.user, channel=Channel.ADMIN)


@admin.register(FigureChange)
class FigureChangeAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    """The history is written by the services only; here it is read."""

    list_display = [
        "changed_at",
        "changed_by_name",
        "subject",
        "indicator",
        "org_unit",
        "year",
        "month",
        "old_to_new",
        "remarks",
        "channel",
        "note",
    ]
    list_filter = [
        "subject",
        "channel",
        "year",
        "indicator__area",
        ("org_unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "indicator__code",
        "indicator__name",
        "org_unit__name",
        "changed_by_name",
        "note",
        "old_remark",
        "new_remark",
    ]
    date_hierarchy = "changed_at"
    list_select_related = ["indicator", "org_unit"]

    @admin.display(description="原值 → 新值")
    def old_to_new(self, obj: FigureChange) -> str:
        return f"{shown(obj.old_value)} → {shown(obj.new_value)}"

    @admin.display(description="备注(原 → 新)")
    def remarks(self, obj: FigureChange) -> str:
        return remark_change(obj)
