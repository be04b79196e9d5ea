"""Back office for the social insurance registers and the unemployment-insurance rates, each as its
declaration on the model says (registers.admin.RegisterAdmin)."""

from __future__ import annotations

from django.contrib import admin

from registers.admin import RegisterAdmin

from .models import CardIssuance, InsuredCount, LandRequisitionEstimate, UnemploymentInsuranceRate
from .resources import UnemploymentRateResource

admin.site.register([InsuredCount, CardIssuance, LandRequisitionEstimate], RegisterAdmin)
admin.site.register(UnemploymentInsuranceRate, RegisterAdmin, resource_classes=[UnemploymentRateResource])
