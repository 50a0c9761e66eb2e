"""Browser pages of reports (the API is in ``reports.api.urls``)."""

from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/export.csv", views.report_csv, name="reports_csv"),
    path("reports/recompute/", views.report_recompute, name="report_recompute"),
    path("reports/received/", views.report_received, name="report_received"),
    path("reports/jobs/<int:pk>/", views.report_job, name="report_job"),
]
