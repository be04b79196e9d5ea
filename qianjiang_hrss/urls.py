from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

admin.site.site_header = "潜江市人力资源和社会保障局 数据门户"
admin.site.site_title = "潜江人社数据门户"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("qianjiang_hrss.api_urls")),
    path("api/v1/dashboard/", include("dashboard.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("reporting/", include("reporting.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("portal.urls")),
]
