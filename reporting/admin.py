"""Submissions in the admin are a read-only record (status changes go through the reporting pages,
which call the services); locks are opened from the reporting status page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from common.admin import BureauOnlyAdminMixin, ReadOnlyAdminMixin

from .models import LockOverride, Submission, SubmissionValue


class SubmissionValueInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SubmissionValue
    fields = ["indicator", "value", "remark", "sheet", "row"]
    readonly_fields = fields
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "township",
        "year",
        "month",
        "version",
        "status",
        "is_late",
        "submitted_at",
        "reviewed_by",
        "page",
    ]
    list_filter = ["year", "month", "status", "is_late", "township"]
    search_fields = ["township__name", "township__code", "original_filename"]
    inlines = [SubmissionValueInline]

    @admin.display(description="审核页面")
    def page(self, obj: Submission) -> str:
        return format_html('<a href="{}">打开</a>', reverse("reporting:detail", args=[obj.pk]))


@admin.register(LockOverride)
class LockOverrideAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["township", "year", "month", "open_until", "reason", "opened_by", "opened_at"]
    list_filter = ["year", "month", "township"]
