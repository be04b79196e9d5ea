"""Notices in the admin are a read-only record: who was told what, on which channel, sent or failed, read
when. They are written by the schedule, the review workflow and 一键催报 only."""

from django.contrib import admin

from common.admin import BureauOnlyAdminMixin, ReadOnlyAdminMixin

from .models import Delivery, Notice


class DeliveryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Delivery
    fields = ["recipient", "channel", "address", "status", "attempts", "last_error", "sent_at", "read_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "township", "year", "month", "title", "created_by"]
    list_filter = ["kind", "year", "month", "township"]
    search_fields = ["title", "body", "township__name"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["notice", "recipient", "channel", "address", "status", "attempts", "sent_at", "read_at"]
    list_filter = ["channel", "status", "notice__kind", "notice__year", "notice__month"]
    search_fields = ["recipient__username", "address", "notice__township__name"]
    list_select_related = ["notice__township", "recipient"]
