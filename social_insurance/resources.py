"""The rates' sheet: the register's own (registers.resources.register_resource), with one more rule
for a file of several rates. All or nothing (RegisterResource): one bad row and the file writes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from registers.resources import register_resource

from .models import UnemploymentInsuranceRate


class UnemploymentRateResource(register_resource(UnemploymentInsuranceRate)):
    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        # The rows are written at the end (one batch): a span overlapping an earlier row of the same
        # file is refused here, as clean() refuses one overlapping a stored rate.
        super().validate_instance(instance, import_validation_errors, validate_unique)
        for earlier in [*self.create_instances, *self.update_instances]:
            if instance.valid_from and earlier.valid_from and instance.shares_days_with(earlier):
                raise ValidationError(
                    {"valid_from": f"执行期间与本文件中的费率“{earlier}”重叠,请只保留一行。"}
                )
