"""Back office for the social insurance registers and the unemployment-insurance rates, each as its
declaration on the model says (registers.admin.RegisterAdmin)."""

from __future__ import annotations

from django.contrib import admin

from registers.admin import RegisterAdmin, admin_register_all

from .models import UnemploymentInsuranceRate
from .resources import UnemploymentRateResource

admin.site.register(UnemploymentInsuranceRate, RegisterAdmin, resource_classes=[UnemploymentRateResource])
admin_register_all("social_insurance")
