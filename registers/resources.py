"""Spreadsheet import of register records (django-import-export), all or nothing: every row is
validated with the model's own rules (full_clean, so the messages are the model's Chinese ones), then
the rows are written by registers.services.records_import in one batch inside the import's transaction
(history, one recount of the values the records feed), and one bad row — or a recount that breaks a
figure rule — rolls the whole file back."""

from __future__ import annotations

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from import_export import fields, resources
from import_export.results import Error

from common.errors import PortalError
from orgs.models import OrgUnit

from .declaration import Column
from .models import Door
from .services import UniqueKeys, records_import
from .widgets import cell_text, widget_for

ID_COLUMN = "系统编号"
# The talent registers' files exported before the id column had one name.
ID_ALIASES = ("记录ID",)
ORG_CODE_COLUMN = "区划代码"  # an org unit is written by its division code


class RegisterResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = False
        # Rows are collected and written at the end by registers.services.records_import, in one batch
        # (bulk writes, the history, one recount of every month touched); None: never a partial batch.
        use_bulk = True
        batch_size = None

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # A row with a validation error rolls back the whole file, not just that row.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)

    def before_import(self, dataset, **kwargs) -> None:
        headers = list(dataset.headers or [])
        if ID_COLUMN not in headers and any(h in ID_ALIASES for h in headers):
            dataset.headers = [ID_COLUMN if h in ID_ALIASES else h for h in headers]
        super().before_import(dataset, **kwargs)
        self._unique_keys = UniqueKeys(self._meta.model)

    def before_import_row(self, row, **kwargs) -> None:
        self._current_row, self._sheet_row = row, kwargs.get("row_number", 0) + 1  # the header is row 1
        super().before_import_row(row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        """The model's rules on each row (so a message names its row), less the existence of what the
        row points at: the widgets found those objects already (or said in Chinese that they do not
        exist), and Django would ask the database again for each row. Rows are written at the end: a
        record the file names twice (a case number, or the org unit and month a monthly register is
        keyed by) is refused at its second row, naming the first."""
        errors = dict(import_validation_errors or {})
        loaded = [f.name for f in instance._meta.concrete_fields if f.many_to_one and f.is_cached(instance)]
        try:
            instance.full_clean(exclude=[*errors, *loaded], validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        clash = self._unique_keys.clash(instance, tag=self._sheet_row)
        if clash is not None:
            names, first_row = clash
            columns = [self.fields[n].column_name if n in self.fields else n for n in names]
            values = [cell_text(self._current_row.get(c)) for c in columns]
            repeated = (
                f"{'、'.join(columns)}“{'、'.join(values)}”与第{first_row}行重复,一个文件中只能出现一次。"
            )
            errors = ValidationError({names[0]: repeated}).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        user = kwargs.get("user")  # None: a trusted process; anyone else must be bureau staff (the service)
        result = super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )
        created, updated, deleted = self.create_instances, self.update_instances, self.delete_instances
        self.create_instances, self.update_instances, self.delete_instances = [], [], []
        if result.has_errors() or result.has_validation_errors():
            return result  # everything is rolled back anyway
        try:
            records_import(
                user=user,
                model=self._meta.model,
                created=created,
                updated=updated,
                deleted=deleted,
                door=Door.IMPORT,
            )
        except PortalError as exc:
            result.append_base_error(Error(ValueError(f"导入未完成:{exc.message}")))
        return result

    # The service writes the collected rows; import-export's own bulk writes are left out.
    def bulk_create(self, *args, **kwargs) -> None:
        pass

    def bulk_update(self, *args, **kwargs) -> None:
        pass

    def bulk_delete(self, *args, **kwargs) -> None:
        pass


def _cells(model: type[models.Model], column: str | Column) -> tuple[str, fields.Field]:
    """A column of the register's sheet: its header (the field's verbose_name, 区划代码 for an org unit,
    or the Column's own) and the widget that reads its cells (by the field's type), which names the
    column in its messages. A column that only shows a related value is exported, never imported."""
    if isinstance(column, Column) and column.shows:
        return column.field, fields.Field(attribute=column.shows, column_name=column.header, readonly=True)
    name = column if isinstance(column, str) else column.field
    field = model._meta.get_field(name)
    if isinstance(column, Column):
        header = column.header
    elif field.related_model is OrgUnit:
        header = ORG_CODE_COLUMN
    else:
        header = str(field.verbose_name)
    return name, fields.Field(attribute=name, column_name=header, widget=widget_for(field, header))


@cache
def register_resource(model: type[models.Model]) -> type[RegisterResource]:
    """The import-export resource of a register, built from its declaration (model.register): 系统编号
    first unless rows are matched by an import key, the declared columns in order, the remark last."""
    register = model.register
    record_id = [] if register.import_key else [Column("id", ID_COLUMN)]
    columns = [_cells(model, column) for column in [*record_id, *register.columns, "remark"]]
    meta = {
        "model": model,
        "name": str(model._meta.verbose_name_plural),  # named above its columns on the import page
        "fields": [name for name, _ in columns],
        "import_id_fields": list(register.import_key) or ["id"],
    }
    attrs = {**dict(columns), "Meta": type("Meta", (RegisterResource.Meta,), meta)}
    return type(f"{model.__name__}Resource", (RegisterResource,), attrs)
