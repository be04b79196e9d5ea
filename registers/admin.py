"""The admin every register shares: bureau staff only; spreadsheet import and export; every save and
delete goes through registers.services (recorded field by field, shown on the record's history page;
the indicator values the register feeds recounted in the same transaction), and a figure rule broken
by the recount is shown in Chinese with nothing saved. The list page says which indicators
the register produces. What it lists, filters, searches and shows in its form comes from the register's
declaration (registers.declaration.Register on the model), so an app's admin.py is one line (after
any register that needs an admin of its own):

    admin_register_all("employment")"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from import_export.admin import ImportExportModelAdmin

from audit.models import Kind
from audit.services import security_event_record
from common.admin import BureauOnlyAdminMixin, RefuseInChineseAdminMixin
from common.export_formats import SAFE_FORMATS
from common.numbers import format_figure
from indicators.feeds import feeds_of
from indicators.models import Indicator

from .declaration import Register
from .models import Door
from .personal import masked
from .resources import ID_COLUMN, register_resource
from .selectors import record_changes
from .services import record_create, record_delete, record_update, records_batch, records_import
from .widgets import DAY_FORMS, YES_NO_FORMS

# How the import reads a sheet, told above its buttons (the same words the widgets refuse a cell with).
IMPORT_HELP = (
    f"导入说明:有“{ID_COLUMN}”的行修改该记录(导出的文件改后可直接导入),没有的行新增记录;"
    f"日期可写成{DAY_FORMS};是否列填{YES_NO_FORMS};选项填导出文件中的中文名称;"
    "金额和人数按原样读取(可带千分位逗号)。任何一行有误,整个文件不导入。"
)


def _amount_column(model, name: str):
    """A decimal column (an amount, a rate) as the bureau writes it: grouped, at the places the figure
    has (26 万元, not the stored 26.0000; common.numbers), right-aligned; sorted by the field."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, models.DecimalField):
        return None

    @admin.display(description=field.verbose_name, ordering=name)
    def shown(obj) -> str:
        return format_figure(getattr(obj, name), field.decimal_places)

    shown.__name__ = name  # the column keeps the field's CSS class (field-amount)
    return shown


class RegisterAdmin(RefuseInChineseAdminMixin, BureauOnlyAdminMixin, ImportExportModelAdmin):
    formats = SAFE_FORMATS
    # import-export stacks this on its own change list (which extends Django's): the register's notice
    # above the import and export buttons.
    import_export_change_list_template = "admin/registers/change_list.html"
    object_history_template = "admin/registers/object_history.html"
    readonly_fields = ["updated_by", "updated_at"]

    # From the declaration; a subclass may still set any of these itself.
    @property
    def list_display(self) -> list:
        """The declared columns; a personal one (个人信息保护) masked, whoever reads the list; an amount
        written as the bureau writes it."""
        register = self.model.register
        return [
            _masked_column(self.model, name, register.personal[name])
            if name in register.personal
            else (_amount_column(self.model, name) or name)
            for name in (register.list_display or register.fields)
        ]

    @property
    def list_filter(self) -> list[str]:
        return list(self.model.register.list_filter)

    @property
    def search_fields(self) -> list[str]:
        return list(self.model.register.search_fields)

    @property
    def date_hierarchy(self) -> str | None:
        return self.model.register.date_hierarchy

    @property
    def fieldsets(self) -> list[tuple]:
        """The columns (in the sheet's order, ungrouped first, then each titled section), the remark
        and who changed the record last."""
        register = self.model.register
        grouped = {name for names in register.sections.values() for name in names}
        first = [name for name in register.fields if name not in grouped]
        end = ["remark", *self.readonly_fields]
        if not register.sections:
            return [(None, {"fields": [*first, *end]})]
        sections = [(title, {"fields": list(names)}) for title, names in register.sections.items()]
        return [(None, {"fields": first}), *sections, (None, {"fields": end})]

    # Every record it points at is picked by searching (thousands of stations, certification bodies).
    @property
    def autocomplete_fields(self) -> list[str]:
        return self.model.register.relations(self.model.register.fields)

    @property
    def list_select_related(self) -> list[str]:
        register = self.model.register
        return list(dict.fromkeys(filter(None, [register.org, *register.relations(self.list_display)])))

    def get_resource_classes(self, request) -> list:
        return list(self.resource_classes) or [register_resource(self.model)]

    # Every door writes through registers.services: validated, recorded field by field, recounted.
    def save_model(self, request, obj, form, change) -> None:
        write = record_update if change else record_create
        write(user=request.user, record=obj, door=Door.ADMIN)

    def delete_model(self, request, obj) -> None:
        record_delete(user=request.user, record=obj, door=Door.ADMIN)

    def save_formset(self, request, form, formset, change) -> None:
        # Records edited inline (a competition's awards) are register records too: the same service,
        # one batch, so the months they touch are recounted once, not once a row.
        formset.save(commit=False)
        with records_batch(user=request.user) as batch:
            for record in formset.deleted_objects:
                record_delete(user=request.user, record=record, door=Door.ADMIN, batch=batch)
            for record in formset.new_objects:
                record_create(user=request.user, record=record, door=Door.ADMIN, batch=batch)
            for record, _fields in formset.changed_objects:
                record_update(user=request.user, record=record, door=Door.ADMIN, batch=batch)
        formset.save_m2m()

    def delete_queryset(self, request, queryset) -> None:
        # "Delete selected": one batch, each month counted once at its end.
        records_import(user=request.user, model=self.model, deleted=list(queryset), door=Door.ADMIN)

    def history_view(self, request, object_id, extra_context=None):
        """Django's own history page, with each field's old and new value under it."""
        changes = record_changes(model=self.model, object_id=object_id)
        response = super().history_view(
            request, object_id, {"record_changes": changes, **(extra_context or {})}
        )
        self._record_opening(request, object_id, response, "管理后台修改记录")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            self._record_opening(request, object_id, response, "管理后台")
        return response

    def _record_opening(self, request, object_id, response, door: str) -> None:
        """个人信息保护: opening a record whose personal fields are shown whole is in the security log."""
        if self.model.register.personal and response.status_code == 200:
            security_event_record(
                kind=Kind.PERSONAL_DATA_VIEWED,
                request=request,
                object=f"{self.model._meta.verbose_name} #{object_id}",
                detail=door,
            )

    def changelist_view(self, request, extra_context=None):
        codes = [code for f in feeds_of(self.model) for code in f.values]
        # The indicators as the newest year's set names them (a rename keeps the code).
        newest = (
            Indicator.objects.filter(code__in=codes).order_by("-year").values_list("year", flat=True).first()
        )
        fed = Indicator.objects.filter(code__in=codes, year=newest).order_by("sort_order")
        extra = {
            "fed_indicators": fed,
            "fed_register": feeds_of(self.model)[0].register if codes else "",
            "import_help": IMPORT_HELP,
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})


def _masked_column(model, name: str, kind: str):
    """A change-list column showing the field masked, sorted by the field itself."""
    field = model._meta.get_field(name)

    def column(record) -> object:
        return masked(kind, getattr(record, name))

    column.short_description = field.verbose_name
    column.admin_order_field = name
    column.__name__ = f"{name}_masked"
    return column


def admin_register_all(app_label: str) -> None:
    """Every register of the app (a model carrying a `Register` declaration) that is not in the admin
    yet, with RegisterAdmin: a new register is in the admin by its declaration alone."""
    for model in apps.get_app_config(app_label).get_models():
        if isinstance(getattr(model, "register", None), Register) and not admin.site.is_registered(model):
            admin.site.register(model, RegisterAdmin)
