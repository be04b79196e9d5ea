"""Pages of the bureau's data entry, under /admin/entry/, each wrapped in the admin site's
admin_view: signed in, is_staff and bureau staff (PortalAdminSite.has_permission), CSRF, never cached."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "entry"


def _admin(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("sheet/", _admin(views.sheet_view), name="sheet"),
    path("sheet/rates/", _admin(views.sheet_rates_view), name="sheet-rates"),
    path("overview/", _admin(views.overview_view), name="overview"),
    path("split/", _admin(views.split_view), name="split"),
    path("split/export/", _admin(views.split_export_view), name="split-export"),
    path("split/import/", _admin(views.split_import_view), name="split-import"),
]
