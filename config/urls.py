"""Root URLs: the browser app, the API under /api/v1/, its schema and docs, admin, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("config.pwa.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("accounts.api.urls")),
    path("api/v1/", include("income.api.urls")),
    path("api/v1/", include("imports.api.urls")),
    path("api/v1/", include("scenarios.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/v1/", include("portability.api.urls")),
    path("api/v1/", include("alerts.api.urls")),
    path("api/v1/", include("households.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("alerts.urls")),
    path("", include("households.urls")),
    path("", include("portability.urls")),
    path("", include("reports.urls")),
    path("", include("scenarios.urls")),
    path("", include("imports.urls")),
    path("", include("income.urls")),
]

admin.site.site_header = "Ertrag"
admin.site.site_title = "Ertrag admin"

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
