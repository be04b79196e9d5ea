"""The employment registers in the bureau's back office (bureau staff only; import and export)."""

from __future__ import annotations

from django.contrib import admin

from registers.admin import RegisterAdmin

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from .resources import (
    GigStationMonthResource,
    GigStationResource,
    GuaranteeLoanResource,
    ReturneeStartupResource,
    TrainingClassResource,
)


@admin.register(GuaranteeLoan)
class GuaranteeLoanAdmin(RegisterAdmin):
    resource_classes = [GuaranteeLoanResource]
    list_display = [
        "loan_number", "borrower_name", "borrower_kind", "org_unit", "issued_on", "amount",
        "term_months", "jobs_created",
    ]  # fmt: skip
    list_filter = ["borrower_kind", "org_unit", ("issued_on", admin.DateFieldListFilter)]
    search_fields = ["loan_number", "borrower_name"]
    date_hierarchy = "issued_on"


@admin.register(TrainingClass)
class TrainingClassAdmin(RegisterAdmin):
    resource_classes = [TrainingClassResource]
    list_display = ["name", "training_type", "org_unit", "start_on", "end_on", "trainees", "completions"]
    list_filter = ["training_type", "org_unit", ("end_on", admin.DateFieldListFilter)]
    search_fields = ["name"]
    date_hierarchy = "end_on"


@admin.register(ReturneeStartup)
class ReturneeStartupAdmin(RegisterAdmin):
    resource_classes = [ReturneeStartupResource]
    list_display = ["business_name", "founder_name", "org_unit", "started_on", "jobs_created"]
    list_filter = ["org_unit", ("started_on", admin.DateFieldListFilter)]
    search_fields = ["business_name", "founder_name"]
    date_hierarchy = "started_on"


@admin.register(GigStation)
class GigStationAdmin(RegisterAdmin):
    resource_classes = [GigStationResource]
    list_display = ["name", "kind", "org_unit", "parent", "opened_on", "is_active"]
    list_filter = ["kind", "is_active", "org_unit"]
    search_fields = ["name"]
    autocomplete_fields = ["org_unit", "parent"]
    list_select_related = ["org_unit", "parent"]


@admin.register(GigStationMonth)
class GigStationMonthAdmin(RegisterAdmin):
    """A station's month has no org unit of its own: it is the station's."""

    resource_classes = [GigStationMonthResource]
    list_display = ["station", "year", "month", *GigStationMonth.COUNTS]
    list_filter = ["year", "month", "station__kind", "station__org_unit"]
    search_fields = ["station__name"]
    autocomplete_fields = ["station"]
    list_select_related = ["station__org_unit"]
