"""The bureau keeps its indicator system here, year by year (年度指标体系): the year's indicators, its
validation rules and the record of every change. Every save goes through indicators.sets, like the API.

- The list opens on the newest year; "复制上年指标体系" starts a year from another.
- An indicator's code and year are fixed once it exists; retiring one with figures asks first (a page
  listing what stays), and nothing with figures is ever deleted."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from common.admin import BureauOnlyAdminMixin, ReadOnlyAdminMixin, ServiceWriteAdminMixin
from common.errors import PortalError

from .forms import CopyYearForm, IndicatorSetForm, ValidationRuleForm
from .models import Channel, Indicator, SetChange, ValidationRule
from .rules import rule_describe
from .sets import (
    EDITABLE,
    indicator_add,
    indicator_delete,
    indicator_restore,
    indicator_retire,
    indicator_set_copy,
    indicator_update,
    rule_delete,
    rule_save,
)

HISTORY_SHOWN = 20


def newest_year() -> int | None:
    return Indicator.objects.order_by("-year").values_list("year", flat=True).first()


class _YearListMixin:
    """The list shows one year's set: without a year asked for, the newest year's."""

    def changelist_view(self, request, extra_context=None):
        asks_year = "year__exact" not in request.GET and "year" not in request.GET
        if request.method == "GET" and asks_year and self.has_view_or_change_permission(request):
            year = newest_year()
            if year is not None:
                query = request.GET.copy()
                query["year__exact"] = str(year)
                return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_changeform_initial_data(self, request) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("year", request.GET.get("year__exact") or newest_year())
        return initial


@admin.register(Indicator)
class IndicatorAdmin(_YearListMixin, ServiceWriteAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    form = IndicatorSetForm
    list_display = [
        "sort_order",
        "name",
        "code",
        "area",
        "unit",
        "kind",
        "direction",
        "source",
        "parent",
        "in_use",
    ]
    list_display_links = ["name"]
    list_filter = ["year", "area", "source", "kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["year", "sort_order", "code"]
    actions = ["retire_selected", "restore_selected"]
    change_list_template = "admin/indicators/indicator/change_list.html"
    fieldsets = [
        (None, {"fields": ["year", "code", "name", ("area", "sort_order"), "description"]}),
        ("口径", {"fields": [("unit", "value_places", "rate_places"), ("kind", "direction"), "source"]}),
        ("与其他指标的关系", {"fields": ["parent", ("numerator", "denominator")]}),
    ]

    @admin.display(description="本年度在用", boolean=True, ordering="is_active")
    def in_use(self, obj: Indicator) -> bool:
        return obj.is_active

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()  # the year asked for (the newest set by default); its indicators are the ones to refer to
        return ("year", "code", "is_active", "set_history")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [*self.fieldsets, ("修改记录(同一指标代码的各年度)", {"fields": ["is_active", "set_history"]})]

    def get_search_results(self, request, queryset, search_term):
        """The indicator pickers of other pages search here: "2025 新增就业" looks in 2025's set only."""
        head, _, rest = search_term.strip().partition(" ")
        if head.isdigit() and len(head) == 4:
            queryset, search_term = queryset.filter(year=int(head)), rest
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj: Indicator, form, change: bool) -> None:
        if not change:
            indicator_add(indicator=obj, user=request.user, channel=Channel.ADMIN)
            return
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE}
        if changes:
            indicator_update(indicator=obj, changes=changes, user=request.user, channel=Channel.ADMIN)

    def delete_model(self, request, obj: Indicator) -> None:
        indicator_delete(indicator=obj, user=request.user, channel=Channel.ADMIN)

    def delete_queryset(self, request, queryset) -> None:
        for indicator in queryset:
            indicator_delete(indicator=indicator, user=request.user, channel=Channel.ADMIN)

    @admin.display(description="修改记录")
    def set_history(self, obj: Indicator) -> str:
        changes = SetChange.objects.filter(code=obj.code).order_by("-changed_at", "-id")[:HISTORY_SHOWN]
        if not changes:
            return "暂无修改记录(由系统建立)。"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}年</td><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    c.changed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    c.year,
                    c.changed_by_name or "系统",
                    c.get_action_display(),
                    c.field,
                    c.old_value or "—",
                    c.new_value or "—",
                    c.get_channel_display(),
                    c.note,
                )
                for c in changes
            ),
        )
        return format_html(
            "<table><thead><tr><th>时间</th><th>年度</th><th>修改人</th><th>操作</th><th>字段</th>"
            "<th>原 → 新</th><th>渠道</th><th>说明</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    # -- retire and restore: with figures, a page says what stays before anything changes

    @admin.action(description="停用所选指标(从本年度指标体系中移出,数据保留)")
    def retire_selected(self, request, queryset):
        chosen = list(
            queryset.filter(is_active=True).annotate(
                value_count=Count("values", distinct=True), quota_count=Count("quotas", distinct=True)
            )
        )
        with_figures = [i for i in chosen if i.value_count or i.quota_count]
        if with_figures and request.POST.get("confirmed") != "yes":
            return render(
                request,
                "admin/indicators/indicator/retire_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "确认停用指标",
                    "indicators": chosen,
                    "with_figures": with_figures,
                    "ids": [i.pk for i in chosen],
                    "opts": self.model._meta,
                },
            )
        done = []
        for indicator in chosen:
            try:
                indicator_retire(
                    indicator=indicator, user=request.user, channel=Channel.ADMIN, confirmed=True
                )
                done.append(indicator.name)
            except PortalError as error:
                self.message_user(request, f"“{indicator.name}”未停用:{error.message}", messages.ERROR)
        if done:
            self.message_user(request, f"已停用:{'、'.join(done)}。已有数据保留。", messages.SUCCESS)
        return None

    @admin.action(description="恢复启用所选指标")
    def restore_selected(self, request, queryset):
        for indicator in queryset.filter(is_active=False):
            try:
                indicator_restore(indicator=indicator, user=request.user, channel=Channel.ADMIN)
            except PortalError as error:
                self.message_user(request, f"“{indicator.name}”未恢复:{error.message}", messages.ERROR)

    # -- copying a year

    def get_urls(self):
        copy = path(
            "copy-year/",
            self.admin_site.admin_view(self.copy_year_view),
            name="indicators_indicator_copy_year",
        )
        return [copy, *super().get_urls()]

    def copy_year_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied("只有局业务科室可以建立年度指标体系。")
        years = list(Indicator.objects.order_by("year").values_list("year", flat=True).distinct())
        form = CopyYearForm(request.POST or None, years=years)
        if request.method == "POST" and form.is_valid():
            try:
                result = indicator_set_copy(
                    from_year=form.cleaned_data["from_year"],
                    to_year=form.cleaned_data["to_year"],
                    user=request.user,
                    channel=Channel.ADMIN,
                )
            except PortalError as error:
                form.add_error(None, error.message)
            else:
                to_year = form.cleaned_data["to_year"]
                left = f"未复制(分子或分母已停用):{'、'.join(result.left_out)}。" if result.left_out else ""
                self.message_user(
                    request,
                    f"已建立{to_year}年指标体系:{result.indicators}项指标、{result.rules}条校验规则。{left}"
                    "请逐项核对名称、单位和来源,再录入本年度的目标任务。",
                    messages.SUCCESS,
                )
                url = reverse("admin:indicators_indicator_changelist") + f"?year__exact={to_year}"
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": "复制上年指标体系",
            "form": form,
            "opts": self.model._meta,
            "years": [
                (y, Indicator.objects.filter(year=y, is_active=True).count())
                for y in sorted(years, reverse=True)
            ],
        }
        return render(request, "admin/indicators/indicator/copy_year.html", context)


@admin.register(ValidationRule)
class ValidationRuleAdmin(_YearListMixin, ServiceWriteAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    form = ValidationRuleForm
    list_display = ["sort_order", "name", "severity", "described", "scope", "is_active"]
    list_display_links = ["name"]
    list_filter = ["year", "severity", "kind", "is_active"]
    list_select_related = ["indicator", "right_indicator"]
    search_fields = ["name", "indicator__name", "indicator__code"]
    ordering = ["year", "sort_order", "id"]
    fieldsets = [
        (None, {"fields": ["year", "name", ("severity", "is_active"), "sort_order"]}),
        ("规则适用于", {"fields": ["kind", ("indicator", "unit"), "scope", "basis"]}),
        (
            "数值界限、指标间比较",
            {"fields": ["operator", "bound", "right_indicator", ("constant", "factor")]},
        ),
        ("变动幅度、异常值", {"fields": ["against", "threshold"]}),
        (None, {"fields": ["advice"]}),
    ]

    @admin.display(description="规则")
    def described(self, obj: ValidationRule) -> str:
        return rule_describe(obj)

    def get_readonly_fields(self, request, obj=None):
        return ("year",)

    def save_model(self, request, obj: ValidationRule, form, change: bool) -> None:
        rule_save(rule=obj, user=request.user, channel=Channel.ADMIN)

    def delete_model(self, request, obj: ValidationRule) -> None:
        rule_delete(rule=obj, user=request.user, channel=Channel.ADMIN)

    def delete_queryset(self, request, queryset) -> None:
        for rule in queryset:
            rule_delete(rule=rule, user=request.user, channel=Channel.ADMIN)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.builtin)


@admin.register(SetChange)
class SetChangeAdmin(ReadOnlyAdminMixin, BureauOnlyAdminMixin, admin.ModelAdmin):
    """Written by indicators.sets only; read here."""

    list_display = [
        "changed_at",
        "changed_by_name",
        "year",
        "subject",
        "object_repr",
        "action",
        "field",
        "old_value",
        "new_value",
        "channel",
        "note",
    ]
    list_filter = ["year", "subject", "action", "channel"]
    search_fields = ["code", "object_repr", "changed_by_name", "old_value", "new_value"]
    date_hierarchy = "changed_at"
