"""Every app's API under /api/v1/, on one router so the schema lists them together. A domain app
in settings.DOMAIN_APPS lists its register endpoints as ROUTES = [(prefix, viewset, basename), ...] in its api.py."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from rest_framework.routers import DefaultRouter

from completion.api import CompletionViewSet
from indicators.api import (
    IndicatorViewSet,
    MonthlyValueViewSet,
    QuotaViewSet,
    SetChangeViewSet,
    ValidationRuleViewSet,
)
from orgs.api import OrgUnitViewSet

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("validation-rules", ValidationRuleViewSet, basename="validation-rule")
router.register("indicator-changes", SetChangeViewSet, basename="indicator-change")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("monthly-values", MonthlyValueViewSet, basename="monthly-value")
router.register("completion", CompletionViewSet, basename="completion")

for app in settings.DOMAIN_APPS:
    if find_spec(f"{app}.api"):
        for prefix, viewset, basename in import_module(f"{app}.api").ROUTES:
            router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
