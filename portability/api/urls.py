from django.urls import path

from portability.api import views as api

urlpatterns = [
    path("me/export/", api.ExportView.as_view(), name="api-me-export"),
    path("me/export/zip/", api.ExportZipView.as_view(), name="api-me-export-zip"),
    path("me/import/", api.ImportView.as_view(), name="api-me-import"),
    path("me/import/<int:pk>/", api.ImportJobView.as_view(), name="api-me-import-job"),
    path("me/delete/", api.DeleteAccountView.as_view(), name="api-me-delete"),
]
