"""Computed completion figures, for bureau staff to look up. Nobody types or corrects them, not even a
superuser: they are rebuilt from the facts by `recompute_completion`, so an edit here would be lost."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin

from common.admin import BureauOnlyAdminMixin, ReadOnlyAdminMixin
from common.numbers import format_figure, format_percent, format_points

from .models import Completion, CompletionRun


def _percent(value: Decimal | None, places: int) -> str:
    return "—" if value is None else f"{format_figure(value, places)}%"


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "indicator",
        "org_unit",
        "year",
        "month",
        "actual_shown",
        "quota_shown",
        "rate_shown",
        "time_progress_shown",
        "gap_shown",
        "status",
        "computed_at",
    ]
    list_filter = [
        "year",
        "month",
        "status",
        "indicator__area",
        ("org_unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["indicator__code", "indicator__name", "org_unit__name", "org_unit__code"]
    list_select_related = ["indicator", "org_unit"]

    @admin.display(description="累计完成", ordering="actual")
    def actual_shown(self, obj: Completion) -> str:
        if obj.indicator.is_ratio:
            return _percent(obj.actual, obj.indicator.rate_places)
        return format_figure(obj.actual, obj.indicator.value_places)

    @admin.display(description="年度目标", ordering="quota")
    def quota_shown(self, obj: Completion) -> str:
        if obj.indicator.is_ratio:
            return _percent(obj.quota, obj.indicator.rate_places)
        return format_figure(obj.quota, obj.indicator.value_places)

    @admin.display(description="完成率", ordering="completion_rate")
    def rate_shown(self, obj: Completion) -> str:
        return format_percent(obj.completion_rate)

    @admin.display(description="时序进度", ordering="time_progress")
    def time_progress_shown(self, obj: Completion) -> str:
        return format_percent(obj.time_progress)

    @admin.display(description="与进度差", ordering="gap")
    def gap_shown(self, obj: Completion) -> str:
        return "—" if obj.gap is None else f"{format_points(obj.gap)}个百分点"


@admin.register(CompletionRun)
class CompletionRunAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "month", "trigger", "started_at", "finished_at", "rows", "rows_changed"]
    list_filter = ["year", "month", "trigger"]
    date_hierarchy = "finished_at"
