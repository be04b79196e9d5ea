from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.permissions import is_bureau
from common.permissions import HasPortalRole, IsBureau


def _docs(view, template: str):
    """The API's documentation pages are for the bureau's staff, who program against it (leaders and
    townships read pages, not the API: issue 22 point 11), in a frame with a way back to the portal.
    Refused before DRF is asked, so the refusal is the portal's Chinese 403 page."""
    docs = view.as_view(url_name="schema", permission_classes=[IsBureau], template_name=template)

    @login_required
    def bureau_only(request, *args, **kwargs):
        if not is_bureau(request.user):
            raise PermissionDenied(IsBureau.message)
        return docs(request, *args, **kwargs)

    return bureau_only


urlpatterns = [
    # The bureau's data entry lives inside the admin (admin_view: same sign-in and role check); before
    # admin.site.urls, whose catch-all would take these paths.
    path("admin/entry/", include("entry.urls")),
    path("admin/", admin.site.urls),
    # Sign-in, sign-out, one's own password (throttled like the sign-in; the admin's password pages send
    # people there too) and second factor.
    path("accounts/", include("accounts.urls")),
    # The security log: the audit administrator's alone.
    path("audit/", include("audit.urls")),
    path("api/v1/", include("qianjiang_hrss.api_urls")),
    path("api/v1/dashboard/", include("dashboard.api_urls")),
    # The schema answers programs too (token or session; 403 without a role); the docs pages send
    # people to sign in first.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[HasPortalRole]), name="schema"),
    path("api/docs/", _docs(SpectacularSwaggerView, "api/swagger_ui.html"), name="api-docs"),
    path("api/redoc/", _docs(SpectacularRedocView, "api/redoc.html"), name="api-redoc"),
    path("reporting/", include("reporting.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("dashboard/", include("provenance.urls")),
    path("notices/", include("notices.urls")),
    path("", include("portal.urls")),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
