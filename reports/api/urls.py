from django.urls import path

from reports.api import views

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="api-report-list"),
    path("reports/latest/", views.ReportLatestView.as_view(), name="api-report-latest"),
    path("reports/recompute/", views.ReportRecomputeView.as_view(), name="api-report-recompute"),
    path("reports/recompute/<int:pk>/", views.RecomputeJobView.as_view(), name="api-report-job"),
]
