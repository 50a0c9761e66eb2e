"""The dashboard page, read from the report snapshots (``reports.views_dashboard``)."""

from django.urls import path

from reports import views_dashboard

urlpatterns = [
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
]
