"""Every app's API under /api/v1/, on one router so the schema lists them together."""

from rest_framework.routers import DefaultRouter

from completion.api import CompletionViewSet
from indicators.api import IndicatorViewSet, MonthlyValueViewSet, QuotaViewSet
from orgs.api import OrgUnitViewSet

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("monthly-values", MonthlyValueViewSet, basename="monthly-value")
router.register("completion", CompletionViewSet, basename="completion")

urlpatterns = router.urls
