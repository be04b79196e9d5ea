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


class EmploymentRegisterAdmin(RegisterAdmin):
    """Works around two faults of registers.admin.RegisterAdmin with django-import-export 4.3:

    - its change list: import-export takes a change_list_template set on the class as the *base*
      its own template extends, while admin/registers/change_list.html itself extends
      import-export's template, so the change list extends itself (TemplateDoesNotExist). Render
      the register template on top of import-export's, on top of Django's.
    - its get_import_data_kwargs passes `request` positionally to import-export's, which takes
      keywords only (TypeError on every import); import-export already hands user=request.user to
      import_data, so the kwargs need nothing added."""

    def init_change_list_template(self) -> None:
        self.ie_base_change_list_template = "admin/change_list.html"
        self.change_list_template = RegisterAdmin.change_list_template

    def get_import_data_kwargs(self, **kwargs) -> dict:
        return super(RegisterAdmin, self).get_import_data_kwargs(**kwargs)


@admin.register(GuaranteeLoan)
class GuaranteeLoanAdmin(EmploymentRegisterAdmin):
    resource_classes = [GuaranteeLoanResource]
    list_display = [
        "loan_number", "borrower_name", "borrower_kind", "org_unit", "issued_on", "amount",
        "term_months", "jobs_created",
    ]  # fmt: skip
    list_filter = ["borrower_kind", "org_unit", ("issued_on", admin.DateFieldListFilter)]
    search_fields = ["loan_number", "borrower_name"]
    date_hierarchy = "issued_on"


@admin.register(TrainingClass)
class TrainingClassAdmin(EmploymentRegisterAdmin):
    resource_classes = [TrainingClassResource]
    list_display = ["name", "training_type", "org_unit", "start_on", "end_on", "trainees", "completions"]
    list_filter = ["training_type", "org_unit", ("end_on", admin.DateFieldListFilter)]
    search_fields = ["name"]
    date_hierarchy = "end_on"


@admin.register(ReturneeStartup)
class ReturneeStartupAdmin(EmploymentRegisterAdmin):
    resource_classes = [ReturneeStartupResource]
    list_display = ["business_name", "founder_name", "org_unit", "started_on", "jobs_created"]
    list_filter = ["org_unit", ("started_on", admin.DateFieldListFilter)]
    search_fields = ["business_name", "founder_name"]
    date_hierarchy = "started_on"


@admin.register(GigStation)
class GigStationAdmin(EmploymentRegisterAdmin):
    resource_classes = [GigStationResource]
    list_display = ["name", "kind", "org_unit", "parent", "opened_on", "is_active"]
    list_filter = ["kind", "is_active", "org_unit"]
    search_fields = ["name"]
    autocomplete_fields = ["org_unit", "parent"]
    list_select_related = ["org_unit", "parent"]


@admin.register(GigStationMonth)
class GigStationMonthAdmin(EmploymentRegisterAdmin):
    """A station's month has no org unit of its own: it is the station's."""

    resource_classes = [GigStationMonthResource]
    list_display = ["station", "year", "month", *GigStationMonth.COUNTS]
    list_filter = ["year", "month", "station__kind", "station__org_unit"]
    search_fields = ["station__name"]
    autocomplete_fields = ["station"]
    list_select_related = ["station__org_unit"]
