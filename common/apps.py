from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommonConfig(AppConfig):
    default = True
    name = "common"
    verbose_name = "公共"


class PortalAdminConfig(admin_apps.AdminConfig):
    """Installed instead of django.contrib.admin, so that admin.site is common.admin.PortalAdminSite
    (imported once the apps are ready: it asks the portal role)."""

    default = False  # CommonConfig is this module's default; this one is named in INSTALLED_APPS
    default_site = "common.admin.PortalAdminSite"
