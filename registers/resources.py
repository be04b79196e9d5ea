"""Spreadsheet import of register records (django-import-export), all or nothing: every row is
validated with the model's own rules (full_clean, so the messages are the model's Chinese ones), the
values the records feed are recounted inside the import's transaction, and one bad row — or a
recount that breaks a figure rule — rolls the whole file back."""

from __future__ import annotations

from import_export import fields, resources
from import_export.results import Error

from common.errors import PortalError
from indicators.feeds import feed_batch
from indicators.resources import CodeWidget
from orgs.models import OrgUnit


def org_unit_field(column: str = "区划代码") -> fields.Field:
    """An org unit by its division code, with a Chinese message when the code is unknown."""
    return fields.Field(attribute="org_unit", column_name=column, widget=CodeWidget(OrgUnit, "区划代码"))


class RegisterResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = False

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # A row with a validation error rolls back the whole file, not just that row.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        user = kwargs.get("user")
        self._user = user if user is not None and user.is_authenticated else None
        with feed_batch(user=self._user) as batch:
            result = super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
            if result.has_errors() or result.has_validation_errors():
                batch.cancel()  # everything is rolled back anyway
            else:
                try:
                    batch.flush()
                except PortalError as exc:
                    result.append_base_error(Error(ValueError(f"汇总为指标数据时出错:{exc.message}")))
        return result

    def before_save_instance(self, instance, row, **kwargs) -> None:
        instance.updated_by = self._user
        instance._changed_by = self._user

    def before_delete_instance(self, instance, row, **kwargs) -> None:
        instance._changed_by = self._user
