"""The employment registers in the bureau's back office (bureau staff only; import and export), each
as its declaration on the model says (registers.admin.RegisterAdmin)."""

from __future__ import annotations

from django.contrib import admin

from registers.admin import RegisterAdmin

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass

admin.site.register(
    [GuaranteeLoan, TrainingClass, ReturneeStartup, GigStation, GigStationMonth], RegisterAdmin
)
