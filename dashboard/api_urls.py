from django.urls import path

from . import api

urlpatterns = [
    path("cockpit/", api.CockpitView.as_view(), name="api-dashboard-cockpit"),
    path("warnings/", api.WarningsView.as_view(), name="api-dashboard-warnings"),
    path("indicators/<str:code>/", api.IndicatorPanelView.as_view(), name="api-dashboard-indicator"),
]
