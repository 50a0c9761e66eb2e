"""Browser pages of reports: the history, the dashboard and the digest's opt-out link
(the API is in ``reports.api.urls``)."""

from django.urls import path

from reports.views import dashboard, digest, history

urlpatterns = [
    path(
        "digest/unsubscribe/<str:token>/",
        digest.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path("reports/", history.report_list, name="reports"),
    path("reports/export.csv", history.report_csv, name="reports_csv"),
    path("reports/recompute/", history.report_recompute, name="report_recompute"),
    path("reports/received/", history.report_received, name="report_received"),
    path("reports/jobs/<int:pk>/", history.report_job, name="report_job"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
